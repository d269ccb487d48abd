/// Bar charts drawn as inline SVG on the server: no script, no external library. Every label is
/// escaped, and each chart carries a title and a description for screen readers; the page also
/// shows the same figures in a table.
enum Chart {
    struct Bar: Hashable {
        var label: String
        var value: Int
        /// A CSS class for the bar's colour, e.g. `outcome-escalate`.
        var tone: String = "bar"
    }

    /// Bars side by side, one row each: suits a few named categories (outcomes, areas).
    static func rows(_ bars: [Bar], title: String, id: String) -> String {
        let rowHeight = 28
        let labelWidth = 150
        let plotWidth = 260
        let height = max(bars.count, 1) * rowHeight + 8
        let top = max(bars.map(\.value).max() ?? 0, 1)
        var svg = header(width: labelWidth + plotWidth + 50, height: height, title: title, id: id, bars: bars)
        for (index, bar) in bars.enumerated() {
            let y = 4 + index * rowHeight
            let width = bar.value == 0 ? 0 : max(2, bar.value * plotWidth / top)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\">\(escape(bar.label))</text>"
            svg += "<rect class=\"\(escape(bar.tone))\" x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"\(rowHeight - 10)\"/>"
            svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 18)\">\(bar.value)</text>"
        }
        return svg + "</svg>"
    }

    /// Columns along a time axis, oldest first: suits months.
    static func columns(_ bars: [Bar], title: String, id: String) -> String {
        let columnWidth = 50
        let plotHeight = 140
        let width = max(bars.count, 1) * columnWidth + 20
        let top = max(bars.map(\.value).max() ?? 0, 1)
        var svg = header(width: width, height: plotHeight + 50, title: title, id: id, bars: bars)
        for (index, bar) in bars.enumerated() {
            let x = 10 + index * columnWidth
            let height = bar.value == 0 ? 0 : max(2, bar.value * plotHeight / top)
            let y = 20 + plotHeight - height
            svg += "<rect class=\"\(escape(bar.tone))\" x=\"\(x + 6)\" y=\"\(y)\" width=\"\(columnWidth - 12)\" height=\"\(height)\"/>"
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"\(y - 4)\" text-anchor=\"middle\">\(bar.value)</text>"
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"\(plotHeight + 38)\" text-anchor=\"middle\">\(escape(bar.label))</text>"
        }
        return svg + "</svg>"
    }

    private static func header(width: Int, height: Int, title: String, id: String, bars: [Bar]) -> String {
        let summary = bars.isEmpty ? "no data" : bars.map { "\($0.label): \($0.value)" }.joined(separator: ", ")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"\(escape(id))-title \(escape(id))-desc\">"
            + "<title id=\"\(escape(id))-title\">\(escape(title))</title>"
            + "<desc id=\"\(escape(id))-desc\">\(escape(summary))</desc>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
