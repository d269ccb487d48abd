/// Walks JPEG marker segments up to the start of the image data: APP1 (EXIF, XMP, extended
/// XMP) and APP11 (JPEG XT boxes carrying the C2PA manifest store, possibly over several
/// segments).
struct JPEGWalker {
    static let xmpSignature = Array("http://ns.adobe.com/xap/1.0/\0".utf8)
    static let extendedXMPSignature = Array("http://ns.adobe.com/xmp/extension/\0".utf8)

    let source: any ByteSource
    let limits: ScanLimits

    func walk(into findings: inout Findings) throws(ScanFailure) {
        var position: Int64 = 2
        // APP11 pieces by box instance, then by packet sequence number.
        var jumbfPieces: [UInt16: [(sequence: UInt32, offset: Int64, bytes: ArraySlice<UInt8>, header: Int)]] = [:]
        var extended: [String: (offset: Int64, length: Int, parts: [(Int, [UInt8])])] = [:]
        var jumbfTotal = 0

        defer {
            collectJUMBF(jumbfPieces, into: &findings)
            collectExtendedXMP(extended, into: &findings)
        }

        while position + 4 <= source.size {
            try findings.count(limits, at: position)
            let header = try source.read(at: position, count: 2)
            guard header[0] == 0xFF else { throw ScanFailure("expected a JPEG marker", at: position) }
            let marker = header[1]
            if marker == 0xFF { position += 1; continue }  // fill byte
            if marker == 0xD8 || (0xD0 ... 0xD7).contains(marker) || marker == 0x01 { position += 2; continue }
            if marker == 0xD9 || marker == 0xDA { return }  // end of image, or the image data starts
            let lengthBytes = try source.read(at: position + 2, count: 2)
            let length = Int(UInt16(bigEndian: lengthBytes[0 ..< 2]))
            guard length >= 2 else { throw ScanFailure("a JPEG segment has length \(length)", at: position) }
            let payloadOffset = position + 4
            let payloadLength = length - 2
            try checkRange(offset: payloadOffset, count: payloadLength, size: source.size)
            if marker == 0xE1 || marker == 0xEB {
                let payload = try source.read(at: payloadOffset, count: payloadLength)
                if marker == 0xE1 {
                    readAPP1(payload, at: position, extended: &extended, into: &findings)
                } else if payload.count >= 16, payload[0] == 0x4A, payload[1] == 0x50 {
                    var cursor = ByteCursor(payload, at: 2)
                    guard let instance = cursor.u16be(), let sequence = cursor.u32be(), let boxLength = cursor.u32be() else { continue }
                    // Every segment repeats the box header (with its 64-bit size when used).
                    let boxHeader = boxLength == 1 ? 16 : 8
                    guard payload.count >= 8 + boxHeader else { throw ScanFailure("an APP11 segment is too short", at: position) }
                    jumbfTotal += payload.count
                    guard jumbfTotal <= limits.payloadBytes else {
                        throw ScanFailure("the C2PA manifest store is larger than \(limits.payloadBytes) bytes", at: position)
                    }
                    jumbfPieces[instance, default: []].append((sequence, position, payload[8...], boxHeader))
                }
            }
            position = payloadOffset + Int64(payloadLength)
        }
        throw ScanFailure("the file ends before the JPEG's image data", at: position)
    }

    private func readAPP1(_ payload: [UInt8], at offset: Int64,
                          extended: inout [String: (offset: Int64, length: Int, parts: [(Int, [UInt8])])],
                          into findings: inout Findings) {
        if payload.starts(with: Self.xmpSignature) {
            findings.xmpPackets.append(.init(offset: offset, location: "JPEG APP1 XMP", bytes: Array(payload[Self.xmpSignature.count...])))
        } else if payload.starts(with: Self.extendedXMPSignature) {
            var cursor = ByteCursor(payload, at: Self.extendedXMPSignature.count)
            guard let guid = cursor.take(32), let total = cursor.u32be(), let partOffset = cursor.u32be() else { return }
            let key = text(guid)
            if extended[key] == nil {
                // Each packet is allocated at its declared size, so the sizes of all of them
                // together are held to the limit, not each one alone.
                let declared = extended.values.reduce(Int(total)) { $0 + $1.length }
                guard declared <= limits.payloadBytes else {
                    findings.problem = findings.problem
                        ?? ScanFailure("extended XMP declares more than \(limits.payloadBytes) bytes in all", at: offset)
                    return
                }
            }
            var entry = extended[key] ?? (offset, Int(total), [])
            entry.parts.append((Int(partOffset), Array(payload[cursor.position...])))
            extended[key] = entry
        } else if payload.starts(with: TIFFWalker.exifSignature) {
            TIFFWalker.readEXIF(payload, at: offset + 4, context: "JPEG APP1 EXIF", limits: limits, into: &findings)
        }
    }

    private func collectJUMBF(_ pieces: [UInt16: [(sequence: UInt32, offset: Int64, bytes: ArraySlice<UInt8>, header: Int)]],
                              into findings: inout Findings) {
        for instance in pieces.keys.sorted() {
            guard let parts = pieces[instance]?.sorted(by: { $0.sequence < $1.sequence }), let first = parts.first else { continue }
            var store = Array(first.bytes)
            for part in parts.dropFirst() { store += part.bytes.dropFirst(part.header) }
            // APP11 carries other JPEG XT boxes too (JPEG 360, for one): only a superbox whose
            // description says C2PA is a manifest store.
            if store.count >= 20, fourCC(store[12 ..< 16]) == "jumd", fourCC(store[16 ..< 20]) != "c2pa" { continue }
            findings.manifestStores.append(.init(offset: first.offset, location: parts.count > 1 ? "JPEG APP11 (\(parts.count) segments)" : "JPEG APP11", bytes: store))
        }
    }

    private func collectExtendedXMP(_ extended: [String: (offset: Int64, length: Int, parts: [(Int, [UInt8])])],
                                    into findings: inout Findings) {
        for (_, entry) in extended.sorted(by: { $0.value.offset < $1.value.offset }) {
            var packet = [UInt8](repeating: 0x20, count: entry.length)
            for (start, bytes) in entry.parts where start >= 0 && start <= entry.length {
                let end = min(entry.length, start + bytes.count)
                packet.replaceSubrange(start ..< end, with: bytes.prefix(end - start))
            }
            findings.xmpPackets.append(.init(offset: entry.offset, location: "JPEG APP1 extended XMP", bytes: packet))
        }
    }
}
