/// One box inside an in-memory JUMBF buffer: its four-character type and where its payload is.
struct JUMBFBox {
    var type: String
    var start: Int
    var payload: Range<Int>
}

/// Walks ISO-style boxes (`size`, `type`, optional 64-bit size) inside a byte buffer.
enum JUMBFBoxes {
    static func children(of bytes: [UInt8], in range: Range<Int>, limit: inout Int) throws(ScanFailure) -> [JUMBFBox] {
        var boxes: [JUMBFBox] = []
        var position = range.lowerBound
        while position < range.upperBound {
            limit -= 1
            guard limit >= 0 else { throw ScanFailure("too many boxes in the manifest store") }
            guard range.upperBound - position >= 8 else {
                throw ScanFailure("a box header is cut short inside the manifest store")
            }
            var cursor = ByteCursor(bytes, at: position)
            guard let size32 = cursor.u32be(), let type = cursor.take(4) else {
                throw ScanFailure("a box header is cut short inside the manifest store")
            }
            var headerSize = 8
            var size = Int64(size32)
            if size32 == 1 {
                guard let large = cursor.u64be(), large <= UInt64(Int64.max) else {
                    throw ScanFailure("a box's 64-bit size is cut short inside the manifest store")
                }
                size = Int64(large)
                headerSize = 16
            } else if size32 == 0 {
                size = Int64(range.upperBound - position)
            }
            guard size >= Int64(headerSize), size <= Int64(range.upperBound - position) else {
                throw ScanFailure("a `\(fourCC(type))` box claims \(size) bytes, more than its container holds")
            }
            let end = position + Int(size)
            boxes.append(JUMBFBox(type: fourCC(type), start: position, payload: position + headerSize ..< end))
            position = end
        }
        return boxes
    }
}

/// A JUMBF superbox: its description (content type and label) and its other children.
struct JUMBFSuperbox {
    /// The first four bytes of the content-type UUID as text: `c2pa`, `c2ma`, `c2as`, `c2cl`, `cbor`…
    var contentType: String
    var label: String?
    var children: [JUMBFBox]

    init(bytes: [UInt8], box: JUMBFBox, limit: inout Int) throws(ScanFailure) {
        let children = try JUMBFBoxes.children(of: bytes, in: box.payload, limit: &limit)
        guard let description = children.first, description.type == "jumd" else {
            throw ScanFailure("a JUMBF superbox does not start with its description box")
        }
        var cursor = ByteCursor(bytes, at: description.payload.lowerBound)
        guard description.payload.count >= 17, let uuid = cursor.take(16), let toggles = cursor.u8() else {
            throw ScanFailure("a JUMBF description box is too short")
        }
        contentType = fourCC(uuid.prefix(4))
        if toggles & 0x02 != 0 {
            label = cursor.nullTerminated(limit: min(4096, description.payload.upperBound - cursor.position)).map { text($0) }
        } else {
            label = nil
        }
        self.children = Array(children.dropFirst())
    }
}
