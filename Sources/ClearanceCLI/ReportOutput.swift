internal import Foundation

/// Where a report's text goes, through a buffer: standard output, a temporary file (the copy
/// of a scan report to upload), or memory (tests). A scan of a million files makes a few
/// thousand writes rather than millions.
final class ReportOutput {
    private enum Destination {
        case descriptor(Int32)
        /// A file with no name, read back through `descriptor` and gone when it is closed.
        case anonymousFile(Int32)
        case memory
    }

    private let destination: Destination
    private var buffer: [UInt8] = []
    private var inMemory: [UInt8] = []
    /// Why a write failed, when one did; later writes are dropped.
    private(set) var failure: String?

    static let flushSize = 64 << 10

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private init(_ destination: Destination) {
        self.destination = destination
    }

    static func standardOutput() -> ReportOutput { ReportOutput(.descriptor(STDOUT_FILENO)) }

    static func memory() -> ReportOutput { ReportOutput(.memory) }

    /// A file in the temporary folder whose name is removed as soon as it is made: only this
    /// process can read it, and nothing is left behind however the process ends.
    static func temporaryFile(named prefix: String) throws -> ReportOutput {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { raw in raw.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { throw Failure(description: "cannot make a temporary file: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { raw in _ = raw.baseAddress.map { unlink($0) } }
        return ReportOutput(.anonymousFile(descriptor))
    }

    deinit {
        flush()
        if case .anonymousFile(let descriptor) = destination { close(descriptor) }
    }

    func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Everything written so far, for an output in memory.
    var text: String {
        flush()
        return String(decoding: inMemory, as: UTF8.self)
    }

    /// Everything written so far, for a temporary file: its descriptor and size, to read back
    /// while this output is kept.
    func readBack() throws -> (descriptor: Int32, size: Int64) {
        flush()
        guard case .anonymousFile(let descriptor) = destination else { throw Failure(description: "the report is not in a file") }
        if let failure { throw Failure(description: "cannot write the report: \(failure)") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "cannot read the report back: \(String(cString: strerror(errno)))") }
        return (descriptor, Int64(status.st_size))
    }

    func flush() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        switch destination {
        case .memory:
            inMemory += buffer
        case .descriptor(let descriptor), .anonymousFile(let descriptor):
            var sent = 0
            while sent < buffer.count {
                let count = buffer.withUnsafeBytes { raw in
                    raw.baseAddress.map { write(descriptor, $0 + sent, raw.count - sent) } ?? -1
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                sent += count
            }
        }
    }
}
