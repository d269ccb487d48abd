import ClearanceProvenance
import Foundation
import Testing

@Suite("Hostile input")
struct HostileInputTests {
    let scanner = ProvenanceScanner()

    @Test("an empty file is an error, reported")
    func empty() {
        let file = scanner.scan([])
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("empty") == true)
    }

    @Test("a box claiming more bytes than the file holds is a bounded error naming the offset")
    func lyingLength() {
        var mp4 = Build.mp4([])
        mp4 += Build.be32(1_000_000) + Array("moov".utf8)
        let file = scanner.scan(mp4)
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("more than its container holds") == true)
        #expect(file.problem?.contains("at byte \(mp4.count - 8)") == true)
    }

    @Test("boxes nested 1,000 deep stop at the nesting limit")
    func deepNesting() {
        var inner: [UInt8] = []
        for _ in 0 ..< 1000 { inner = Build.box("moov", inner) }
        let file = scanner.scan(Build.mp4([inner]))
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("nest deeper") == true)
        #expect(file.bytesRead < 2_000)
    }

    @Test("RIFF lists nested 1,000 deep stop at the nesting limit")
    func riffBomb() {
        var inner: [UInt8] = []
        for _ in 0 ..< 1000 { inner = Build.riffChunk("LIST", Array("abcd".utf8) + inner) }
        let file = scanner.scan(Build.riff("WAVE", [inner]))
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("nest deeper") == true)
    }

    @Test("a manifest whose CBOR nests without end, or a Brotli bomb, is refused with a reason")
    func payloadBombs() {
        var deep: [UInt8] = Array(repeating: 0x81, count: 5000) + [0x00]  // arrays of arrays
        deep = Build.box("cbor", deep)
        let claim = Build.superbox("c2cl", label: "c2pa.claim.v2", [deep])
        let store = Build.store([Build.superbox("c2ma", label: "m", [claim])])
        let file = scanner.scan(Build.jpeg(segments: Build.app11(store)))
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("tooDeep") == true)

        let bomb = Build.box("brob", Array("jumb".utf8) + Compress.brotli([UInt8](repeating: 0, count: 40 << 20)))
        let bombStore = Build.store([Build.superbox("c2cm", label: "bomb", [bomb])])
        let bombed = scanner.scan(Build.png([Build.pngChunk("caBX", bombStore)]))
        #expect(bombed.verdict == .error)
        #expect(bombed.problem?.contains("inflates past") == true)
    }

    @Test("a file cut short anywhere is an error, or still shows the marker it holds; never clean")
    func truncations() {
        let store = Build.store([Build.manifest(label: "m", actions: [Build.Action(digitalSourceType: Build.sourceType("trainedAlgorithmicMedia"))])])
        let files = [Build.jpeg(segments: Build.app11(store)), Build.png([Build.pngChunk("caBX", store)]),
                     Build.mp4([Build.bmffC2PA(store)]), Build.riff("WAVE", [Build.riffChunk("C2PA", store)]), Build.tiff(c2pa: store)]
        for bytes in files {
            for length in stride(from: 0, to: bytes.count, by: 7) {
                let file = scanner.scan(Array(bytes.prefix(length)))
                #expect([.error, .generated, .unknownFormat].contains(file.verdict), "cut at \(length) of \(bytes.count): \(file.verdict)")
                if file.verdict == .error { #expect(file.problem != nil) }
            }
        }
    }

    @Test("an 8 GB sparse MP4 costs a few header reads, and a manifest after the media data is still found")
    func sparseVideo() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sparse-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        let mediaSize: UInt64 = 8 << 30
        let ftyp = Build.box("ftyp", Array("isom".utf8) + [0, 0, 2, 0] + Array("isommp41".utf8))
        // A 64-bit mdat header, then a hole, then the C2PA box.
        let mdatHeader: [UInt8] = [0, 0, 0, 1] + Array("mdat".utf8) + (0 ..< 8).map { UInt8((mediaSize + 16) >> (56 - 8 * UInt64($0)) & 0xFF) }
        let store = Build.store([Build.manifest(label: "late", actions: [Build.Action(digitalSourceType: Build.sourceType("trainedAlgorithmicMedia"))])])
        let tail = Build.bmffC2PA(store)
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(ftyp + mdatHeader)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.seek(toOffset: UInt64(ftyp.count + mdatHeader.count) + mediaSize)
        try handle.write(contentsOf: Data(tail))
        try handle.close()

        let source = try FileByteSource(path: url.path)
        #expect(source.size > 8_000_000_000)
        let file = scanner.scan(path: url.path, source: source)
        #expect(file.verdict == .generated)
        #expect(file.markers.first?.offset == Int64(ftyp.count + mdatHeader.count) + Int64(mediaSize))
        #expect(file.bytesRead < Int64(tail.count + 200))
    }
}

@Suite("Hostile input found in review")
struct ReviewedHostileInputTests {
    let scanner = ProvenanceScanner()
    let generated = Build.Action(digitalSourceType: Build.sourceType("trainedAlgorithmicMedia"))

    @Test("a C2PA uuid box with nothing after its UUID is an error, not a crash")
    func shortC2PABox() {
        let uuid: [UInt8] = [0xD8, 0xFE, 0xC3, 0xD6, 0x1B, 0x0E, 0x48, 0x3C, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7E, 0xC4, 0x81]
        for extra in 0 ..< 4 {
            let file = scanner.scan(Build.mp4([Build.box("uuid", uuid + [UInt8](repeating: 0, count: extra))]))
            #expect(file.verdict == .error)
        }
    }

    @Test("an RF64 size next to the largest integer is an error, not an overflow")
    func rf64Overflow() {
        let ds64: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] + [UInt8](repeating: 0, count: 20)
        let file = scanner.scan(Array("RF64".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WAVE".utf8) + Build.riffChunk("ds64", ds64))
        #expect(file.verdict == .error)
        #expect(file.problem?.contains("overflows") == true)
    }

    @Test("extended XMP parts declaring more than the limit in all are refused before anything is allocated")
    func extendedXMPDeclarations() {
        var segments: [[UInt8]] = []
        for index in 0 ..< 100 {
            let guid = Array(String(format: "%032d", index).utf8)
            segments.append(Build.segment(0xE1, Array("http://ns.adobe.com/xmp/extension/\0".utf8) + guid + Build.be32(32 << 20) + Build.be32(0) + [0x20]))
        }
        let file = scanner.scan(Build.jpeg(segments: segments))
        #expect(file.problem?.contains("extended XMP declares more than") == true)
    }

    @Test("a malformed ingredient manifest does not hide an AI-generated active manifest")
    func malformedIngredient() {
        let broken = Build.superbox("c2ma", label: "urn:broken", [Build.superbox("c2cl", label: "c2pa.claim.v2", [Build.box("cbor", [0xBF])])])
        let store = Build.store([broken, Build.manifest(label: "urn:active", actions: [generated])])
        let file = scanner.scan(Build.png([Build.pngChunk("caBX", store)]))
        #expect(file.verdict == .generated)
        #expect(file.problem?.contains("malformed") == true)

        // The other way round: the active manifest is the broken one, so the AI one read is an
        // ingredient's, and none is called active.
        let reversed = Build.store([Build.manifest(label: "urn:ingredient", actions: [generated]), broken])
        let other = scanner.scan(Build.png([Build.pngChunk("caBX", reversed)]))
        #expect(other.verdict == .generated)
        #expect(other.manifests.map(\.active) == [false])
        #expect(other.markers.first?.scope == "ingredient")
    }

    @Test("the same TIFF tag repeated thousands of times is read once")
    func repeatedTags() {
        let packet = Array(Build.xmp("<Iptc4xmpExt:DigitalSourceType>\(Build.sourceType("trainedAlgorithmicMedia"))</Iptc4xmpExt:DigitalSourceType>").utf8)
        let count = 2000
        let dataOffset = 8 + 2 + count * 12 + 4
        var ifd: [UInt8] = [UInt8(count & 0xFF), UInt8(count >> 8)]
        for _ in 0 ..< count { ifd += [0xBC, 0x02, 0x07, 0x00] + Build.le32(packet.count) + Build.le32(dataOffset) }
        let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + Build.le32(8) + ifd + [0, 0, 0, 0] + packet
        let file = scanner.scan(tiff)
        #expect(file.verdict == .generated)
        #expect(file.markers.count == 1)
    }

    @Test("40,000 whitespace runs between comments inside a property still leave its value")
    func xmpManyTextRuns() {
        let filler = String(repeating: " <!---->", count: 40_000)
        let packet = Build.xmp("<Iptc4xmpExt:DigitalSourceType><rdf:Alt>\(filler)<rdf:li>\(Build.sourceType("trainedAlgorithmicMedia"))</rdf:li></rdf:Alt></Iptc4xmpExt:DigitalSourceType>")
        let file = scanner.scan(Build.png([Build.pngChunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0] + Array(packet.utf8))]))
        #expect(file.verdict == .generated)
    }
}
