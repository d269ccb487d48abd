internal import AsyncHTTPClient
internal import ClearanceProvenance
internal import Foundation
internal import NIOCore

/// Talks to a Clearance server for `clearance scan --production`: reads the production's
/// approved final-cut uses, and uploads the report.
struct ScanServerClient {
    var server: String
    var token: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct ApprovalList: Decodable {
        var approvals: [FinalApproval]
    }

    func finalApprovals(production: String) async throws -> [FinalApproval] {
        let body = try await send(upload: false, path: "/api/v1/productions/\(escaped(production))/final-approvals", body: nil,
                                  expecting: 200)
        do {
            return try JSONDecoder().decode(ApprovalList.self, from: body).approvals
        } catch {
            throw Failure(description: "the server's list of approved final-cut uses is not what this scanner reads: \(error)")
        }
    }

    /// Uploads the report written to `file` (compact JSON), read back a piece at a time so the
    /// upload costs no more memory than the scan did; returns where the server keeps it.
    func upload(reportIn file: ReportOutput, production: String) async throws -> String {
        let (descriptor, size) = try file.readBack()
        let body = try await send(upload: true, path: "/api/v1/productions/\(escaped(production))/scans",
                                  body: FileChunks(descriptor: descriptor, size: size), expecting: 201)
        struct Created: Decodable { var id: String }
        let id = (try? JSONDecoder().decode(Created.self, from: body))?.id ?? "?"
        return server.trimmingSuffix("/") + "/productions/\(escaped(production))/scans/\(id)"
    }

    private func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    private func send(upload: Bool, path: String, body: FileChunks?, expecting status: UInt) async throws -> Data {
        let url = server.trimmingSuffix("/") + path
        var request = HTTPClientRequest(url: url)
        request.method = upload ? .POST : .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .stream(body, length: .known(body.size))
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw Failure(description: "cannot reach \(url): \(error)")
        }
        let buffer = try await response.body.collect(upTo: 64 << 20)
        let data = Data(buffer.readableBytesView)
        guard response.status.code == status else {
            let detail = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["detail"] as? String
            throw Failure(description: "\(upload ? "POST" : "GET") \(url) answered \(response.status.code)" + (detail.map { ": \($0)" } ?? ""))
        }
        return data
    }
}

/// An open file's bytes as a sequence of buffers, read with `pread` as an upload sends them.
/// The descriptor must stay open until the upload is done.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let descriptor: Int32
    let size: Int64
    static let chunkSize = 256 << 10

    struct Iterator: AsyncIteratorProtocol {
        let descriptor: Int32
        let size: Int64
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard offset < size else { return nil }
            var chunk = [UInt8](repeating: 0, count: Int(Swift.min(Int64(FileChunks.chunkSize), size - offset)))
            let count = chunk.withUnsafeMutableBytes { raw in
                raw.baseAddress.map { pread(descriptor, $0, raw.count, off_t(offset)) } ?? -1
            }
            guard count > 0 else {
                throw ScanServerClient.Failure(description: "cannot read the report back at byte \(offset): "
                                               + (count < 0 ? String(cString: strerror(errno)) : "it ended early"))
            }
            offset += Int64(count)
            return ByteBuffer(bytes: chunk[..<count])
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(descriptor: descriptor, size: size) }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
