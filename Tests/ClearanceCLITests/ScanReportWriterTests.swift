@testable import ClearanceCLI
import ClearanceProvenance
import Foundation
import Testing

/// The report written as the scan goes against the report encoded whole, as `clearance scan`
/// wrote it before it streamed.
@Suite("Streaming the scan report")
struct ScanReportWriterTests {
    /// Every file's result, in order, as the command's scan hands them on.
    static func scanned(_ roots: [String], jobs: Int = 2) async throws -> [FileScan] {
        var targets = try ScanTargets(roots)
        var files: [FileScan] = []
        await ScanRun(scanner: ProvenanceScanner(), jobs: jobs, progress: .silent).scan(&targets) { files.append($0) }
        return files
    }

    /// The whole report, encoded at once with the options the command used.
    static func encodedWhole(_ report: ScanReport, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + (pretty ? "\n" : "")
    }

    /// The report streamed a file at a time, reconciled a file at a time when `approvals` are given.
    static func streamed(_ files: [FileScan], roots: [String], form: ScanReportWriter.Form,
                         approvals: [FinalApproval]? = nil) throws -> String {
        let output = ReportOutput.memory()
        var writer = ScanReportWriter(form, to: output, listsUnapproved: approvals != nil)
        var summary = ScanSummary()
        var reconciliation = approvals.map { Reconciliation(production: "p1", approvals: $0) }
        for var file in files {
            if let approvals { reconciliation?.check(&file, against: approvals) }
            summary.add(file)
            writer.write(file)
        }
        var shell = ScanReport(scanner: "clearance scan \(ScanReport.formatVersion)", roots: roots, files: [],
                               reconciliation: reconciliation)
        shell.summary = summary
        try writer.finish(shell)
        return output.text
    }

    /// Expects the report streamed from `files`, indented and compact, to be `whole` encoded at once.
    static func expectStreamed(_ files: [FileScan], approvals: [FinalApproval]? = nil, toBe whole: ScanReport) throws {
        for pretty in [true, false] {
            let streamed = try Self.streamed(files, roots: whole.roots, form: pretty ? .json : .compactJSON, approvals: approvals)
            #expect(streamed == (try Self.encodedWhole(whole, pretty: pretty)), pretty ? "indented" : "compact")
        }
    }

    static func report(_ files: [FileScan], roots: [String]) -> ScanReport {
        ScanReport(scanner: "clearance scan \(ScanReport.formatVersion)", roots: roots, files: files)
    }

    @Test("the streamed JSON is byte for byte the report encoded whole, indented and compact, for a normal folder")
    func sameJSON() async throws {
        let root = try ScanCommandTests.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = try await Self.scanned([root.path])
        #expect(files.count == 3)
        let whole = Self.report(files, roots: [root.path])
        try Self.expectStreamed(files, toBe: whole)
        let command = try Clearance.run(["scan", root.path, "--format", "json"])
        #expect(command.out == (try Self.encodedWhole(whole, pretty: true)), "the command writes the same")
    }

    @Test("reconciled file by file, the streamed JSON is the report reconciled whole")
    func sameReconciledJSON() async throws {
        let root = try ScanCommandTests.deliverables()
        defer { try? FileManager.default.removeItem(at: root) }
        let files = try await Self.scanned([root.path])
        for approvals in [[], [FinalApproval(request: "r1", assets: [try AssetReference(parsing: "art/*.jpg")])]] {
            let reconciled = Reconciler.reconcile(Self.report(files, roots: [root.path]), production: "p1", approvals: approvals)
            #expect(reconciled.reconciliation?.covered == (approvals.isEmpty ? 0 : 1))
            try Self.expectStreamed(files, approvals: approvals, toBe: reconciled)
        }
    }

    @Test("an empty folder streams the same empty report")
    func emptyFolder() throws {
        try Self.expectStreamed([], toBe: Self.report([], roots: ["empty"]))
    }

    @Test("results come out in the walk's order however the jobs finish")
    func order() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scan-order-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var expected: [String] = []
        for folder in ["a", "b/c", "d"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
            for index in 0 ..< 150 {
                let name = "\(folder)/f\(String(format: "%03d", index)).jpg"
                try ScanCommandTests.jpeg(xmp: index % 7 == 0 ? ScanCommandTests.generatedXMP : nil).write(to: root.appendingPathComponent(name))
                expected.append(root.path + "/" + name)
            }
        }
        let files = try await Self.scanned([root.path], jobs: 4)
        #expect(files.map(\.path) == expected)
    }
}
