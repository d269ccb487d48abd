internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation

/// The figures a dashboard shows, from what the database counted: uses by outcome, by area and by
/// month, and how long escalated uses waited for their verdict. Pure: the clock is passed in.
struct Dashboard {
    var byOutcome: [Chart.Bar]
    var byArea: [Chart.Bar]
    var byMonth: [Chart.Bar]
    /// Hours from triage to the verdict that settled it, per settled escalated use.
    var waits: [Double]
    var waitBuckets: [Chart.Bar]
    var total: Int

    static let months = 12

    init(_ counts: DashboardCounts, now: Date) {
        total = counts.total
        byOutcome = Outcome.allCases.map { outcome in
            Chart.Bar(label: Wording.outcomeTag(outcome), value: counts.byOutcome[outcome] ?? 0, tone: "outcome-\(outcome.rawValue)")
        }
        byArea = Area.allCases.map { area in
            Chart.Bar(label: Wording.area(area), value: counts.byArea[area] ?? 0, tone: "area")
        }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        byMonth = Self.monthKeys(now).map { key in
            Chart.Bar(label: "\(names[key.month - 1]) \(String(key.year).suffix(2))",
                      value: counts.byMonth[String(format: "%04d-%02d", key.year, key.month)] ?? 0, tone: "month")
        }
        let waits = counts.settled.compactMap(Self.wait).sorted()
        self.waits = waits
        let buckets: [(String, ClosedRange<Double>)] = [
            ("under 1 day", 0...24), ("1 to 3 days", 24.000001...72), ("3 to 7 days", 72.000001...168),
            ("over a week", 168.000001...Double.greatestFiniteMagnitude),
        ]
        waitBuckets = buckets.map { label, range in
            Chart.Bar(label: label, value: waits.filter { range.contains($0) }.count, tone: "wait")
        }
    }

    /// The last twelve calendar months (UTC), oldest first.
    static func monthKeys(_ now: Date) -> [(year: Int, month: Int)] {
        let thisMonth = utc.dateComponents([.year, .month], from: now)
        var keys: [(year: Int, month: Int)] = []
        for back in stride(from: Self.months - 1, through: 0, by: -1) {
            var year = thisMonth.year ?? 2000
            var month = (thisMonth.month ?? 1) - back
            while month < 1 {
                month += 12
                year -= 1
            }
            keys.append((year, month))
        }
        return keys
    }

    /// The start of the oldest month a dashboard shows: where its count of requests by month begins.
    static func since(_ now: Date) -> Date {
        let first = monthKeys(now)[0]
        return utc.date(from: DateComponents(year: first.year, month: first.month, day: 1)) ?? now
    }

    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }

    /// Hours from the triage that escalated the current revision to the verdict that settled it:
    /// the last counting verdict for an approval, the first refusal otherwise.
    static func wait(_ use: SettledUse) -> Double? {
        let settled: Date? = switch use.state {
        case .approved: use.verdicts.map(\.at).max()
        case .rejected: use.verdicts.filter { $0.kind == .rejected }.map(\.at).min()
        case .changesRequested: use.verdicts.filter { $0.kind == .changesRequested }.map(\.at).min()
        default: nil
        }
        guard let settled else { return nil }
        return max(0, settled.timeIntervalSince(use.triagedAt) / 3600)
    }

    /// The median wait, in words.
    var medianWait: String {
        guard !waits.isEmpty else { return "no escalated use has been decided yet" }
        let middle = waits.count / 2
        let hours = waits.count.isMultiple(of: 2) ? (waits[middle - 1] + waits[middle]) / 2 : waits[middle]
        return Self.duration(hours)
    }

    static func duration(_ hours: Double) -> String {
        if hours < 1 {
            let minutes = max(1, Int((hours * 60).rounded()))
            return minutes == 1 ? "1 minute" : "\(minutes) minutes"
        }
        if hours < 48 { return String(format: "%.1f hours", hours) }
        return String(format: "%.1f days", hours / 24)
    }
}
