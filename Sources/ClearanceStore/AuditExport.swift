internal import ClearanceCore

/// A chain written out as JSON Lines, for anyone to verify offline with `clearance audit verify
/// --file`: a first line naming the chain and its head, then one line per event, oldest first,
/// carrying every hashed field exactly as stored (`details` as its canonical JSON text).
public enum AuditExport {
    /// The first line.
    public static func heading(_ head: AuditChainHead, exportedAt: String) -> String {
        JSONValue.object([
            .init("chain", .string(head.chain)), .init("position", .number(Int(head.position))), .init("hash", .string(head.hash)),
            .init("anchor", .string(head.anchor)), .init("exported-at", .string(exportedAt)),
        ]).rendered
    }

    /// One event's line.
    public static func line(_ event: AuditEvent) -> String {
        JSONValue.object([
            .init("seq", .number(Int(event.seq))), .init("chain", .string(event.chain)), .init("position", .number(Int(event.position))),
            .init("at", .string(event.at)), .init("actor", .string(event.actor)), .init("action", .string(event.action)),
            .init("studio", event.studioID.map { .string($0) } ?? .null),
            .init("production", event.productionID.map { .string($0) } ?? .null),
            .init("subject", .string(event.subject)), .init("details", .string(event.details)),
            .init("previous-hash", .string(event.previousHash)), .init("hash", .string(event.hash)),
        ]).rendered
    }

    /// Why an export cannot be read, with the line.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var problem: String
        public var description: String { "line \(line): \(problem)" }
    }

    /// Reads an export back: its head and its events, in file order.
    public static func read(_ contents: String) throws(ReadError) -> (head: AuditChainHead, events: [AuditEvent]) {
        let lines = contents.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { throw ReadError(line: 1, problem: "the file is empty; an export starts with its chain's head") }
        let heading = try object(String(first), line: 1)
        let head = AuditChainHead(chain: try text(heading, "chain", line: 1), position: try number(heading, "position", line: 1),
                                  hash: try text(heading, "hash", line: 1), anchor: try text(heading, "anchor", line: 1))
        var events: [AuditEvent] = []
        for (index, raw) in lines.dropFirst().enumerated() {
            let number = index + 2
            let event = try object(String(raw), line: number)
            events.append(AuditEvent(
                seq: try Self.number(event, "seq", line: number), chain: try text(event, "chain", line: number),
                position: try Self.number(event, "position", line: number), at: try text(event, "at", line: number),
                actor: try text(event, "actor", line: number), action: try text(event, "action", line: number),
                studioID: try optionalText(event, "studio", line: number), productionID: try optionalText(event, "production", line: number),
                subject: try text(event, "subject", line: number), details: try text(event, "details", line: number),
                previousHash: try text(event, "previous-hash", line: number), hash: try text(event, "hash", line: number)))
        }
        return (head, events)
    }

    static func object(_ line: String, line number: Int) throws(ReadError) -> JSONValue {
        guard let value = try? JSONText.parse(line), case .object = value else {
            throw ReadError(line: number, problem: "not a JSON object")
        }
        return value
    }

    static func text(_ object: JSONValue, _ key: String, line: Int) throws(ReadError) -> String {
        guard case .string(let value) = object[key] else { throw ReadError(line: line, problem: "'\(key)' is missing or not text") }
        return value
    }

    static func optionalText(_ object: JSONValue, _ key: String, line: Int) throws(ReadError) -> String? {
        switch object[key] {
        case .string(let value): return value
        case .null, nil: return nil
        default: throw ReadError(line: line, problem: "'\(key)' is not text or null")
        }
    }

    static func number(_ object: JSONValue, _ key: String, line: Int) throws(ReadError) -> Int64 {
        guard case .number(let value) = object[key] else { throw ReadError(line: line, problem: "'\(key)' is missing or not a whole number") }
        return Int64(value)
    }
}
