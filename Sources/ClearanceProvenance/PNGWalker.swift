/// Walks PNG chunks to `IEND`, reading only `caBX` (C2PA) and the text chunks; image data is
/// skipped by its length, never read.
struct PNGWalker {
    let source: any ByteSource
    let limits: ScanLimits

    func walk(into findings: inout Findings) throws(ScanFailure) {
        var position: Int64 = 8
        while position + 12 <= source.size {
            try findings.count(limits, at: position)
            let header = try source.read(at: position, count: 8)
            let length = Int64(UInt32(bigEndian: header[0 ..< 4]))
            let type = fourCC(header[4 ..< 8])
            let dataOffset = position + 8
            guard length <= source.size - dataOffset - 4 else {
                throw ScanFailure("the `\(type)` chunk claims \(length) bytes, past the end of the file", at: position)
            }
            switch type {
            case "caBX", "tEXt", "zTXt", "iTXt", "eXIf":
                let data = try source.read(at: dataOffset, count: try limits.payloadSize(length, of: "a `\(type)` chunk", at: position))
                if type == "caBX" {
                    findings.manifestStores.append(.init(offset: position, location: "PNG caBX", bytes: data))
                } else if type == "eXIf" {
                    TIFFWalker.readEXIF(data, at: dataOffset, context: "PNG eXIf", limits: limits, into: &findings)
                } else {
                    try readText(type: type, data, at: position, into: &findings)
                }
            case "IEND":
                return
            default:
                break
            }
            position = dataOffset + length + 4
        }
        throw ScanFailure("the file ends before the PNG's closing IEND chunk", at: position)
    }

    private func readText(type: String, _ data: [UInt8], at offset: Int64, into findings: inout Findings) throws(ScanFailure) {
        var cursor = ByteCursor(data)
        guard let keywordBytes = cursor.nullTerminated(limit: 80) else { return }
        let keyword = text(keywordBytes)
        let isXMP = keyword == "XML:com.adobe.xmp"
        // XMP is read whole, within what is left of the file's inflate limit; other text only
        // needs its start to be recognised.
        let limit = isXMP ? limits.inflatedBytes - findings.inflated : GeneratorText.prefixBytes
        guard limit > 0 else { throw ScanFailure("compressed text inflates past \(limits.inflatedBytes) bytes in all", at: offset) }
        var body: [UInt8]
        switch type {
        case "tEXt":
            body = Array(data[cursor.position...].prefix(isXMP ? data.count : limit))
        case "zTXt":
            guard cursor.skip(1) else { return }
            body = try Inflate.zlib(Array(data[cursor.position...]), limit: limit, keepingPrefix: !isXMP)
            findings.inflated += body.count
        default:
            guard let compressed = cursor.u8(), cursor.skip(1), cursor.nullTerminated() != nil, cursor.nullTerminated() != nil else { return }
            body = Array(data[cursor.position...])
            if compressed == 1 {
                body = try Inflate.zlib(body, limit: limit, keepingPrefix: !isXMP)
                findings.inflated += body.count
            } else if !isXMP {
                body = Array(body.prefix(limit))
            }
        }
        let location = "PNG \(type) \(keyword)"
        if isXMP {
            findings.xmpPackets.append(.init(offset: offset, location: location, bytes: body))
        } else {
            findings.texts.append(.init(offset: offset, location: location, keyword: keyword, value: text(body)))
        }
    }
}
