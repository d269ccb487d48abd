internal import ClearanceProvenance
internal import ClearanceService
internal import Foundation

/// The pieces of a scan report as text for people and as CSV with a row per marker;
/// `ScanReportWriter` puts them together as the scan runs.
enum ScanReportText {
    /// A file's line (its verdict and path) and the lines of its evidence and problems.
    static func lines(for file: FileScan) -> [String] {
        let width = ProvenanceVerdict.allCases.map(\.rawValue.count).max() ?? 14
        let verdict = file.verdict.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
        var line = "\(verdict)  \(file.path)"
        if file.verdict == .unknownFormat { line += "  (\(file.format): provenance unknown)" }
        var lines = [line]
        for marker in file.markers {
            var detail = "    \(marker.location) @ byte \(marker.offset): \(marker.evidence)"
            var extras: [String] = []
            if let generator = marker.claimGenerator { extras.append("claim generator \(generator)") }
            if let agent = marker.softwareAgent, marker.source == "c2pa" { extras.append("software agent \(agent)") }
            if !extras.isEmpty { detail += " [" + extras.joined(separator: "; ") + "]" }
            lines.append(detail)
        }
        if let problem = file.problem { lines.append("    \(file.unreadable == true ? "could not be read" : "problem"): \(problem)") }
        if let approval = file.approval { lines.append("    approved by request \(approval.request) (\(approval.reference))") }
        return lines
    }

    /// "3 files (1 flagged): …; read 1.2 KB of 8.0 KB", with the entries that could not be read
    /// counted apart when there are any.
    static func summaryLine(_ summary: ScanSummary) -> String {
        let parts = ProvenanceVerdict.allCases.map { "\(summary.byVerdict[$0.rawValue] ?? 0) \($0.rawValue)" }
        let read = summary.total - summary.unreadable
        let counted = summary.unreadable == 0 ? "\(summary.total) files"
            : "\(read) \(read == 1 ? "file" : "files") read, \(summary.unreadable) could not be read"
        return "\(counted) (\(summary.flagged) flagged): " + parts.joined(separator: ", ")
            + "; read \(bytes(summary.bytesRead)) of \(bytes(summary.bytesInFiles))"
    }

    /// What the check against the production's approvals found, with each unapproved file's verdict.
    static func reconciliationLines(_ reconciliation: Reconciliation, verdicts: [String: ProvenanceVerdict]) -> [String] {
        var lines = ["\(reconciliation.covered) flagged file(s) covered by \(reconciliation.approvalsConsidered) approved final-cut use(s) of \(reconciliation.production)"]
        if reconciliation.unapproved.isEmpty {
            lines.append("No unapproved GenAI in deliverables.")
        } else {
            lines.append("UNAPPROVED GenAI in deliverables (\(reconciliation.unapproved.count)):")
            for path in reconciliation.unapproved {
                lines.append("  \(verdicts[path]?.rawValue ?? "flagged")  \(path)")
            }
        }
        return lines
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(count) bytes" : String(format: "%.1f %@", value, units[unit])
    }

    static let csvHeader = ["path", "verdict", "format", "size", "bytes_read", "marker_source", "marker_verdict", "offset",
                            "location", "evidence", "digital_source_type", "manifest", "scope", "claim_generator",
                            "software_agent", "approval_request", "approval_reference", "problem"]

    /// A file's CSV rows: one per marker, or one with the marker columns empty.
    static func csvRows(for file: FileScan) -> [[String]] {
        let head = [file.path, file.verdict.rawValue, file.format, String(file.size), String(file.bytesRead)]
        let tail = [file.approval?.request ?? "", file.approval?.reference ?? "", file.problem ?? ""]
        if file.markers.isEmpty { return [head + Array(repeating: "", count: 10) + tail] }
        return file.markers.map { marker in
            head + [marker.source, marker.verdict?.rawValue ?? "", String(marker.offset), marker.location,
                    marker.evidence, marker.digitalSourceType ?? "", marker.manifest ?? "", marker.scope ?? "",
                    marker.claimGenerator ?? "", marker.softwareAgent ?? ""] + tail
        }
    }

    /// One CSV record, quoted as the register's download quotes it, with its CRLF.
    static func csvLine(_ row: [String]) -> String {
        row.map(ProductionRegister.csvField).joined(separator: ",") + "\r\n"
    }
}
