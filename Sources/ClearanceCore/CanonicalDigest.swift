internal import Crypto
internal import Foundation
internal import Yams

/// SHA-256 digests over canonical forms, written `sha256:<hex>`.
public enum CanonicalDigest {
    /// The digest of a JSON value's canonical rendering.
    public static func of(_ value: JSONValue) -> String {
        let digest = SHA256.hash(data: value.bytes(canonical: true))
        let hex = Array("0123456789abcdef".utf8)
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
            } else if isPlain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
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

extension UseRequest {
    /// The request with every default written out, as the digest covers it.
    ///
    /// YAML and JSON spellings of the same request, and a request that spells out a default,
    /// all have the same canonical form.
    public var canonicalForm: JSONValue {
        var members: [JSONValue.Member] = [
            .init("format", .string(Self.formatTag)),
            .init("title", .string(title)),
            .init("department", .string(department.rawValue)),
            .init("purpose", .string(purpose.rawValue)),
            .init("description", .string(description)),
            .init("media", .array(media.map { .string($0.rawValue) })),
            .init("steps", .array(steps.map { $0.canonicalForm })),
            .init("output", .object([
                .init("destination", .string(output.destination.rawValue)),
                .init("prominence", .string(output.prominence.rawValue)),
                .init("realistic", .bool(output.realistic)),
            ])),
            .init("talent", .array(talent.map { $0.canonicalForm })),
            .init("union-work", .string(unionWork.rawValue)),
            .init("nonfiction", .bool(nonfiction)),
            .init("answers", .object(answers.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value.rawValue)) })),
        ]
        if let production { members.append(.init("production", .string(production))) }
        return .object(members)
    }

    /// `sha256:` digest of the canonical form.
    public var digest: String { CanonicalDigest.of(canonicalForm) }
}

extension UseRequest.Step {
    var canonicalForm: JSONValue {
        var members: [JSONValue.Member] = [
            .init("tool", tool.canonicalForm),
            .init("inputs", .array(inputs.map { .string($0.rawValue) })),
            .init("training", .string(training.rawValue)),
            .init("model-origin", .string(modelOrigin.rawValue)),
        ]
        if let prompt { members.append(.init("prompt", .string(prompt))) }
        return .object(members)
    }
}

extension UseRequest.Step.ToolReference {
    var canonicalForm: JSONValue {
        switch self {
        case .registered(let id): .string(id)
        case .inline(let record): record.canonicalForm
        }
    }
}

extension ToolRecord {
    /// The record as JSON, in the format's field names.
    public var canonicalForm: JSONValue {
        var members: [JSONValue.Member] = [
            .init("id", .string(id)),
            .init("enterprise", .bool(enterprise)),
            .init("trains-on-inputs", .string(trainsOnInputs.rawValue)),
            .init("retains-inputs", .string(retainsInputs.rawValue)),
        ]
        if let name { members.append(.init("name", .string(name))) }
        if let vendor { members.append(.init("vendor", .string(vendor))) }
        if let termsChecked { members.append(.init("terms-checked", .string(termsChecked))) }
        return .object(members)
    }
}

extension UseRequest.TalentEntry {
    var canonicalForm: JSONValue {
        .object([
            .init("performer", .string(performer)),
            .init("use", .string(use.rawValue)),
            .init("exception", .string(exception.rawValue)),
            .init("consent", .string(consent ?? "none")),
            .init("deceased", .bool(deceased)),
        ])
    }
}
