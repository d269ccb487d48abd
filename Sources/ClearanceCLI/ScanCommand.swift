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
                unrecognised: provenance unknown, never clean); error (unreadable, reported, the \
                scan goes on). With --production, flagged files are checked against that \
                production's approved final-cut uses, matched by the asset references on their \
                approvals. A sidecar is photo.jpg.c2pa or photo.c2pa. Exit codes: 0 nothing \
                flagged (or every flagged file approved) and every file checked; 3 flagged files \
                and no --production to check them against; 5 unapproved GenAI in deliverables; \
                6 nothing flagged, but some files could not be checked (unknown-format, error, or \
                a folder that could not be listed; --allow-unknown turns this into 0); 2 bad input \
                (a missing path, the server unreachable or refusing); 64 a bad option; 1 internal \
                error.
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

        /// Prints the report; CSV keeps its own CRLF line ends, with no newline added after them.
        private func emit(_ report: ScanReport) {
            let rendered = ScanReportText.render(report, as: format)
            FileHandle.standardOutput.write(Data((format == .csv ? rendered : rendered + "\n").utf8))
        }

        func run() async throws {
            let console = DocumentFiles.standardConsole
            let scanner = ProvenanceScanner(generators: GeneratorNames(names: GeneratorNames.defaults + generatorNames))
            let run = ScanRun(scanner: scanner, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                              progress: ScanProgress.standardError())
            let targets: ScanTargets
            do {
                targets = try ScanTargets.collect(paths, includeHidden: includeHidden)
            } catch {
                console.err("error: \(error)")
                throw ExitCode(2)
            }
            for folder in targets.unreadable { console.err("warning: cannot list \(folder); its files are not scanned") }
            for link in targets.linkedFoldersSkipped { console.err("note: \(link) links to a folder, which is not followed") }
            if targets.hiddenSkipped > 0 {
                console.err("note: \(targets.hiddenSkipped) dot-file(s) or dot-folder(s) skipped; --include-hidden scans them")
            }
            var report = await run.scan(targets)
            if let production, let server = resolvedServer, let token = resolvedToken {
                let client = ScanServerClient(server: server, token: token)
                do {
                    let approvals = try await client.finalApprovals(production: production)
                    report = Reconciler.reconcile(report, production: production, approvals: approvals)
                    if upload {
                        let location = try await client.upload(report, production: production)
                        console.err("uploaded the report: \(location)")
                    }
                } catch {
                    console.err("error: \(error)")
                    emit(report)
                    throw ExitCode(2)
                }
            }
            emit(report)
            let code = ScanExitCode.code(for: report, unlistedFolders: targets.unreadable.count, allowUnknown: allowUnknown)
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
    static func code(for report: ScanReport, unlistedFolders: Int = 0, allowUnknown: Bool = false) -> Int32 {
        if let reconciliation = report.reconciliation {
            if !reconciliation.unapproved.isEmpty { return unapproved }
        } else if report.summary.flagged > 0 {
            return flagged
        }
        let uncheckedFiles = (report.summary.byVerdict[ProvenanceVerdict.unknownFormat.rawValue] ?? 0)
            + (report.summary.byVerdict[ProvenanceVerdict.error.rawValue] ?? 0)
        return !allowUnknown && (uncheckedFiles > 0 || unlistedFolders > 0) ? unchecked : clear
    }
}
