#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path names, as far as a scan is concerned, told from `lstat` and `stat` alone.
/// Nothing is opened to find out: opening a named pipe for reading waits for a writer that may
/// never come, and opening a device can act on it (a tape rewinds).
///
/// Links are followed to what they name: a link to a regular file is that file, a link to a
/// folder is told apart so a walk need not follow it, a link that names nothing is a broken
/// link, and one that leads back round to itself is a link loop.
public enum FileEntry: Sendable, Hashable {
    /// A regular file, or a link to one.
    case file
    /// A folder (not a link).
    case folder
    /// A link to a folder.
    case linkedFolder
    /// Anything that cannot be read as a file, with why in plain words: "not a regular file
    /// (named pipe)", "broken link (to ../ep101.mov)", "link loop", "permission denied".
    case unreadable(String)

    public init(path: String) {
        var own = stat()
        guard lstat(path, &own) == 0 else {
            self = .unreadable(Self.reason(forError: errno, at: path))
            return
        }
        let throughLink = (own.st_mode & S_IFMT) == S_IFLNK
        var status = own
        if throughLink, stat(path, &status) != 0 {
            self = .unreadable(Self.reason(forError: errno, at: path))
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: self = .file
        case S_IFDIR: self = throughLink ? .linkedFolder : .folder
        default: self = .unreadable(Self.notRegular(status.st_mode, throughLink: throughLink))
        }
    }

    /// An entry whose kind the folder listing gave (`readdir`'s `d_type`), or `nil` when the
    /// listing leaves it to `lstat` (a link, or a file system that does not say).
    public init?(listedType type: UInt8) {
        switch Int32(type) {
        case Int32(DT_REG): self = .file
        case Int32(DT_DIR): self = .folder
        case Int32(DT_FIFO): self = .unreadable(Self.notRegular(S_IFIFO, throughLink: false))
        case Int32(DT_SOCK): self = .unreadable(Self.notRegular(S_IFSOCK, throughLink: false))
        case Int32(DT_CHR): self = .unreadable(Self.notRegular(S_IFCHR, throughLink: false))
        case Int32(DT_BLK): self = .unreadable(Self.notRegular(S_IFBLK, throughLink: false))
        default: return nil
        }
    }

    /// Why a `stat`, `open` or `opendir` of `path` failed with `code`, in plain words.
    public static func reason(forError code: Int32, at path: String) -> String {
        switch code {
        case ELOOP:
            return "link loop"
        case ENOENT, ENOTDIR:
            var own = stat()
            guard lstat(path, &own) == 0, (own.st_mode & S_IFMT) == S_IFLNK else { return "vanished before it could be read" }
            return linkTarget(path).map { "broken link (to \($0))" } ?? "broken link"
        case EACCES, EPERM:
            return "permission denied"
        default:
            return String(cString: strerror(code))
        }
    }

    /// "not a regular file (named pipe)", or "(link to a named pipe)" when a link led there.
    static func notRegular(_ mode: mode_t, throughLink: Bool) -> String {
        let kind = switch mode & S_IFMT {
        case S_IFIFO: "named pipe"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFDIR: "folder"
        default: "unknown kind of file"
        }
        return "not a regular file (\(throughLink ? "link to a " : "")\(kind))"
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
