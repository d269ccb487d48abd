internal import ClearanceStore
internal import Foundation
internal import Logging
internal import PostgresNIO

/// One connection's statements, inside or outside a transaction. Records travel as JSON: out with
/// `to_json(row)`, in with `json_populate_record`, so every record type uses the same few
/// statements and the column names stay the coding keys.
struct Rows {
    let connection: PostgresConnection
    let logger: Logger

    /// Every row of a query that selects one JSON text column, decoded as `T`.
    func all<T: Decodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> [T] {
        var result: [T] = []
        for try await (text) in try await connection.query(query, logger: logger).decode(String.self) {
            result.append(try RecordJSON.decoder.decode(T.self, from: Data(text.utf8)))
        }
        return result
    }

    func one<T: Decodable>(_ type: T.Type, _ query: PostgresQuery) async throws -> T? {
        try await all(type, query).first
    }

    /// The first column of the first row, as an optional integer (counts, maxima).
    func integer(_ query: PostgresQuery) async throws -> Int? {
        for try await (value) in try await connection.query(query, logger: logger).decode(Int?.self) { return value }
        return nil
    }

    /// Runs a statement and reads its rows to the end, so the connection is free for the next.
    func run(_ query: PostgresQuery) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
    }

    /// Inserts many records of one table in one statement, in the given order.
    func insertAll<T: StoredRecord>(_ records: [T]) async throws {
        guard let first = records.first else { return }
        let rows = "json_populate_recordset(NULL::\(PostgresTransaction.quoted(T.table.name)), $1::json) WITH ORDINALITY"
        try await run(Self.statement(try PostgresTransaction.statement(.insert(first), T.table, rows: rows), records))
    }

    /// A statement with fixed text (table and column names from `StoreTable`, never input)
    /// and the record as its one bound value.
    static func statement<T: Encodable>(_ sql: String, _ record: T) throws -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(String(decoding: try RecordJSON.encoder.encode(record), as: UTF8.self))
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}

/// Records as JSON the way PostgreSQL reads and writes it: times in ISO 8601 with milliseconds.
enum RecordJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamps.string(date))
        }
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text)")
            }
            return date
        }
        return decoder
    }

    /// `2026-09-21T12:00:00.059+00:00` as PostgreSQL's JSON writes a timestamptz (any number of
    /// fraction digits, any offset), or with `Z`.
    static func parse(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[from..<(from + count)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 19, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < scalars.count, scalars[index] >= 48, scalars[index] <= 57 {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < scalars.count, scalars[index] == UInt8(ascii: "+") || scalars[index] == UInt8(ascii: "-") {
            let sign = scalars[index] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = number(index + 1, 2) else { return nil }
            let minutes = number(index + 4, 2) ?? 0
            offset = sign * (hours * 3600 + minutes * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute,
                                                            second: second)) else { return nil }
        // Milliseconds, as the service writes them everywhere.
        let seconds = base.timeIntervalSince1970 + (fraction * 1000).rounded() / 1000 - Double(offset)
        return Date(timeIntervalSince1970: seconds)
    }
}
