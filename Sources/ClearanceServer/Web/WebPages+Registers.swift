internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

extension WebPages {
    // MARK: Registers

    func toolsPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.visibleStudio(try api.parameter(context, "studio"), caller)
        guard caller.canReadStudioRegisters(studio.id) else { throw Problem.notFound("studio '\(studio.id)'") }
        let today = Timestamps.day(now)
        let yearAgo = Timestamps.day(now.addingTimeInterval(-365 * 86400))
        let tools = RegisteredTool.all(try await store.tools(studioID: studio.id)).map { tool -> [String: Any] in
            let record = tool.record
            let terms: (String, String) = switch record?.termsChecked {
            case nil: ("Never checked", "warn")
            case let day? where day < yearAgo: ("Checked \(day), over a year ago", "warn")
            case let day?: ("Checked \(day)", "ok")
            }
            let scope: String
            if tool.entry.approvedFor.isEmpty {
                scope = "No approved uses recorded"
            } else {
                scope = tool.entry.approvedFor.map(RequestDescription.purpose).joined(separator: ", ")
            }
            var until = tool.entry.approvedUntil ?? "no end date"
            if let end = tool.entry.approvedUntil, end < today { until = "expired \(end)" }
            return [
                "id": tool.entry.id, "name": record?.name ?? tool.entry.id, "vendor": present(record?.vendor),
                "enterprise": record?.enterprise == true ? "Enterprise" : record?.onPremises == true ? "On the production's own machines" : "Not enterprise",
                "trains": record?.trainsOnInputs.rawValue ?? "unknown", "retains": record?.retainsInputs.rawValue ?? "unknown",
                "terms": terms.0, "termsClass": terms.1, "scope": scope, "until": until, "evidence": present(tool.entry.evidence),
            ]
        }
        // For the studio's admins: tools requests describe because the registry lacks them.
        var toRegister: [[String: Any]] = []
        if caller.isStudioAdmin(studio.id) {
            toRegister = try await api.studios.toolsToRegister(in: studio.id, by: caller).map { tool in
                let first = tool.requests[0]
                return ["id": tool.record.id, "name": tool.record.name ?? tool.record.id, "vendor": present(tool.record.vendor),
                        "uses": tool.requests.count == 1 ? "1 open request" : "\(tool.requests.count) open requests",
                        "example": first.title, "exampleID": first.id,
                        "link": "/studios/\(studio.id)/tools/new?from=\(Self.percentEncode(first.id))&tool=\(Self.percentEncode(tool.record.id))"]
            }
        }
        // Said only of a tool that is in the registry.
        let registered = request.uri.queryParameters["registered"].map(String.init).flatMap { id in
            tools.contains { ($0["id"] as? String) == id } ? id : nil
        }
        let (done, cleared) = takeDone(request, at: "/studios/\(studio.id)/tools")
        return views.render("tools", [
            "studio": ["id": studio.id, "name": studio.name], "tools": tools, "hasTools": !tools.isEmpty,
            "toRegister": toRegister, "hasToRegister": !toRegister.isEmpty, "isAdmin": caller.isStudioAdmin(studio.id),
            "registered": present(registered.map { "Registered \($0). It is in every intake form's tool list now." } ?? done),
        ], title: "Tool registry: \(studio.name)", context: context, headers: cleared)
    }

    func consentsPage(_ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
        let consents = try await store.consents(productionID: production.id).map { consent -> [String: Any] in
            let status = consentStatus(consent)
            return [
                "id": consent.id, "performer": consent.performer, "kind": Self.consentKind(consent.kind), "use": consent.permittedUse,
                "signed": consent.signedOn, "separately": consent.signedSeparately ? "Yes" : "No",
                "document": present(consent.documentRef), "status": status.0, "statusClass": status.1,
                "reason": present(consent.revokedReason),
            ]
        }
        return views.render("consents", [
            "production": ["id": production.id, "title": production.title], "consents": consents, "hasConsents": !consents.isEmpty,
            "canRecord": caller.canManageConsents(in: production.id),
        ], title: "Consents: \(production.title)", context: context)
    }

    func registerPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(try api.parameter(context, "production"), caller)
        if request.uri.queryParameters["format"] == "csv" {
            return Reply.stream(ProductionRegister.text(production: production, store: store, now: now, format: .csv),
                                contentType: "text/csv; charset=utf-8", headers: [
                                    .contentDisposition: "attachment; filename=\"\(production.id)-genai-register.csv\"",
                                    .cacheControl: "no-store",
                                ])
        }
        let register = try await ProductionRegister.build(production: production, store: store, now: now)
        let uses = register.entries.map { entry -> [String: Any] in
            [
                "id": entry.request.id, "title": entry.request.title, "department": RequestDescription.department(entry.department),
                "purpose": present(entry.purpose.isEmpty ? nil : RequestDescription.purpose(entry.purpose)),
                "destination": Wording.destination(entry.destination), "final": entry.finalDeliverable,
                "state": Wording.state(entry.request.state), "stateClass": entry.request.state.rawValue,
                "outcome": entry.request.outcome.rawValue, "outcomeLabel": Wording.outcomeTag(entry.request.outcome),
                "approval": Wording.approval(entry.approval),
                "conditions": present(entry.verdicts.flatMap(\.conditions).joined(separator: "; ")),
                "consents": present(entry.consents.map { "\($0.id): \($0.status)" }.joined(separator: "; ")),
                "review": present(entry.request.review),
            ]
        }
        return views.render("register", [
            "production": ["id": production.id, "title": production.title], "uses": uses, "hasUses": !uses.isEmpty,
            "generated": Wording.date(register.generatedAt),
        ], title: "GenAI register: \(production.title)", context: context)
    }

    // MARK: Dashboards

    func dashboard(_ context: ClearanceContext, production id: String) async throws -> Response {
        let caller = try caller(context)
        let production = try await api.visibleProduction(id, caller)
        let counts = try await store.dashboardCounts(studioID: production.studioID, productionID: production.id, since: Dashboard.since(now))
        return dashboardPage(Dashboard(counts, now: now), scope: production.title,
                             links: ["production": ["id": production.id, "title": production.title]], context: context)
    }

    /// A studio's dashboard covers all its productions, so only the studio's own members see it.
    func dashboard(_ context: ClearanceContext, studio id: String) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.visibleStudio(id, caller)
        guard caller.studioRole(studio.id) != nil else {
            throw Problem.forbidden("the studio dashboard covers every production; it is for the studio's members")
        }
        let counts = try await store.dashboardCounts(studioID: studio.id, productionID: nil, since: Dashboard.since(now))
        return dashboardPage(Dashboard(counts, now: now), scope: studio.name,
                             links: ["studio": ["id": studio.id, "name": studio.name]], context: context)
    }

    private func dashboardPage(_ figures: Dashboard, scope: String, links: [String: Any], context: ClearanceContext) -> Response {
        func chart(_ title: String, _ id: String, _ bars: [Chart.Bar], columns: Bool = false) -> [String: Any] {
            [
                "title": title, "id": id,
                "svg": columns ? Chart.columns(bars, title: title, id: id) : Chart.rows(bars, title: title, id: id),
                "rows": bars.map { ["label": $0.label, "value": $0.value] },
            ]
        }
        var values = links
        values["scope"] = scope
        values["total"] = figures.total
        values["decided"] = figures.waits.count
        values["medianWait"] = figures.medianWait
        values["charts"] = [
            chart("Uses by outcome", "by-outcome", figures.byOutcome),
            chart("Uses by approval area", "by-area", figures.byArea),
            chart("Uses filed by month", "by-month", figures.byMonth, columns: true),
            chart("Time from escalation to decision", "waits", figures.waitBuckets),
        ]
        return views.render("dashboard", values, title: "Dashboard: \(scope)", context: context)
    }

    // MARK: Policy

    func policyPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.visibleStudio(try api.parameter(context, "studio"), caller)
        guard caller.canReadStudioRegisters(studio.id) else { throw Problem.notFound("studio '\(studio.id)'") }
        let versions = try await store.policyVersions(studioID: studio.id)
        guard let current = versions.last else { throw Problem.notFound("a policy for studio '\(studio.id)'") }
        let policy = try api.cache.load(current).policy
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name],
            "policy": ["id": policy.id, "version": policy.version, "title": policy.title, "number": current.number,
                       "digest": current.digest, "published": Wording.date(current.publishedAt)],
            "principles": policy.principles.map { principle in
                ["id": principle.id, "title": principle.title, "question": principle.question, "cite": principle.cite,
                 "area": principle.area.rawValue]
            },
            "rules": policy.rules.map { rule in
                let area: String = switch rule.area {
                case .fixed(let area): area.rawValue
                case .concernArea: "the area of the concern found"
                }
                return ["id": rule.id, "outcome": rule.outcome.rawValue, "area": area, "reason": rule.reason.source, "cite": rule.cite]
            },
            "versions": versions.reversed().map { version in
                ["number": version.number, "version": version.policyVersion, "digest": String(version.digest.prefix(19)),
                 "published": Wording.date(version.publishedAt), "current": version.number == current.number]
            },
        ]
        let query = request.uri.queryParameters
        let from = query["from"].flatMap { Int(String($0)) } ?? (versions.count > 1 ? versions[versions.count - 2].number : current.number)
        let to = query["to"].flatMap { Int(String($0)) } ?? current.number
        values["fromOptions"] = versions.map { ["number": $0.number, "selected": $0.number == from] }
        values["toOptions"] = versions.map { ["number": $0.number, "selected": $0.number == to] }
        if let old = versions.first(where: { $0.number == from }), let new = versions.first(where: { $0.number == to }) {
            let lines = LineDiff.compare(old.text, new.text)
            let changed = lines.filter { $0.change != .same }.count
            values["diff"] = [
                "from": from, "to": to, "changed": changed, "identical": changed == 0,
                "lines": Self.diffExcerpt(lines).map { line -> [String: Any] in
                    switch line {
                    case .gap(let count): return ["gap": "\(count) unchanged line\(count == 1 ? "" : "s")"]
                    case .line(let line):
                        return ["change": line.change.rawValue, "text": line.text,
                                "sign": line.change == .added ? "+" : line.change == .removed ? "-" : " ",
                                "old": line.oldNumber.map(String.init) ?? "", "new": line.newNumber.map(String.init) ?? ""]
                    }
                },
            ]
        } else if query["from"] != nil || query["to"] != nil {
            values["diffError"] = "Choose two published versions to compare."
        }
        values["canEdit"] = caller.isStudioAdmin(studio.id)
        let (done, cleared) = takeDone(request, at: "/studios/\(studio.id)/policy")
        if let done { values["done"] = done }
        return views.render("policy", values, title: "Policy: \(studio.name)", context: context, headers: cleared)
    }

    enum DiffRow {
        case line(LineDiff.Line)
        case gap(Int)
    }

    /// The changed lines with three lines of context around each change; long unchanged runs fold.
    static func diffExcerpt(_ lines: [LineDiff.Line], context: Int = 3) -> [DiffRow] {
        var keep = [Bool](repeating: false, count: lines.count)
        for (index, line) in lines.enumerated() where line.change != .same {
            for near in max(0, index - context)...min(lines.count - 1, index + context) { keep[near] = true }
        }
        var rows: [DiffRow] = []
        var skipped = 0
        for (index, line) in lines.enumerated() {
            if keep[index] {
                if skipped > 0 { rows.append(.gap(skipped)) }
                skipped = 0
                rows.append(.line(line))
            } else {
                skipped += 1
            }
        }
        if skipped > 0 && skipped < lines.count { rows.append(.gap(skipped)) }
        return rows
    }
}
