internal import Foundation

/// Times as the API writes them: ISO 8601 in UTC with milliseconds; days as `YYYY-MM-DD`.
enum Timestamps {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
