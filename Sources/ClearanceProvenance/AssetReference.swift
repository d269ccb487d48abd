/// What an approval says it covers in the deliverables: a path glob, or an asset id.
///
/// - `id:VALUE` names an asset id, matched exactly against the identifiers a file declares
///   (XMP document or instance ids, a C2PA manifest's instance id).
/// - Anything else is a path glob, matched against the path under the scanned root:
///   `*` and `?` stay within one path segment, `**` crosses segments. A glob with no `/`
///   matches a file's name in any folder; one with a `/` matches the path's last segments
///   (`shots/*.exr` matches `out/shots/a.exr`), unless it starts with `/`, which anchors it at
///   the scanned root.
public struct AssetReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case pathGlob(String)
        case assetID(String)
    }

    public let kind: Kind

    /// Why a text is not a usable reference.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case empty
        case emptyAssetID
        case tooLong(Int)
        case controlCharacter

        public var description: String {
            switch self {
            case .empty: "an asset reference is empty"
            case .emptyAssetID: "`id:` needs an asset id after it"
            case .tooLong(let count): "an asset reference is \(count) characters; the limit is \(AssetReference.maximumLength)"
            case .controlCharacter: "an asset reference holds a control character"
            }
        }
    }

    public static let maximumLength = 512

    public init(parsing text: String) throws(Problem) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= Self.maximumLength else { throw .tooLong(trimmed.count) }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .controlCharacter
        }
        if trimmed.hasPrefix("id:") {
            let id = String(trimmed.dropFirst(3)).trimmingWhitespace()
            guard !id.isEmpty else { throw .emptyAssetID }
            kind = .assetID(id)
        } else {
            kind = .pathGlob(trimmed)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        switch kind {
        case .pathGlob(let glob): glob
        case .assetID(let id): "id:\(id)"
        }
    }

    /// Whether this reference covers a file at `relativePath` (under the scanned root, `/`
    /// separated) that declares `identifiers`.
    public func covers(relativePath: String, identifiers: [String]) -> Bool {
        switch kind {
        case .assetID(let id):
            return identifiers.contains(id)
        case .pathGlob(let glob):
            let path = relativePath.hasPrefix("./") ? String(relativePath.dropFirst(2)) : relativePath
            if !glob.contains("/") {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                return Self.glob(Array(glob.utf8), matches: Array(name.utf8))
            }
            if glob.hasPrefix("/") {
                return Self.glob(Array(glob.dropFirst().utf8), matches: Array(path.utf8))
            }
            // Any tail of the path that starts at a folder boundary.
            let pattern = Array(glob.utf8)
            let bytes = Array(path.utf8)
            if Self.glob(pattern, matches: bytes) { return true }
            for index in bytes.indices where bytes[index] == UInt8(ascii: "/") {
                if Self.glob(pattern, matches: Array(bytes[(index + 1)...])) { return true }
            }
            return false
        }
    }

    /// Glob matching with backtracking bounded by memoisation, so a hostile pattern such as
    /// `*a*a*a*a*b` cannot take exponential time.
    static func glob(_ pattern: [UInt8], matches text: [UInt8]) -> Bool {
        let slash = UInt8(ascii: "/")
        var memo = [Bool?](repeating: nil, count: (pattern.count + 1) * (text.count + 1))
        func match(_ p: Int, _ t: Int) -> Bool {
            let key = p * (text.count + 1) + t
            if let known = memo[key] { return known }
            let result: Bool
            if p == pattern.count {
                result = t == text.count
            } else if pattern[p] == UInt8(ascii: "*") {
                let doubleStar = p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: "*")
                if doubleStar {
                    // `**/` also matches no folders at all.
                    var next = p + 2
                    if next < pattern.count, pattern[next] == slash, match(next + 1, t) {
                        result = true
                        memo[key] = result
                        return result
                    }
                    next = p + 2
                    result = match(next, t) || (t < text.count && match(p, t + 1))
                } else {
                    result = match(p + 1, t) || (t < text.count && text[t] != slash && match(p, t + 1))
                }
            } else if t < text.count, pattern[p] == UInt8(ascii: "?") ? text[t] != slash : pattern[p] == text[t] {
                result = match(p + 1, t + 1)
            } else {
                result = false
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
