internal import Synchronization

/// How many webhook attempts may be in flight at once: to one endpoint, and in all.
public struct DeliveryConcurrency: Sendable, Hashable {
    public var perEndpoint: Int
    public var total: Int

    public init(perEndpoint: Int = 2, total: Int = 16) {
        self.perEndpoint = max(1, perEndpoint)
        self.total = max(1, total)
    }
}

/// The lanes a dispatcher has open, across its overlapping passes.
final class InFlightAttempts: Sendable {
    private let limits: DeliveryConcurrency
    private let state = Mutex<(total: Int, byEndpoint: [String: Int])>((0, [:]))

    init(_ limits: DeliveryConcurrency) {
        self.limits = limits
    }

    /// Whether another lane could open.
    var hasRoom: Bool { state.withLock { $0.total < limits.total } }

    /// Opens up to `wanted` lanes to an endpoint, as many as both limits leave; returns how many.
    func reserve(_ endpoint: String, wanted: Int) -> Int {
        state.withLock { state in
            let open = state.byEndpoint[endpoint, default: 0]
            let granted = max(0, min(wanted, limits.perEndpoint - open, limits.total - state.total))
            state.total += granted
            if granted > 0 { state.byEndpoint[endpoint] = open + granted }
            return granted
        }
    }

    /// Closes one lane to an endpoint.
    func release(_ endpoint: String) {
        state.withLock { state in
            state.total -= 1
            let open = state.byEndpoint[endpoint, default: 1] - 1
            state.byEndpoint[endpoint] = open > 0 ? open : nil
        }
    }
}
