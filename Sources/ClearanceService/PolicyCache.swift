public import ClearanceCore
public import ClearanceStore
internal import Synchronization

/// Loaded policies by digest and parsed tool records by their stored JSON, so a triage costs one
/// small query for the current version instead of a 20 ms policy load. Both are bounded: the
/// least recently used entries go first, so publishing many versions (or many large ones) cannot
/// hold memory for ever.
public final class PolicyCache: Sendable {
    public init() {}

    /// Engines by policy digest: an engine holds its policy and its compiled prompt screener.
    let policies = Mutex(RecentlyUsed<String, PolicyEngine>(capacity: 32))
    private let tools = Mutex(RecentlyUsed<String, ToolRecord>(capacity: 4096))
    /// Custom overlays by digest.
    private let customOverlays = Mutex(RecentlyUsed<String, Policy>(capacity: 64))
    /// Overlay settings and custom overlays by studio and policy version.
    private let overlaySets = Mutex(RecentlyUsed<String, StudioOverlays>(capacity: 64))

    /// A studio's current policy version and the loaded policy.
    public func current(studioID: String, store: any Store) async throws -> (stamp: PolicyVersionStamp, policy: PolicyEngine) {
        guard let stamp = try await store.currentPolicyStamp(studioID: studioID) else {
            throw StoreError.database("studio \(studioID) has no policy version")
        }
        return (stamp, try await policy(stamp, studioID: studioID, store: store))
    }

    /// The loaded policy for a version stamp, from the cache or the store.
    public func policy(_ stamp: PolicyVersionStamp, studioID: String, store: any Store) async throws -> PolicyEngine {
        if let policy = policies.withLock({ $0.value(for: stamp.digest) }) { return policy }
        guard let record = try await store.policyVersion(studioID: studioID, number: stamp.number) else {
            throw StoreError.database("policy version \(stamp.number) of \(studioID) vanished")
        }
        return try load(record)
    }

    /// Loads a stored version, which passed validation when it was published.
    public func load(_ record: PolicyVersionRecord) throws -> PolicyEngine {
        if let engine = policies.withLock({ $0.value(for: record.digest) }) { return engine }
        let policy: Policy
        do {
            policy = try Policy.load(record.text, file: "\(record.studioID) policy v\(record.number)")
        } catch {
            throw StoreError.database("stored policy \(record.studioID) v\(record.number) no longer loads: \(error)")
        }
        let engine = Self.engine(for: policy)
        policies.withLock { $0.insert(engine, for: record.digest) }
        return engine
    }

    /// Remembers a policy just validated for publishing, and returns its engine.
    public func remember(_ policy: Policy) -> PolicyEngine {
        let engine = Self.engine(for: policy)
        policies.withLock { $0.insert(engine, for: policy.digest) }
        return engine
    }

    /// Triage inputs for a studio: its policy version's engine with the studio's own overlays
    /// added beside the built-ins, its tools, and its overlay settings.
    ///
    /// `stored` says the stamp names a stored version, whose overlays may be cached; a preview of
    /// a version not yet published reads them afresh.
    public func inputs(stamp: PolicyVersionStamp, engine: PolicyEngine, tools: ToolRegistry, studioID: String,
                       store: any Store, stored: Bool = true) async throws -> TriageInputs {
        let overlays = try await self.overlays(studioID: studioID, store: store, version: stored ? stamp.number : 0)
        guard !overlays.custom.isEmpty else { return TriageInputs(stamp: stamp, engine: engine, tools: tools, overlays: overlays) }
        let key = ([engine.policy.digest] + overlays.custom.map(\.digest)).joined(separator: "+")
        if let combined = policies.withLock({ $0.value(for: key) }) {
            return TriageInputs(stamp: stamp, engine: combined, tools: tools, overlays: overlays)
        }
        let combined = PolicyEngine(policy: engine.policy, overlays: engine.overlays + overlays.custom)
        policies.withLock { $0.insert(combined, for: key) }
        return TriageInputs(stamp: stamp, engine: combined, tools: tools, overlays: overlays)
    }

    /// A studio's overlay settings and custom overlays as of a policy version. Every change to them
    /// publishes a new version, so the pair (studio, version) names one set exactly and is cached;
    /// a version number of 0 (a preview outside any version) is not.
    public func overlays(studioID: String, store: any Store, version: Int) async throws -> StudioOverlays {
        let key = "\(studioID)#\(version)"
        if version > 0, let known = overlaySets.withLock({ $0.value(for: key) }) { return known }
        let loaded = try await overlays(studioID: studioID, store: store)
        if version > 0 { overlaySets.withLock { $0.insert(loaded, for: key) } }
        return loaded
    }

    /// A studio's overlay settings and its custom overlays, each at its current version, read now.
    public func overlays(studioID: String, store: any Store) async throws -> StudioOverlays {
        let settings = try await store.overlaySettings(studioID: studioID)
        let versions = try await store.overlayVersions(studioID: studioID)
        var current: [String: OverlayVersionRecord] = [:]
        for version in versions { current[version.overlayID] = version }
        var custom: [Policy] = []
        for version in current.values.sorted(by: { $0.overlayID < $1.overlayID }) {
            if let loaded = customOverlays.withLock({ $0.value(for: version.digest) }) {
                custom.append(loaded)
                continue
            }
            do {
                let loaded = try Policy.load(version.text, file: "\(studioID) overlay \(version.overlayID) v\(version.number)")
                customOverlays.withLock { $0.insert(loaded, for: version.digest) }
                custom.append(loaded)
            } catch {
                throw StoreError.database("stored overlay \(version.overlayID) of \(studioID) no longer loads: \(error)")
            }
        }
        return StudioOverlays(settings: settings, custom: custom, versions: versions)
    }

    /// An engine for a studio rulebook with every built-in overlay considered beside it.
    public static func engine(for policy: Policy) -> PolicyEngine {
        PolicyEngine(policy: policy, overlays: (try? Policy.builtInOverlays()) ?? [])
    }

    /// The studio's registry as the engine reads it.
    public func registry(studioID: String, store: any Store) async throws -> ToolRegistry {
        try registry(try await store.tools(studioID: studioID), studioID: studioID)
    }

    public func registry(_ entries: [ToolEntry], studioID: String) throws -> ToolRegistry {
        var records: [ToolRecord] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            if let record = tools.withLock({ $0.value(for: entry.record) }) {
                records.append(record)
                continue
            }
            guard let record = ToolRecord.stored(entry.record) else {
                throw StoreError.database("stored tool \(entry.id) of \(studioID) no longer reads")
            }
            tools.withLock { $0.insert(record, for: entry.record) }
            records.append(record)
        }
        return ToolRegistry(records)
    }
}

extension PolicyCache {
    /// The built-in default policy, for previews outside any production.
    public func defaultPolicy() throws -> PolicyEngine {
        if let engine = policies.withLock({ $0.value(for: "default") }) { return engine }
        let engine = Self.engine(for: try Policy.loadDefault())
        policies.withLock { $0.insert(engine, for: "default") }
        return engine
    }
}

/// A map that keeps at most `capacity` entries, dropping the least recently used one first.
struct RecentlyUsed<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private var entries: [Key: (value: Value, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The value, marked as just used.
    mutating func value(for key: Key) -> Value? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.value, clock)
        return entry.value
    }

    mutating func insert(_ value: Value, for key: Key) {
        clock += 1
        entries[key] = (value, clock)
        guard entries.count > capacity,
              let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key else { return }
        entries[oldest] = nil
    }
}
