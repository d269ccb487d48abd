internal import ClearanceCore
public import ClearanceStore
public import Foundation
internal import HummingbirdBcrypt
internal import NIOPosix
internal import Synchronization

/// How many failed password checks are let through: per account and per client address, within
/// a sliding window. Pure: the counts live in the store, the clock is passed in.
public struct SignInLimits: Sendable {
    public var window: TimeInterval = 15 * 60
    public var maxPerAccount = 5
    public var maxPerAddress = 20

    public init(window: TimeInterval = 15 * 60, maxPerAccount: Int = 5, maxPerAddress: Int = 20) {
        self.window = window
        self.maxPerAccount = maxPerAccount
        self.maxPerAddress = maxPerAddress
    }

    public func keys(account: String, address: String) -> [ThrottleKey] {
        [ThrottleKey("account:" + account, limit: maxPerAccount), ThrottleKey("address:" + address, limit: maxPerAddress)]
    }

    /// Whole seconds until the oldest of these attempts leaves the window (at least one).
    public func secondsToWait(oldest: [Date], at time: Date) -> Int {
        let waits = oldest.map { max(1, Int((window - time.timeIntervalSince($0)).rounded(.up))) }
        return waits.max() ?? 1
    }
}

/// Every password check of the service, for the sign-in form and for HTTP Basic on
/// `POST /api/v1/tokens` alike:
/// - each attempt counts against the account and the address before the password is checked,
///   so parallel guesses cannot slip past the limit while bcrypt runs; the counts are kept in the
///   database, so every instance on it shares them;
/// - an unknown email, an account without a password and a deactivated account cost one bcrypt
///   verification, as a known one does, so the answer's timing does not tell them apart.
public final class PasswordCheck: Sendable {
    public enum Outcome: Sendable {
        case matched(UserRecord)
        case refused
        /// Too many failures; try again after this many seconds.
        case throttled(Int)
    }

    let store: any Store
    public let limits: SignInLimits
    public let cost: UInt8
    private let dummy = Mutex<String?>(nil)

    public init(store: any Store, cost: UInt8, limits: SignInLimits = SignInLimits()) {
        self.store = store
        self.cost = cost
        self.limits = limits
    }

    public func check(email: String, password: String, address: String, at time: Date) async throws -> Outcome {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = limits.keys(account: email, address: address)
        let full = try await store.admitAttempt(keys: keys, since: time.addingTimeInterval(-limits.window), at: time)
        guard full.isEmpty else { return .throttled(limits.secondsToWait(oldest: full, at: time)) }
        let user = email.isEmpty ? nil : try await store.user(email: email)
        let hash = try await hashToCheck(user)
        let matches = try await Self.verify(password: password, hash: hash)
        guard matches, let user, user.passwordHash != nil, user.isActive else { return .refused }
        try await store.forgetAttempts(key: keys[0].key, newestOnly: false)
        try await store.forgetAttempts(key: keys[1].key, newestOnly: true)
        return .matched(user)
    }

    /// The user's own hash, or a fixed hash of the same cost that no password given here matches.
    private func hashToCheck(_ user: UserRecord?) async throws -> String {
        if let hash = user?.passwordHash { return hash }
        if let hash = dummy.withLock({ $0 }) { return hash }
        let hash = try await Self.hash(password: RandomID.make("", words: 4), cost: cost)
        dummy.withLock { $0 = $0 ?? hash }
        return hash
    }

    /// bcrypt is deliberately slow, so it runs on NIO's blocking pool, not on a request thread.
    public static func verify(password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    public static func hash(password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }
}

/// bcrypt at a fixed cost, for the accounts the service creates.
public struct BcryptPasswords: PasswordHashing {
    public let cost: UInt8

    public init(cost: UInt8) { self.cost = cost }

    public func hash(_ password: String) async throws -> String { try await PasswordCheck.hash(password: password, cost: cost) }
}
