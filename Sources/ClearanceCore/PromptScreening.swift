/// Something in a prompt that points at another person's work or likeness.
public struct ScreeningHit: Sendable, Hashable {
    /// What kind of reference was found.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A phrase asking for someone's manner, followed by a name or title.
        case style
        /// A possessive name followed by a likeness feature.
        case likeness
        /// A name on one of the policy's watch-lists.
        case watchList = "watch-list"
    }

    public var kind: Kind
    /// The words of the prompt that matched, as written.
    public var text: String
    /// The watch-list that matched, for `watch-list` hits.
    public var list: String?
    /// The step whose prompt matched, from 0.
    public var step: Int
}

/// Prompt screening compiled from a policy's lists, so each prompt is scanned without re-reading them.
///
/// Matching works on words: runs of letters, digits, hyphens and apostrophes. Curly apostrophes
/// count as straight ones. Phrases and watch-list names match in any case; a name or title after
/// a manner phrase must start with a capital letter.
public struct PromptScreener: Sendable {
    private let mannerPhrases: [[String]]
    private let features: Set<String>
    /// Watch-list entries by their first word (lower-cased).
    private let watchEntries: [String: [(words: [String], list: String)]]

    public init(_ lists: ScreeningLists) {
        mannerPhrases = lists.mannerPhrases.map { Self.words(in: $0).map(\.folded) }.filter { !$0.isEmpty }
        features = Set(lists.likenessFeatures.map { $0.lowercased() })
        var entries: [String: [(words: [String], list: String)]] = [:]
        for list in lists.watchLists {
            for entry in list.entries {
                let words = Self.words(in: entry).map(\.folded)
                guard let first = words.first else { continue }
                entries[first, default: []].append((words, list.name))
            }
        }
        watchEntries = entries
    }

    /// The most hits one prompt reports, and the most words a name or title is taken to run to.
    static let maxHits = 32
    static let maxNameWords = 8

    /// Every reference found in one step's prompt.
    public func screen(_ prompt: String, step: Int) -> [ScreeningHit] {
        let words = Self.words(in: prompt)
        guard !words.isEmpty else { return [] }
        var hits: [ScreeningHit] = []
        var seen: Set<String> = []
        func add(_ kind: ScreeningHit.Kind, _ range: ClosedRange<Int>, list: String? = nil) {
            // One reference is enough to answer "unsure"; past a few dozen, more add nothing but cost.
            guard hits.count < Self.maxHits else { return }
            let text = words[range].map(\.text).joined(separator: " ")
            if seen.insert("\(kind)|\(text)").inserted {
                hits.append(ScreeningHit(kind: kind, text: text, list: list, step: step))
            }
        }
        for start in words.indices {
            // A manner phrase, then optionally "the", then a capitalised name or title.
            for phrase in mannerPhrases where matches(phrase, in: words, at: start) {
                var next = start + phrase.count
                if next < words.count, words[next].folded == "the" { next += 1 }
                guard next < words.count, words[next].isCapitalised else { continue }
                var end = next
                while end + 1 < words.count, end - next + 1 < Self.maxNameWords, words[end + 1].isCapitalised { end += 1 }
                add(.style, start...end)
            }
            // A capitalised possessive, then a likeness feature.
            let word = words[start]
            if word.isCapitalised, word.isPossessive, start + 1 < words.count,
               features.contains(words[start + 1].folded) {
                var first = start
                while first > 0, start - first + 1 < Self.maxNameWords, words[first - 1].isCapitalised,
                      !words[first - 1].isPossessive { first -= 1 }
                add(.likeness, first...(start + 1))
            }
            // A watch-list name.
            for entry in watchEntries[word.bareFolded] ?? [] where matchesEntry(entry.words, in: words, at: start) {
                add(.watchList, start...(start + entry.words.count - 1), list: entry.list)
            }
        }
        return hits
    }

    private func matches(_ phrase: [String], in words: [Word], at start: Int) -> Bool {
        guard start + phrase.count <= words.count else { return false }
        for (offset, part) in phrase.enumerated() where words[start + offset].folded != part { return false }
        return true
    }

    /// Watch-list names also match in the possessive: "Picasso's" counts as "Picasso".
    private func matchesEntry(_ entry: [String], in words: [Word], at start: Int) -> Bool {
        guard start + entry.count <= words.count else { return false }
        for (offset, part) in entry.enumerated() {
            let word = words[start + offset]
            if word.folded != part && word.bareFolded != part { return false }
        }
        return true
    }

    /// One word of a prompt.
    struct Word {
        /// As written, with curly apostrophes straightened.
        var text: String
        /// Lower-cased.
        var folded: String
        /// Lower-cased, without a possessive ending.
        var bareFolded: String
        var isCapitalised: Bool
        var isPossessive: Bool
    }

    static func words(in text: String) -> [Word] {
        var words: [Word] = []
        let scalars = text.unicodeScalars
        var start: String.UnicodeScalarView.Index?
        var curly = false
        func flush(upTo end: String.UnicodeScalarView.Index) {
            guard let from = start else { return }
            start = nil
            var word = String(scalars[from..<end])
            if curly {
                word = word.replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{2018}", with: "'")
                curly = false
            }
            // Apostrophes and hyphens at the edges are quotation marks or dashes, except a possessive "s'".
            // (Scalar-level checks: grapheme-level Character work is what made screening slow.)
            let quote: Unicode.Scalar = "'", dash: Unicode.Scalar = "-"
            if let edge = word.unicodeScalars.first, edge == quote || edge == dash {
                word = String(word.unicodeScalars.drop { $0 == quote || $0 == dash })
            }
            while let edge = word.unicodeScalars.last, edge == dash || (edge == quote && !Self.endsInPossessiveS(word)) {
                word.unicodeScalars.removeLast()
            }
            guard let first = word.unicodeScalars.first else { return }
            let folded = word.lowercased()
            var bare = folded
            var possessive = false
            let last = folded.utf8.last, beforeLast = folded.utf8.dropLast().last
            if beforeLast == UInt8(ascii: "'") && last == UInt8(ascii: "s") {
                bare.unicodeScalars.removeLast(2)
                possessive = !bare.isEmpty
            } else if beforeLast == UInt8(ascii: "s") && last == UInt8(ascii: "'") {
                bare.unicodeScalars.removeLast()
                possessive = true
            }
            let capitalised = first.isASCII ? ("A"..."Z").contains(first) : first.properties.isUppercase
            words.append(Word(text: word, folded: folded, bareFolded: bare, isCapitalised: capitalised, isPossessive: possessive))
        }
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let inWord: Bool
            if scalar.isASCII {
                let value = scalar.value
                inWord = (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value) || (0x30...0x39).contains(value)
                    || scalar == "-" || scalar == "'"
            } else if scalar == "\u{2019}" || scalar == "\u{2018}" {
                inWord = true
                curly = true
            } else {
                inWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            }
            if inWord {
                if start == nil { start = index }
            } else {
                flush(upTo: index)
            }
            index = scalars.index(after: index)
        }
        flush(upTo: scalars.endIndex)
        return words
    }

    /// A word ending in "s'" with something before the s: "James'".
    private static func endsInPossessiveS(_ word: String) -> Bool {
        let scalars = word.unicodeScalars
        guard scalars.count > 2 else { return false }
        let beforeQuote = scalars[scalars.index(scalars.endIndex, offsetBy: -2)]
        return beforeQuote == "s" || beforeQuote == "S"
    }
}
