import ClearanceProvenance
import Testing

@Suite("Reconciling flagged files with approvals")
struct ReconcilerTests {
    func file(_ path: String, _ verdict: ProvenanceVerdict, ids: [String] = [], relative: String? = nil) -> FileScan {
        FileScan(path: path, format: "png", verdict: verdict, size: 10, bytesRead: 10, markers: [], manifests: [], identifiers: ids,
                 relativePath: relative)
    }

    @Test("flagged files without a covering approval are unapproved; clean and unknown files are not checked")
    func unapprovedFiles() throws {
        let report = ScanReport(scanner: "test", roots: ["out"], files: [
            file("out/shots/a.png", .generated, relative: "shots/a.png"),
            file("out/shots/b.png", .heuristic, relative: "shots/b.png"),
            file("out/posters/key.jpg", .aiEdited, ids: ["xmp.did:key"], relative: "posters/key.jpg"),
            file("out/plates/c.exr", .unknownFormat),
            file("out/plates/d.png", .noMarkers),
        ])
        let approvals = [
            FinalApproval(request: "r1", assets: [try AssetReference(parsing: "shots/a.png")]),
            FinalApproval(request: "r2", assets: [try AssetReference(parsing: "id:xmp.did:key")]),
        ]
        let result = Reconciler.reconcile(report, production: "p1", approvals: approvals)
        let reconciliation = try #require(result.reconciliation)
        #expect(reconciliation.unapproved == ["out/shots/b.png"])
        #expect(reconciliation.covered == 2)
        #expect(result.files[0].approval == CoveringApproval(request: "r1", reference: "shots/a.png"))
        #expect(result.files[2].approval?.request == "r2")
        #expect(result.files[3].approval == nil)
    }

    @Test("with no approvals at all, every flagged file is unapproved, whatever the report claimed")
    func nothingApproved() throws {
        let report = ScanReport(scanner: "test", roots: ["x"], files: [file("x/a.png", .review), file("x/b.png", .noMarkers)])
        var claimed = report
        claimed.files[0].approval = CoveringApproval(request: "r-made-up", reference: "*")
        let result = Reconciler.reconcile(claimed, production: "p1", approvals: [])
        #expect(result.reconciliation?.unapproved == ["x/a.png"])
        #expect(result.files[0].approval == nil, "an approval the report claimed is not kept")
    }

    @Test("the summary counts every verdict, flagged files and bytes")
    func summary() {
        let report = ScanReport(scanner: "test", roots: [], files: [file("a", .generated), file("b", .generated), file("c", .error)])
        #expect(report.summary.total == 3)
        #expect(report.summary.flagged == 2)
        #expect(report.summary.byVerdict["generated"] == 2)
        #expect(report.summary.byVerdict["error"] == 1)
        #expect(report.summary.byVerdict["no-markers"] == 0)
        #expect(report.summary.bytesRead == 30)
    }
}
