internal import ClearanceProvenance
internal import Foundation

/// Writes a scan report while the scan runs: each file as it is handed on, then the summary
/// and the reconciliation. The files are not kept, so memory does not grow with the tree (the
/// text form keeps the verdicts of unapproved files, for the list at its end).
///
/// The JSON comes out byte for byte as `JSONEncoder` writes the whole report, keys sorted:
/// `files` sorts first, so each file is encoded alone and set in place, and what follows the
/// files is the encoding of the report without them.
struct ScanReportWriter {
    enum Form {
        /// A line per file with its evidence, and a summary: for people.
        case text
        /// A row per marker, with CRLF line ends.
        case csv
        /// The report, indented, keys sorted, slashes unescaped: `--format json`.
        case json
        /// The report on one line, keys sorted: the body of an upload.
        case compactJSON
    }

    let form: Form
    let output: ReportOutput
    /// Keep the verdicts of unapproved files, to list them at the end of the text.
    let listsUnapproved: Bool
    private var started = false
    private var filesWritten = 0
    private var unapprovedVerdicts: [String: ProvenanceVerdict] = [:]
    private let encoder = JSONEncoder()

    struct LayoutChanged: Error, CustomStringConvertible {
        var description: String { "JSONEncoder no longer lays out a scan report as this writer expects" }
    }

    init(_ form: Form, to output: ReportOutput, listsUnapproved: Bool = false) {
        self.form = form
        self.output = output
        self.listsUnapproved = listsUnapproved
        encoder.outputFormatting = form == .json ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
    }

    init(format: ScanOutputFormat, to output: ReportOutput, listsUnapproved: Bool = false) {
        switch format {
        case .text: self.init(.text, to: output, listsUnapproved: listsUnapproved)
        case .csv: self.init(.csv, to: output, listsUnapproved: listsUnapproved)
        case .json: self.init(.json, to: output, listsUnapproved: listsUnapproved)
        }
    }

    /// What opens the report: the CSV header, or the JSON up to the first file.
    private var head: String {
        switch form {
        case .text: ""
        case .csv: ScanReportText.csvLine(ScanReportText.csvHeader)
        case .json: "{\n  \"files\" : ["
        case .compactJSON: "{\"files\":["
        }
    }

    private mutating func start() {
        guard !started else { return }
        started = true
        output.append(head)
    }

    mutating func write(_ file: FileScan) {
        start()
        defer { filesWritten += 1 }
        switch form {
        case .text:
            output.append(ScanReportText.lines(for: file).joined(separator: "\n") + "\n")
            if listsUnapproved, file.verdict.isFlagged, file.approval == nil { unapprovedVerdicts[file.path] = file.verdict }
        case .csv:
            for row in ScanReportText.csvRows(for: file) { output.append(ScanReportText.csvLine(row)) }
        case .json, .compactJSON:
            // A FileScan always encodes; should it ever not, the entry says so rather than breaking the JSON.
            let data = (try? encoder.encode(file)) ?? Data("{\"path\":\"\",\"problem\":\"could not be encoded\"}".utf8)
            let entry = String(decoding: data, as: UTF8.self)
            if form == .json {
                // One level deeper than alone: four more spaces on every line that has any.
                let indented = entry.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
                output.append((filesWritten == 0 ? "\n" : ",\n") + indented)
            } else {
                output.append((filesWritten == 0 ? "" : ",") + entry)
            }
        }
    }

    /// Ends the report with `report`'s summary and reconciliation (its files are the ones
    /// written, and it need not hold them).
    mutating func finish(_ report: ScanReport) throws {
        start()
        switch form {
        case .text:
            var lines = ["", ScanReportText.summaryLine(report.summary)]
            if let reconciliation = report.reconciliation {
                lines += ScanReportText.reconciliationLines(reconciliation, verdicts: unapprovedVerdicts)
            }
            output.append(lines.joined(separator: "\n") + "\n")
        case .csv:
            break
        case .json, .compactJSON:
            var shell = report
            shell.files = []
            let encoded = String(decoding: try encoder.encode(shell), as: UTF8.self)
            // The shell reads `head`, the empty files array's inside, `]`, and the rest.
            let afterHead = encoded.dropFirst(head.count)
            guard encoded.hasPrefix(head), let close = afterHead.firstIndex(of: "]") else { throw LayoutChanged() }
            let rest = afterHead[close...]
            if filesWritten == 0 {
                output.append(String(afterHead[..<close] + rest))
            } else {
                output.append((form == .json ? "\n  " : "") + rest)
            }
            if form == .json { output.append("\n") }
        }
        output.flush()
    }
}
