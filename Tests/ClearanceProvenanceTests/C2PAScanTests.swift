import ClearanceProvenance
import Testing

@Suite("C2PA manifests in every container")
struct C2PAScanTests {
    let scanner = ProvenanceScanner()
    let generated = Build.Action(digitalSourceType: Build.sourceType("trainedAlgorithmicMedia"))

    @Test("a JPEG whose active manifest was made by generative AI is generated, with its offset and who made it")
    func jpegGenerated() throws {
        let store = Build.store([Build.manifest(label: "urn:c2pa:one", actions: [generated])])
        let file = scanner.scan(Build.jpeg(segments: Build.app11(store)))
        #expect(file.format == "jpeg")
        #expect(file.verdict == .generated)
        let marker = try #require(file.markers.first { $0.verdict == .generated })
        #expect(marker.offset == 2)
        #expect(marker.location == "JPEG APP11")
        #expect(marker.scope == "active")
        #expect(marker.claimGenerator == "test-generator 2.0")
        #expect(marker.softwareAgent == "ExampleGen 1.0")
        #expect(file.manifests.map(\.label) == ["urn:c2pa:one"])
        #expect(file.identifiers == ["xmp:iid:urn:c2pa:one"])
    }

    @Test("every digital source type maps to its verdict", arguments: [
        ("trainedAlgorithmicMedia", ProvenanceVerdict.generated),
        ("trainedAlgorithmicData", .generated),
        ("compositeWithTrainedAlgorithmicMedia", .aiEdited),
        ("compositeSynthetic", .review),
        ("algorithmicMedia", .noMarkers),
        ("algorithmicallyEnhanced", .noMarkers),
        ("digitalCapture", .noMarkers),
    ])
    func sourceTypes(name: String, verdict: ProvenanceVerdict) {
        let action = Build.Action(digitalSourceType: Build.sourceType(name))
        let file = scanner.scan(Build.png([Build.pngChunk("caBX", Build.store([Build.manifest(label: "m", actions: [action])]))]))
        #expect(file.verdict == verdict)
        // Reported even when not flagged.
        #expect(file.markers.contains { $0.digitalSourceType == Build.sourceType(name) })
    }

    @Test("an AI ingredient under a clean active manifest is found, and said to be an ingredient's")
    func ingredientHistory() throws {
        let store = Build.store([
            Build.manifest(label: "urn:ingredient", actions: [generated]),
            Build.manifest(label: "urn:active", actions: [Build.Action(action: "c2pa.opened")]),
        ])
        let file = scanner.scan(Build.mp4([Build.bmffC2PA(store)]))
        #expect(file.format == "bmff")
        #expect(file.verdict == .generated)
        let marker = try #require(file.markers.first { $0.verdict == .generated })
        #expect(marker.scope == "ingredient")
        #expect(marker.manifest == "urn:ingredient")
        #expect(file.manifests.map(\.active) == [false, true])
        #expect(file.identifiers == ["xmp:iid:urn:active"], "an ingredient's id is not the file's")
    }

    @Test("a store split over several APP11 segments is put back together in sequence order")
    func multiSegment() throws {
        let store = Build.store([Build.manifest(label: "big", actions: [generated], padding: 150_000)])
        var segments = Build.app11(store)
        #expect(segments.count == 3)
        segments.swapAt(1, 2)  // sequence numbers, not file order, decide
        let file = scanner.scan(Build.jpeg(segments: segments))
        #expect(file.verdict == .generated)
        #expect(file.markers.first?.location == "JPEG APP11 (3 segments)")
    }

    @Test("c2pa.actions (v1) with a text software agent and a v1 claim generator")
    func actionsV1() throws {
        let store = Build.store([Build.manifest(label: "v1", generator: "OldTool/1.0", actions: [
            Build.Action(digitalSourceType: Build.sourceType("compositeWithTrainedAlgorithmicMedia"), agent: "Painter 3"),
        ], v1: true)])
        let file = scanner.scan(Build.riff("WAVE", [Build.riffChunk("fmt ", [UInt8](repeating: 0, count: 16)), Build.riffChunk("C2PA", store)]))
        #expect(file.format == "riff")
        #expect(file.verdict == .aiEdited)
        let manifest = try #require(file.manifests.first)
        #expect(manifest.claimGenerator == "OldTool/1.0")
        #expect(manifest.actions.first?.assertion == "c2pa.actions")
        #expect(file.markers.first?.softwareAgent == "Painter 3")
    }

    @Test("TIFF tag 0xCD41 and a .c2pa sidecar are read")
    func tiffAndSidecar() {
        let store = Build.store([Build.manifest(label: "t", actions: [generated])])
        #expect(scanner.scan(Build.tiff(c2pa: store)).verdict == .generated)

        let plain = Build.jpeg(segments: [])
        #expect(scanner.scan(plain).verdict == .noMarkers)
        let withSidecar = scanner.scan(plain, sidecar: store)
        #expect(withSidecar.verdict == .generated)
        #expect(withSidecar.markers.first?.location == "sidecar .c2pa")
    }

    @Test("a compressed (c2cm, Brotli) manifest is inflated and read")
    func compressedManifest() throws {
        let manifest = Build.manifest(label: "urn:compressed", actions: [generated])
        let brob = Build.box("brob", Array("jumb".utf8) + Compress.brotli(Array(manifest.dropFirst(8))))
        let store = Build.store([Build.superbox("c2cm", label: "urn:compressed", [brob])])
        let file = scanner.scan(Build.jpeg(segments: Build.app11(store)))
        #expect(file.verdict == .generated)
        #expect(file.manifests.first?.compressed == true)
        #expect(file.markers.first?.evidence.contains("compressed") == true)
    }

    @Test("an RF64 broadcast WAV, its data size in ds64, still shows the C2PA chunk after the audio")
    func rf64() {
        let store = Build.store([Build.manifest(label: "rf", actions: [generated])])
        let audio = [UInt8](repeating: 0, count: 64)
        let ds64 = Build.le32(0) + Build.le32(0) + Build.le32(audio.count) + Build.le32(0) + [UInt8](repeating: 0, count: 12)
        var body = Array("WAVE".utf8) + Build.riffChunk("ds64", ds64) + Build.riffChunk("fmt ", [UInt8](repeating: 0, count: 16))
        body += Array("data".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + audio + Build.riffChunk("C2PA", store)
        var file = Array("RF64".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + body
        // The ds64 RIFF size: everything after the first eight bytes.
        file.replaceSubrange(20 ..< 24, with: Build.le32(body.count))
        let scanned = scanner.scan(file)
        #expect(scanned.format == "riff")
        #expect(scanned.verdict == .generated, "\(scanned.problem ?? "")")
    }

    @Test("other JPEG XT boxes in APP11 are not C2PA and not an error")
    func otherJUMBF() {
        let json = Build.superbox("json", label: "jpeg360", [Build.box("json", Array("{}".utf8))])
        let file = scanner.scan(Build.jpeg(segments: Build.app11(json)))
        #expect(file.verdict == .noMarkers)
        #expect(file.problem == nil)
    }

    @Test("a manifest with no source type is reported as C2PA present, not flagged")
    func noSourceType() {
        let store = Build.store([Build.manifest(label: "plain", actions: [Build.Action(action: "c2pa.color_adjustments")])])
        let file = scanner.scan(Build.jpeg(segments: Build.app11(store)))
        #expect(file.verdict == .noMarkers)
        #expect(file.markers.count == 1)
        #expect(file.markers.first?.verdict == nil)
        #expect(file.markers.first?.evidence.contains("no digital source type") == true)
    }
}
