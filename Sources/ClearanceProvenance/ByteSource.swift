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
    /// Bytes read so far.
    var bytesRead: Int64 { get }
    /// Reads exactly `count` bytes at `offset`, or throws if they are not all there or the
    /// read budget is spent.
    func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8]
}

/// Why a file, or a structure in it, could not be read to the end.
public struct ScanFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int64?

    public init(_ message: String, at offset: Int64? = nil) {
        self.message = message
        self.offset = offset
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

/// A file opened for reading with `pread`, so reads at any offset cost only what they return.
public final class FileByteSource: ByteSource {
    public let size: Int64
    public private(set) var bytesRead: Int64 = 0
    private let descriptor: Int32
    private let budget: Int64

    /// Opens `path`; throws a `ScanFailure` naming the system's reason when it cannot.
    public init(path: String, limits: ScanLimits = ScanLimits()) throws(ScanFailure) {
        // Non-blocking, so a FIFO or device named by mistake is refused below rather than
        // waited on; it changes nothing for a regular file.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw ScanFailure("cannot open: \(Self.systemError())") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw ScanFailure("cannot read its size: \(Self.systemError())")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw ScanFailure("not a regular file")
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
        self.budget = limits.bytesPerFile
    }

    deinit { close(descriptor) }

    public func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8] {
        try checkRange(offset: offset, count: count, size: size)
        guard bytesRead + Int64(count) <= budget else {
            throw ScanFailure("stopped after reading \(bytesRead) bytes, the per-file budget", at: offset)
        }
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ScanFailure("read failed: \(Self.systemError())", at: offset + Int64(filled))
            }
            if got == 0 { throw ScanFailure("the file ended early", at: offset + Int64(filled)) }
            filled += got
        }
        bytesRead += Int64(count)
        return buffer
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}

/// Bytes already in memory: tests, fuzzing and reassembled payloads.
public final class MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public private(set) var bytesRead: Int64 = 0
    public var size: Int64 { Int64(bytes.count) }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(at offset: Int64, count: Int) throws(ScanFailure) -> [UInt8] {
        try checkRange(offset: offset, count: count, size: size)
        bytesRead += Int64(count)
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
