internal import ClearanceCore
internal import ClearanceStore

/// A request document as a person reads it: each answer under a plain label, in the order the
/// intake form asks. The request page shows it; "compare revisions" diffs two of them line by line.
struct RequestDescription {
    struct Item {
        var label: String
        var value: String
    }

    struct Section {
        var heading: String
        var items: [Item]
    }

    var sections: [Section]

    /// `tools` are the studio's registry entries by id; `consents` the records talent entries name.
    init(_ document: JSONValue?, tools: [String: RegisteredTool], consents: [String: ConsentRecord], today: String) {
        let doc = document ?? .object([])
        var sections: [Section] = []
        var use: [Item] = []
        Self.add(&use, "Title", Self.text(doc["title"]))
        Self.add(&use, "Description", Self.text(doc["description"]))
        Self.add(&use, "Department", Self.text(doc["department"]).map(Self.department))
        Self.add(&use, "What it is for", Self.text(doc["purpose"]).map(Self.purpose))
        Self.add(&use, "What the tools make", Self.texts(doc["media"]).map { $0 == "3d" ? "3D" : IntakeForm.label($0) }.joined(separator: ", "))
        sections.append(Section(heading: "The use", items: use))

        for (index, step) in Self.list(doc["steps"]).enumerated() {
            var items: [Item] = []
            switch step["tool"] {
            case .string(let id):
                let tool = tools[id]
                Self.add(&items, "Tool", tool?.record?.name ?? id)
                if let record = tool?.record {
                    Self.add(&items, "Vendor", record.vendor ?? "not recorded")
                    items.append(Item(label: "Registry facts", value: Self.facts(record)))
                } else {
                    items.append(Item(label: "Registry facts", value: "not in the studio's tool registry"))
                }
            case .object:
                let record = ToolRecord.stored(step["tool"]?.rendered ?? "{}")
                Self.add(&items, "Tool", (record?.name ?? Self.text(step["tool"]?["id"])).map { "\($0) (described in the request)" })
                Self.add(&items, "Vendor", record?.vendor)
                if let record { items.append(Item(label: "Facts given", value: Self.facts(record))) }
            default:
                break
            }
            let inputs = Self.texts(step["inputs"]).map { input in
                IntakeForm.inputs.first { $0.0 == input }.map { $0.1.lowercasedFirst } ?? input
            }
            Self.add(&items, "What goes in", inputs.joined(separator: "; "))
            Self.add(&items, "Prompt", Self.text(step["prompt"]))
            Self.add(&items, "Training", Self.text(step["training"]).map(Self.training))
            Self.add(&items, "Model", Self.text(step["model-origin"]).map(Self.origin))
            sections.append(Section(heading: "Step \(index + 1)", items: items))
        }

        var output: [Item] = []
        Self.add(&output, "In the final cut", Self.text(doc["output"]?["destination"]).map { destination in
            IntakeForm.destinations.first { $0.0 == destination }?.1 ?? destination
        })
        Self.add(&output, "On screen", Self.text(doc["output"]?["prominence"]).map(Self.prominence))
        if case .bool(true) = doc["output"]?["realistic"] {
            output.append(Item(label: "Realistic", value: "an audience could take it for real events, people or statements"))
        }
        sections.append(Section(heading: "Where the result ends up", items: output))

        for (index, entry) in Self.list(doc["talent"]).enumerated() {
            var items: [Item] = []
            Self.add(&items, "Performer", Self.text(entry["performer"]))
            Self.add(&items, "Involved as", Self.text(entry["use"]).map { use in
                IntakeForm.talentUses.first { $0.0 == use }?.1 ?? use
            })
            if let exception = Self.text(entry["exception"]), exception != "none" {
                items.append(Item(label: "Exception", value: IntakeForm.exceptions.first { $0.0 == exception }?.1 ?? exception))
            }
            if case .bool(true) = entry["deceased"] { items.append(Item(label: "Deceased", value: "yes")) }
            if let id = Self.text(entry["consent"]), id != "none" {
                if let consent = consents[id] {
                    items.append(Item(label: "Consent on file", value: Self.consent(consent, today: today)))
                    items.append(Item(label: "Permitted use", value: consent.permittedUse))
                } else {
                    items.append(Item(label: "Consent on file", value: "names '\(id)', which is not in this production's register"))
                }
            } else {
                items.append(Item(label: "Consent on file", value: "none named"))
            }
            sections.append(Section(heading: "Performer \(index + 1)", items: items))
        }

        var context: [Item] = []
        Self.add(&context, "Union work", Self.text(doc["union-work"]).map(Self.unionWork))
        context.append(Item(label: "Non-fiction", value: doc["nonfiction"] == .bool(true) ? "yes, a documentary or other non-fiction" : "no"))
        sections.append(Section(heading: "Union work and the production", items: context))
        self.sections = sections.filter { !$0.items.isEmpty }
    }

    /// One line per answer, "Section · Label: value", for comparing two revisions.
    var lines: String {
        sections.flatMap { section in section.items.map { "\(section.heading) · \($0.label): \($0.value)" } }.joined(separator: "\n")
    }

    var values: [[String: Any]] {
        sections.map { section in
            ["heading": section.heading, "items": section.items.map { ["label": $0.label, "value": $0.value] }]
        }
    }

    // MARK: Words

    static func facts(_ record: ToolRecord) -> String {
        var facts = [record.enterprise ? "enterprise agreement" : "no enterprise agreement"]
        facts.append("trains on inputs: \(record.trainsOnInputs.rawValue)")
        facts.append("keeps inputs: \(record.retainsInputs.rawValue)")
        if let checked = record.termsChecked { facts.append("terms checked \(checked)") }
        return facts.joined(separator: "; ")
    }

    static func consent(_ consent: ConsentRecord, today: String) -> String {
        var parts: [String] = ["\(consent.performer), \(consent.kind.rawValue.replacingOccurrences(of: "-", with: " "))"]
        if consent.revokedAt != nil {
            parts.append("revoked")
        } else if let expires = consent.expiresOn, expires < today {
            parts.append("expired \(expires)")
        } else {
            parts.append("in force" + (consent.expiresOn.map { " until \($0)" } ?? ""))
        }
        parts.append(consent.signedSeparately ? "signed separately" : "not signed separately")
        parts.append(consent.noticeOn.map { "notice given \($0)" } ?? "no notice date")
        if let reference = consent.documentRef { parts.append("document \(reference)") }
        return parts.joined(separator: "; ")
    }

    static func department(_ raw: String) -> String { raw == "vfx" ? "VFX" : IntakeForm.label(raw) }

    static func purpose(_ raw: String) -> String {
        switch raw {
        case "vfx": "VFX"
        case "previz": "Previsualisation"
        case "temp": "Temp material"
        case "key-creative": "A key creative element"
        default: IntakeForm.label(raw)
        }
    }

    static func training(_ raw: String) -> String {
        switch raw {
        case "none": "no training"
        case "fine-tune": "a model is fine-tuned on these inputs"
        case "train": "a model is trained from scratch on these inputs"
        default: raw
        }
    }

    static func origin(_ raw: String) -> String {
        switch raw {
        case "vendor": "the vendor's own model"
        case "this-production": "made for this production"
        case "other-production": "made for another production"
        default: raw
        }
    }

    static func prominence(_ raw: String) -> String {
        switch raw {
        case "none": "not on screen"
        case "incidental": "incidental: background, signage, set dressing"
        case "prominent": "prominent on screen"
        case "key-creative": "a key creative element"
        default: raw
        }
    }

    static func unionWork(_ raw: String) -> String {
        switch raw {
        case "none": "does not touch union members' work"
        case "assists": "assists union members' work"
        case "replaces": "replaces work union members usually do"
        case "unsure": "not sure whether it touches union members' work"
        default: raw
        }
    }

    // MARK: Reading the document

    static func add(_ items: inout [Item], _ label: String, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        items.append(Item(label: label, value: value))
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { text } else { nil }
    }

    static func texts(_ value: JSONValue?) -> [String] {
        list(value).compactMap(text)
    }

    static func list(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items) = value { items } else { [] }
    }
}
