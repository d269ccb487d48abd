internal import Foundation
internal import Yams

extension UseRequest {
    /// The only format tag a request may carry.
    public static let formatTag = "clearance/use-request@1"

    static let topLevelFields: Set<String> = [
        "format", "title", "production", "department", "purpose", "description", "media", "steps",
        "output", "talent", "union-work", "nonfiction", "answers", "territories", "use-date", "synthetic-performer",
    ]
    static let stepFields: Set<String> = ["tool", "inputs", "prompt", "training", "model-origin"]
    static let outputFields: Set<String> = ["destination", "prominence", "realistic", "advertising"]
    static let talentFields: Set<String> = ["performer", "use", "exception", "consent", "deceased", "minor", "scan", "consent-terms"]
    static let consentTermsFields: Set<String> = ["specific-description", "represented", "separately-signed"]

    /// Reads a request written in YAML or JSON.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - file: the name errors are reported against.
    ///   - principles: the principle ids the policy defines; `answers` may name only these.
    /// - Throws: `DocumentError` listing every problem, each with line, column and field path.
    public static func parse(_ text: String, file: String = "<request>", principles: Set<String>) throws(DocumentError) -> UseRequest {
        // Requests are read from the scalars' text alone, so tags need not be resolved.
        let reader = DocumentReader(file: file, resolver: .basic)
        guard let root = reader.parse(text) else { throw DocumentError(reader.diagnostics) }
        let request = read(root, reader: reader, principles: principles)
        guard let request, !reader.hasErrors else { throw DocumentError(reader.diagnostics) }
        return request
    }

    static func read(_ root: Node, reader: DocumentReader, principles: Set<String>, path: FieldPath = .root) -> UseRequest? {
        guard let fields = reader.mapping(root, path, allowed: topLevelFields, required: ["title", "description", "media", "steps"],
                                          refusingNulls: true) else { return nil }
        if let node = fields["format"], let tag = reader.text(node, path.appending("format")), tag != formatTag {
            reader.report(node, path.appending("format"), "unsupported format '\(tag)'; this version reads '\(formatTag)'")
        }
        let title = fields["title"].flatMap { reader.text($0, path.appending("title"), maxLength: 200, nonEmpty: true) }
        let description = fields["description"].flatMap {
            reader.text($0, path.appending("description"), maxLength: Limits.description, nonEmpty: true)
        }
        let production = fields["production"].flatMap { readSlug($0, path.appending("production"), reader) }
        let department: Department? = fields["department"].map { reader.choice($0, path.appending("department")) } ?? .art
        let purpose: Purpose? = fields["purpose"].map { reader.choice($0, path.appending("purpose")) } ?? .ideation
        let media: [Medium]? = fields["media"].flatMap { reader.choices($0, path.appending("media"), nonEmpty: true) }

        var steps: [Step]?
        if let node = fields["steps"], let items = reader.sequence(node, path.appending("steps"), nonEmpty: true) {
            if items.count > Limits.steps {
                reader.report(node, path.appending("steps"), "lists \(items.count) steps; the limit is \(Limits.steps)")
            }
            let read = items.enumerated().map { readStep($1, path.appending("steps").appending($0), reader) }
            steps = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
        }
        let output = fields["output"].map { readOutput($0, path.appending("output"), reader) } ?? Output()

        var talent: [TalentEntry]? = []
        if let node = fields["talent"] {
            if let items = reader.sequence(node, path.appending("talent")) {
                if items.count > Limits.talent {
                    reader.report(node, path.appending("talent"), "lists \(items.count) performers; the limit is \(Limits.talent)")
                }
                let read = items.enumerated().map { readTalent($1, path.appending("talent").appending($0), reader) }
                talent = read.contains { $0 == nil } ? nil : read.compactMap { $0 }
            } else {
                talent = nil
            }
        }
        let unionWork: UnionWork? = fields["union-work"].map { reader.choice($0, path.appending("union-work")) } ?? UnionWork.none
        let nonfiction = fields["nonfiction"].map { reader.bool($0, path.appending("nonfiction")) } ?? false
        let answers = fields["answers"].map { readAnswers($0, path.appending("answers"), reader, principles) } ?? [:]

        var territories: [Territory]?? = .some(nil)
        if let node = fields["territories"] {
            // A repeated code is ignored; an empty list says nothing and is refused.
            territories = reader.choices(node, path.appending("territories"), nonEmpty: true, Territory.self).map { codes in
                codes.reduce(into: [Territory]()) { if !$0.contains($1) { $0.append($1) } }
            }
        }
        var useDate: Day?? = .some(nil)
        if let node = fields["use-date"] {
            useDate = readDay(node, path.appending("use-date"), reader).map { .some($0) }
        }
        let synthetic: SyntheticPerformer? = fields["synthetic-performer"].map { reader.choice($0, path.appending("synthetic-performer")) }
            ?? SyntheticPerformer.none

        guard let title, let description, let department, let purpose, let media, let steps, let output,
              let talent, let unionWork, let nonfiction, let answers, let territories, let useDate, let synthetic else { return nil }
        var request = UseRequest(title: title, production: production, department: department, purpose: purpose,
                                 description: description, media: media, steps: steps, output: output, talent: talent,
                                 unionWork: unionWork, nonfiction: nonfiction, answers: answers)
        request.territories = territories
        request.useDate = useDate
        request.syntheticPerformer = synthetic
        return request
    }

    /// A real day written `YYYY-MM-DD` (YAML may have read it as a timestamp; its text is what counts).
    static func readDay(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> Day? {
        guard let text = reader.textScalar(node, path).flatMap({ reader.text($0, path) }) else { return nil }
        guard let day = Day(text) else {
            reader.report(node, path, "'\(text)' is not a real date in the form YYYY-MM-DD")
            return nil
        }
        return day
    }

    private static func readStep(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> Step? {
        guard let fields = reader.mapping(node, path, allowed: stepFields, required: ["tool", "inputs"], refusingNulls: true) else { return nil }
        var tool: Step.ToolReference?
        if let toolNode = fields["tool"] {
            if case .mapping = toolNode {
                tool = ToolRecord.read(toolNode, path.appending("tool"), reader).map { .inline($0) }
            } else {
                tool = readSlug(toolNode, path.appending("tool"), reader).map { .registered($0) }
            }
        }
        let inputs: [InputKind]? = fields["inputs"].flatMap { reader.choices($0, path.appending("inputs"), nonEmpty: true) }
        let prompt = fields["prompt"].flatMap { reader.text($0, path.appending("prompt"), maxLength: Limits.prompt) }
        let training: Training? = fields["training"].map { reader.choice($0, path.appending("training")) } ?? Training.none
        let origin: ModelOrigin? = fields["model-origin"].map { reader.choice($0, path.appending("model-origin")) } ?? .vendor
        guard let tool, let inputs, let training, let origin else { return nil }
        return Step(tool: tool, inputs: inputs, prompt: prompt, training: training, modelOrigin: origin)
    }

    private static func readOutput(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> Output? {
        guard let fields = reader.mapping(node, path, allowed: outputFields, refusingNulls: true) else { return nil }
        let destination: Destination? = fields["destination"].map { reader.choice($0, path.appending("destination")) } ?? .internal
        let prominence: Prominence? = fields["prominence"].map { reader.choice($0, path.appending("prominence")) } ?? Prominence.none
        let realistic = fields["realistic"].map { reader.bool($0, path.appending("realistic")) } ?? false
        let advertising = fields["advertising"].map { reader.bool($0, path.appending("advertising")) } ?? false
        guard let destination, let prominence, let realistic, let advertising else { return nil }
        return Output(destination: destination, prominence: prominence, realistic: realistic, advertising: advertising)
    }

    private static func readTalent(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> TalentEntry? {
        guard let fields = reader.mapping(node, path, allowed: talentFields, required: ["performer", "use"], refusingNulls: true) else {
            return nil
        }
        let performer = fields["performer"].flatMap { reader.text($0, path.appending("performer"), maxLength: 200, nonEmpty: true) }
        let use: TalentUse? = fields["use"].flatMap { reader.choice($0, path.appending("use")) }
        let exception: ConsentException? = fields["exception"].map { reader.choice($0, path.appending("exception")) } ?? ConsentException.none
        var consent: String?? = .some(nil)
        if let consentNode = fields["consent"] {
            // `none` or a consent record's id; like every id, a string.
            consent = reader.textScalar(consentNode, path.appending("consent"))
                .flatMap { reader.text($0, path.appending("consent"), maxLength: 200, nonEmpty: true) }.map { $0 == "none" ? nil : $0 }
        }
        let deceased = fields["deceased"].map { reader.bool($0, path.appending("deceased")) } ?? false
        let minor = fields["minor"].map { reader.bool($0, path.appending("minor")) } ?? false
        let scan = fields["scan"].map { reader.bool($0, path.appending("scan")) } ?? false
        var terms: ConsentTermsGiven?? = .some(nil)
        if let node = fields["consent-terms"] {
            terms = readConsentTerms(node, path.appending("consent-terms"), reader).map { .some($0) }
            if case .some(nil) = consent {
                reader.report(node, path.appending("consent-terms"), "consent terms describe a named consent; this entry has consent: none")
                terms = nil
            }
        }
        if scan == true, deceased == true, let node = fields["scan"] {
            reader.report(node, path.appending("scan"), "a performer who has died cannot be scanned; set scan: false or deceased: false")
        }
        guard let performer, let use, let exception, let consent, let deceased, let minor, let scan, let terms else { return nil }
        var entry = TalentEntry(performer: performer, use: use, exception: exception, consent: consent, deceased: deceased)
        entry.minor = minor
        entry.scan = scan
        entry.consentTerms = terms
        return entry
    }

    /// `consent-terms`: all three keys are required.
    private static func readConsentTerms(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> ConsentTermsGiven? {
        guard let fields = reader.mapping(node, path, allowed: consentTermsFields,
                                          required: ["specific-description", "represented", "separately-signed"],
                                          refusingNulls: true) else { return nil }
        let specific = fields["specific-description"].flatMap { reader.bool($0, path.appending("specific-description")) }
        let represented: Representation? = fields["represented"].flatMap { reader.choice($0, path.appending("represented")) }
        let separately = fields["separately-signed"].flatMap { reader.bool($0, path.appending("separately-signed")) }
        guard let specific, let represented, let separately else { return nil }
        return ConsentTermsGiven(specificDescription: specific, represented: represented, separatelySigned: separately)
    }

    private static func readAnswers(_ node: Node, _ path: FieldPath, _ reader: DocumentReader, _ principles: Set<String>) -> [String: Answer]? {
        guard let fields = reader.mapping(node, path, allowed: principles, refusingNulls: true) else { return nil }
        var answers: [String: Answer] = [:]
        var failed = false
        for key in fields.order {
            guard let valueNode = fields[key] else { continue }
            if let answer: Answer = reader.choice(valueNode, path.appending(key)) {
                answers[key] = answer
            } else {
                failed = true
            }
        }
        return failed ? nil : answers
    }

    /// Ids and slugs: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit.
    static func readSlug(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> String? {
        guard let value = reader.textScalar(node, path).flatMap({ reader.text($0, path, maxLength: 100, nonEmpty: true) }) else {
            return nil
        }
        guard isSlug(value) else {
            reader.report(node, path, "'\(value)' is not a valid id: use lower-case letters, digits, '-', '_' or '.'")
            return nil
        }
        return value
    }

    public static func isSlug(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, first.isASCIILowerAlphanumeric else { return false }
        return value.unicodeScalars.allSatisfy { $0.isASCIILowerAlphanumeric || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

/// Bounds on a request's free text and lists, so that no single request can tie up the engine
/// (prompt screening grows with the length of the prompt).
enum Limits {
    static let description = 4000
    static let prompt = 4000
    static let steps = 20
    static let talent = 50
}

extension Unicode.Scalar {
    var isASCIILowerAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self)
    }
}
