/// A generative tool as the registry knows it (request-format.md, "Tool record").
public struct ToolRecord: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var vendor: String?
    /// Covered by the studio's enterprise agreement.
    public var enterprise: Bool
    public var trainsOnInputs: TriState
    public var retainsInputs: TriState
    /// When someone last read the terms, as written (YYYY-MM-DD).
    public var termsChecked: String?
    /// Runs on machines the production or studio controls, sending nothing out.
    public var onPremises: Bool

    public init(id: String, name: String? = nil, vendor: String? = nil, enterprise: Bool = false,
                trainsOnInputs: TriState = .unknown, retainsInputs: TriState = .unknown, termsChecked: String? = nil,
                onPremises: Bool = false) {
        self.onPremises = onPremises
        self.id = id
        self.name = name
        self.vendor = vendor
        self.enterprise = enterprise
        self.trainsOnInputs = trainsOnInputs
        self.retainsInputs = retainsInputs
        self.termsChecked = termsChecked
    }

    /// What is known of a tool that is not in the registry: nothing. It counts as non-enterprise.
    public static func unknown(id: String) -> ToolRecord {
        ToolRecord(id: id, enterprise: false, trainsOnInputs: .unknown, retainsInputs: .unknown)
    }
}

/// The tools a studio has vetted, by id.
public struct ToolRegistry: Sendable {
    public private(set) var tools: [String: ToolRecord]

    public init(_ tools: [ToolRecord] = []) {
        var byID: [String: ToolRecord] = [:]
        for tool in tools { byID[tool.id] = tool }
        self.tools = byID
    }

    public static let empty = ToolRegistry()

    public subscript(id: String) -> ToolRecord? { tools[id] }
}
