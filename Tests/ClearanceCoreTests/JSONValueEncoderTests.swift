import ClearanceCore
import Foundation
import Testing

/// Typed values encoded into `JSONValue`: the members in the order encoded, and the text the
/// hand-built values rendered as.
@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    struct Step: Encodable {
        var tool: String
        var inputs: [String]
    }

    struct Request: Encodable {
        var title: String
        var steps: [Step]
        var revision: Int
        var review: String?
        @ExplicitNull var expiresOn: String?
        var approved: Bool
        var extra: [String: Int]?

        enum CodingKeys: String, CodingKey {
            case title, steps, revision, review, expiresOn = "expires-on", approved, extra
        }
    }

    func rendered(_ value: some Encodable) throws -> String { try JSONValueEncoder().encode(value).rendered }

    @Test("members come in the order they are encoded, not sorted")
    func order() throws {
        let request = Request(title: "T", steps: [Step(tool: "x", inputs: ["prompt", "image"])], revision: 2, review: "r",
                              expiresOn: "2027-01-31", approved: true, extra: nil)
        #expect(try rendered(request)
                == #"{"title":"T","steps":[{"tool":"x","inputs":["prompt","image"]}],"revision":2,"review":"r","expires-on":"2027-01-31","approved":true}"#)
    }

    @Test("a nil optional is left out, and an explicit null is written as null")
    func nulls() throws {
        let request = Request(title: "T", steps: [], revision: 1, review: nil, expiresOn: nil, approved: false, extra: nil)
        #expect(try rendered(request) == #"{"title":"T","steps":[],"revision":1,"expires-on":null,"approved":false}"#)
        #expect(try rendered([String?.none, "a"]) == #"[null,"a"]"#)
        #expect(try rendered(ExplicitNull<Int>(wrappedValue: nil)) == "null")
    }

    @Test("strings are escaped as the renderer escapes them")
    func escapes() throws {
        let text = "Q \"quoted\" \\ line\nend\ttab \u{1} \u{7F} caf\u{E9} \u{1F3AC}"
        #expect(try rendered(text) == JSONValue.string(text).rendered)
        #expect(try rendered(["k\"ey": text]) == JSONValue.object([.init("k\"ey", .string(text))]).rendered)
    }

    @Test("integers of every width are numbers; fractions and numbers beyond Int are refused")
    func numbers() throws {
        struct Numbers: Encodable {
            var int = -3
            var int64: Int64 = 9_000_000_000
            var byte: UInt8 = 255
            var whole = 4.0
        }
        #expect(try rendered(Numbers()) == #"{"int":-3,"int64":9000000000,"byte":255,"whole":4}"#)
        #expect(try rendered([Int32(7), -7]) == "[7,-7]")
        #expect(throws: EncodingError.self) { try rendered(0.5) }
        #expect(throws: EncodingError.self) { try rendered(["n": UInt64.max]) }
    }

    @Test("nested keyed and unkeyed containers, and one object asked for twice")
    func nesting() throws {
        struct Tagged: Encodable {
            var kind: String
            var inner: Step

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: JSONValue.MemberKey.self)
                try container.encode(kind, forKey: .init("kind"))
                try inner.encode(to: encoder)
                var nested = container.nestedContainer(keyedBy: JSONValue.MemberKey.self, forKey: .init("more"))
                var list = nested.nestedUnkeyedContainer(forKey: .init("list"))
                try list.encode(1)
                var pair = list.nestedUnkeyedContainer()
                try pair.encode("a")
                try pair.encodeNil()
                var object = list.nestedContainer(keyedBy: JSONValue.MemberKey.self)
                try object.encode(true, forKey: .init("deep"))
                // A member encoded again keeps its place.
                try container.encode("again", forKey: .init("kind"))
            }
        }
        #expect(try rendered(Tagged(kind: "step", inner: Step(tool: "x", inputs: [])))
                == #"{"kind":"again","tool":"x","inputs":[],"more":{"list":[1,["a",null],{"deep":true}]}}"#)
    }

    @Test("a JSONValue goes in as it is, duplicate members and all")
    func embeddedDocuments() throws {
        struct Holder: Encodable {
            var document: JSONValue
            var missing: JSONValue
        }
        let document = JSONValue.object([.init("b", .number(1)), .init("a", .array([.bool(true), .null])), .init("b", .string("x"))])
        #expect(try rendered(Holder(document: document, missing: .null))
                == #"{"document":{"b":1,"a":[true,null],"b":"x"},"missing":null}"#)
        #expect(try JSONValueEncoder().encode(document) == document)
    }

    @Test("JSONValue encodes with any encoder, as JSONEncoder shows")
    func foundationEncoder() throws {
        let value = JSONValue.object([.init("z", .number(1)), .init("a", .array([.string("s"), .null, .bool(false)]))])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == value.canonical)
    }

    @Test("a time is written as the service writes times")
    func dates() throws {
        let time = Date(timeIntervalSince1970: 1_790_000_000.5)
        #expect(try rendered(["at": time]) == #"{"at":"2026-09-21T14:13:20.500Z"}"#)
        #expect(JSONValueEncoder.timestamp(time) == "2026-09-21T14:13:20.500Z")
    }

    @Test("a value that encodes nothing is an empty object")
    func empty() throws {
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        #expect(try rendered(Nothing()) == "{}")
    }
}
