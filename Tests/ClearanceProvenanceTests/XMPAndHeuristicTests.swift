import ClearanceProvenance
import Testing

@Suite("XMP and generator metadata")
struct XMPAndHeuristicTests {
    let scanner = ProvenanceScanner()
    let dst = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

    @Test("DigitalSourceType as an element, a resource, an attribute, or under any prefix", arguments: [
        "<Iptc4xmpExt:DigitalSourceType>DST</Iptc4xmpExt:DigitalSourceType>",
        "<Iptc4xmpExt:DigitalSourceType rdf:resource=\"DST\"/>",
    ])
    func elementForms(body: String) {
        let packet = Build.xmp(body.replacingOccurrences(of: "DST", with: dst))
        let file = scanner.scan(Build.jpeg(segments: [Build.xmpSegment(packet)]))
        #expect(file.verdict == .generated)
        #expect(file.markers.first?.source == "xmp")
        #expect(file.markers.first?.offset == 2)
    }

    @Test("an attribute with an unusual prefix bound to the IPTC namespace counts; the prefix alone does not")
    func prefixes() {
        let bound = Build.xmp("", namespaces: "xmlns:ipx=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\" ipx:DigitalSourceType=\"\(dst)\"")
        #expect(scanner.scan(Build.jpeg(segments: [Build.xmpSegment(bound)])).verdict == .generated)
        let wrongNamespace = Build.xmp("", namespaces: "xmlns:Iptc4xmpExt=\"http://example.com/not-iptc/\" Iptc4xmpExt:DigitalSourceType=\"\(dst)\"")
        #expect(scanner.scan(Build.jpeg(segments: [Build.xmpSegment(wrongNamespace)])).verdict == .noMarkers)
    }

    @Test("IPTC 2025.1 AI fields alone call for review; dcterms:provenance is a remote manifest")
    func aiFieldsAndRemote() throws {
        let ai = Build.xmp("<Iptc4xmpExt:AISystemUsed>ImageMaker 5</Iptc4xmpExt:AISystemUsed><Iptc4xmpExt:AIPromptInformation><rdf:Alt><rdf:li xml:lang=\"x-default\">a castle</rdf:li></rdf:Alt></Iptc4xmpExt:AIPromptInformation>")
        let file = scanner.scan(Build.png([Build.pngChunk("iTXt", Array("XML:com.adobe.xmp".utf8) + [0, 0, 0, 0, 0] + Array(ai.utf8))]))
        #expect(file.verdict == .review)
        #expect(file.markers.map(\.evidence) == ["IPTC AI field AISystemUsed: ImageMaker 5", "IPTC AI field AIPromptInformation: a castle"])

        let remote = Build.xmp("<dcterms:provenance>https://cai-manifests.example/abc.c2pa</dcterms:provenance>",
                               namespaces: "xmlns:dcterms=\"http://purl.org/dc/terms/\"")
        let cloud = scanner.scan(Build.jpeg(segments: [Build.xmpSegment(remote)]))
        #expect(cloud.verdict == .review)
        #expect(cloud.markers.first?.source == "remote-manifest")

        // A reference to the file's own embedded store is not a remote manifest.
        let own = Build.xmp("<dcterms:provenance>self#jumbf=/c2pa/urn:uuid:1/c2pa.claim</dcterms:provenance>",
                            namespaces: "xmlns:dcterms=\"http://purl.org/dc/terms/\"")
        #expect(scanner.scan(Build.jpeg(segments: [Build.xmpSegment(own)])).verdict == .noMarkers)
    }

    @Test("extended XMP in JPEG is reassembled from its parts")
    func extendedXMP() {
        let packet = Array(Build.xmp(String(repeating: " ", count: 70_000) + "<Iptc4xmpExt:DigitalSourceType>\(dst)</Iptc4xmpExt:DigitalSourceType>").utf8)
        let guid = Array(String(repeating: "A", count: 32).utf8)
        var segments: [[UInt8]] = [Build.xmpSegment(Build.xmp(""))]
        var offset = 0
        while offset < packet.count {
            let end = min(packet.count, offset + 60_000)
            segments.append(Build.segment(0xE1, Array("http://ns.adobe.com/xmp/extension/\0".utf8) + guid + Build.be32(packet.count) + Build.be32(offset) + packet[offset ..< end]))
            offset = end
        }
        let file = scanner.scan(Build.jpeg(segments: segments))
        #expect(file.verdict == .generated)
        #expect(file.markers.first?.location == "JPEG APP1 extended XMP")
    }

    @Test("XMP in an MP4 uuid box, a WebP XMP chunk and a WAV _PMX chunk")
    func xmpContainers() {
        let packet = Array(Build.xmp("<Iptc4xmpExt:DigitalSourceType>\(dst)</Iptc4xmpExt:DigitalSourceType>").utf8)
        let xmpUUID: [UInt8] = [0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC]
        #expect(scanner.scan(Build.mp4([Build.box("moov", Build.box("uuid", xmpUUID + packet))])).verdict == .generated)
        #expect(scanner.scan(Build.riff("WEBP", [Build.riffChunk("XMP ", packet)])).verdict == .generated)
        #expect(scanner.scan(Build.riff("WAVE", [Build.riffChunk("LIST", Array("INFO".utf8)), Build.riffChunk("_PMX", packet)])).verdict == .generated)
    }

    @Test("Stable Diffusion, ComfyUI and InvokeAI text chunks are heuristic, in tEXt, zTXt or compressed iTXt")
    func generatorChunks() {
        let parameters = Array("a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7".utf8)
        #expect(scanner.scan(Build.png([Build.pngChunk("tEXt", Array("parameters".utf8) + [0] + parameters)])).verdict == .heuristic)
        #expect(scanner.scan(Build.png([Build.pngChunk("zTXt", Array("parameters".utf8) + [0, 0] + Compress.zlib(parameters))])).verdict == .heuristic)
        #expect(scanner.scan(Build.png([Build.pngChunk("iTXt", Array("workflow".utf8) + [0, 1, 0, 0, 0] + Compress.zlib(Array("{\"nodes\":[]}".utf8)))])).verdict == .heuristic)
        #expect(scanner.scan(Build.png([Build.pngChunk("tEXt", Array("invokeai_metadata".utf8) + [0] + Array("{}".utf8))])).verdict == .heuristic)
        #expect(scanner.scan(Build.png([Build.pngChunk("tEXt", Array("Title".utf8) + [0] + Array("Holiday".utf8))])).verdict == .noMarkers)
    }

    @Test("EXIF Software naming a generator is heuristic; other software is not; the list can grow")
    func softwareNames() {
        func exif(_ software: String) -> [UInt8] {
            let value = Array(software.utf8) + [0]
            let entry: [UInt8] = [0x31, 0x01, 0x02, 0x00] + Build.le32(value.count) + Build.le32(26)
            let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + Build.le32(8) + [0x01, 0x00] + entry + [0, 0, 0, 0] + value
            return Build.jpeg(segments: [Build.segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff)])
        }
        #expect(scanner.scan(exif("Midjourney v6")).verdict == .heuristic)
        #expect(scanner.scan(exif("Adobe Photoshop 25.0")).verdict == .noMarkers)
        #expect(scanner.scan(exif("Influx Studio")).verdict == .noMarkers)  // "Flux" only as a word
        let studio = ProvenanceScanner(generators: GeneratorNames(names: GeneratorNames.defaults + ["HouseGen"]))
        #expect(studio.scan(exif("HouseGen 2")).verdict == .heuristic)
    }

    @Test("formats with no embedding standard are provenance unknown, never clean", arguments: [
        ([0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01, 0x02, 0x04, 0x00] as [UInt8], "mxf"),
        ([0x76, 0x2F, 0x31, 0x01, 2, 0, 0, 0] as [UInt8], "exr"),
        (Array("SDPX".utf8) + [0, 0, 0, 0], "dpx"),
        (Array("%PDF-1.7 hello".utf8), "unknown"),
    ])
    func unknownFormats(bytes: [UInt8], format: String) {
        let file = scanner.scan(bytes)
        #expect(file.format == format)
        #expect(file.verdict == .unknownFormat)
    }
}

@Suite("EXIF UserComment")
struct UserCommentTests {
    /// A JPEG whose IFD0 points at an EXIF IFD holding UserComment.
    static func jpeg(comment: [UInt8], bigEndian: Bool) -> [UInt8] {
        Build.jpeg(segments: [Build.segment(0xE1, Array("Exif".utf8) + [0, 0] + Build.exif(userComment: comment, bigEndian: bigEndian))])
    }

    let settings = "a harbour at dawn, Steps: 28, Sampler: Euler a, CFG scale: 7, Seed: 42"

    @Test("Stable Diffusion settings in an ASCII UserComment are heuristic, in either byte order")
    func ascii() {
        for bigEndian in [true, false] {
            let file = ProvenanceScanner().scan(Self.jpeg(comment: Array("ASCII\0\0\0".utf8) + Array(settings.utf8), bigEndian: bigEndian))
            #expect(file.verdict == .heuristic)
            #expect(file.markers.first?.location == "JPEG APP1 EXIF UserComment")
        }
    }

    @Test("a UTF-16 UserComment, as exiftool writes for non-ASCII prompts, is read too")
    func unicode() {
        let text = "café " + settings
        let utf16 = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let file = ProvenanceScanner().scan(Self.jpeg(comment: Array("UNICODE\0".utf8) + utf16, bigEndian: true))
        #expect(file.verdict == .heuristic)
        #expect(file.markers.first?.evidence.contains("café") == true)
    }

    @Test("an ordinary UserComment is not flagged")
    func ordinary() {
        let file = ProvenanceScanner().scan(Self.jpeg(comment: Array("ASCII\0\0\0Shot on set, day 12".utf8), bigEndian: false))
        #expect(file.verdict == .noMarkers)
    }
}

@Suite("XMP lists, ingredients and EXIF outside JPEG")
struct XMPDetailTests {
    let scanner = ProvenanceScanner()

    @Test("every item of an rdf:Seq of source types counts, not only the first")
    func sequence() {
        let packet = Build.xmp("<Iptc4xmpExt:DigitalSourceType><rdf:Seq><rdf:li>\(Build.sourceType("algorithmicMedia"))</rdf:li><rdf:li>\(Build.sourceType("trainedAlgorithmicMedia"))</rdf:li></rdf:Seq></Iptc4xmpExt:DigitalSourceType>")
        let file = scanner.scan(Build.jpeg(segments: [Build.xmpSegment(packet)]))
        #expect(file.verdict == .generated)
        #expect(file.markers.count == 2)
    }

    @Test("the file's own XMP ids are its identifiers; an ingredient's in xmpMM:Pantry are not")
    func ownIdentifiers() {
        let packet = Build.xmp("""
            <xmpMM:Pantry><rdf:Bag><rdf:li><rdf:Description xmpMM:InstanceID="xmp.iid:ingredient"/></rdf:li></rdf:Bag></xmpMM:Pantry>
            """, namespaces: "xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\" xmpMM:DocumentID=\"xmp.did:mine\"")
        let file = scanner.scan(Build.jpeg(segments: [Build.xmpSegment(packet)]))
        #expect(file.identifiers == ["xmp.did:mine"])
    }

    @Test("EXIF UserComment with generation settings is read from a WebP EXIF chunk and a PNG eXIf chunk")
    func exifElsewhere() {
        let comment = Array("ASCII\0\0\0".utf8) + Array("Steps: 20, Sampler: Euler a, CFG scale: 7".utf8)
        let tiff = Build.exif(userComment: comment, bigEndian: false)
        #expect(scanner.scan(Build.riff("WEBP", [Build.riffChunk("EXIF", tiff)])).verdict == .heuristic)
        #expect(scanner.scan(Build.riff("WEBP", [Build.riffChunk("EXIF", Array("Exif".utf8) + [0, 0] + tiff)])).verdict == .heuristic)
        #expect(scanner.scan(Build.png([Build.pngChunk("eXIf", tiff)])).verdict == .heuristic)
    }
}
