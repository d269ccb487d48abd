/// Walks ISO BMFF boxes (MP4, MOV, M4A, HEIF, AVIF): the top-level C2PA `uuid` box, the XMP
/// `uuid` box, and QuickTime's `moov/udta/XMP_`. Media data is skipped by its size, so an 8 GB
/// file costs a few header reads.
struct BMFFWalker {
    static let c2paUUID: [UInt8] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81]
    static let xmpUUID: [UInt8] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC]
    /// Boxes whose children are boxes and may hold metadata.
    static let containers: Set<String> = ["moov", "udta", "trak", "meta"]

    let source: any ByteSource
    let limits: ScanLimits

    func walk(into findings: inout Findings) throws(ScanFailure) {
        try walk(from: 0, to: source.size, depth: 0, parent: nil, into: &findings)
    }

    private func walk(from start: Int64, to end: Int64, depth: Int, parent: String?, into findings: inout Findings) throws(ScanFailure) {
        guard depth < limits.nestingDepth else {
            throw ScanFailure("boxes nest deeper than \(limits.nestingDepth) levels", at: start)
        }
        var position = start
        while position + 8 <= end {
            try findings.count(limits, at: position)
            let header = try source.read(at: position, count: 8)
            var size = Int64(UInt32(bigEndian: header[0 ..< 4]))
            let type = fourCC(header[4 ..< 8])
            var headerSize: Int64 = 8
            if size == 1 {
                let large = try source.read(at: position + 8, count: 8)
                let value = UInt64(bigEndian: large[0 ..< 8])
                guard value <= UInt64(Int64.max) else { throw ScanFailure("a `\(type)` box's size overflows", at: position) }
                size = Int64(value)
                headerSize = 16
            } else if size == 0 {
                size = end - position
            }
            guard size >= headerSize, size <= end - position else {
                throw ScanFailure("the `\(type)` box claims \(size) bytes, more than its container holds", at: position)
            }
            let payload = position + headerSize
            let payloadSize = size - headerSize
            if type == "uuid", payloadSize >= 16 {
                let uuid = try source.read(at: payload, count: 16)
                if uuid == Self.c2paUUID, depth == 0 {
                    try readC2PA(at: position, payload: payload + 16, size: payloadSize - 16, into: &findings)
                } else if uuid == Self.xmpUUID {
                    let body = try limits.payloadSize(payloadSize - 16, of: "an XMP box", at: position)
                    findings.xmpPackets.append(.init(offset: position, location: "BMFF XMP uuid", bytes: try source.read(at: payload + 16, count: body)))
                }
            } else if type == "XMP_", parent == "udta" {
                let body = try limits.payloadSize(payloadSize, of: "an XMP box", at: position)
                findings.xmpPackets.append(.init(offset: position, location: "QuickTime udta XMP_", bytes: try source.read(at: payload, count: body)))
            } else if Self.containers.contains(type) {
                // `meta` is a full box in ISO BMFF (four bytes of version and flags) but not in
                // QuickTime; tell them apart by whether a plausible box header follows.
                var childStart = payload
                if type == "meta", payloadSize >= 12 {
                    let probe = try source.read(at: payload + 4, count: 4)
                    if probe.allSatisfy({ (0x20 ... 0x7E).contains($0) }) { childStart = payload } else { childStart = payload + 4 }
                }
                try walk(from: childStart, to: position + size, depth: depth + 1, parent: type, into: &findings)
            }
            position += size
        }
        if position != end { throw ScanFailure("\(end - position) stray bytes where a box header should be", at: position) }
    }

    /// The C2PA box: version and flags, a purpose string, and for `manifest` an offset to the
    /// Merkle data, then the manifest store.
    private func readC2PA(at box: Int64, payload: Int64, size: Int64, into findings: inout Findings) throws(ScanFailure) {
        guard size > 4 else { throw ScanFailure("the C2PA box is cut short", at: box) }
        let headLength = min(size, 4 + 64)
        let head = try source.read(at: payload, count: Int(headLength))
        var cursor = ByteCursor(head, at: 4)
        guard let purposeBytes = cursor.nullTerminated(limit: 64) else {
            throw ScanFailure("the C2PA box has no purpose string", at: box)
        }
        let purpose = text(purposeBytes)
        guard purpose == "manifest" else { return }
        guard cursor.skip(8) else { throw ScanFailure("the C2PA box is cut short", at: box) }
        let storeOffset = payload + Int64(cursor.position)
        let storeSize = try limits.payloadSize(size - Int64(cursor.position), of: "a C2PA manifest store", at: box)
        findings.manifestStores.append(.init(offset: box, location: "BMFF uuid C2PA", bytes: try source.read(at: storeOffset, count: storeSize)))
    }
}
