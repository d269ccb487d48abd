/// Raw metadata payloads a container walk collects, each with where it was found. Interpreting
/// them (C2PA, XMP, generator text) is separate, so every container shares one interpretation.
struct Findings {
    struct Payload {
        var offset: Int64
        var location: String
        var bytes: [UInt8]
    }

    struct Text {
        var offset: Int64
        var location: String
        var keyword: String
        var value: String
    }

    var manifestStores: [Payload] = []
    var xmpPackets: [Payload] = []
    /// PNG text chunks and EXIF UserComment.
    var texts: [Text] = []
    /// EXIF Software.
    var software: [Text] = []
    /// Structures walked (boxes, chunks, segments), checked against the limit.
    var structures = 0
    /// Bytes inflated so far from compressed text, counted against the file's inflate limit.
    var inflated = 0
    /// The first structural problem; the walk stops there, keeping what it found.
    var problem: ScanFailure?

    mutating func count(_ limits: ScanLimits, at offset: Int64) throws(ScanFailure) {
        structures += 1
        guard structures <= limits.structures else {
            throw ScanFailure("more than \(limits.structures) boxes, chunks or segments", at: offset)
        }
    }
}
