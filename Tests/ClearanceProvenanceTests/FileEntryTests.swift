import ClearanceProvenance
import Foundation
import Testing

@Suite("What a path is, before anything is opened")
struct FileEntryTests {
    static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("entries-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plates"), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: root.appendingPathComponent("still.jpg"))
        try #require(mkfifo(root.appendingPathComponent("reel.mxf").path, 0o644) == 0)
        let links = ["ep101.mov": "renders/ep101.mov", "loop.mov": "loop.mov", "linked.jpg": "still.jpg",
                     "linked-reel.mxf": "reel.mxf", "linked-plates": "plates"]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: target)
        }
        return root
    }

    @Test("files, folders, links to each, and what cannot be read, each with its reason")
    func kinds() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        func entry(_ name: String) -> FileEntry { FileEntry(path: root.appendingPathComponent(name).path) }
        #expect(entry("still.jpg") == .file)
        #expect(entry("linked.jpg") == .file)
        #expect(entry("plates") == .folder)
        #expect(entry("linked-plates") == .linkedFolder)
        #expect(entry("reel.mxf") == .unreadable("not a regular file (named pipe)"))
        #expect(entry("linked-reel.mxf") == .unreadable("not a regular file (link to a named pipe)"))
        #expect(entry("ep101.mov") == .unreadable("broken link (to renders/ep101.mov)"))
        #expect(entry("loop.mov") == .unreadable("link loop"))
        #expect(entry("gone.mov") == .unreadable("vanished before it could be read"))
        #expect(FileEntry(path: "/dev/null") == .unreadable("not a regular file (character device)"))
    }

    @Test("a byte source refuses what is not a regular file, saying why, as unreadable rather than malformed")
    func byteSourceRefuses() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, reason) in [("ep101.mov", "broken link (to renders/ep101.mov)"), ("plates", "not a regular file (folder)"),
                               ("linked-plates", "not a regular file (link to a folder)")] {
            #expect(throws: ScanFailure(reason, kind: .unreadable)) { try FileByteSource(path: root.appendingPathComponent(name).path) }
        }
    }

    @Test("an unreadable entry is an error, counted apart in the summary; a summary without the count reads as none")
    func summary() throws {
        let pipe = FileScan.unreadableEntry(path: "out/reel.mxf", relativePath: "reel.mxf", reason: "not a regular file (named pipe)")
        #expect(pipe.verdict == .error)
        #expect(pipe.problem == "not a regular file (named pipe)")
        let still = FileScan(path: "out/still.jpg", format: "jpeg", verdict: .noMarkers, size: 10, bytesRead: 10, markers: [],
                             manifests: [], identifiers: [])
        let summary = ScanSummary(files: [pipe, still])
        #expect(summary.total == 2)
        #expect(summary.unreadable == 1)
        #expect(summary.byVerdict["error"] == 1)

        let encoded = try JSONEncoder().encode(pipe)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"unreadable\":true"))
        #expect(!String(decoding: try JSONEncoder().encode(still), as: UTF8.self).contains("unreadable"))
        let older = #"{"total": 1, "flagged": 0, "by-verdict": {}, "bytes-read": 0, "bytes-in-files": 0}"#
        #expect(try JSONDecoder().decode(ScanSummary.self, from: Data(older.utf8)).unreadable == 0)
    }
}
