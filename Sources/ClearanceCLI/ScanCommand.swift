internal import ArgumentParser
internal import ClearanceProvenance
internal import Foundation

extension ClearanceCommand {
    /// `clearance scan`: find GenAI provenance markers in deliverables, and check them against
    /// the production's approvals.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan deliverables for generative-AI provenance markers (C2PA, IPTC XMP, generator metadata).",
            discussion: """
                Reads container structure only (JPEG, PNG, MP4/MOV/HEIF, WAV/AVI/WebP, TIFF/DNG and \
                .c2pa sidecars), never pixels or audio. Verdicts: generated, ai-edited, review, \
                heuristic (flagged); no-markers; unknown-format (MXF, EXR, DPX and anything \
                unrecognised: provenance unknown, never clean); error (malformed or unreadable, \
                reported with the reason, the scan goes on). Links to files are read as the file \
                they name; links to folders are not followed. Entries that cannot be read are \
                never opened and are listed as error with the reason, and counted as unreadable: \
                a named pipe, socket or device ("not a regular file (named pipe)"), a broken link, \
                a link loop, a file or folder that cannot be opened ("permission denied"), a file \
                that vanished or shrank while it was read. With --production, flagged files are \
                checked against that production's approved final-cut uses, matched by the asset \
                references on their approvals. A sidecar is photo.jpg.c2pa or photo.c2pa. The \
                JSON report is written as the scan goes, so its size does not limit the tree. \
                Exit codes: 0 nothing flagged (or every flagged file approved) and every file \
                checked; 3 flagged files and no --production to check them against; 5 unapproved \
                GenAI in deliverables; 6 nothing flagged, but some entries could not be checked \
                (unknown-format, error, or unreadable; --allow-unknown turns this into 0); 2 bad \
                input (a missing path, the server unreachable or refusing); 64 a bad option; 1 \
                internal error.
                """
        )

        @Argument(help: "Files or folders to scan; folders are walked recursively.")
        var paths: [String]

        @Option(help: "text for people, json for the full report, csv for one row per marker.")
        var format: ScanOutputFormat = .text

        @Option(help: "Check flagged files against this production's approved final-cut uses.")
        var production: String?

        @Option(help: "The Clearance server, for --production (or CLEARANCE_SERVER).")
        var server: String?

        @Option(help: "An API token, for --production (or CLEARANCE_TOKEN, which keeps it out of the process list).")
        var token: String?

        @Flag(help: "Upload the report to the production on the server, to show on its scans page.")
        var upload = false

        @Option(name: .customLong("generator"), help: "Another generator name to look for in EXIF Software and XMP CreatorTool (repeatable).")
        var generatorNames: [String] = []

        @Flag(help: "Also scan dot-files and dot-folders inside the folders given (skipped by default).")
        var includeHidden = false

        @Flag(help: "Exit 0 rather than 6 when files of unknown format, or unreadable ones, are all that stands out.")
        var allowUnknown = false

        @Option(help: "Files scanned at once (default: the number of cores).")
        var jobs: Int?

        func validate() throws {
            if production == nil, upload { throw ValidationError("--upload needs --production") }
            if production != nil {
                guard resolvedServer != nil else { throw ValidationError("--production needs --server (or CLEARANCE_SERVER)") }
                guard resolvedToken != nil else { throw ValidationError("--production needs --token (or CLEARANCE_TOKEN)") }
            }
            if let jobs, !(1 ... 64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64") }
        }

        var resolvedServer: String? { server ?? ProcessInfo.processInfo.environment["CLEARANCE_SERVER"] }
        var resolvedToken: String? { token ?? ProcessInfo.processInfo.environment["CLEARANCE_TOKEN"] }

        func run() async throws {
            let console = DocumentFiles.standardConsole
            let scanner = ProvenanceScanner(generators: GeneratorNames(names: GeneratorNames.defaults + generatorNames))
            let progress = ScanProgress.standardError()
            let run = ScanRun(scanner: scanner, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, progress: progress)
            var targets: ScanTargets
            do {
                targets = try ScanTargets(paths, includeHidden: includeHidden)
            } catch {
                console.err("error: \(error)")
                throw ExitCode(2)
            }
            // The bar needs the count first, so only a terminal pays for a walk that counts.
            let total = progress.visible ? targets.count() : nil

            var check: (client: ScanServerClient, production: String, approvals: [FinalApproval])?
            var serverFailed = false
            if let production, let server = resolvedServer, let token = resolvedToken {
                let client = ScanServerClient(server: server, token: token)
                do {
                    check = (client, production, try await client.finalApprovals(production: production))
                } catch {
                    // The report is still written, unchecked, before the exit says the check failed.
                    console.err("error: \(error)")
                    serverFailed = true
                }
            }

            var report = ScanReportWriter(format: format, to: .standardOutput(), listsUnapproved: check != nil)
            // The upload's copy goes to a temporary file as it is written, and is sent from there.
            var uploadCopy: ScanReportWriter?
            if upload, check != nil {
                uploadCopy = ScanReportWriter(.compactJSON, to: try ReportOutput.temporaryFile(named: "clearance-scan"))
            }
            var summary = ScanSummary()
            var reconciliation = check.map { Reconciliation(production: $0.production, approvals: $0.approvals) }
            await run.scan(&targets, total: total) { scanned in
                var file = scanned
                if let approvals = check?.approvals { reconciliation?.check(&file, against: approvals) }
                summary.add(file)
                report.write(file)
                uploadCopy?.write(file)
            }
            var whole = ScanReport(scanner: "clearance scan \(ScanReport.formatVersion)", roots: paths, files: [],
                                   reconciliation: reconciliation)
            whole.summary = summary
            try report.finish(whole)

            if summary.unreadable > 0 {
                console.err("warning: \(summary.unreadable) entr\(summary.unreadable == 1 ? "y" : "ies") could not be read; the report lists each with the reason")
            }
            for link in targets.linkedFoldersSkipped { console.err("note: \(link) links to a folder, which is not followed") }
            if targets.hiddenSkipped > 0 {
                console.err("note: \(targets.hiddenSkipped) dot-file(s) or dot-folder(s) skipped; --include-hidden scans them")
            }
            if let check, var copy = uploadCopy {
                do {
                    try copy.finish(whole)
                    let location = try await check.client.upload(reportIn: copy.output, production: check.production)
                    console.err("uploaded the report: \(location)")
                } catch {
                    console.err("error: \(error)")
                    throw ExitCode(2)
                }
            }
            if serverFailed { throw ExitCode(2) }
            let code = ScanExitCode.code(for: summary, reconciliation: reconciliation, allowUnknown: allowUnknown)
            if code != 0 { throw ExitCode(code) }
        }
    }
}

/// How `clearance scan` prints its report.
enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// The exit codes of `clearance scan`.
enum ScanExitCode {
    static let clear: Int32 = 0
    static let flagged: Int32 = 3
    static let unapproved: Int32 = 5
    static let unchecked: Int32 = 6

    /// Unapproved GenAI first, then flagged files, then files that could not be checked: a
    /// tree is never passed as clean while something in it went unread.
    static func code(for summary: ScanSummary, reconciliation: Reconciliation?, allowUnknown: Bool = false) -> Int32 {
        if let reconciliation {
            if !reconciliation.unapproved.isEmpty { return unapproved }
        } else if summary.flagged > 0 {
            return flagged
        }
        // Entries that could not be read are `error`s, and counted here with the rest.
        let unchecked = (summary.byVerdict[ProvenanceVerdict.unknownFormat.rawValue] ?? 0)
            + (summary.byVerdict[ProvenanceVerdict.error.rawValue] ?? 0)
        return !allowUnknown && unchecked > 0 ? Self.unchecked : clear
    }
}
