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

    /// Uploads the report; returns where the server keeps it.
    func upload(_ report: ScanReport, production: String) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        let body = try await send(upload: true, path: "/api/v1/productions/\(escaped(production))/scans", body: data,
                                  expecting: 201)
        struct Created: Decodable { var id: String }
        let id = (try? JSONDecoder().decode(Created.self, from: body))?.id ?? "?"
        return server.trimmingSuffix("/") + "/productions/\(escaped(production))/scans/\(id)"
    }

    private func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    private func send(upload: Bool, path: String, body: Data?, expecting status: UInt) async throws -> Data {
        let url = server.trimmingSuffix("/") + path
        var request = HTTPClientRequest(url: url)
        request.method = upload ? .POST : .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
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

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
