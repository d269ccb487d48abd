/// What an XMP packet says about provenance.
struct XMPFacts: Sendable, Hashable {
    /// `Iptc4xmpExt:DigitalSourceType` values, element or attribute, whatever the prefix.
    var digitalSourceTypes: [String] = []
    /// IPTC 2025.1 AI fields, by local name (`AISystemUsed`, `AIPromptInformation`, …).
    var aiFields: [(name: String, value: String)] = []
    /// `dcterms:provenance`: where a manifest kept outside the file lives.
    var remoteManifests: [String] = []
    /// `xmp:CreatorTool`.
    var creatorTools: [String] = []
    /// `xmpMM:DocumentID`, `InstanceID` and `OriginalDocumentID`.
    var identifiers: [String] = []

    static func == (lhs: XMPFacts, rhs: XMPFacts) -> Bool {
        lhs.digitalSourceTypes == rhs.digitalSourceTypes && lhs.remoteManifests == rhs.remoteManifests
            && lhs.creatorTools == rhs.creatorTools && lhs.identifiers == rhs.identifiers
            && lhs.aiFields.map(\.name) == rhs.aiFields.map(\.name) && lhs.aiFields.map(\.value) == rhs.aiFields.map(\.value)
    }

    func hash(into hasher: inout Hasher) { hasher.combine(digitalSourceTypes) }
}

/// A small namespace-aware reader for XMP packets. It resolves prefixes the way XML does, so
/// `ipx:DigitalSourceType` counts when `ipx` is bound to the IPTC extension namespace, and it
/// reads a property written as an element, as an `rdf:resource`, or as an attribute of
/// `rdf:Description`. It expands no entities beyond the five predefined and character
/// references, and it bounds nesting, so a hostile packet costs linear time.
struct XMPReader {
    static let iptcExtension = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    static let dublinCoreTerms = "http://purl.org/dc/terms/"
    static let xmpBasic = "http://ns.adobe.com/xap/1.0/"
    static let xmpMediaManagement = "http://ns.adobe.com/xap/1.0/mm/"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let aiFieldNames: Set<String> = ["AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName"]

    /// The properties the scan reads, by namespace URI and local name.
    private enum Property {
        case digitalSourceType, aiField, provenance, creatorTool, identifier

        init?(_ namespace: String, _ name: String) {
            switch (namespace, name) {
            case (XMPReader.iptcExtension, "DigitalSourceType"): self = .digitalSourceType
            case (XMPReader.iptcExtension, _) where XMPReader.aiFieldNames.contains(name): self = .aiField
            case (XMPReader.dublinCoreTerms, "provenance"): self = .provenance
            case (XMPReader.xmpBasic, "CreatorTool"): self = .creatorTool
            case (XMPReader.xmpMediaManagement, "DocumentID"), (XMPReader.xmpMediaManagement, "InstanceID"),
                 (XMPReader.xmpMediaManagement, "OriginalDocumentID"): self = .identifier
            default: return nil
            }
        }
    }

    private struct Element {
        var namespace: String
        var name: String
        var bindings: [String: String]
        /// For a property being read: the values found so far (one per `rdf:li`, or its own text)
        /// and the text still being gathered.
        var values: [String] = []
        var text = ""
        /// `rdf:Description` directly under `rdf:RDF`: the resource the packet describes, as
        /// opposed to an ingredient's description nested in `xmpMM:Pantry` or `History`.
        var isTopDescription = false
    }

    static func read(_ bytes: [UInt8], maximumDepth: Int = 64) -> XMPFacts {
        var facts = XMPFacts()
        var stack: [Element] = []
        /// Where the property being read sits in `stack`, if one is.
        var owner: Int?
        var index = 0
        let count = bytes.count

        func resolve(_ prefix: String, in stack: [Element], extra: [String: String]) -> String? {
            if let uri = extra[prefix] { return uri }
            for element in stack.reversed() { if let uri = element.bindings[prefix] { return uri } }
            return prefix == "xml" ? "http://www.w3.org/XML/1998/namespace" : nil
        }

        func record(_ property: Property, name: String, value: String, topLevel: Bool) {
            let value = value.trimmingWhitespace()
            guard !value.isEmpty else { return }
            switch property {
            case .digitalSourceType: facts.digitalSourceTypes.append(value)
            case .aiField: facts.aiFields.append((name, value))
            case .provenance: facts.remoteManifests.append(value)
            case .creatorTool: facts.creatorTools.append(value)
            case .identifier:
                // Only the described file's own ids: an ingredient's would let an approval for
                // the ingredient cover everything made from it.
                if topLevel, !facts.identifiers.contains(value) { facts.identifiers.append(value) }
            }
        }

        /// Ends a value inside the property: text gathered so far becomes one value.
        func flush(_ stack: inout [Element], _ owner: Int) {
            let value = stack[owner].text.trimmingWhitespace()
            if !value.isEmpty { stack[owner].values.append(value) }
            stack[owner].text = ""
        }

        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                let start = index
                while index < count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                if let owner { stack[owner].text += decodeEntities(bytes[start ..< index]) }
                continue
            }
            if matches(bytes, at: index, "<?") { index = skip(bytes, from: index + 2, past: "?>"); continue }
            if matches(bytes, at: index, "<!--") { index = skip(bytes, from: index + 4, past: "-->"); continue }
            if matches(bytes, at: index, "<![CDATA[") {
                let start = index + 9
                index = skip(bytes, from: start, past: "]]>")
                if let owner { stack[owner].text += text(bytes[start ..< max(start, index - 3)]) }
                continue
            }
            if matches(bytes, at: index, "<!") { index = skip(bytes, from: index + 2, past: ">"); continue }
            if matches(bytes, at: index, "</") {
                index = skip(bytes, from: index + 2, past: ">")
                guard !stack.isEmpty else { continue }
                if let current = owner { flush(&stack, current) }
                let closed = stack.removeLast()
                if let current = owner {
                    if current == stack.count {
                        // The property itself closes: record each of its values.
                        let topLevel = stack.last?.isTopDescription ?? false
                        if let property = Property(closed.namespace, closed.name) {
                            for value in closed.values { record(property, name: closed.name, value: value, topLevel: topLevel) }
                        }
                        owner = nil
                    }
                }
                continue
            }
            // A start tag: name, attributes, and whether it closes itself.
            var cursor = index + 1
            let name = readName(bytes, &cursor)
            var attributes: [(String, String)] = []
            var selfClosing = false
            while cursor < count {
                while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                guard cursor < count else { break }
                if bytes[cursor] == UInt8(ascii: ">") { cursor += 1; break }
                if matches(bytes, at: cursor, "/>") { selfClosing = true; cursor += 2; break }
                let attribute = readName(bytes, &cursor)
                while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                guard cursor < count, bytes[cursor] == UInt8(ascii: "="), !attribute.isEmpty else { cursor += 1; continue }
                cursor += 1
                while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                guard cursor < count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") else { continue }
                let quote = bytes[cursor]
                let start = cursor + 1
                cursor = start
                while cursor < count, bytes[cursor] != quote { cursor += 1 }
                attributes.append((attribute, decodeEntities(bytes[start ..< min(cursor, count)])))
                cursor += 1
            }
            index = cursor
            guard !name.isEmpty else { continue }

            var bindings: [String: String] = [:]
            for (attribute, value) in attributes {
                if attribute == "xmlns" { bindings[""] = value }
                else if attribute.hasPrefix("xmlns:") { bindings[String(attribute.dropFirst(6))] = value }
            }
            let (prefix, local) = split(name)
            let namespace = resolve(prefix, in: stack, extra: bindings) ?? ""
            let parent = stack.last
            let isTopDescription = namespace == rdf && local == "Description"
                && parent.map { $0.namespace == rdf && $0.name == "RDF" } == true
            // Properties written as attributes (the short form of `rdf:Description`), and
            // `rdf:resource` on a property element.
            var resource: String?
            for (attribute, value) in attributes where !attribute.hasPrefix("xmlns") && attribute.contains(":") {
                let (attributePrefix, attributeLocal) = split(attribute)
                guard let uri = resolve(attributePrefix, in: stack, extra: bindings) else { continue }
                if uri == rdf, attributeLocal == "resource" { resource = value; continue }
                if let property = Property(uri, attributeLocal) {
                    record(property, name: attributeLocal, value: value, topLevel: isTopDescription)
                }
            }
            if let owner, !selfClosing {
                // An element inside a property (`rdf:Alt`, `rdf:li`): what came before it is one value.
                flush(&stack, owner)
            }
            let property = owner == nil ? Property(namespace, local) : nil
            if let property, let resource {
                record(property, name: local, value: resource, topLevel: parent?.isTopDescription ?? false)
            }
            guard !selfClosing else { continue }
            guard stack.count < maximumDepth else { break }
            stack.append(Element(namespace: namespace, name: local, bindings: bindings, isTopDescription: isTopDescription))
            if property != nil && resource == nil { owner = stack.count - 1 }
        }
        return facts
    }

    private static func split(_ name: String) -> (String, String) {
        guard let colon = name.firstIndex(of: ":") else { return ("", name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func readName(_ bytes: [UInt8], _ cursor: inout Int) -> String {
        let start = cursor
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") { break }
            cursor += 1
        }
        return text(bytes[start ..< cursor])
    }

    private static func matches(_ bytes: [UInt8], at index: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0 ..< count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    private static func skip(_ bytes: [UInt8], from start: Int, past literal: StaticString) -> Int {
        var index = start
        while index < bytes.count {
            if matches(bytes, at: index, literal) { return index + literal.utf8CodeUnitCount }
            index += 1
        }
        return bytes.count
    }

    static func decodeEntities(_ bytes: ArraySlice<UInt8>) -> String {
        let raw = text(bytes)
        guard raw.contains("&") else { return raw }
        var result = ""
        var rest = Substring(raw)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semicolon = after.prefix(12).firstIndex(of: ";") else { result += "&"; rest = after; continue }
            let entity = after[..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init) }
                if let scalar { result.unicodeScalars.append(scalar) } else { result += "&" + entity + ";" }
            }
            rest = after[after.index(after: semicolon)...]
        }
        return result + rest
    }
}
