import ClearanceProvenance
import Foundation
import Testing

@Suite("Counting the bytes a scan reads")
struct ByteCountTests {
    /// The 10-byte JPEG the issue found "read 12 bytes of 10 bytes" in: the format check reads
    /// all ten, and the walk then reads two of them again.
    static let smallJPEG: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]

    @Test("a byte read twice counts once, so a file never reads more bytes than it has")
    func overlappingReads() throws {
        let file = ProvenanceScanner().scan(path: "still.jpg", source: MemoryByteSource(Self.smallJPEG))
        #expect(file.size == 10)
        #expect(file.bytesRead == 10)

        let source = MemoryByteSource([UInt8](repeating: 7, count: 100))
        _ = try source.read(at: 40, count: 10)
        _ = try source.read(at: 0, count: 20)
        _ = try source.read(at: 10, count: 5)
        _ = try source.read(at: 15, count: 30)
        #expect(source.bytesRead == 50, "0..<50, read in overlapping pieces")
        _ = try source.read(at: 90, count: 10)
        _ = try source.read(at: 0, count: 100)
        #expect(source.bytesRead == 100)
    }

    @Test("a sidecar's bytes are not counted as the file's")
    func sidecarNotCounted() {
        let sidecar = MemoryByteSource([0, 0, 0, 16] + Array("jumb".utf8) + [UInt8](repeating: 0, count: 8))
        let file = ProvenanceScanner().scan(path: "still.jpg", source: MemoryByteSource(Self.smallJPEG), sidecar: sidecar)
        #expect(file.bytesRead == 10)
    }

    @Test("a file that shrinks while it is read says what was read of what was wanted, and is not passed")
    func shrinkingFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shrinking-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        // A PNG whose text chunk holds 100 bytes from byte 41; the file is cut at 60 once open.
        let text = Build.png([Build.pngChunk("tEXt", Array("parameters\u{0}".utf8) + [UInt8](repeating: 0x41, count: 89))])
        try Data(text).write(to: url)
        let source = try FileByteSource(path: url.path)
        #expect(truncate(url.path, 60) == 0)
        let file = ProvenanceScanner().scan(path: url.path, source: source)
        #expect(file.verdict == .error)
        let problem = try #require(file.problem)
        #expect(problem.contains("the file shrank while it was read (\(text.count) bytes when opened, 60 now)"), "\(problem)")
        #expect(problem.contains("read 19 of the 100 bytes wanted"), "\(problem)")
        #expect(file.bytesRead <= 60)
        #expect(file.unreadable == true)
    }
}
