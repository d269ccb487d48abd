internal import Yams

/// How big a parsed YAML or JSON document may be once its aliases are expanded.
///
/// YAML lets a document name a node (`&a`) and repeat it (`*a`); the parser shares the repeated
/// node, but everything that walks the tree walks every repetition, so eight levels of ten
/// aliases each make a 38 KB text stand for a hundred million nodes. Every document the service
/// reads (requests, tools, policies, forms) is counted once, expansion included, and refused
/// past these bounds before anything else walks it.
struct NodeBudget: Sendable {
    /// Nodes after alias expansion. The default policy has a few thousand.
    var maxNodes: Int
    /// Mappings and lists nested in each other.
    var maxDepth: Int

    static let standard = NodeBudget(maxNodes: 200_000, maxDepth: 64)

    /// A plain description of the first bound the tree breaks, or nil when it fits.
    func problem(in root: Node) -> String? {
        var count = 0
        switch walk(root, depth: 1, count: &count) {
        case .fits: return nil
        case .tooMany:
            return "the document is too large once its aliases (*name) are expanded: over \(maxNodes) values; " +
                "write repeated parts out or use fewer aliases"
        case .tooDeep:
            return "mappings and lists are nested more than \(maxDepth) levels deep"
        }
    }

    private enum Outcome { case fits, tooMany, tooDeep }

    private func walk(_ node: Node, depth: Int, count: inout Int) -> Outcome {
        count += 1
        if count > maxNodes { return .tooMany }
        switch node {
        case .scalar, .alias:
            return .fits
        case .sequence(let sequence):
            guard depth <= maxDepth else { return .tooDeep }
            for item in sequence {
                let outcome = walk(item, depth: depth + 1, count: &count)
                if outcome != .fits { return outcome }
            }
            return .fits
        case .mapping(let mapping):
            guard depth <= maxDepth else { return .tooDeep }
            for (key, value) in mapping {
                var outcome = walk(key, depth: depth + 1, count: &count)
                if outcome == .fits { outcome = walk(value, depth: depth + 1, count: &count) }
                if outcome != .fits { return outcome }
            }
            return .fits
        }
    }
}

/// Which characters a text field may hold. Decided at intake, so whatever is stored can be
/// shown, exported and read back: tab, line feed and carriage return are the only controls let
/// in; the C0 and C1 controls, DEL and the Unicode noncharacters (U+FFFE, U+FFFF and the like)
/// are refused with the field named.
public enum TextCharacters {
    /// What is wrong with the text's characters, in plain words, or nil if nothing is.
    public static func problem(in text: String) -> String? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where !isAllowed(scalar.value) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            return "contains a character that cannot be kept as text (U+\(padded), at character \(offset + 1)); remove it"
        }
        return nil
    }

    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20, 0x7F...0x9F: false
        case 0xFDD0...0xFDEF: false
        default: value & 0xFFFE != 0xFFFE
        }
    }
}
