/// A line-by-line comparison of two texts, such as two versions of a policy: the longest common
/// subsequence of lines, with everything else marked as removed or added.
public enum LineDiff {
    public enum Change: String, Sendable, Hashable {
        case same, removed, added
    }

    public struct Line: Sendable, Hashable {
        public var change: Change
        public var text: String
        /// The line's number in the old text (same and removed lines).
        public var oldNumber: Int?
        /// The line's number in the new text (same and added lines).
        public var newNumber: Int?
    }

    /// The table the comparison needs grows with the product of the two line counts; past this,
    /// the texts are compared as a whole-text replacement instead.
    public static let maxCells = 4_000_000

    public static func compare(_ old: String, _ new: String) -> [Line] {
        let a = lines(old)
        let b = lines(new)
        // Trim the common head and tail first: versions of a policy mostly share them.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        var result: [Line] = (0..<head).map { Line(change: .same, text: a[$0], oldNumber: $0 + 1, newNumber: $0 + 1) }
        let middleA = Array(a[head..<(a.count - tail)])
        let middleB = Array(b[head..<(b.count - tail)])
        result += middle(middleA, middleB, offset: head)
        for index in 0..<tail {
            let oldIndex = a.count - tail + index
            let newIndex = b.count - tail + index
            result.append(Line(change: .same, text: a[oldIndex], oldNumber: oldIndex + 1, newNumber: newIndex + 1))
        }
        return result
    }

    private static func middle(_ a: [String], _ b: [String], offset: Int) -> [Line] {
        let removedAll = a.enumerated().map { Line(change: .removed, text: $1, oldNumber: offset + $0 + 1, newNumber: nil) }
        let addedAll = b.enumerated().map { Line(change: .added, text: $1, oldNumber: nil, newNumber: offset + $0 + 1) }
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= maxCells else { return removedAll + addedAll }
        // lengths[i][j]: the longest common subsequence of a[i...] and b[j...].
        let width = b.count + 1
        var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lengths[i * width + j] = a[i] == b[j]
                    ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var result: [Line] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                result.append(Line(change: .same, text: a[i], oldNumber: offset + i + 1, newNumber: offset + j + 1))
                i += 1
                j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                result.append(removedAll[i])
                i += 1
            } else {
                result.append(addedAll[j])
                j += 1
            }
        }
        result += removedAll[i...]
        result += addedAll[j...]
        return result
    }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
