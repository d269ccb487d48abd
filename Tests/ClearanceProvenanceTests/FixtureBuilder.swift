import ClearanceProvenance

/// Builds containers and C2PA manifest stores byte by byte, so the parser tests know exactly
/// what each file holds and where.
enum Build {
    // MARK: CBOR (enough for claims and actions)

    indirect enum Value {
        case text(String)
        case int(Int)
        case bytes(Int)
        case array([Value])
        case map([(String, Value)])
    }

    static func cbor(_ value: Value) -> [UInt8] {
        func head(_ major: UInt8, _ count: Int) -> [UInt8] {
            switch count {
            case 0 ..< 24: [major << 5 | UInt8(count)]
            case 24 ..< 256: [major << 5 | 24, UInt8(count)]
            case 256 ..< 65536: [major << 5 | 25, UInt8(count >> 8), UInt8(count & 0xFF)]
            default: [major << 5 | 26] + be32(count)
            }
        }
        switch value {
        case .text(let text): return head(3, text.utf8.count) + Array(text.utf8)
        case .int(let number): return head(0, number)
        case .bytes(let count): return head(2, count) + [UInt8](repeating: 0xAB, count: count)
        case .array(let items): return head(4, items.count) + items.flatMap(cbor)
        case .map(let entries): return head(5, entries.count) + entries.flatMap { cbor(.text($0.0)) + cbor($0.1) }
        }
    }

    // MARK: Boxes

    static func be32(_ value: Int) -> [UInt8] { [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func le32(_ value: Int) -> [UInt8] { be32(value).reversed() }
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(payload.count + 8) + Array(type.utf8) + payload
    }

    /// A JUMBF superbox whose description has the given content type (first four UUID bytes) and label.
    static func superbox(_ contentType: String, label: String, _ children: [[UInt8]]) -> [UInt8] {
        let uuid = Array(contentType.utf8) + [0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        let description = box("jumd", uuid + [0x03] + Array(label.utf8) + [0])
        return box("jumb", description + children.flatMap { $0 })
    }

    struct Action {
        var action = "c2pa.created"
        var digitalSourceType: String?
        var agent: String? = "ExampleGen 1.0"
    }

    static func sourceType(_ name: String) -> String { "http://cv.iptc.org/newscodes/digitalsourcetype/\(name)" }

    /// A manifest with a v2 claim (generator info) and one actions assertion.
    static func manifest(label: String, generator: String = "test-generator", actions: [Action], v1: Bool = false,
                         padding: Int = 0) -> [UInt8] {
        let actionValues: [Value] = actions.map { action in
            var entries: [(String, Value)] = [("action", .text(action.action))]
            if let type = action.digitalSourceType { entries.append(("digitalSourceType", .text(type))) }
            if let agent = action.agent {
                entries.append(("softwareAgent", v1 ? .text(agent) : .map([("name", .text(agent))])))
            }
            return .map(entries)
        }
        let assertion = superbox("cbor", label: v1 ? "c2pa.actions" : "c2pa.actions.v2", [box("cbor", cbor(.map([("actions", .array(actionValues))])))])
        var assertions = [assertion]
        if padding > 0 {
            assertions.append(superbox("cbor", label: "org.example.padding", [box("cbor", cbor(.map([("blob", .bytes(padding))])))]))
        }
        let claimValue: Value = v1
            ? .map([("claim_generator", .text(generator)), ("instanceID", .text("xmp:iid:\(label)"))])
            : .map([("claim_generator_info", .map([("name", .text(generator)), ("version", .text("2.0"))])),
                    ("instanceID", .text("xmp:iid:\(label)"))])
        let claim = superbox("c2cl", label: v1 ? "c2pa.claim" : "c2pa.claim.v2", [box("cbor", cbor(claimValue))])
        let signature = superbox("c2cs", label: "c2pa.signature", [box("cbor", cbor(.bytes(64)))])
        return superbox("c2ma", label: label, [superbox("c2as", label: "c2pa.assertions", assertions), claim, signature])
    }

    static func store(_ manifests: [[UInt8]]) -> [UInt8] {
        superbox("c2pa", label: "c2pa", manifests)
    }

    // MARK: Containers

    static let jpegStart: [UInt8] = [0xFF, 0xD8]
    static let jpegScan: [UInt8] = [0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]

    static func jpeg(segments: [[UInt8]]) -> [UInt8] { jpegStart + segments.flatMap { $0 } + jpegScan }

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + be16(payload.count + 2) + payload
    }

    /// A manifest store in APP11 JPEG XT segments of at most `chunk` payload bytes each.
    static func app11(_ store: [UInt8], chunk: Int = 65_000) -> [[UInt8]] {
        let header = Array(store.prefix(8))
        let body = Array(store.dropFirst(8))
        var segments: [[UInt8]] = []
        var sequence = 1
        var index = 0
        repeat {
            let end = min(body.count, index + chunk)
            segments.append(segment(0xEB, [0x4A, 0x50, 0x00, 0x01] + be32(sequence) + header + body[index ..< end]))
            index = end
            sequence += 1
        } while index < body.count
        return segments
    }

    static func xmpSegment(_ packet: String) -> [UInt8] {
        segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array(packet.utf8))
    }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        be32(data.count) + Array(type.utf8) + data + [0, 0, 0, 0]
    }

    static func png(_ chunks: [[UInt8]]) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", [UInt8](repeating: 0, count: 13))
            + chunks.flatMap { $0 } + pngChunk("IDAT", [1, 2, 3]) + pngChunk("IEND", [])
    }

    static func bmffC2PA(_ store: [UInt8]) -> [UInt8] {
        let uuid: [UInt8] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81]
        return box("uuid", uuid + [0, 0, 0, 0] + Array("manifest\0".utf8) + [UInt8](repeating: 0, count: 8) + store)
    }

    static func mp4(_ boxes: [[UInt8]]) -> [UInt8] {
        box("ftyp", Array("isom".utf8) + [0, 0, 2, 0] + Array("isommp41".utf8)) + boxes.flatMap { $0 } + box("mdat", [1, 2, 3, 4])
    }

    static func riff(_ form: String, _ chunks: [[UInt8]]) -> [UInt8] {
        let body = Array(form.utf8) + chunks.flatMap { $0 }
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    static func riffChunk(_ id: String, _ data: [UInt8]) -> [UInt8] {
        Array(id.utf8) + le32(data.count) + data + (data.count % 2 == 1 ? [0] : [])
    }

    /// A little-endian TIFF with IFD0 holding the C2PA tag.
    static func tiff(c2pa store: [UInt8]) -> [UInt8] {
        // Header (8) + IFD with one entry (2 + 12 + 4) = 26, then the store.
        let entry: [UInt8] = [0x41, 0xCD, 0x07, 0x00] + le32(store.count) + le32(26)
        return [0x49, 0x49, 0x2A, 0x00] + le32(8) + [0x01, 0x00] + entry + [0, 0, 0, 0] + store
    }

    /// An EXIF block (a TIFF) whose IFD0 points at an EXIF IFD holding `userComment`.
    static func exif(userComment comment: [UInt8], bigEndian: Bool) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { bigEndian ? be16(value) : be16(value).reversed() }
        func u32(_ value: Int) -> [UInt8] { bigEndian ? be32(value) : le32(value) }
        // Header 8; IFD0 at 8 with one entry (18 bytes) ends at 26; EXIF IFD at 26 (18 bytes) ends at 44.
        let ifd0 = u16(1) + u16(0x8769) + u16(4) + u32(1) + u32(26) + u32(0)
        let exif = u16(1) + u16(0x9286) + u16(7) + u32(comment.count) + u32(44) + u32(0)
        return (bigEndian ? [0x4D, 0x4D, 0x00, 0x2A] : [0x49, 0x49, 0x2A, 0x00]) + u32(8) + ifd0 + exif + comment
    }

    static func xmp(_ body: String, namespaces: String = "xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"") -> String {
        """
        <?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
        <rdf:Description rdf:about="" \(namespaces)>\(body)</rdf:Description></rdf:RDF></x:xmpmeta>
        <?xpacket end="w"?>
        """
    }
}

extension ProvenanceScanner {
    func scan(_ bytes: [UInt8], sidecar: [UInt8]? = nil) -> FileScan {
        scan(path: "test", source: MemoryByteSource(bytes), sidecar: sidecar.map { MemoryByteSource($0) })
    }
}
