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

    /// The first listed name found in `text`, if any. Only the first 1,024 characters are
    /// looked at: a tool's name is short, and a hostile field can be megabytes.
    public func match(in text: String) -> String? {
        let haystack = Array(text.prefix(1024).lowercased().unicodeScalars)
        let bounded = { (index: Int) in !haystack.indices.contains(index) || !haystack[index].properties.isAlphabetic }
        for name in names {
            let needle = Array(name.lowercased().unicodeScalars)
            guard !needle.isEmpty, needle.count <= haystack.count else { continue }
            for start in 0 ... haystack.count - needle.count
            where haystack[start] == needle[0] && bounded(start - 1) && bounded(start + needle.count) {
                if (0 ..< needle.count).allSatisfy({ haystack[start + $0] == needle[$0] }) { return name }
            }
        }
        return nil
    }
}
