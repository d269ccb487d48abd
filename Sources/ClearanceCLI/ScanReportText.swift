internal import ClearanceProvenance
internal import ClearanceServer
internal import Foundation

/// Renders a scan report as text for people, JSON for tools, or CSV with a row per marker.
enum ScanReportText {
    static func render(_ report: ScanReport, as format: ScanOutputFormat) -> String {
        switch format {
        case .json: json(report)
        case .csv: csv(report)
        case .text: text(report)
        }
    }

    static func json(_ report: ScanReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func text(_ report: ScanReport) -> String {
        var lines: [String] = []
        let width = ProvenanceVerdict.allCases.map(\.rawValue.count).max() ?? 14
        for file in report.files {
            let verdict = file.verdict.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "\(verdict)  \(file.path)"
            if file.verdict == .unknownFormat { line += "  (\(file.format): provenance unknown)" }
            lines.append(line)
            for marker in file.markers {
                var detail = "    \(marker.location) @ byte \(marker.offset): \(marker.evidence)"
                var extras: [String] = []
                if let generator = marker.claimGenerator { extras.append("claim generator \(generator)") }
                if let agent = marker.softwareAgent, marker.source == "c2pa" { extras.append("software agent \(agent)") }
                if !extras.isEmpty { detail += " [" + extras.joined(separator: "; ") + "]" }
                lines.append(detail)
            }
            if let problem = file.problem { lines.append("    problem: \(problem)") }
            if let approval = file.approval { lines.append("    approved by request \(approval.request) (\(approval.reference))") }
        }
        lines.append("")
        lines.append(summaryLine(report.summary))
        if let reconciliation = report.reconciliation {
            let covered = "\(reconciliation.covered) flagged file(s) covered by \(reconciliation.approvalsConsidered) approved final-cut use(s) of \(reconciliation.production)"
            lines.append(covered)
            if reconciliation.unapproved.isEmpty {
                lines.append("No unapproved GenAI in deliverables.")
            } else {
                lines.append("UNAPPROVED GenAI in deliverables (\(reconciliation.unapproved.count)):")
                let verdicts = Dictionary(report.files.map { ($0.path, $0.verdict) }, uniquingKeysWith: { first, _ in first })
                for path in reconciliation.unapproved {
                    lines.append("  \(verdicts[path]?.rawValue ?? "flagged")  \(path)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func summaryLine(_ summary: ScanSummary) -> String {
        let parts = ProvenanceVerdict.allCases.map { "\(summary.byVerdict[$0.rawValue] ?? 0) \($0.rawValue)" }
        return "\(summary.total) files (\(summary.flagged) flagged): " + parts.joined(separator: ", ")
            + "; read \(bytes(summary.bytesRead)) of \(bytes(summary.bytesInFiles))"
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

    static func csv(_ report: ScanReport) -> String {
        var rows = [csvHeader]
        for file in report.files {
            let head = [file.path, file.verdict.rawValue, file.format, String(file.size), String(file.bytesRead)]
            let tail = [file.approval?.request ?? "", file.approval?.reference ?? "", file.problem ?? ""]
            if file.markers.isEmpty {
                rows.append(head + Array(repeating: "", count: 10) + tail)
            }
            for marker in file.markers {
                rows.append(head + [marker.source, marker.verdict?.rawValue ?? "", String(marker.offset), marker.location,
                                    marker.evidence, marker.digitalSourceType ?? "", marker.manifest ?? "", marker.scope ?? "",
                                    marker.claimGenerator ?? "", marker.softwareAgent ?? ""] + tail)
            }
        }
        return rows.map { $0.map(ProductionRegister.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
