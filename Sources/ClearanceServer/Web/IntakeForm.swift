internal import ClearanceCore
internal import ClearanceStore

/// The guided intake form: the request format's fields, asked in production language, with the
/// crew's own input and the errors for it. Controls are named by JSON pointer (`FormDocument`).
struct IntakeForm {
    var fields: [FormDocument.Field]
    /// Field errors by JSON pointer.
    var errors: [String: String]
    var tools: [RegisteredTool]
    var consents: [ConsentRecord]
    var principles: [Principle]
    var extraSteps = 0
    var extraTalent = 0

    static let destinations: [(String, String)] = [
        ("internal", "No: it stays inside the production (mood, reference, ideas)"),
        ("pitch", "No: it is only for a pitch"),
        ("temp", "No: it is temp material, replaced before delivery"),
        ("final", "Yes: it will appear in the final cut or another deliverable"),
    ]
    static let inputs: [(String, String)] = [
        ("prompt", "Text prompts we write"),
        ("own-work", "Our own sketches, photos or recordings"),
        ("licensed", "Stock or material licensed for this"),
        ("public-domain", "Public-domain material"),
        ("production-material", "Scripts, production images or unreleased assets"),
        ("unreleased-footage", "Unreleased footage"),
        ("contracts", "Contracts or deal documents"),
        ("personal-data", "Personal data of cast, crew or anyone"),
        ("talent-likeness", "A performer's face, body or voice"),
        ("third-party", "Material we neither own nor licensed"),
    ]
    static let talentUses: [(String, String)] = [
        ("replica", "A digital replica"), ("voice", "Their voice"), ("re-age", "Re-ageing"),
        ("visual-adr", "Visual ADR (changing mouth or lines)"), ("alteration", "Altering their performance"),
    ]
    static let exceptions: [(String, String)] = [
        ("as-scripted", "It stays as scripted"), ("safety", "Safety"),
        ("unrecognizable", "They will not be recognisable"), ("customary-post", "Customary post work (alterations and voice)"),
        ("permitted-dubbing", "Permitted dubbing (voice only)"),
    ]

    /// The names of the form's own controls, with list indices as `N`; any other field of a
    /// document being revised (an inline tool record, say) rides along as a hidden input, so a
    /// revision in the browser loses nothing the API filed.
    static let controls: Set<String> = [
        "/title", "/description", "/department", "/purpose", "/media[]", "/output/destination", "/output/prominence",
        "/output/realistic:bool", "/union-work", "/nonfiction:bool", "/output/advertising:bool", "/synthetic-performer", "/use-date",
        "/steps/N/tool", "/steps/N/unlisted/name", "/steps/N/unlisted/vendor", "/steps/N/unlisted/enterprise:bool",
        "/steps/N/unlisted/trains-on-inputs", "/steps/N/unlisted/retains-inputs", "/steps/N/inputs[]", "/steps/N/prompt", "/steps/N/training", "/steps/N/model-origin",
        "/talent/N/performer", "/talent/N/use", "/talent/N/exception", "/talent/N/consent", "/talent/N/deceased:bool",
        "/talent/N/minor:bool", "/talent/N/scan:bool",
    ]

    static func isControl(_ name: String) -> Bool {
        if name.hasPrefix("/answers/") { return true }
        let general = name.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) == nil ? String($0) : "N" }
        return controls.contains(general.joined(separator: "/"))
    }

    /// Fields the form shows no control for, kept as hidden inputs.
    var hidden: [[String: String]] {
        fields.filter { !Self.isControl($0.name) }.map { ["name": $0.name, "value": $0.value] }
    }

    var stepCount: Int { max(1, Self.count(of: "steps", in: fields)) + extraSteps }
    var talentCount: Int { max(1, Self.count(of: "talent", in: fields)) + extraTalent }

    /// How many entries of a list the fields hold: one past the highest index used.
    static func count(of list: String, in fields: [FormDocument.Field]) -> Int {
        let prefix = "/\(list)/"
        return fields.compactMap { field -> Int? in
            guard field.name.hasPrefix(prefix) else { return nil }
            return field.name.dropFirst(prefix.count).split(separator: "/").first.flatMap { Int($0) }.map { $0 + 1 }
        }.max() ?? 0
    }

    var values: [String: Any] {
        var values: [String: Any] = [
            "title": controls.text("/title", "What is this use, in a line?", hint: "For example: moodboards for the desert city."),
            "description": controls.text("/description", "Describe what you want to do",
                                hint: "What you will make, with which tool, and what happens to the result."),
            "department": controls.select("/department", "Your department", Department.allCases.map { ($0.rawValue, Self.label($0.rawValue)) },
                                 blank: "Choose (optional)"),
            "purpose": controls.select("/purpose", "What is it for?", Purpose.allCases.map { ($0.rawValue, Self.label($0.rawValue)) },
                              blank: "Choose (optional)"),
            "media": controls.checks("/media[]", "What will the tools make?", Medium.allCases.map { ($0.rawValue, $0 == .threeD ? "3D" : Self.label($0.rawValue)) }),
            "destination": controls.radios("/output/destination", "Will any of this appear in the final cut?", Self.destinations, default: "internal"),
            "prominence": controls.select("/output/prominence", "How visible or important to the story is it?", [
                ("none", "Not on screen"), ("incidental", "Incidental: background, signage, set dressing"),
                ("prominent", "Prominent on screen"), ("key-creative", "A key creative element (character, story, world)"),
            ], blank: nil),
            "realistic": controls.checkbox("/output/realistic:bool", "An audience could take it for real events, people or statements"),
            "unionWork": controls.select("/union-work", "Does it touch work union members usually do?", [
                ("none", "No"), ("assists", "It assists them"), ("replaces", "It replaces their work"), ("unsure", "Not sure"),
            ], blank: nil),
            "nonfiction": controls.checkbox("/nonfiction:bool", "This production is a documentary or other non-fiction"),
            "advertising": controls.checkbox("/output/advertising:bool", "It is for an ad, a trailer or a promo, not the work itself"),
            "synthetic": controls.select("/synthetic-performer", "Does it show a generated person who is no real performer?", [
                ("background", "Yes, in the background only (standing in for extras)"),
                ("featured", "Yes, playing a part: they speak, are featured, or matter to the story"),
            ], blank: "No"),
            "useDate": controls.text("/use-date", "When will the work be made?",
                                     hint: "The day you generate, scan or record, as YYYY-MM-DD. Leave it blank for today: "
                                         + "the union agreements and laws in force that day apply."),
        ]
        values["steps"] = (0..<stepCount).map(step)
        values["talent"] = (0..<talentCount).map(talentEntry)
        values["answers"] = principles.map { principle in
            controls.select("/answers/\(principle.id)", "\(principle.id): \(principle.question)",
                   [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")], blank: "Leave it to the policy")
        }
        values["hidden"] = hidden
        values["nextStep"] = stepCount
        values["nextTalent"] = talentCount
        let summary = errors.sorted { $0.key < $1.key }.map { pointer, message in
            ["id": Self.id(pointer), "label": pointer.isEmpty ? "the request" : pointer, "message": message]
        }
        values["errorSummary"] = summary
        values["hasErrors"] = !summary.isEmpty
        return values
    }

    private func step(_ index: Int) -> [String: Any] {
        let base = "/steps/\(index)"
        return [
            "number": index + 1,
            "tool": controls.select("\(base)/tool", "Tool", tools.map { tool in
                (tool.entry.id, "\(tool.record?.name ?? tool.entry.id): \(tool.record?.enterprise == true ? "enterprise agreement" : "no enterprise agreement")")
            } + [(UnlistedTool.choice, "Not listed: describe it below")], blank: "Choose a registered tool"),
            "unlistedOpen": fields.value("\(base)/tool") == UnlistedTool.choice,
            "unlistedName": controls.text("\(base)/unlisted/name", "The tool's name", hint: "As its maker calls it, for example: Acme Imagine 3."),
            "unlistedVendor": controls.text("\(base)/unlisted/vendor", "Who makes it", hint: "The company behind the tool."),
            "unlistedEnterprise": controls.checkbox("\(base)/unlisted/enterprise:bool",
                                           "The studio or production has an enterprise agreement for it"),
            "unlistedTrains": controls.select("\(base)/unlisted/trains-on-inputs", "Does it learn from what you put in?",
                                     [("unknown", "Not known"), ("no", "No"), ("yes", "Yes")], blank: nil),
            "unlistedRetains": controls.select("\(base)/unlisted/retains-inputs", "Does it keep what you put in?",
                                      [("unknown", "Not known"), ("no", "No"), ("yes", "Yes")], blank: nil),
            "inputs": controls.checks("\(base)/inputs[]", "What goes into it?", Self.inputs),
            "prompt": controls.text("\(base)/prompt", "The prompt, if you have one", hint: "It is screened for named artists, works and likenesses."),
            "training": controls.select("\(base)/training", "Is a model trained on these inputs?", [
                ("fine-tune", "Yes, fine-tuned"), ("train", "Yes, trained from scratch"),
            ], blank: "No training"),
            "origin": controls.select("\(base)/model-origin", "Where does the model come from?", [
                ("this-production", "Made for this production"), ("other-production", "Made for another production"),
            ], blank: "The vendor's own model"),
        ]
    }

    private func talentEntry(_ index: Int) -> [String: Any] {
        let base = "/talent/\(index)"
        return [
            "number": index + 1,
            "performer": controls.text("\(base)/performer", "Performer's name", hint: "Leave blank if no performer is involved."),
            "use": controls.select("\(base)/use", "How are they involved?", Self.talentUses, blank: "Choose"),
            "exception": controls.select("\(base)/exception", "Does an exception apply?", Self.exceptions, blank: "None of these"),
            "consent": controls.select("\(base)/consent", "Their consent on file", consents.map { consent in
                var label = "\(consent.performer): \(WebPages.consentKind(consent.kind).lowercased())"
                if let expires = consent.expiresOn { label += ", until \(expires)" }
                if consent.revokedAt != nil { label += " (revoked)" }
                return (consent.id, label)
            }, blank: "No consent on file"),
            "deceased": controls.checkbox("\(base)/deceased:bool", "The performer has died"),
            "minor": controls.checkbox("\(base)/minor:bool", "The performer is under 18"),
            "scan": controls.checkbox("\(base)/scan:bool", "A new scan or capture session of the performer is part of this"),
        ]
    }

    // MARK: Controls

    static func id(_ pointer: String) -> String {
        "f" + pointer.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    static func label(_ raw: String) -> String {
        let words = raw.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    var controls: FormControls { FormControls(fields: fields, errors: errors) }
}

/// A registry entry with its tool record read, if it reads.
struct RegisteredTool {
    var entry: ToolEntry
    var record: ToolRecord?

    static func all(_ entries: [ToolEntry]) -> [RegisteredTool] {
        entries.map { RegisteredTool(entry: $0, record: ToolRecord.stored($0.record)) }
    }
}

/// The controls of a server-rendered form, each named by the JSON pointer of the field it fills
/// (`FormDocument`), with the value typed and the error for it.
struct FormControls {
    var fields: [FormDocument.Field]
    /// Field errors by JSON pointer.
    var errors: [String: String]

    func base(_ name: String, _ label: String) -> [String: Any] {
        let pointer = String(FormDocument.split(name).pointer)
        var control: [String: Any] = ["name": name, "id": IntakeForm.id(pointer), "label": label]
        if let error = errors[pointer] { control["error"] = error }
        return control
    }

    func text(_ name: String, _ label: String, hint: String) -> [String: Any] {
        var control = base(name, label)
        control["value"] = fields.value(name) ?? ""
        control["hint"] = hint
        return control
    }

    func select(_ name: String, _ label: String, _ options: [(String, String)], blank: String?) -> [String: Any] {
        var control = base(name, label)
        let chosen = fields.value(name) ?? ""
        var all = options
        if let blank { all.insert(("", blank), at: 0) }
        control["options"] = all.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosen] }
        return control
    }

    func checks(_ name: String, _ label: String, _ options: [(String, String)]) -> [String: Any] {
        var control = base(name, label)
        let chosen = Set(fields.values(name))
        let id = control["id"] as? String ?? ""
        control["options"] = options.map {
            ["value": $0.0, "label": $0.1, "checked": chosen.contains($0.0), "id": "\(id)-\($0.0)"]
        }
        return control
    }

    func radios(_ name: String, _ label: String, _ options: [(String, String)], default initial: String) -> [String: Any] {
        var control = base(name, label)
        let chosen = fields.value(name) ?? initial
        let id = control["id"] as? String ?? ""
        control["options"] = options.map {
            ["value": $0.0, "label": $0.1, "checked": chosen == $0.0, "id": "\(id)-\($0.0)"]
        }
        return control
    }

    func checkbox(_ name: String, _ label: String) -> [String: Any] {
        var control = base(name, label)
        control["checked"] = fields.value(name) == "true"
        return control
    }
}
