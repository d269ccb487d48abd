/// Walks RIFF chunks (WAV, AVI, WebP, and RF64/BW64 broadcast WAV over 4 GB): the `C2PA`
/// chunk, and XMP in `XMP ` (WebP) or `_PMX` (WAV, AVI). `LIST` chunks are entered, except
/// `movi`, which holds only media.
struct RIFFWalker {
    let source: any ByteSource
    let limits: ScanLimits
    /// RF64's real `data` size, from its `ds64` chunk, for the field that says 0xFFFFFFFF.
    private var dataSize64: Int64?

    init(source: any ByteSource, limits: ScanLimits) {
        self.source = source
        self.limits = limits
    }

    mutating func walk(into findings: inout Findings) throws(ScanFailure) {
        let header = try source.read(at: 0, count: 12)
        var declared = Int64(UInt32(littleEndian: header[4 ..< 8]))
        if fourCC(header[0 ..< 4]) != "RIFF" {
            // RF64/BW64: the first chunk is `ds64`, with the 64-bit RIFF and data sizes.
            let ds64 = try source.read(at: 12, count: 24)
            guard fourCC(ds64[0 ..< 4]) == "ds64" else { throw ScanFailure("an RF64 file without its ds64 chunk", at: 12) }
            let riff = UInt64(littleEndian: ds64[8 ..< 16])
            let data = UInt64(littleEndian: ds64[16 ..< 24])
            guard riff <= UInt64(Int64.max) - 8, data <= UInt64(Int64.max) - 8 else { throw ScanFailure("an RF64 size overflows", at: 20) }
            dataSize64 = Int64(data)
            if declared == 0xFFFF_FFFF { declared = Int64(riff) }
        }
        // Trust the smaller of the declared size and the file.
        let end = min(source.size, 8 + declared)
        try walk(from: 12, to: end, depth: 0, into: &findings)
        if 8 + declared > source.size {
            throw ScanFailure("the file is \(8 + declared - source.size) bytes shorter than its RIFF header says", at: 4)
        }
    }

    private func walk(from start: Int64, to end: Int64, depth: Int, into findings: inout Findings) throws(ScanFailure) {
        guard depth < limits.nestingDepth else {
            throw ScanFailure("RIFF lists nest deeper than \(limits.nestingDepth) levels", at: start)
        }
        var position = start
        while position + 8 <= end {
            try findings.count(limits, at: position)
            let header = try source.read(at: position, count: 8)
            let id = fourCC(header[0 ..< 4])
            var size = Int64(UInt32(littleEndian: header[4 ..< 8]))
            if size == 0xFFFF_FFFF, id == "data", let dataSize64 { size = dataSize64 }
            let data = position + 8
            guard size <= end - data else {
                throw ScanFailure("the `\(id)` chunk claims \(size) bytes, more than its container holds", at: position)
            }
            switch id {
            case "C2PA":
                findings.manifestStores.append(.init(offset: position, location: "RIFF C2PA chunk", bytes: try source.read(at: data, count: try limits.payloadSize(size, of: "a `\(id)` chunk", at: position))))
            case "EXIF":
                TIFFWalker.readEXIF(try source.read(at: data, count: try limits.payloadSize(size, of: "a `\(id)` chunk", at: position)), at: data,
                                    context: "RIFF EXIF chunk", limits: limits, into: &findings)
            case "XMP ", "_PMX":
                findings.xmpPackets.append(.init(offset: position, location: "RIFF \(id.trimmingWhitespace()) chunk", bytes: try source.read(at: data, count: try limits.payloadSize(size, of: "a `\(id)` chunk", at: position))))
            case "LIST", "RIFF":
                if size >= 4 {
                    let listType = fourCC(try source.read(at: data, count: 4)[0 ..< 4])
                    if listType != "movi" { try walk(from: data + 4, to: data + size, depth: depth + 1, into: &findings) }
                }
            default:
                break
            }
            position = data + size + (size & 1)
        }
        if position < end { throw ScanFailure("\(end - position) stray bytes where a chunk header should be", at: position) }
    }
}
