internal import ClearanceCore
internal import ClearanceService
internal import ClearanceStore
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// A studio's webhooks in the browser: add one (its signing secret shown once), send it a test
/// event, see its deliveries and their attempts, remove it.
extension WebPages {
    func registerWebhookPages(on router: Router<ClearanceContext>) {
        router.get("studios/:studio/webhooks") { request, context in
            try await page(request, context) { _ in try await webhooksPage(request, context) }
        }
        router.post("studios/:studio/webhooks") { request, context in
            try await page(request, context) { fields in
                let caller = try caller(context)
                let studio = try api.parameter(context, "studio")
                let url = (fields.value("/url") ?? "").trimmingCharacters(in: .whitespaces)
                let events = fields.values("/events[]").compactMap(WebhookEvent.init(rawValue:))
                let format = fields.value("/format").flatMap(WebhookFormat.init(rawValue:))
                var unknown: [String: String] = [:]
                if events.count != fields.values("/events[]").count { unknown["/events"] = "Choose the events from the list." }
                if format == nil { unknown["/format"] = "Choose the message form from the list." }
                guard unknown.isEmpty, let format else {
                    return try await webhooksPage(request, context, fields: fields, errors: unknown, status: .unprocessableContent)
                }
                do {
                    let endpoint = try await api.studios.addWebhook(url: url, events: events, format: format, in: studio, by: caller)
                    return try await webhooksPage(request, context, secret: ["url": endpoint.url, "secret": endpoint.secret], status: .created)
                } catch let error as ServiceError {
                    guard case .invalid = error else { throw error }
                    return try await webhooksPage(request, context, fields: fields, errors: Self.fieldErrors(error), status: .unprocessableContent)
                }
            }
        }
        router.get("studios/:studio/webhooks/:id") { request, context in
            try await page(request, context) { _ in try await webhookPage(request, context) }
        }
        router.post("studios/:studio/webhooks/:id/test") { request, context in
            try await page(request, context) { _ in
                let studio = try api.parameter(context, "studio")
                let id = try api.parameter(context, "id")
                try await api.studios.testWebhook(id, in: studio, by: try caller(context))
                return finished("webhook-tested", at: "/studios/\(studio)/webhooks/\(id)", request)
            }
        }
        router.post("studios/:studio/webhooks/:id/remove") { request, context in
            try await page(request, context) { _ in
                let studio = try api.parameter(context, "studio")
                try await api.studios.deleteWebhook(try api.parameter(context, "id"), in: studio, by: try caller(context))
                return finished("webhook-removed", at: "/studios/\(studio)/webhooks", request)
            }
        }
    }

    static func eventName(_ event: WebhookEvent) -> String {
        switch event {
        case .requestSubmitted: "A request is filed"
        case .requestDecided: "A request is triaged (filed, revised or triaged again)"
        case .requestApproved: "A request is approved"
        case .requestRejected: "A request is rejected"
        case .requestAcknowledged: "The studio acknowledges a socialized use"
        case .policyPublished: "A new policy version is published"
        case .obligationMet: "An obligation of a use is recorded as met"
        case .webhookTest: "Test"
        }
    }

    func webhooksPage(_ request: Request, _ context: ClearanceContext, fields: [FormDocument.Field]? = nil, errors: [String: String] = [:],
                      secret: [String: String]? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
        let hooks = try await api.studios.webhooks(in: studio.id, by: caller)
        let controls = FormControls(fields: fields ?? [.init(name: "/format", value: "json")] + WebhookEvent.subscribable.map {
            .init(name: "/events[]", value: $0.rawValue)
        }, errors: errors)
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name],
            "hooks": hooks.map { hook in
                ["id": hook.id, "url": hook.url, "events": hook.events.map(Self.eventName).joined(separator: "; "),
                 "format": hook.format == .slack ? "Slack message" : "Clearance JSON", "created": Wording.date(hook.createdAt)] as [String: Any]
            },
            "url": controls.text("/url", "Address", hint: "An https address that reaches the service to be told, such as a Slack incoming webhook."),
            "events": controls.checks("/events[]", "Events to send", WebhookEvent.subscribable.map { ($0.rawValue, Self.eventName($0)) }),
            "format": controls.radios("/format", "Message form", [("json", "Clearance JSON, signed"), ("slack", "A Slack message")], default: "json"),
            "hasErrors": !errors.isEmpty, "errorSummary": Self.summary(errors), "secret": secret as Any,
        ]
        let (done, cleared) = takeDone(request, at: "/studios/\(studio.id)/webhooks")
        if let done { values["done"] = done }
        return views.render("webhooks", values, title: "Webhooks: \(studio.name)", context: context, status: status, headers: cleared)
    }

    func webhookPage(_ request: Request, _ context: ClearanceContext) async throws -> Response {
        let caller = try caller(context)
        let studio = try await api.studios.administeredStudio(try api.parameter(context, "studio"), caller)
        let id = try api.parameter(context, "id")
        guard let hook = try await api.studios.webhooks(in: studio.id, by: caller).first(where: { $0.id == id }) else {
            throw Problem.notFound("webhook '\(id)'")
        }
        let deliveries = try await api.studios.deliveries(of: id, in: studio.id, limit: 100, by: caller)
        let path = "/studios/\(studio.id)/webhooks/\(id)"
        var values: [String: Any] = [
            "studio": ["id": studio.id, "name": studio.name], "id": hook.id, "url": hook.url,
            "events": hook.events.map(Self.eventName).joined(separator: "; "),
            "deliveries": deliveries.map { delivery in
                let status = switch delivery.status {
                case .delivered: "Delivered " + (delivery.deliveredAt.map(Wording.date) ?? "")
                case .pending: delivery.attempts == 0 ? "Waiting to be sent" : "Will try again " + Wording.date(delivery.nextAttemptAt)
                case .failed: "Gave up"
                }
                return ["event": Self.eventName(delivery.event), "created": Wording.date(delivery.createdAt), "status": status,
                        "attempts": delivery.attempts, "answer": delivery.lastStatusCode.map { "HTTP \($0)" } ?? delivery.lastError ?? "",
                        "statusClass": delivery.status == .delivered ? "ok" : delivery.status == .failed ? "bad" : "warn"] as [String: Any]
            },
        ]
        let (done, cleared) = takeDone(request, at: path)
        if let done { values["done"] = done }
        return views.render("webhook", values, title: "Webhook: \(hook.url)", context: context, headers: cleared)
    }
}
