public import Foundation

/// Times as the service writes them: ISO 8601 in UTC with milliseconds; days as `YYYY-MM-DD`.
public enum Timestamps {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
