internal import ClearanceProvenance
internal import Foundation

/// The files a scan will read: every regular file under the given paths, in a stable order,
/// each once, with C2PA sidecars paired to the file they describe. A sidecar is either
/// `photo.jpg.c2pa` or, as the C2PA SDK writes it, `photo.c2pa`.
struct ScanTargets {
    struct Target: Sendable {
        var path: String
        /// The path under the folder given (or the path as given, for a file named directly),
        /// for matching path globs.
        var relative: String
        var sidecar: String?
    }

    var targets: [Target]
    var roots: [String]
    /// Folders that could not be listed, with the reason; the scan goes on without them.
    var unreadable: [String]
    /// Dot-files and dot-folders left out (without `--include-hidden`).
    var hiddenSkipped = 0
    /// Symbolic links to folders, which are not followed (links to files are scanned).
    var linkedFoldersSkipped: [String] = []

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no such file or folder: \(path)" }
    }

    /// - Parameter includeHidden: also walk dot-files and dot-folders (`.DS_Store`, `.git`),
    ///   which a delivery tree should not hold and which are skipped by default.
    static func collect(_ roots: [String], includeHidden: Bool = false) throws -> ScanTargets {
        var walk = TreeWalk(includeHidden: includeHidden)
        var files: [(path: String, relative: String, direct: Bool)] = []
        var seen: Set<String> = []
        for root in roots {
            var status = stat()
            guard stat(root, &status) == 0 else { throw Missing(path: root) }
            let canonical = realpath(root, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            } ?? root
            if (status.st_mode & S_IFMT) == S_IFDIR {
                let base = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
                var found: [(String, String)] = []
                walk.walk(folder: base, relative: "", into: &found)
                // Overlapping roots, or a root given twice, list a file once.
                for (path, relative) in found where seen.insert(canonical + "/" + relative).inserted {
                    files.append((path, relative, false))
                }
            } else if seen.insert(canonical).inserted {
                files.append((root, root.hasPrefix("./") ? String(root.dropFirst(2)) : root, true))
            }
        }
        let paths = Set(files.map(\.path))
        let stems = Set(files.filter { !$0.path.hasSuffix(".c2pa") }.map { stem($0.path) })
        let given = Set(roots)
        var targets: [Target] = []
        for file in files {
            // A sidecar travels with its file; a lone .c2pa, or one named on the command line,
            // is scanned as a manifest store.
            if file.path.hasSuffix(".c2pa"), !given.contains(file.path),
               paths.contains(String(file.path.dropLast(5))) || stems.contains(stem(file.path)) { continue }
            targets.append(Target(path: file.path, relative: file.relative,
                                  sidecar: sidecar(for: file.path, among: paths, checkingDisk: file.direct)))
        }
        return ScanTargets(targets: targets, roots: roots, unreadable: walk.unreadable,
                           hiddenSkipped: walk.hiddenSkipped, linkedFoldersSkipped: walk.linkedFolders)
    }

    /// `photo.jpg.c2pa`, else `photo.c2pa`: among the files found, or also on disk for a file
    /// named directly (its folder was not listed).
    static func sidecar(for path: String, among paths: Set<String>, checkingDisk: Bool) -> String? {
        guard !path.hasSuffix(".c2pa") else { return nil }
        for candidate in [path + ".c2pa", stem(path) + ".c2pa"] {
            if paths.contains(candidate) || (checkingDisk && access(candidate, R_OK) == 0) { return candidate }
        }
        return nil
    }

    /// The path without its extension (`a/b/photo.jpg` → `a/b/photo`).
    static func stem(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
              dot != path.startIndex, path[path.index(before: dot)] != "/" else { return path }
        return String(path[..<dot])
    }
}

/// Lists regular files under a folder with readdir, in name order, folder by folder. The entry
/// type comes from readdir itself, so a tree of ten thousand files costs no stat per file.
/// Links to files are followed; links to folders are not, so a loop cannot form.
struct TreeWalk {
    var includeHidden: Bool
    var unreadable: [String] = []
    var hiddenSkipped = 0
    var linkedFolders: [String] = []

    init(includeHidden: Bool) {
        self.includeHidden = includeHidden
    }

    mutating func walk(folder: String, relative: String, into found: inout [(String, String)]) {
        guard let handle = opendir(folder) else {
            unreadable.append("\(folder): \(String(cString: strerror(errno)))")
            return
        }
        var entries: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if !includeHidden && name.hasPrefix(".") { hiddenSkipped += 1; continue }
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                var status = stat()
                guard stat(folder + "/" + name, &status) == 0 else { continue }
                let kind = status.st_mode & S_IFMT
                if kind == S_IFDIR, type == Int32(DT_LNK) { linkedFolders.append(folder + "/" + name); continue }
                type = kind == S_IFDIR ? Int32(DT_DIR) : kind == S_IFREG ? Int32(DT_REG) : 0
            }
            if type == Int32(DT_DIR) { entries.append((name, true)) } else if type == Int32(DT_REG) { entries.append((name, false)) }
        }
        closedir(handle)
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let path = folder + "/" + entry.name
            let relativePath = relative.isEmpty ? entry.name : relative + "/" + entry.name
            if entry.isFolder {
                walk(folder: path, relative: relativePath, into: &found)
            } else {
                found.append((path, relativePath))
            }
        }
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
        // Files go to tasks in small batches: one task per file costs more in scheduling than
        // scanning a small file does.
        let batch = 32
        await withTaskGroup(of: [(Int, FileScan)].self) { group in
            var next = 0
            func launch() {
                guard next < items.count else { return }
                let range = next ..< min(items.count, next + batch)
                let slice = Array(items[range])
                let scanner = self.scanner
                group.addTask { slice.enumerated().map { (range.lowerBound + $0.offset, Self.scanFile($0.element, with: scanner)) } }
                next = range.upperBound
            }
            for _ in 0 ..< max(1, jobs) * 2 { launch() }
            var done = 0
            while let scanned = await group.next() {
                for (index, file) in scanned { results[index] = file }
                done += scanned.count
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
                            bytesRead: 0, markers: [], manifests: [], identifiers: [], problem: error.description,
                            relativePath: target.relative)
        }
        let sidecar = target.sidecar.flatMap { try? FileByteSource(path: $0, limits: scanner.limits) }
        var file = scanner.scan(path: target.path, source: source, sidecar: sidecar)
        file.relativePath = target.relative
        return file
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
