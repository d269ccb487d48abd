/// Walks RIFF chunks (WAV, AVI, WebP): the `C2PA` chunk, and XMP in `XMP ` (WebP) or `_PMX`
/// (WAV, AVI). `LIST` chunks are entered, except `movi`, which holds only media.
struct RIFFWalker {
    let source: any ByteSource
    let limits: ScanLimits

    func walk(into findings: inout Findings) throws(ScanFailure) {
        let header = try source.read(at: 0, count: 12)
        let declared = Int64(UInt32(littleEndian: header[4 ..< 8]))
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
            let size = Int64(UInt32(littleEndian: header[4 ..< 8]))
            let data = position + 8
            guard size <= end - data else {
                throw ScanFailure("the `\(id)` chunk claims \(size) bytes, more than its container holds", at: position)
            }
            switch id {
            case "C2PA":
                findings.manifestStores.append(.init(offset: position, location: "RIFF C2PA chunk", bytes: try source.read(at: data, count: try bounded(size, at: position))))
            case "XMP ", "_PMX":
                findings.xmpPackets.append(.init(offset: position, location: "RIFF \(id.trimmingWhitespace()) chunk", bytes: try source.read(at: data, count: try bounded(size, at: position))))
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

    private func bounded(_ size: Int64, at offset: Int64) throws(ScanFailure) -> Int {
        guard size <= Int64(limits.payloadBytes) else {
            throw ScanFailure("a metadata chunk of \(size) bytes is over the \(limits.payloadBytes)-byte limit", at: offset)
        }
        return Int(size)
    }
}
