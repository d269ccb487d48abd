internal import Crypto
internal import Foundation
internal import Yams

/// SHA-256 digests over canonical forms, written `sha256:<hex>`.
public enum CanonicalDigest {
    /// The digest of a JSON value's canonical rendering.
    public static func of(_ value: JSONValue) -> String {
        of(bytes: value.bytes(canonical: true))
    }

    /// Any JSON or YAML text in canonical form, through the general (tree-sorting) writer; tests
    /// use it to check the direct writers.
    static func recanonicalize(_ text: String) -> String? {
        guard let node = try? Yams.compose(yaml: text, .default, .default, .utf8) else { return nil }
        return JSONValue(node: node).canonical
    }

    /// The digest of bytes that are already canonical.
    public static func of(bytes: [UInt8]) -> String {
        let digest = SHA256.hash(data: bytes)
        let hex = JSONValue.hexDigits
        var text = Array("sha256:".utf8)
        text.reserveCapacity(71)
        for byte in digest {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension JSONValue {
    /// The data tree of a parsed YAML/JSON document: mappings become objects, and scalars keep the type YAML resolves.
    init(node: Node) {
        switch node {
        case .scalar(let scalar):
            let isPlain = scalar.style == .plain || scalar.style == .any
            if isPlain, let int = node.int, !scalar.string.contains(".") {
                self = .number(int)
            } else if isPlain, ["true", "True", "TRUE", "false", "False", "FALSE"].contains(scalar.string) {
                self = .bool(scalar.string.lowercased() == "true")
            } else if DocumentReader.isNullScalar(node) {
                self = .null
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .array(sequence.map(JSONValue.init(node:)))
        case .mapping(let mapping):
            self = .object(mapping.map { key, value in Member(key.string ?? "", JSONValue(node: value)) })
        case .alias:
            self = .null
        }
    }
}

/// Writes canonical JSON (members sorted, compact) straight to bytes, for records whose members
/// are known: the caller writes members in sorted order, which `canonicalJSONIsSorted` tests.
struct CanonicalWriter {
    var bytes: [UInt8] = []
    private var needsComma = false

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func object(_ body: (inout CanonicalWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<Element>(_ items: [Element], _ body: (inout CanonicalWriter, Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items { body(&self, item) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func key(_ key: String) {
        separate()
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        JSONValue.writeString(value, to: &bytes)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}

extension UseRequest {
    /// The request with every default written out, as canonical JSON: the text the digest covers.
    ///
    /// YAML and JSON spellings of the same request, and a request that spells out a default,
    /// all have the same canonical form.
    public var canonicalJSON: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }

    /// `sha256:` digest of the canonical JSON.
    public var digest: String { CanonicalDigest.of(bytes: canonicalBytes) }

    var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter()
        writer.object { json in
            json.key("answers")
            json.object { json in
                for (id, answer) in answers.sorted(by: { JSONValue.keyPrecedes($0.key, $1.key) }) {
                    json.member(id, answer.rawValue)
                }
            }
            json.member("department", department.rawValue)
            json.member("description", description)
            json.member("format", Self.formatTag)
            json.key("media")
            json.array(media) { json, medium in json.string(medium.rawValue) }
            json.key("nonfiction")
            json.bool(nonfiction)
            json.key("output")
            json.object { json in
                // The rulebook fields are written only when said, so older requests digest as they did.
                if output.advertising {
                    json.key("advertising")
                    json.bool(true)
                }
                json.member("destination", output.destination.rawValue)
                json.member("prominence", output.prominence.rawValue)
                json.key("realistic")
                json.bool(output.realistic)
            }
            if let production { json.member("production", production) }
            json.member("purpose", purpose.rawValue)
            json.key("steps")
            json.array(steps) { json, step in step.writeCanonical(to: &json) }
            if syntheticPerformer != .none { json.member("synthetic-performer", syntheticPerformer.rawValue) }
            json.key("talent")
            json.array(talent) { json, entry in entry.writeCanonical(to: &json) }
            if let territories {
                json.key("territories")
                json.array(territories) { json, territory in json.string(territory.rawValue) }
            }
            json.member("title", title)
            json.member("union-work", unionWork.rawValue)
            if let useDate { json.member("use-date", useDate.description) }
        }
        return writer.bytes
    }
}

extension UseRequest.Step {
    func writeCanonical(to json: inout CanonicalWriter) {
        json.object { json in
            json.key("inputs")
            json.array(inputs) { json, input in json.string(input.rawValue) }
            json.member("model-origin", modelOrigin.rawValue)
            if let prompt { json.member("prompt", prompt) }
            json.key("tool")
            switch tool {
            case .registered(let id): json.string(id)
            case .inline(let record): record.writeCanonical(to: &json)
            }
            json.member("training", training.rawValue)
        }
    }
}

extension ToolRecord {
    /// The record as canonical JSON, in the format's field names.
    public var canonicalJSON: String {
        var writer = CanonicalWriter()
        writeCanonical(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func writeCanonical(to json: inout CanonicalWriter) {
        json.object { json in
            json.key("enterprise")
            json.bool(enterprise)
            json.member("id", id)
            if let name { json.member("name", name) }
            // Written only when set, so records from before the field digest as they did.
            if onPremises {
                json.key("on-premises")
                json.bool(true)
            }
            json.member("retains-inputs", retainsInputs.rawValue)
            if let termsChecked { json.member("terms-checked", termsChecked) }
            json.member("trains-on-inputs", trainsOnInputs.rawValue)
            if let vendor { json.member("vendor", vendor) }
        }
    }
}

extension UseRequest.TalentEntry {
    func writeCanonical(to json: inout CanonicalWriter) {
        json.object { json in
            json.member("consent", consent ?? "none")
            if let consentTerms {
                json.key("consent-terms")
                json.object { json in
                    json.member("represented", consentTerms.represented.rawValue)
                    json.key("separately-signed")
                    json.bool(consentTerms.separatelySigned)
                    json.key("specific-description")
                    json.bool(consentTerms.specificDescription)
                }
            }
            json.key("deceased")
            json.bool(deceased)
            json.member("exception", exception.rawValue)
            if minor {
                json.key("minor")
                json.bool(true)
            }
            json.member("performer", performer)
            if scan {
                json.key("scan")
                json.bool(true)
            }
            json.member("use", use.rawValue)
        }
    }
}
