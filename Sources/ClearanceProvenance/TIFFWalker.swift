/// Reads a TIFF (or DNG, or the TIFF inside a JPEG's EXIF segment): IFD0's C2PA tag (0xCD41),
/// XMP (700) and Software (305), and the EXIF IFD's UserComment (0x9286).
struct TIFFWalker {
    let source: any ByteSource
    let limits: ScanLimits
    /// Where the TIFF starts in the file, so offsets are reported in file terms.
    var baseOffset: Int64 = 0
    var context = "TIFF"

    private struct Entry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var valueOffset: Int64
        /// The entry's last four bytes as a number: the value itself for a pointer tag.
        var value: UInt32
    }

    /// What precedes the TIFF in a JPEG's EXIF segment, and in some WebP `EXIF` chunks.
    static let exifSignature: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// Reads an EXIF block (a TIFF in memory, as JPEG APP1, PNG `eXIf` and WebP `EXIF` hold
    /// it, with or without the "Exif\0\0" signature) into `findings`; a malformed block is noted
    /// as the file's problem, not thrown.
    static func readEXIF(_ tiff: [UInt8], at offset: Int64, context: String, limits: ScanLimits, into findings: inout Findings) {
        let body = tiff.starts(with: exifSignature) ? Array(tiff.dropFirst(exifSignature.count)) : tiff
        let start = offset + Int64(tiff.count - body.count)
        var exif = Findings()
        do throws(ScanFailure) {
            try TIFFWalker(source: MemoryByteSource(body), limits: limits, baseOffset: start, context: context).walk(into: &exif)
        } catch {
            findings.problem = findings.problem ?? error
        }
        findings.texts += exif.texts
        findings.software += exif.software
        findings.xmpPackets += exif.xmpPackets
        findings.manifestStores += exif.manifestStores
    }

    func walk(into findings: inout Findings) throws(ScanFailure) {
        let header = try source.read(at: 0, count: 8)
        let little: Bool
        switch (header[0], header[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: throw ScanFailure("not a TIFF byte-order mark", at: baseOffset)
        }
        let first = Int64(u32(header[4 ..< 8], little))
        var visited: Set<Int64> = []
        var next: Int64? = first
        var ifdIndex = 0
        // IFD0 and its successors (bounded), then the EXIF IFD it points to.
        while let offset = next, offset != 0, ifdIndex < 8 {
            guard visited.insert(offset).inserted else { throw ScanFailure("the TIFF IFD chain loops", at: baseOffset + offset) }
            let (entries, following) = try readIFD(at: offset, little: little, findings: &findings)
            for entry in entries {
                try read(entry, little: little, into: &findings)
                if entry.tag == 0x8769, ifdIndex == 0 {
                    let exifOffset = Int64(entry.value)
                    if visited.insert(exifOffset).inserted {
                        let (exifEntries, _) = try readIFD(at: exifOffset, little: little, findings: &findings)
                        for exifEntry in exifEntries where exifEntry.tag == 0x9286 {
                            try read(exifEntry, little: little, into: &findings)
                        }
                    }
                }
            }
            next = following
            ifdIndex += 1
        }
    }

    private func readIFD(at offset: Int64, little: Bool, findings: inout Findings) throws(ScanFailure) -> ([Entry], Int64) {
        try findings.count(limits, at: baseOffset + offset)
        let countBytes = try source.read(at: offset, count: 2)
        let count = Int(little ? UInt16(littleEndian: countBytes[0 ..< 2]) : UInt16(bigEndian: countBytes[0 ..< 2]))
        let table = try source.read(at: offset + 2, count: count * 12 + 4)
        var entries: [Entry] = []
        for index in 0 ..< count {
            let base = index * 12
            let tag = u16(table[base ..< base + 2], little)
            // Each tag once: a second entry for the same tag is malformed, and repeating one
            // pointing at the same bytes would have the scanner read them again and again.
            guard [0xCD41, 0x02BC, 0x0131, 0x8769, 0x9286].contains(tag), !entries.contains(where: { $0.tag == tag }) else { continue }
            let type = u16(table[base + 2 ..< base + 4], little)
            let valueCount = u32(table[base + 4 ..< base + 8], little)
            let size = Int64(valueCount) * Int64(Self.unitSize(type))
            // Values of four bytes or fewer sit in the entry itself.
            let valueOffset = size <= 4 ? offset + 2 + Int64(base) + 8 : Int64(u32(table[base + 8 ..< base + 12], little))
            entries.append(Entry(tag: tag, type: type, count: valueCount, valueOffset: valueOffset,
                                 value: u32(table[base + 8 ..< base + 12], little)))
        }
        let nextOffset = Int64(u32(table[count * 12 ..< count * 12 + 4], little))
        return (entries, nextOffset)
    }

    private func read(_ entry: Entry, little: Bool, into findings: inout Findings) throws(ScanFailure) {
        guard entry.tag != 0x8769 else { return }
        let size = try limits.payloadSize(Int64(entry.count) * Int64(Self.unitSize(entry.type)), of: "TIFF tag \(entry.tag)",
                                          at: baseOffset + entry.valueOffset)
        let value = try source.read(at: entry.valueOffset, count: size)
        let offset = baseOffset + entry.valueOffset
        switch entry.tag {
        case 0xCD41:
            findings.manifestStores.append(.init(offset: offset, location: "\(context) tag 0xCD41", bytes: value))
        case 0x02BC:
            findings.xmpPackets.append(.init(offset: offset, location: "\(context) tag 700 XMP", bytes: value))
        case 0x0131:
            let name = text(value.prefix { $0 != 0 })
            findings.software.append(.init(offset: offset, location: "\(context) Software", keyword: "Software", value: name))
        case 0x9286:
            findings.texts.append(.init(offset: offset, location: "\(context) UserComment", keyword: "UserComment",
                                        value: Self.userComment(value)))
        default:
            break
        }
    }

    /// UserComment starts with an eight-byte character code: ASCII, UNICODE (UTF-16) or undefined.
    static func userComment(_ value: [UInt8]) -> String {
        guard value.count >= 8 else { return text(value) }
        let code = value.prefix(8)
        let body = Array(value.dropFirst(8))
        if code.starts(with: Array("UNICODE".utf8)) {
            // exiftool and most writers use big-endian unless a byte-order mark says otherwise.
            var units: [UInt16] = []
            var index = 0
            let little = body.count >= 2 && body[0] == 0xFF && body[1] == 0xFE
            while index + 1 < body.count {
                units.append(little ? UInt16(body[index]) | UInt16(body[index + 1]) << 8
                                    : UInt16(body[index]) << 8 | UInt16(body[index + 1]))
                index += 2
            }
            let decoded = String(decoding: units, as: UTF16.self)
            // Some writers use little-endian without a mark; pick the reading with more ASCII.
            let swapped = String(decoding: units.map { $0.byteSwapped }, as: UTF16.self)
            func asciiShare(_ s: String) -> Int { s.unicodeScalars.filter { $0.isASCII }.count }
            return (asciiShare(swapped) > asciiShare(decoded) ? swapped : decoded).droppingTrailingNULs()
        }
        return text(body.prefix { $0 != 0 })
    }

    static func unitSize(_ type: UInt16) -> Int {
        switch type {
        case 3, 8: 2
        case 4, 9, 11, 13: 4
        case 5, 10, 12: 8
        default: 1
        }
    }

    private func u16(_ bytes: ArraySlice<UInt8>, _ little: Bool) -> UInt16 {
        little ? UInt16(littleEndian: bytes) : UInt16(bigEndian: bytes)
    }

    private func u32(_ bytes: ArraySlice<UInt8>, _ little: Bool) -> UInt32 {
        little ? UInt32(littleEndian: bytes) : UInt32(bigEndian: bytes)
    }
}

extension String {
    func droppingTrailingNULs() -> String {
        var result = self
        while result.last == "\0" { result.removeLast() }
        return result
    }
}
