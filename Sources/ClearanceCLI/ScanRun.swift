internal import ClearanceProvenance
internal import Foundation

/// One entry a scan reaches: a file to read, with its C2PA sidecar, or an entry it cannot read
/// and why.
struct ScanTarget: Sendable, Hashable {
    var path: String
    /// The path under the folder given (or the path as given, for a file named directly), for
    /// matching path globs.
    var relative: String
    var sidecar: String?
    /// Why the entry cannot be read as a file ("not a regular file (named pipe)", "broken
    /// link", "link loop", "cannot list the folder: permission denied"); `nil` for a file to read.
    var unreadable: String?
}

/// The entries a scan reads under the paths given, one at a time, in a stable order (a
/// folder's entries by name, a subfolder's entries where it falls), each once, with C2PA
/// sidecars paired to the file they describe. A sidecar is either `photo.jpg.c2pa` or, as the
/// C2PA SDK writes it, `photo.c2pa`.
///
/// Only the folders on the way down are held, never the whole tree, so memory follows the
/// largest folder rather than the number of files. Links to files are followed;
/// links to folders are not (so the walk cannot loop); named pipes, sockets, devices, broken
/// links, link loops and folders that cannot be listed are handed on as unreadable, never
/// opened. Folder entries come from `readdir` with their type, so a tree of ten thousand files
/// costs no `stat` per file.
struct ScanTargets {
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "no such file or folder: \(path)" }
    }

    let roots: [String]
    /// Also walk dot-files and dot-folders (`.DS_Store`, `.git`), which a delivery tree should
    /// not hold and which are skipped by default.
    let includeHidden: Bool
    /// Dot-files and dot-folders left out (without `includeHidden`).
    private(set) var hiddenSkipped = 0
    /// Links to folders, which are not followed.
    private(set) var linkedFoldersSkipped: [String] = []

    private var nextRoot = 0
    /// The folders being walked, outermost first.
    private var walking: [Listing] = []
    /// The real paths of the folders listed so far, and of the files named directly: a root
    /// given twice, or inside another, lists each entry once. One string per folder, not per file.
    private var foldersListed: Set<String> = []
    private var filesNamed: Set<String> = []

    /// A folder's entries, sorted, and how far the walk has got through them.
    private struct Listing {
        var path: String
        var realPath: String
        var relative: String
        var entries: [(name: String, kind: FileEntry)]
        var sidecars: [String: String]
        var position = 0
    }

    /// Checks that every root exists (a broken link counts: it is reported, not missing).
    init(_ roots: [String], includeHidden: Bool = false) throws(Missing) {
        for root in roots {
            var status = stat()
            guard lstat(root, &status) == 0 else { throw Missing(path: root) }
        }
        self.roots = roots
        self.includeHidden = includeHidden
    }

    /// The next entry, or `nil` when the walk is done.
    mutating func next() -> ScanTarget? {
        while true {
            if var listing = walking.popLast() {
                guard listing.position < listing.entries.count else { continue }
                let (name, kind) = listing.entries[listing.position]
                listing.position += 1
                walking.append(listing)
                let path = listing.path + "/" + name
                let relative = listing.relative.isEmpty ? name : listing.relative + "/" + name
                switch kind {
                case .folder:
                    if let target = enter(folder: path, realPath: listing.realPath + "/" + name, relative: relative) { return target }
                case .file:
                    if filesNamed.contains(listing.realPath + "/" + name) { continue }
                    return ScanTarget(path: path, relative: relative, sidecar: listing.sidecars[name].map { listing.path + "/" + $0 })
                case .linkedFolder:
                    linkedFoldersSkipped.append(path)
                case .unreadable(let reason):
                    return ScanTarget(path: path, relative: relative, unreadable: reason)
                }
            } else if nextRoot < roots.count {
                let root = roots[nextRoot]
                nextRoot += 1
                if let target = start(root) { return target }
            } else {
                return nil
            }
        }
    }

    /// How many entries the walk will hand on, found by walking a copy (which lists every
    /// folder once more).
    func count() -> Int {
        var copy = self
        var count = 0
        while copy.next() != nil { count += 1 }
        return count
    }

    /// A root: a folder to walk (a link to a folder counts, since it was named), a file, or
    /// something unreadable.
    private mutating func start(_ root: String) -> ScanTarget? {
        let kind = FileEntry(path: root)
        if kind == .folder || kind == .linkedFolder {
            let base = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
            return enter(folder: base, realPath: Self.realPath(base) ?? base, relative: "")
        }
        let relative = root.hasPrefix("./") ? String(root.dropFirst(2)) : root
        if case .unreadable(let reason) = kind { return ScanTarget(path: root, relative: relative, unreadable: reason) }
        // The folder's real path, and the file's own name: a link named directly is read as
        // itself, and is listed once even if a folder given too holds it.
        let folder = (root as NSString).deletingLastPathComponent
        let name = (root as NSString).lastPathComponent
        let realPath = (Self.realPath(folder.isEmpty ? "." : folder) ?? folder) + "/" + name
        let walked = foldersListed.contains((realPath as NSString).deletingLastPathComponent)
        guard filesNamed.insert(realPath).inserted, !(walked && (includeHidden || !name.hasPrefix("."))) else { return nil }
        return ScanTarget(path: root, relative: relative, sidecar: Self.sidecarOnDisk(for: root))
    }

    /// Lists a folder and opens it for the walk, or hands it on as unreadable when it cannot
    /// be listed. A folder already listed (through another root) is passed over.
    private mutating func enter(folder: String, realPath: String, relative: String) -> ScanTarget? {
        guard foldersListed.insert(realPath).inserted else { return nil }
        guard let handle = opendir(folder) else {
            let reason = "cannot list the folder: " + FileEntry.reason(forError: errno, at: folder)
            return ScanTarget(path: folder, relative: relative.isEmpty ? folder : relative, unreadable: reason)
        }
        var entries: [(name: String, kind: FileEntry)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if !includeHidden && name.hasPrefix(".") { hiddenSkipped += 1; continue }
            entries.append((name, FileEntry(listedType: entry.pointee.d_type) ?? FileEntry(path: folder + "/" + name)))
        }
        closedir(handle)
        entries.sort { $0.name < $1.name }
        let (listed, sidecars) = Self.pairSidecars(entries)
        walking.append(Listing(path: folder, realPath: realPath, relative: relative, entries: listed, sidecars: sidecars))
        return nil
    }

    /// Takes the sidecars out of a folder's entries: `photo.jpg.c2pa` or `photo.c2pa` beside
    /// `photo.jpg` travels with it. A lone `.c2pa` stays, and is scanned as a manifest store.
    static func pairSidecars(_ entries: [(name: String, kind: FileEntry)]) -> ([(name: String, kind: FileEntry)], [String: String]) {
        let files = entries.filter { $0.kind == .file }.map(\.name)
        let names = Set(files)
        let stems = Set(files.filter { !$0.hasSuffix(".c2pa") }.map(stem))
        var sidecars: [String: String] = [:]
        for name in files where !name.hasSuffix(".c2pa") {
            if let sidecar = [name + ".c2pa", stem(name) + ".c2pa"].first(where: names.contains) { sidecars[name] = sidecar }
        }
        let listed = entries.filter { entry in
            !(entry.kind == .file && entry.name.hasSuffix(".c2pa")
              && (names.contains(String(entry.name.dropLast(5))) || stems.contains(stem(entry.name))))
        }
        return (listed, sidecars)
    }

    /// The sidecar of a file named directly, found on disk (its folder is not listed).
    static func sidecarOnDisk(for path: String) -> String? {
        guard !path.hasSuffix(".c2pa") else { return nil }
        return [path + ".c2pa", stem(path) + ".c2pa"].first { FileEntry(path: $0) == .file }
    }

    /// The name without its extension (`a/b/photo.jpg` → `a/b/photo`).
    static func stem(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/"),
              dot != path.startIndex, path[path.index(before: dot)] != "/" else { return path }
        return String(path[..<dot])
    }

    private static func realPath(_ path: String) -> String? {
        realpath(path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }
}

/// Scans targets a few at a time, and hands each file's result on in the targets' order as
/// soon as it and those before it are done, so a report can be written while the scan runs.
struct ScanRun {
    var scanner: ProvenanceScanner
    var jobs: Int
    var progress: ScanProgress

    /// Files go to tasks in batches: one task per file costs more in scheduling than scanning a
    /// small file does.
    static let batch = 32

    /// Scans every target and calls `deliver` with each result, in order. `total` (when known)
    /// is for the progress bar.
    func scan(_ targets: inout ScanTargets, total: Int? = nil, deliver: (FileScan) -> Void) async {
        let showing = total.map(progress.shows) ?? false
        var shownPercent = -1
        // A batch starts only within this many files of the next to hand on, so a slow file
        // keeps at most this many finished ones waiting in memory.
        let window = max(1, jobs) * 4 * Self.batch
        await withTaskGroup(of: (Int, [FileScan]).self) { group in
            var launched = 0
            var delivered = 0
            var finished: [Int: [FileScan]] = [:]
            var walkDone = false
            func launch() {
                while !walkDone, launched - delivered < window {
                    var slice: [ScanTarget] = []
                    while slice.count < Self.batch, let target = targets.next() { slice.append(target) }
                    walkDone = slice.count < Self.batch
                    guard !slice.isEmpty else { return }
                    let start = launched, work = slice, scanner = self.scanner
                    group.addTask { (start, work.map { Self.scanFile($0, with: scanner) }) }
                    launched += slice.count
                }
            }
            launch()
            while let (start, scanned) = await group.next() {
                finished[start] = scanned
                while let ready = finished.removeValue(forKey: delivered) {
                    for file in ready { deliver(file) }
                    delivered += ready.count
                }
                if showing, let total, total > 0, delivered * 100 / total != shownPercent {
                    shownPercent = delivered * 100 / total
                    progress.write(ScanProgress.bar(done: delivered, total: total))
                }
                launch()
            }
        }
        if showing { progress.write("\n") }
    }

    static func scanFile(_ target: ScanTarget, with scanner: ProvenanceScanner) -> FileScan {
        if let reason = target.unreadable {
            return FileScan.unreadableEntry(path: target.path, relativePath: target.relative, reason: reason)
        }
        let source: FileByteSource
        do throws(ScanFailure) {
            source = try FileByteSource(path: target.path, limits: scanner.limits)
        } catch {
            var size: Int64 = 0
            var status = stat()
            if stat(target.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG { size = Int64(status.st_size) }
            return FileScan.unreadableEntry(path: target.path, relativePath: target.relative, reason: error.description, size: size)
        }
        var sidecar: FileByteSource?
        var sidecarFailure: String?
        if let path = target.sidecar {
            do throws(ScanFailure) {
                sidecar = try FileByteSource(path: path, limits: scanner.limits)
            } catch {
                sidecarFailure = "sidecar \(path): \(error)"
            }
        }
        var file = scanner.scan(path: target.path, source: source, sidecar: sidecar)
        file.relativePath = target.relative
        if let sidecarFailure { file.markUnreadable(sidecarFailure) }
        return file
    }
}

/// A progress bar on standard error, shown only on a terminal and only for more than a few
/// hundred files, so pipelines and small scans see clean output.
struct ScanProgress: Sendable {
    static let threshold = 300

    /// Whether progress goes anywhere at all: when it does not, the scan need not count its
    /// files before it starts.
    var visible: Bool
    /// Whether to show progress for a scan of this many files.
    var shows: @Sendable (Int) -> Bool
    var write: @Sendable (String) -> Void

    static func standardError() -> ScanProgress {
        let terminal = isatty(STDERR_FILENO) == 1
        return ScanProgress(visible: terminal, shows: { terminal && $0 > threshold },
                            write: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    static let silent = ScanProgress(visible: false, shows: { _ in false }, write: { _ in })

    static func bar(done: Int, total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? width * done / total : width
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] \(done)/\(total) files"
    }
}
