internal import ClearanceCore
internal import ClearanceStore
internal import Foundation

/// The JSON the API answers with, one place per record type.
extension UserRecord {
    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("email", .string(email)), .init("name", .string(name)),
            .init("site-admin", .bool(isSiteAdmin)), .init("created-at", .time(createdAt)),
            .init("active", .bool(isActive)), .init("deactivated-at", .time(deactivatedAt)),
        ])
    }
}

extension TokenRecord {
    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("label", .string(label)),
            .init("created-at", .time(createdAt)), .init("expires-at", .time(expiresAt)), .init("revoked-at", .time(revokedAt)),
        ])
    }
}

extension StudioRecord {
    var json: JSONValue {
        .object([.init("id", .string(id)), .init("name", .string(name)), .init("created-at", .time(createdAt))])
    }
}

extension StudioMember {
    func json(user: UserRecord?) -> JSONValue {
        .object([
            .init("user", .string(userID)), .init("email", .text(user?.email)), .init("role", .string(role.rawValue)),
            .init("areas", .array(areas.map { .string($0.rawValue) })), .init("contact", .bool(isContact)),
        ])
    }
}

extension ProductionMember {
    func json(user: UserRecord?) -> JSONValue {
        .object([.init("user", .string(userID)), .init("email", .text(user?.email)), .init("role", .string(role.rawValue))])
    }
}

extension PolicyVersionRecord {
    func json(includingText: Bool) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("studio", .string(studioID)), .init("number", .number(number)),
            .init("id", .string(policyID)), .init("version", .string(policyVersion)), .init("digest", .string(digest)),
            .init("published-by", .string(publishedBy)), .init("published-at", .time(publishedAt)),
        ]
        if includingText { members.append(.init("text", .string(text))) }
        return .object(members)
    }
}

extension ToolEntry {
    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("record", JSONValue.parse(record) ?? .null),
            .init("approved-for", .array(approvedFor.map { .string($0) })), .init("approved-until", .text(approvedUntil)),
            .init("evidence", .text(evidence)), .init("updated-at", .time(updatedAt)),
        ])
    }
}

extension ProductionRecord {
    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("studio", .string(studioID)), .init("title", .string(title)),
            .init("created-at", .time(createdAt)),
        ] + details)
    }

    /// What a studio admin said of the production, only where said.
    private var details: [JSONValue.Member] {
        var members: [JSONValue.Member] = []
        if let kind { members.append(.init("kind", .string(kind.rawValue))) }
        if !territories.isEmpty { members.append(.init("territories", .array(territories.map { .string($0) }))) }
        if let photographyStartsOn { members.append(.init("photography-starts-on", .string(photographyStartsOn))) }
        if let deliveryOn { members.append(.init("delivery-on", .string(deliveryOn))) }
        if let archivedAt { members.append(.init("archived-at", .time(archivedAt))) }
        return members
    }
}

extension UseRequestRecord {
    func json(decision: JSONValue? = nil, document: JSONValue? = nil) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("id", .string(id)), .init("studio", .string(studioID)), .init("production", .string(productionID)),
            .init("requester", .string(requesterID)), .init("title", .string(title)), .init("state", .string(state.rawValue)),
            .init("revision", .number(revision)), .init("outcome", .string(outcome.rawValue)),
            .init("areas", .array(areas.map { .string($0.rawValue) })),
            .init("created-at", .time(createdAt)), .init("updated-at", .time(updatedAt)), .init("review", .text(review)),
        ]
        if let decision { members.append(.init("decision", decision)) }
        if let document { members.append(.init("document", document)) }
        return .object(members)
    }
}

extension RevisionRecord {
    var json: JSONValue {
        .object([
            .init("number", .number(number)), .init("request-digest", .string(requestDigest)),
            .init("author", .string(authorID)), .init("created-at", .time(createdAt)),
            .init("document", JSONValue.parse(document) ?? .null),
        ])
    }
}

extension DecisionRecord {
    var json: JSONValue {
        .object([
            .init("revision", .number(revision)), .init("policy-version", .number(policyNumber)),
            .init("policy-digest", .string(policyDigest)), .init("request-digest", .string(requestDigest)),
            .init("outcome", .string(outcome.rawValue)), .init("created-at", .time(createdAt)),
            .init("decision", JSONValue.parse(decisionJSON) ?? .null),
        ])
    }
}

extension ConsentRecord {
    var json: JSONValue {
        .object([
            .init("id", .string(id)), .init("studio", .string(studioID)),
            .init("productions", .array(productions.map { .string($0) })), .init("performer", .string(performer)),
            .init("kind", .string(kind.rawValue)), .init("permitted-use", .string(permittedUse)),
            .init("signed-on", .string(signedOn)), .init("notice-on", .text(noticeOn)), .init("expires-on", .text(expiresOn)),
            .init("signed-separately", .bool(signedSeparately)), .init("document-ref", .text(documentRef)),
            .init("revoked-at", .time(revokedAt)), .init("revoked-reason", .text(revokedReason)),
            .init("created-by", .string(createdBy)), .init("created-at", .time(createdAt)),
        ])
    }
}

extension AuditEvent {
    var json: JSONValue {
        .object([
            .init("seq", .number(Int(seq))), .init("chain", .string(chain)), .init("position", .number(Int(position))),
            .init("at", .string(at)), .init("actor", .string(actor)),
            .init("action", .string(action)), .init("studio", .text(studioID)), .init("production", .text(productionID)),
            .init("subject", .string(subject)), .init("details", JSONValue.parse(details) ?? .null),
            .init("previous-hash", .string(previousHash)), .init("hash", .string(hash)),
        ])
    }
}
