internal import ClearanceCore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A request body read as text, with the format its Content-Type named.
struct Body {
    enum Format: String {
        case json, yaml
    }

    var text: String
    var format: Format

    /// Reads at most `limit` bytes (by default `ServerConfiguration.maxBodySize`). JSON bodies
    /// must be strict JSON (YAML would accept more), so a JSON syntax error is a 400 that says where.
    static func read(_ request: Request, context: ClearanceContext, limit: Int? = nil) async throws -> Body {
        let format = try format(of: request)
        let limit = limit ?? context.maxUploadSize
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        }
        guard let text = buffer.readString(length: buffer.readableBytes), !text.isEmpty else {
            throw Problem.badRequest("the body is empty")
        }
        guard text.utf8.count == buffer.writerIndex else { throw Problem.badRequest("the body is not UTF-8 text") }
        if format == .json {
            do {
                _ = try JSONText.parse(text)
            } catch {
                throw Problem(.badRequest, "The body cannot be parsed", detail: "the body is not valid JSON: \(error)")
            }
        }
        return Body(text: text, format: format)
    }

    static func tooLarge(_ limit: Int) -> Problem {
        Problem(.contentTooLarge, "Body too large", detail: "the body is over the \(limit) byte limit")
    }

    static func format(of request: Request) throws -> Format {
        guard let contentType = request.headers[.contentType] else {
            throw Problem(.unsupportedMediaType, "Content-Type missing",
                          detail: "send the body with 'Content-Type: application/json' or 'application/yaml'")
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json", "application/problem+json": return .json
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": return .yaml
        default:
            throw Problem(.unsupportedMediaType, "Unsupported Content-Type",
                          detail: "'\(mediaType)' is not accepted; send application/json or application/yaml")
        }
    }

    /// The file name used in field errors.
    var file: String { "<body>" }
}

/// JSON responses.
enum Reply {
    /// A typed answer, its members in the order the type encodes them.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, location: String? = nil) throws -> Response {
        json(rendered: try JSONValueEncoder().encode(value).rendered, status: status, location: location)
    }

    /// JSON already written out, such as a stored document sent as it is.
    static func json(rendered text: String, status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func text(_ text: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A body written out as its pieces arrive, so a long report is never held whole. An error
    /// after the first piece can only end the response early.
    static func stream(_ pieces: AsyncThrowingStream<String, any Error>, contentType: String,
                       headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            for try await piece in pieces { try await writer.write(ByteBuffer(string: piece)) }
            try await writer.finish(nil)
        })
    }

    /// A list answer: `items`, and `next` when there may be another page.
    static func list(_ items: [some Encodable], next: String? = nil) throws -> Response {
        try json(ListResponse(items: items, next: next))
    }
}
