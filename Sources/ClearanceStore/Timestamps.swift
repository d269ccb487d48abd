public import ClearanceCore
public import Foundation

/// Times as the service writes them: ISO 8601 in UTC with milliseconds; days as `YYYY-MM-DD`.
public enum Timestamps {
    /// The same text `JSONValueEncoder` writes a `Date` as.
    public static func string(_ date: Date) -> String { JSONValueEncoder.timestamp(date) }

    public static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    /// The UTC day a time falls on, as the rulebooks date decisions.
    public static func calendarDay(_ date: Date) -> Day {
        Day(secondsSince1970: date.timeIntervalSince1970)
    }
}

extension JSONValue {
    /// A string, or null for nil.
    public static func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// A time as the API writes it (`Timestamps.string`), or null for nil.
    public static func time(_ value: Date?) -> JSONValue { value.map { .string(Timestamps.string($0)) } ?? .null }
}
