public import ClearanceCore
public import ClearanceStore

/// The JSON of records the service's reports carry, one place per record type.
extension VerdictRecord {
    public func json(stale: Bool) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("id", .string(id)), .init("area", .string(area.rawValue)), .init("verdict", .string(verdict.rawValue)),
            .init("conditions", .array(conditions.map { .string($0) })), .init("note", .text(note)),
            .init("approver", .string(approverID)), .init("revision", .number(revision)),
            .init("request-digest", .string(requestDigest)), .init("policy-digest", .string(policyDigest)),
            .init("expires-on", .text(expiresOn)), .init("assets", .array(assets.map { .string($0) })),
            .init("stale", .bool(stale)), .init("created-at", .time(createdAt)),
        ]
        if let carriedFrom { members.append(.init("carried-from", .string(carriedFrom))) }
        return .object(members)
    }
}
