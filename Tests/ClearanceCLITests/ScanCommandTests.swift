import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `clearance scan` run as a pipeline would: real files in a temporary folder, the built binary.
@Suite("Scan command")
struct ScanCommandTests {
    static let generatedXMP = """
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" \
        Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>\
        </rdf:RDF></x:xmpmeta>
        """

    static func jpeg(xmp: String?) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8]
        if let xmp {
            let payload = Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array(xmp.utf8)
            bytes += [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        return Data(bytes + [0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9])
    }

    /// A folder with a generated poster, a clean still, an EXR and a sidecar for the clean still.
    static func deliverables() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("art"), withIntermediateDirectories: true)
        try jpeg(xmp: generatedXMP).write(to: root.appendingPathComponent("art/poster.jpg"))
        try jpeg(xmp: nil).write(to: root.appendingPathComponent("art/still.jpg"))
        try Data([0x76, 0x2F, 0x31, 0x01, 2, 0, 0, 0]).write(to: root.appendingPathComponent("plate.exr"))
        try Data("Finder settings".utf8).write(to: root.appendingPathComponent(".DS_Store"))
        return root
    }

    @Test("JSON lists every file with its verdict and offset, and flagged files exit 3")
    func json() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Clearance.run(["scan", root.path, "--format", "json"])
        #expect(result.code == 3)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        let verdicts = Dictionary(uniqueKeysWithValues: files.map { (($0["path"] as? String ?? "").replacingOccurrences(of: root.path + "/", with: ""), $0["verdict"] as? String ?? "") })
        #expect(verdicts == ["art/poster.jpg": "generated", "art/still.jpg": "no-markers", "plate.exr": "unknown-format"])
        let poster = try #require(files.first { ($0["path"] as? String)?.hasSuffix("poster.jpg") == true })
        let marker = try #require((poster["markers"] as? [[String: Any]])?.first)
        #expect(marker["offset"] as? Int == 2)
        #expect(marker["location"] as? String == "JPEG APP1 XMP")
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["total"] as? Int == 3)
        #expect(summary["flagged"] as? Int == 1)

        let hidden = try Clearance.run(["scan", root.path, "--format", "json", "--include-hidden"])
        #expect(hidden.out.contains(".DS_Store"))
    }

    @Test("text gives a line per file and a summary; CSV a row per marker; a clean tree exits 0")
    func textAndCSV() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try Clearance.run(["scan", root.path])
        #expect(text.out.contains("generated       \(root.path)/art/poster.jpg"))
        #expect(text.out.contains("plate.exr  (exr: provenance unknown)"))
        #expect(text.out.contains("3 files (1 flagged): 1 generated"))
        let csv = try Clearance.run(["scan", root.path, "--format", "csv"])
        let rows = csv.out.split(separator: "\r\n")
        #expect(rows.first?.hasPrefix("path,verdict,format,size,bytes_read,marker_source") == true)
        #expect(rows.count == 4)
        #expect(rows.contains { $0.contains("poster.jpg,generated,jpeg") && $0.contains(",xmp,generated,2,JPEG APP1 XMP,") })

        let clean = try Clearance.run(["scan", root.appendingPathComponent("art/still.jpg").path])
        #expect(clean.code == 0)
    }

    @Test("a .c2pa sidecar is read with its file, not listed alone")
    func sidecar() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        // A bare store that is not a manifest store at all: the still reports the problem.
        try Data([0, 0, 0, 16] + Array("jumb".utf8) + [UInt8](repeating: 0, count: 8)).write(to: root.appendingPathComponent("art/still.jpg.c2pa"))
        let result = try Clearance.run(["scan", root.path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        #expect(files.count == 3)
        let still = try #require(files.first { ($0["path"] as? String)?.hasSuffix("still.jpg") == true })
        #expect((still["problem"] as? String)?.contains("sidecar .c2pa") == true)
        #expect(still["verdict"] as? String == "error")
    }

    @Test("photo.c2pa is the sidecar of photo.jpg too, and is read when the file is named directly")
    func sidecarNames() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let broken = Data([0, 0, 0, 16] + Array("jumb".utf8) + [UInt8](repeating: 0, count: 8))
        try broken.write(to: root.appendingPathComponent("art/still.c2pa"))
        let folder = try Clearance.run(["scan", root.path, "--format", "json"])
        #expect(!folder.out.contains("still.c2pa\""), "the sidecar is not listed as a file of its own")
        #expect(folder.out.contains("sidecar .c2pa"))
        let direct = try Clearance.run(["scan", root.appendingPathComponent("art/still.jpg").path, "--format", "json"])
        #expect(direct.out.contains("sidecar .c2pa"), "named directly, the file still brings its sidecar")
    }

    @Test("a file reached twice is scanned once; a link to a file is followed; unknown formats alone exit 6")
    func walkAndExit() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("linked.jpg").path,
                                                   withDestinationPath: root.appendingPathComponent("art/poster.jpg").path)
        let twice = try Clearance.run(["scan", root.path, root.path, root.appendingPathComponent("art").path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(twice.out.utf8)) as? [String: Any])
        let paths = (report["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.count == 4, "\(paths)")
        #expect(paths.contains { $0.hasSuffix("linked.jpg") })

        let plate = root.appendingPathComponent("plate.exr").path
        #expect(try Clearance.run(["scan", plate]).code == 6)
        #expect(try Clearance.run(["scan", plate, "--allow-unknown"]).code == 0)
    }

    /// A folder as the issue found it: a named pipe `reel.mxf`, a broken link `ep101.mov`, a
    /// link loop, and one real file (10 bytes).
    static func troubledDeliverables() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-unreadable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try jpeg(xmp: nil).write(to: root.appendingPathComponent("still.jpg"))
        try #require(mkfifo(root.appendingPathComponent("reel.mxf").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("ep101.mov").path,
                                                   withDestinationPath: "renders/ep101.mov")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("loop.mov").path,
                                                   withDestinationPath: "loop.mov")
        return root
    }

    /// Runs the scan with a deadline: one that waits on a named pipe is killed, and the test
    /// fails, rather than the suite hanging.
    static func scanWithin(_ seconds: Double, _ arguments: [String]) throws -> Clearance.Result {
        let result = try Clearance.run(["scan"] + arguments, within: seconds)
        return try #require(result, "the scan was still running after \(seconds) s: it waits on the named pipe")
    }

    @Test("a named pipe, a broken link and a link loop are listed with the reason and counted apart; exit 6, never waiting on the pipe")
    func unreadableEntries() throws {
        let root = try Self.troubledDeliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let json = try Self.scanWithin(30, [root.path, "--format", "json"])
        #expect(json.code == 6)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        let entries = Dictionary(files.map { (($0["path"] as? String ?? "").replacingOccurrences(of: root.path + "/", with: ""), $0) },
                                 uniquingKeysWith: { first, _ in first })
        #expect(entries.keys.sorted() == ["ep101.mov", "loop.mov", "reel.mxf", "still.jpg"])
        #expect(entries["reel.mxf"]?["problem"] as? String == "not a regular file (named pipe)")
        #expect(entries["ep101.mov"]?["problem"] as? String == "broken link (to renders/ep101.mov)")
        #expect(entries["loop.mov"]?["problem"] as? String == "link loop")
        for name in ["reel.mxf", "ep101.mov", "loop.mov"] {
            #expect(entries[name]?["verdict"] as? String == "error", "\(name)")
            #expect(entries[name]?["unreadable"] as? Bool == true, "\(name)")
        }
        #expect(entries["still.jpg"]?["verdict"] as? String == "no-markers")
        #expect(entries["still.jpg"]?["unreadable"] == nil)
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["total"] as? Int == 4)
        #expect(summary["unreadable"] as? Int == 3)
        #expect((summary["by-verdict"] as? [String: Int])?["error"] == 3)
        #expect(json.err.contains("3 entries could not be read"))

        let text = try Self.scanWithin(30, [root.path])
        #expect(text.code == 6)
        #expect(text.out.contains("\(root.path)/reel.mxf\n    could not be read: not a regular file (named pipe)"))
        #expect(text.out.contains("1 file read, 3 could not be read (0 flagged)"), "\(text.out)")
        let csv = try Self.scanWithin(30, [root.path, "--format", "csv"])
        #expect(csv.out.contains("\(root.path)/loop.mov,error,unknown,0,0,"))
        #expect(csv.out.contains(",link loop\r\n"))
        #expect(try Self.scanWithin(30, [root.path, "--allow-unknown"]).code == 0)
    }

    @Test("a named pipe or a device named directly is reported, never opened")
    func specialFilesNamedDirectly() throws {
        let root = try Self.troubledDeliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let pipe = try Self.scanWithin(30, [root.appendingPathComponent("reel.mxf").path, "--format", "json"])
        #expect(pipe.code == 6)
        #expect(pipe.out.contains("\"problem\" : \"not a regular file (named pipe)\""))
        let device = try Self.scanWithin(30, ["/dev/null"])
        #expect(device.code == 6)
        #expect(device.out.contains("could not be read: not a regular file (character device)"))
        let broken = try Self.scanWithin(30, [root.appendingPathComponent("ep101.mov").path])
        #expect(broken.code == 6, "a broken link named directly is reported, not taken for a missing path")
        #expect(broken.out.contains("could not be read: broken link"))
    }

    @Test("each byte read counts once: a 10-byte file reads 10 bytes of 10, and its sidecar is not counted as its bytes")
    func trueByteCounts() throws {
        let root = try Self.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let still = root.appendingPathComponent("art/still.jpg").path
        let text = try Clearance.run(["scan", still])
        #expect(text.out.contains("; read 10 bytes of 10 bytes"), "\(text.out)")
        try Data([0, 0, 0, 16] + Array("jumb".utf8) + [UInt8](repeating: 0, count: 8)).write(to: URL(fileURLWithPath: still + ".c2pa"))
        let json = try Clearance.run(["scan", still, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let file = try #require((report["files"] as? [[String: Any]])?.first)
        #expect(file["size"] as? Int == 10)
        #expect(file["bytes-read"] as? Int == 10)
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["bytes-read"] as? Int == 10)
        #expect(summary["bytes-in-files"] as? Int == 10)
    }

    @Test("a file or folder that cannot be opened is listed as permission denied", .enabled(if: getuid() != 0))
    func permissionDenied() throws {
        let root = try Self.deliverables()
        defer {
            chmod(root.appendingPathComponent("art").path, 0o755)
            try? FileManager.default.removeItem(at: root)
        }
        chmod(root.appendingPathComponent("plate.exr").path, 0)
        chmod(root.appendingPathComponent("art").path, 0)
        let result = try Self.scanWithin(30, [root.path, "--format", "json"])
        #expect(result.code == 6)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let problems = Dictionary((report["files"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "", $0["problem"] as? String ?? "") },
                                  uniquingKeysWith: { first, _ in first })
        #expect(problems[root.appendingPathComponent("plate.exr").path] == "permission denied")
        #expect(problems[root.appendingPathComponent("art").path] == "cannot list the folder: permission denied")
    }

    @Test("a missing path is bad input (exit 2); --production without a server is a usage error (64); both say why")
    func badInput() throws {
        let missing = try Clearance.run(["scan", "/nonexistent/deliverables"])
        #expect(missing.code == 2)
        #expect(missing.err.contains("no such file or folder: /nonexistent/deliverables"))
        let noServer = try Clearance.run(["scan", "/tmp", "--production", "p1"])
        #expect(noServer.code == 64)
        #expect(noServer.err.contains("--production needs --server"))
    }
}

extension Clearance {
    /// Runs the executable, killed if it has not finished within `seconds`; `nil` then. Its
    /// output goes to files, so nothing here can block on a full pipe either.
    static func run(_ arguments: [String], within seconds: Double) throws -> Result? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clearance-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return Result(code: process.terminationStatus, out: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      err: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
