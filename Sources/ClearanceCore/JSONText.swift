/// A strict JSON reader (RFC 8259) over UTF-8 text, for two jobs the YAML parser cannot do:
///
/// - reading stored JSON back into a `JSONValue` (YAML refuses characters such as DEL, the C1
///   controls and U+FFFE that JSON strings may hold);
/// - handing a JSON body to the YAML-based document reader in a form it accepts: JSON writes a
///   character outside the Basic Multilingual Plane as a surrogate pair (`\ud83c\udfac`), which
///   YAML rejects, and may hold raw characters YAML will not read. `yamlReady` rewrites exactly
///   those spots as YAML escapes and leaves everything else byte for byte, so positions in errors
///   stay right (a rewritten pair shortens its line by two columns).
public enum JSONText {
    /// Objects and arrays nested deeper than this are refused, so a hostile body cannot exhaust the stack.
    public static let maxDepth = 200

    /// Why a text is not JSON, with the 1-based line and column where reading stopped.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var problem: String

        public var description: String { "\(problem) at line \(line), column \(column)" }
    }

    /// Reads a JSON text into a value, keeping object members in order. Integers that fit become
    /// numbers; other numbers keep their text as a string, as the YAML path does.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var reader = Reader(Array(text.utf8), rewriting: false)
        return try reader.document()
    }

    /// Checks that the text is JSON and returns it with the spots YAML cannot read rewritten as
    /// YAML escapes (see the type's summary).
    public static func yamlReady(_ text: String) throws(SyntaxError) -> String {
        var reader = Reader(Array(text.utf8), rewriting: true)
        _ = try reader.document()
        guard reader.rewritten else { return text }
        return String(decoding: reader.output, as: UTF8.self)
    }

    /// Whether the text starts (after white space) like a JSON object or array.
    static func looksLikeJSON(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF: continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        var depth = 0
        /// With `rewriting`, the text as YAML should see it, copied as the reader goes.
        let rewriting: Bool
        var output: [UInt8] = []
        var rewritten = false

        init(_ bytes: [UInt8], rewriting: Bool) {
            self.bytes = bytes
            self.rewriting = rewriting
            if rewriting { output.reserveCapacity(bytes.count) }
        }

        mutating func document() throws(SyntaxError) -> JSONValue {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { advance(3) }
            skipSpace()
            let value = try self.value()
            skipSpace()
            guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
            return value
        }

        // MARK: Values

        mutating func value() throws(SyntaxError) -> JSONValue {
            guard index < bytes.count else { throw fail("the text ends where a value was expected") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail("unexpected character where a value was expected")
            }
        }

        mutating func object() throws(SyntaxError) -> JSONValue {
            try enter()
            advance(1)
            var members: [JSONValue.Member] = []
            skipSpace()
            if peek(UInt8(ascii: "}")) {
                advance(1)
                depth -= 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard peek(UInt8(ascii: "\"")) else { throw fail("expected a member name in double quotes") }
                let key = try string()
                skipSpace()
                guard peek(UInt8(ascii: ":")) else { throw fail("expected ':' after the member name") }
                advance(1)
                skipSpace()
                members.append(JSONValue.Member(key, try value()))
                skipSpace()
                if peek(UInt8(ascii: ",")) { advance(1); continue }
                if peek(UInt8(ascii: "}")) { advance(1); break }
                throw fail("expected ',' or '}' in the object")
            }
            depth -= 1
            return .object(members)
        }

        mutating func array() throws(SyntaxError) -> JSONValue {
            try enter()
            advance(1)
            var items: [JSONValue] = []
            skipSpace()
            if peek(UInt8(ascii: "]")) {
                advance(1)
                depth -= 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                if peek(UInt8(ascii: ",")) { advance(1); continue }
                if peek(UInt8(ascii: "]")) { advance(1); break }
                throw fail("expected ',' or ']' in the array")
            }
            depth -= 1
            return .array(items)
        }

        mutating func enter() throws(SyntaxError) {
            depth += 1
            guard depth <= JSONText.maxDepth else { throw fail("objects and arrays are nested deeper than \(JSONText.maxDepth) levels") }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw fail("unexpected word where a value was expected")
            }
            advance(expected.count)
        }

        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = index
            if peek(UInt8(ascii: "-")) { advance(1) }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs a digit") }
            if bytes[index] == UInt8(ascii: "0") {
                advance(1)
            } else {
                while index < bytes.count, isDigit(bytes[index]) { advance(1) }
            }
            var integral = true
            if peek(UInt8(ascii: ".")) {
                integral = false
                advance(1)
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a decimal point needs digits after it") }
                while index < bytes.count, isDigit(bytes[index]) { advance(1) }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                integral = false
                advance(1)
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { advance(1) }
                guard index < bytes.count, isDigit(bytes[index]) else { throw fail("an exponent needs digits") }
                while index < bytes.count, isDigit(bytes[index]) { advance(1) }
            }
            let literal = String(decoding: bytes[start..<index], as: UTF8.self)
            if integral, let value = Int(literal) { return .number(value) }
            return .string(literal)
        }

        /// A string, with its escapes decoded. The rewriting copy turns a surrogate-pair escape into
        /// YAML's `\UXXXXXXXX` and escapes raw characters YAML does not accept.
        mutating func string() throws(SyntaxError) -> String {
            advance(1)
            var scalars = String.UnicodeScalarView()
            while true {
                guard index < bytes.count else { throw fail("the text ends inside a string") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    advance(1)
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    try escape(into: &scalars)
                case 0x00..<0x20:
                    throw fail("a control character must be escaped inside a string")
                case 0x7F:
                    scalars.append(Unicode.Scalar(byte))
                    skip(1)
                    emitEscape(0x7F)
                case 0x00..<0x80:
                    scalars.append(Unicode.Scalar(byte))
                    advance(1)
                default:
                    let (scalar, length) = try decodeUTF8()
                    scalars.append(scalar)
                    if isUnreadableByYAML(scalar.value) {
                        skip(length)
                        emitEscape(scalar.value)
                    } else {
                        advance(length)
                    }
                }
            }
        }

        mutating func escape(into scalars: inout String.UnicodeScalarView) throws(SyntaxError) {
            guard index + 1 < bytes.count else { throw fail("the text ends inside an escape") }
            let simple: UInt8? = switch bytes[index + 1] {
            case UInt8(ascii: "\""): UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): UInt8(ascii: "\\")
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
            if let simple {
                scalars.append(Unicode.Scalar(simple))
                advance(2)
                return
            }
            guard bytes[index + 1] == UInt8(ascii: "u") else { throw fail("unknown escape in a string") }
            let first = try hex4(at: index + 2)
            if (0xD800...0xDBFF).contains(first) {
                guard index + 11 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u") else {
                    throw fail("a high surrogate escape must be followed by a low one")
                }
                let second = try hex4(at: index + 8)
                guard (0xDC00...0xDFFF).contains(second) else { throw fail("a high surrogate escape must be followed by a low one") }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                guard let scalar = Unicode.Scalar(value) else { throw fail("the escape is not a character") }
                scalars.append(scalar)
                skip(12)
                emitEscape(value)
                return
            }
            guard let scalar = Unicode.Scalar(first) else { throw fail("a low surrogate escape must follow a high one") }
            scalars.append(scalar)
            advance(6)
        }

        func hex4(at position: Int) throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail("a \\u escape needs four hexadecimal digits") }
            var value: UInt32 = 0
            for byte in bytes[position..<position + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("a \\u escape needs four hexadecimal digits")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }

        /// Decodes one multi-byte UTF-8 sequence at `index` (the text came from a `String`, so it is valid).
        func decodeUTF8() throws(SyntaxError) -> (Unicode.Scalar, Int) {
            let lead = bytes[index]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            guard index + length <= bytes.count else { throw fail("the text ends inside a character") }
            var value = UInt32(lead) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
            for byte in bytes[index + 1..<index + length] { value = value << 6 | UInt32(byte & 0x3F) }
            guard let scalar = Unicode.Scalar(value) else { throw fail("the text is not UTF-8") }
            return (scalar, length)
        }

        /// Characters the YAML reader refuses in its input: DEL, the C1 controls but NEL, and U+FFFE/U+FFFF.
        func isUnreadableByYAML(_ value: UInt32) -> Bool {
            value == 0x7F || (0x80...0x9F).contains(value) && value != 0x85 || value == 0xFFFE || value == 0xFFFF
        }

        // MARK: Moving and copying

        func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: advance(1)
                case 0x0A:
                    advance(1)
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        /// Moves on, copying what was read.
        mutating func advance(_ count: Int) {
            if rewriting { output.append(contentsOf: bytes[index..<index + count]) }
            index += count
        }

        /// Moves on without copying: the caller writes a replacement.
        mutating func skip(_ count: Int) { index += count }

        mutating func emitEscape(_ value: UInt32) {
            guard rewriting else { return }
            rewritten = true
            let digits = value > 0xFFFF ? 8 : 4
            output.append(UInt8(ascii: "\\"))
            output.append(UInt8(ascii: digits == 8 ? "U" : "u"))
            for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                output.append(JSONValue.hexDigits[Int((value >> UInt32(shift)) & 0xF)])
            }
        }

        func fail(_ problem: String) -> SyntaxError {
            let column = String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).unicodeScalars.count + 1
            return SyntaxError(line: line, column: column, problem: problem)
        }
    }
}
