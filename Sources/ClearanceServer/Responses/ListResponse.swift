/// A list answer: the items, and the cursor of the next page when there may be one.
struct ListResponse<Item: Encodable>: Encodable {
    var items: [Item]
    /// Left out on the last page.
    var next: String?
}

/// The answer of `/healthz`.
struct HealthResponse: Encodable, Sendable {
    var status = "ok"
}
