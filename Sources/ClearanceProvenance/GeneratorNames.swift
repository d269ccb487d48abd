/// Names of generative tools that, seen as EXIF Software or XMP CreatorTool, suggest a file
/// came from one. Matching is case-insensitive on whole words, so "Flux" does not match
/// "Influx". Studios extend the list with `clearance scan --generator NAME`.
public struct GeneratorNames: Sendable, Hashable {
    public static let defaults = [
        "Midjourney", "DALL-E", "DALL·E", "Stable Diffusion", "Adobe Firefly", "Firefly", "Imagen", "Runway",
        "Sora", "ComfyUI", "AUTOMATIC1111", "NovelAI", "InvokeAI", "Leonardo.Ai", "Ideogram", "Flux",
        "Stability AI", "Kling", "Pika", "Veo", "Gen-3", "Dream Studio", "DreamStudio", "Fooocus",
    ]

    public var names: [String]

    public init(names: [String] = GeneratorNames.defaults) {
        self.names = names
    }

    /// The first listed name found in `text`, if any.
    public func match(in text: String) -> String? {
        let haystack = Array(text.lowercased().unicodeScalars)
        for name in names {
            let needle = Array(name.lowercased().unicodeScalars)
            guard !needle.isEmpty, needle.count <= haystack.count else { continue }
            var start = 0
            while start + needle.count <= haystack.count {
                if Array(haystack[start ..< start + needle.count]) == needle {
                    let before = start == 0 ? nil : haystack[start - 1]
                    let after = start + needle.count < haystack.count ? haystack[start + needle.count] : nil
                    let bounded = { (scalar: Unicode.Scalar?) in scalar.map { !$0.properties.isAlphabetic } ?? true }
                    if bounded(before) && bounded(after) { return name }
                }
                start += 1
            }
        }
        return nil
    }
}
