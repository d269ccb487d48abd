internal import ClearanceProvenance
internal import Foundation

/// The files a scan will read: every regular file under the given paths, in a stable order,
/// with `<name>.c2pa` sidecars paired to the file they describe.
struct ScanTargets {
    struct Target: Sendable {
        var path: String
        var sidecar: String?
    }

    var targets: [Target]
    /// Each file's path under the root it was found in, for matching path globs.
    var relativePaths: [String: String]
    var roots: [String]

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no such file or folder: \(path)" }
    }

    /// - Parameter includeHidden: also walk dot-files and dot-folders (`.DS_Store`, `.git`),
    ///   which a delivery tree should not hold and which are skipped by default.
    static func collect(_ roots: [String], includeHidden: Bool = false) throws -> ScanTargets {
        var files: [(path: String, relative: String)] = []
        let manager = FileManager.default
        for root in roots {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isFolder) else { throw Missing(path: root) }
            if !isFolder.boolValue {
                files.append((root, (root as NSString).lastPathComponent))
                continue
            }
            let base = URL(fileURLWithPath: root)
            guard let walker = manager.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                  options: includeHidden ? [] : [.skipsHiddenFiles],
                                                  errorHandler: { _, _ in true }) else { continue }
            var found: [(String, String)] = []
            let prefix = base.standardizedFileURL.path
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
                let full = url.standardizedFileURL.path
                var relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : url.lastPathComponent
                while relative.hasPrefix("/") { relative.removeFirst() }
                let display = root.hasSuffix("/") ? root + relative : root + "/" + relative
                found.append((display, relative))
            }
            files += found.sorted { $0.0 < $1.0 }
        }
        let paths = Set(files.map(\.path))
        var targets: [Target] = []
        var relativePaths: [String: String] = [:]
        for file in files {
            // A sidecar travels with its file; a lone .c2pa is scanned as a manifest store.
            if file.path.hasSuffix(".c2pa"), paths.contains(String(file.path.dropLast(5))) { continue }
            let sidecar = file.path + ".c2pa"
            targets.append(Target(path: file.path, sidecar: paths.contains(sidecar) ? sidecar : nil))
            relativePaths[file.path] = file.relative
        }
        return ScanTargets(targets: targets, relativePaths: relativePaths, roots: roots)
    }
}

/// Scans targets a few at a time and reports progress.
struct ScanRun {
    var scanner: ProvenanceScanner
    var jobs: Int
    var progress: ScanProgress

    func scan(_ targets: ScanTargets) async -> ScanReport {
        let items = targets.targets
        var results = [FileScan?](repeating: nil, count: items.count)
        let showing = progress.shows(items.count)
        var shownPercent = -1
        await withTaskGroup(of: (Int, FileScan).self) { group in
            var next = 0
            func launch() {
                guard next < items.count else { return }
                let index = next
                let target = items[index]
                let scanner = self.scanner
                group.addTask { (index, Self.scanFile(target, with: scanner)) }
                next += 1
            }
            for _ in 0 ..< max(1, jobs) { launch() }
            var done = 0
            while let (index, file) = await group.next() {
                results[index] = file
                done += 1
                if showing, done * 100 / items.count != shownPercent {
                    shownPercent = done * 100 / items.count
                    progress.write(ScanProgress.bar(done: done, total: items.count))
                }
                launch()
            }
        }
        if showing { progress.write("\n") }
        return ScanReport(scanner: "clearance scan \(ScanReport.formatVersion)", roots: targets.roots,
                          files: results.compactMap { $0 })
    }

    static func scanFile(_ target: ScanTargets.Target, with scanner: ProvenanceScanner) -> FileScan {
        let source: FileByteSource
        do throws(ScanFailure) {
            source = try FileByteSource(path: target.path, limits: scanner.limits)
        } catch {
            return FileScan(path: target.path, format: ContainerFormat.unknown.rawValue, verdict: .error, size: 0,
                            bytesRead: 0, markers: [], manifests: [], identifiers: [], problem: error.description)
        }
        let sidecar = target.sidecar.flatMap { try? FileByteSource(path: $0, limits: scanner.limits) }
        return scanner.scan(path: target.path, source: source, sidecar: sidecar)
    }
}

/// A progress bar on standard error, shown only on a terminal and only for more than a few
/// hundred files, so pipelines and small scans see clean output.
struct ScanProgress: Sendable {
    static let threshold = 300

    /// Whether to show progress for a scan of this many files.
    var shows: @Sendable (Int) -> Bool
    var write: @Sendable (String) -> Void

    static func standardError() -> ScanProgress {
        let terminal = isatty(STDERR_FILENO) == 1
        return ScanProgress(shows: { terminal && $0 > threshold },
                            write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    static let silent = ScanProgress(shows: { _ in false }, write: { _ in })

    static func bar(done: Int, total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? width * done / total : width
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) files"
    }
}
