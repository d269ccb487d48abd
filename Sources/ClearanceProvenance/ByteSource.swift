#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to a file's bytes, counting what is read.
///
/// The scanner reads container structure only: box and chunk headers, and the few payloads
/// that hold metadata. Every read goes through here, so the count is the scan's true cost and a
/// hostile length can never make it read past the end or more than its budget.
public protocol ByteSource: AnyObject {
    /// The file's size in bytes.
    var size: Int64 { get }
    /// The bytes of the file read so far, each counted once however often it was read, so
    /// never more than `size`.
    var bytesRead: Int64 { get }
    /// Reads exactly `count` bytes at `offset`, or throws if they are not all there or the
    /// read budget is spent.
    func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8]
}

/// Why a file, or a structure in it, could not be read to the end.
public struct ScanFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether the bytes were there to judge.
    public enum Kind: Sendable, Hashable {
        /// The bytes were read, and do not make a well-formed structure or break a limit.
        case malformed
        /// The file system kept the scanner from the bytes: not a regular file, a broken link,
        /// permission denied, a file that shrank while it was read.
        case unreadable
    }

    public var message: String
    public var offset: Int64?
    public var kind: Kind

    public init(_ message: String, at offset: Int64? = nil, kind: Kind = .malformed) {
        self.message = message
        self.offset = offset
        self.kind = kind
    }

    public var description: String {
        if let offset { return "\(message) (at byte \(offset))" }
        return message
    }
}

/// The limits that keep a hostile file from costing more than a well-formed one.
public struct ScanLimits: Sendable, Hashable {
    /// The most bytes one file may cost, whatever its size.
    public var bytesPerFile: Int64 = 96 << 20
    /// The largest manifest store, XMP packet or text chunk read into memory.
    public var payloadBytes: Int = 32 << 20
    /// The largest a compressed manifest or text may grow when inflated.
    public var inflatedBytes: Int = 32 << 20
    /// How deep boxes, chunks, CBOR and XML may nest.
    public var nestingDepth: Int = 24
    /// How many boxes, chunks or segments one file may hold.
    public var structures: Int = 100_000

    public init() {}

    /// `size` as a byte count to read into memory, or a failure naming `what` when it is
    /// negative or over `payloadBytes`: every metadata payload goes through here.
    func payloadSize(_ size: Int64, of what: String, at offset: Int64?) throws(ScanFailure) -> Int {
        guard size >= 0, size <= Int64(payloadBytes) else {
            throw ScanFailure("\(what) of \(size) bytes is over the \(payloadBytes)-byte limit", at: offset)
        }
        return Int(size)
    }
}

/// The parts of a file read so far, kept merged, so that a byte read twice (the format check
/// and then the walk both read the first bytes) counts once.
struct ReadExtents {
    private var extents: [Range<Int64>] = []
    /// How many distinct bytes the extents hold.
    private(set) var total: Int64 = 0

    mutating func add(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        // Walks mostly read forward, past everything read before.
        if extents.last.map({ $0.upperBound < range.lowerBound }) ?? true {
            extents.append(range)
            total += range.upperBound - range.lowerBound
            return
        }
        // The first extent that ends at or after the range starts: it and those after it that
        // start before the range ends are merged with it.
        var low = 0, high = extents.count
        while low < high {
            let middle = (low + high) / 2
            if extents[middle].upperBound < range.lowerBound { low = middle + 1 } else { high = middle }
        }
        var merged = range
        var end = low
        while end < extents.count, extents[end].lowerBound <= merged.upperBound {
            merged = min(merged.lowerBound, extents[end].lowerBound) ..< max(merged.upperBound, extents[end].upperBound)
            total -= extents[end].upperBound - extents[end].lowerBound
            end += 1
        }
        extents.replaceSubrange(low ..< end, with: [merged])
        total += merged.upperBound - merged.lowerBound
    }
}

/// A file opened for reading with `pread`, so reads at any offset cost only what they return.
public final class FileByteSource: ByteSource {
    public let size: Int64
    public var bytesRead: Int64 { extents.total }
    private var extents = ReadExtents()
    /// Every byte fetched, a byte read twice counted twice: what the per-file budget limits.
    private var bytesFetched: Int64 = 0
    private let descriptor: Int32
    private let budget: Int64

    /// Opens `path` when it is a regular file, or a link to one; otherwise throws an
    /// `unreadable` failure that says why in plain words.
    public init(path: String, limits: ScanLimits = ScanLimits()) throws(ScanFailure) {
        // What the path is, told before it is opened: a named pipe or a device is never opened.
        switch FileEntry(path: path) {
        case .file: break
        case .folder: throw ScanFailure(FileEntry.notRegular(S_IFDIR, throughLink: false), kind: .unreadable)
        case .linkedFolder: throw ScanFailure(FileEntry.notRegular(S_IFDIR, throughLink: true), kind: .unreadable)
        case .unreadable(let reason): throw ScanFailure(reason, kind: .unreadable)
        }
        // Non-blocking as well, in case something else took the path's place since: a named pipe
        // opened so does not wait, and is refused below.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ScanFailure(FileEntry.reason(forError: errno, at: path), kind: .unreadable) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = FileEntry.reason(forError: errno, at: path)
            close(descriptor)
            throw ScanFailure(reason, kind: .unreadable)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ScanFailure(FileEntry.notRegular(status.st_mode, throughLink: false), kind: .unreadable)
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
        self.budget = limits.bytesPerFile
    }

    deinit { close(descriptor) }

    public func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8] {
        try checkRange(offset: offset, count: count, size: size)
        guard bytesFetched + Int64(count) <= budget else {
            throw ScanFailure("stopped after reading \(bytesFetched) bytes: \(count) more would pass the \(budget)-byte per-file budget",
                              at: offset)
        }
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        defer {
            bytesFetched += Int64(filled)
            extents.add(offset ..< offset + Int64(filled))
        }
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ScanFailure("read failed after \(filled) of \(count) bytes: \(String(cString: strerror(errno)))",
                                  at: offset + Int64(filled), kind: .unreadable)
            }
            if got == 0 { throw shortRead(offset: offset, count: count, filled: filled) }
            filled += got
        }
        return buffer
    }

    /// The file ended before `size`: it shrank after it was opened.
    private func shortRead(offset: Int64, count: Int, filled: Int) -> ScanFailure {
        var status = stat()
        let now = fstat(descriptor, &status) == 0 ? ", \(status.st_size) now" : ""
        return ScanFailure("the file shrank while it was read (\(size) bytes when opened\(now)): "
                           + "read \(filled) of the \(count) bytes wanted", at: offset, kind: .unreadable)
    }
}

/// Bytes already in memory: tests, fuzzing and reassembled payloads.
public final class MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public var bytesRead: Int64 { extents.total }
    private var extents = ReadExtents()
    public var size: Int64 { Int64(bytes.count) }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8] {
        try checkRange(offset: offset, count: count, size: size)
        extents.add(offset ..< offset + Int64(count))
        let start = Int(offset)
        return Array(bytes[start ..< start + count])
    }
}

func checkRange(offset: Int64, count: Int, size: Int64) throws(ScanFailure) {
    guard offset >= 0, count >= 0 else { throw ScanFailure("a negative offset or length", at: offset) }
    let (end, overflow) = offset.addingReportingOverflow(Int64(count))
    guard !overflow, end <= size else {
        throw ScanFailure("a length of \(count) runs past the end of the file (\(size) bytes)", at: offset)
    }
}
