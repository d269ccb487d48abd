import ClearanceProvenance
import Testing

@Suite("Asset references")
struct AssetReferenceTests {
    @Test("a path glob keeps * within a folder and lets ** cross folders")
    func pathGlobs() throws {
        let shots = try AssetReference(parsing: "shots/ep101/*.exr")
        #expect(shots.covers(relativePath: "shots/ep101/sh010.exr", identifiers: []))
        #expect(!shots.covers(relativePath: "shots/ep101/v2/sh010.exr", identifiers: []))
        #expect(!shots.covers(relativePath: "shots/ep102/sh010.exr", identifiers: []))

        // The path's last segments: the same file, however far down the scan started.
        #expect(shots.covers(relativePath: "deliverables/shots/ep101/sh010.exr", identifiers: []))
        #expect(!shots.covers(relativePath: "deliverables/myshots/ep101/sh010.exr", identifiers: []))
        let anchored = try AssetReference(parsing: "/shots/ep101/*.exr")
        #expect(anchored.covers(relativePath: "shots/ep101/sh010.exr", identifiers: []))
        #expect(!anchored.covers(relativePath: "deliverables/shots/ep101/sh010.exr", identifiers: []))

        let deep = try AssetReference(parsing: "shots/**/*.exr")
        #expect(deep.covers(relativePath: "shots/ep101/v2/sh010.exr", identifiers: []))
        #expect(deep.covers(relativePath: "shots/sh010.exr", identifiers: []))
        #expect(!deep.covers(relativePath: "plates/sh010.exr", identifiers: []))
    }

    @Test("a glob without a slash matches a file's name in any folder")
    func nameGlob() throws {
        let poster = try AssetReference(parsing: "poster_??.png")
        #expect(poster.covers(relativePath: "art/final/poster_01.png", identifiers: []))
        #expect(!poster.covers(relativePath: "art/final/poster_001.png", identifiers: []))
    }

    @Test("an id: reference matches only a declared identifier")
    func assetIDs() throws {
        let reference = try AssetReference(parsing: "id:xmp.did:1234")
        #expect(reference.covers(relativePath: "anything.jpg", identifiers: ["xmp.did:1234"]))
        #expect(!reference.covers(relativePath: "xmp.did:1234", identifiers: ["xmp.did:12345"]))
    }

    @Test("unusable references are refused with a reason")
    func refusals() {
        #expect(throws: AssetReference.Problem.empty) { try AssetReference(parsing: "  ") }
        #expect(throws: AssetReference.Problem.emptyAssetID) { try AssetReference(parsing: "id: ") }
        #expect(throws: AssetReference.Problem.controlCharacter) { try AssetReference(parsing: "a\u{0}b") }
    }

    @Test("a pathological glob answers quickly")
    func pathologicalGlob() throws {
        let reference = try AssetReference(parsing: String(repeating: "*a", count: 60) + "b")
        #expect(!reference.covers(relativePath: String(repeating: "a", count: 400), identifiers: []))
    }
}
