internal import Yams

extension ToolRecord {
    static let fields: Set<String> = ["id", "name", "vendor", "enterprise", "trains-on-inputs", "retains-inputs", "terms-checked", "on-premises"]

    /// Reads a list of tool records (the file `clearance check --tools` takes).
    /// - Throws: `DocumentError` with every problem found.
    /// One record written as JSON, as the registry stores it or a stored request carries it
    /// inline; nil when it no longer reads.
    public static func stored(_ json: String) -> ToolRecord? {
        try? parseList("[" + json + "]").first
    }

    public static func parseList(_ text: String, file: String = "<tools>") throws(DocumentError) -> [ToolRecord] {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else { throw DocumentError(reader.diagnostics) }
        let tools = readList(root, .root, reader)
        guard let tools, !reader.hasErrors else { throw DocumentError(reader.diagnostics) }
        return tools
    }

    static func readList(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> [ToolRecord]? {
        guard let items = reader.sequence(node, path) else { return nil }
        var tools: [ToolRecord] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let tool = read(item, path.appending(index), reader) else { continue }
            if let first = seen[tool.id] {
                reader.report(item, path.appending(index).appending("id"), "tool id '\(tool.id)' is already used by item \(first)")
            }
            seen[tool.id] = index
            tools.append(tool)
        }
        return tools
    }

    static func read(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> ToolRecord? {
        guard let fields = reader.mapping(node, path, allowed: fields, required: ["id", "enterprise", "trains-on-inputs", "retains-inputs"],
                                          refusingNulls: true) else { return nil }
        let id = fields["id"].flatMap { UseRequest.readSlug($0, path.appending("id"), reader) }
        let name = fields["name"].flatMap { reader.text($0, path.appending("name"), maxLength: 200) }
        let vendor = fields["vendor"].flatMap { reader.text($0, path.appending("vendor"), maxLength: 200) }
        let enterprise = fields["enterprise"].flatMap { reader.bool($0, path.appending("enterprise")) }
        let trains = fields["trains-on-inputs"].flatMap { readTriState($0, path.appending("trains-on-inputs"), reader) }
        let retains = fields["retains-inputs"].flatMap { readTriState($0, path.appending("retains-inputs"), reader) }
        var termsChecked: String?? = .some(nil)
        if let node = fields["terms-checked"] {
            termsChecked = reader.text(node, path.appending("terms-checked")).flatMap { value -> String?? in
                guard isISODate(value) else {
                    reader.report(node, path.appending("terms-checked"), "'\(value)' is not a date in the form YYYY-MM-DD")
                    return nil
                }
                return .some(value)
            } ?? nil
        }
        let onPremises: Bool?? = fields["on-premises"].map { reader.bool($0, path.appending("on-premises")) } ?? .some(false)
        guard let id, let enterprise, let trains, let retains, let termsChecked, let onPremises, let onPremises else { return nil }
        return ToolRecord(id: id, name: name, vendor: vendor, enterprise: enterprise,
                          trainsOnInputs: trains, retainsInputs: retains, termsChecked: termsChecked, onPremises: onPremises)
    }

    /// yes|no|unknown. An unquoted YAML `yes`/`no` (a YAML 1.1 boolean) is read as the word it spells.
    private static func readTriState(_ node: Node, _ path: FieldPath, _ reader: DocumentReader) -> TriState? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return .yes
            case "false", "False", "FALSE": return .no
            default: break
            }
        }
        return reader.choice(node, path)
    }

    public static func isISODate(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
