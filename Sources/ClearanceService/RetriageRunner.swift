internal import ClearanceCore
public import ClearanceStore
public import Foundation
public import Logging
public import ServiceLifecycle

/// Runs the re-triage that publishing a policy version queues, in the background: the open
/// requests of the studio get a decision under the new version, then approved requests it would
/// decide differently are flagged for review, with one audit event per request as ever.
///
/// A job is held under a lease that the runner renews as it goes, so two instances never work
/// the same job, and a job whose runner died is taken up again once its lease lapses. Every step
/// is safe to repeat: a request already decided under the version is not decided again, and a
/// request already flagged with the same reason is not flagged again. So a job interrupted at any
/// point and resumed finishes with each request handled exactly once.
public struct RetriageRunner: Service {
    let store: any Store
    let now: @Sendable () -> Date
    let logger: Logger
    /// This runner's name on the leases it takes.
    public let owner: String
    let lease: TimeInterval
    let pause: Duration
    let pageSize: Int
    let cache = PolicyCache()

    public init(store: any Store, now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
                owner: String = RandomID.make("runner-"), lease: TimeInterval = 60, pause: Duration = .seconds(1), pageSize: Int = 100) {
        self.store = store
        self.now = now
        self.logger = logger
        self.owner = owner
        self.lease = lease
        self.pause = pause
        self.pageSize = pageSize
    }

    public func run() async throws {
        var advancedOn: Day?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // Once a day (and on start), queue a re-triage for any studio whose overlays came into force or ended.
                let today = Timestamps.calendarDay(now())
                if advancedOn != today {
                    try await advanceRulebooks()
                    advancedOn = today
                }
                if try await runOnce() { continue }
            } catch is CancellationError {
                return
            } catch {
                logger.error("re-triage failed; it will be tried again", metadata: ["error": .string(String(describing: error))])
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                return
            }
        }
    }

    /// Queues a re-triage for every studio with an overlay that came into force or ended since
    /// its current policy version (`Rulebooks.advance`).
    public func advanceRulebooks() async throws {
        let rulebooks = Rulebooks(store: store, cache: cache, now: now)
        for studio in try await store.studios() {
            if let version = try await rulebooks.advance(studioID: studio.id) {
                logger.info("overlays changed with the date; open requests will be re-triaged",
                            metadata: ["studio": .string(studio.id), "version": .stringConvertible(version.number)])
            }
        }
    }

    /// Claims one waiting job and works it to the end; false when no job was waiting.
    @discardableResult
    public func runOnce() async throws -> Bool {
        let time = now()
        guard let job = try await store.claimRetriageJob(owner: owner, at: time, leaseUntil: time.addingTimeInterval(lease)) else {
            return false
        }
        logger.info("re-triage started", metadata: ["studio": .string(job.studioID), "version": .stringConvertible(job.number),
                                                    "open-requests": .stringConvertible(job.total)])
        try await work(job)
        return true
    }

    func work(_ claimed: RetriageJob) async throws {
        guard let version = try await store.policyVersion(studioID: claimed.studioID, number: claimed.number) else {
            _ = try await store.finishRetriageJob(claimed, owner: owner, at: now())
            return
        }
        let inputs = try await cache.inputs(stamp: PolicyVersionStamp(number: version.number, digest: version.digest),
                                            engine: try cache.load(version),
                                            tools: try await cache.registry(studioID: claimed.studioID, store: store),
                                            studioID: claimed.studioID, store: store)
        var job = claimed
        // The open requests, a page at a time, until none is left under an older version.
        // On shutdown the job is left where it got to; its lease lapses and a runner resumes it.
        while !Task.isShuttingDownGracefully, try await holdLease(job), try await !superseded(job) {
            job = try await store.retriageJob(studioID: job.studioID, number: job.number) ?? job
            let (page, _) = try await store.retriageBacklog(job, limit: pageSize)
            if page.isEmpty { break }
            for request in page {
                try Task.checkCancellation()
                if try await !Triage.retriage(request, under: inputs, job: job, actor: job.publishedBy, store: store, at: now()) {
                    // Decided meanwhile, unreadable, or in a state a re-triage leaves alone.
                    if try await store.request(id: request.id).map({ $0.revision == request.revision && $0.state == request.state }) ?? false,
                       try await (store.decisions(requestID: request.id).last?.policyNumber ?? 0) < job.number {
                        try await store.setAsideRetriage(job, requestID: request.id)
                        job.setAside.append(request.id)
                    }
                }
            }
        }
        // Then the approved requests the new version would decide differently.
        var after: String?
        repeat {
            guard !Task.isShuttingDownGracefully else { return }
            guard try await holdLease(job), try await !superseded(job) else { break }
            let page = try await store.requests(RequestQuery(studioID: job.studioID, state: .approved, after: after, limit: pageSize))
            for approved in page where job.productionID == nil || approved.productionID == job.productionID {
                try Task.checkCancellation()
                guard let reason = try await Triage.reviewReason(approved, under: inputs, store: store, today: Timestamps.day(now())) else {
                    continue
                }
                let time = now()
                _ = try await store.flagForReview(requestID: approved.id, reason: reason, job: job, audit: AuditDraft(
                    at: Timestamps.string(time), actor: job.publishedBy, action: "request.flagged", studioID: job.studioID,
                    productionID: approved.productionID, subject: approved.id,
                    details: .object([.init("reason", .string(reason)), .init("policy-version", .number(job.number))])))
            }
            after = page.count == pageSize ? page.last?.id : nil
        } while after != nil
        if try await store.finishRetriageJob(job, owner: owner, at: now()) {
            let done = try await store.retriageJob(studioID: job.studioID, number: job.number) ?? job
            logger.info("re-triage finished", metadata: [
                "studio": .string(job.studioID), "version": .stringConvertible(job.number),
                "retriaged": .stringConvertible(done.retriaged), "set-aside": .stringConvertible(done.setAside.count),
                "flagged": .stringConvertible(done.flagged.count),
            ])
        }
    }

    /// Renews the lease; false when another runner has taken the job over.
    func holdLease(_ job: RetriageJob) async throws -> Bool {
        let time = now()
        return try await store.renewRetriageLease(studioID: job.studioID, number: job.number, owner: owner, at: time,
                                                  until: time.addingTimeInterval(lease))
    }

    /// A newer version was published whose own job re-triages every open request this one covers
    /// again: a studio-wide one, or one for the same production.
    func superseded(_ job: RetriageJob) async throws -> Bool {
        let current = try await store.currentPolicyStamp(studioID: job.studioID)?.number ?? job.number
        guard current > job.number else { return false }
        for number in (job.number + 1)...current {
            guard let newer = try await store.retriageJob(studioID: job.studioID, number: number) else { continue }
            if newer.productionID == nil || newer.productionID == job.productionID { return true }
        }
        return false
    }
}
