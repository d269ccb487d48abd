internal import ClearanceCore
internal import Crypto
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// A signed-in browser: its session's id and the secret its cookie carries.
struct BrowserSession: Sendable {
    var id: String
    var secret: String

    /// The token every form and the preview script send back.
    var csrfToken: String { WebSecurity.csrfToken(sessionSecret: secret) }

    /// Whether a token sent with a form or in `X-CSRF-Token` is this session's.
    func accepts(csrf sent: String?) -> Bool {
        WebSecurity.csrfMatches(sent, sessionSecret: secret)
    }
}

/// The browser side of authentication: the session cookie, CSRF tokens, and the sign-in throttle.
enum WebSecurity {
    static let sessionCookie = "clearance_session"
    /// Set with the sign-in form, before anyone is signed in: the form echoes it (double submit).
    static let signInCookie = "clearance_signin"
    static let csrfField = "csrf"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let sessionLifetime: TimeInterval = 12 * 3600

    /// The CSRF token of a session: an HMAC of a fixed label keyed by the session's secret. Only
    /// the holder of the cookie can compute it, and the server need not store it.
    static func csrfToken(sessionSecret: String) -> String {
        let key = SymmetricKey(data: Data(sessionSecret.utf8))
        return JSONValue.hex(HMAC<SHA256>.authenticationCode(for: Data("clearance csrf v1".utf8), using: key))
    }

    /// Whether `sent` is the CSRF token of the session with this secret.
    static func csrfMatches(_ sent: String?, sessionSecret: String) -> Bool {
        guard let sent else { return false }
        return same(sent, csrfToken(sessionSecret: sessionSecret))
    }

    /// Compares without stopping at the first difference, so timing tells nothing.
    static func same(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// A cookie's value from the request's `Cookie` headers.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// A `Set-Cookie` value: HttpOnly and SameSite=Lax always; Secure behind TLS.
    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool, path: String = "/") -> String {
        var cookie = "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
        if secure { cookie += "; Secure" }
        return cookie
    }

    /// Whether the browser reached us over TLS: the configuration says so, or the proxy in front does.
    static func isSecure(_ request: Request, configuration: ServerConfiguration) -> Bool {
        configuration.secureCookies || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}

/// Failed sign-ins within a sliding window, by account and by client address. Past the limit,
/// sign-in is refused until the oldest failure leaves the window. Pure: the clock is passed in.
struct SignInThrottle: Sendable {
    var window: TimeInterval = 15 * 60
    var maxPerAccount = 5
    var maxPerAddress = 20
    private var failures: [String: [Date]] = [:]

    init(window: TimeInterval = 15 * 60, maxPerAccount: Int = 5, maxPerAddress: Int = 20) {
        self.window = window
        self.maxPerAccount = maxPerAccount
        self.maxPerAddress = maxPerAddress
    }

    /// Seconds until another attempt is allowed, or nil if one is allowed now.
    func retryAfter(account: String, address: String, at time: Date) -> Int? {
        let waits = [wait(key: "account:" + account, limit: maxPerAccount, at: time),
                     wait(key: "address:" + address, limit: maxPerAddress, at: time)].compactMap { $0 }
        return waits.max()
    }

    mutating func recordFailure(account: String, address: String, at time: Date) {
        for key in ["account:" + account, "address:" + address] {
            failures[key] = (failures[key] ?? []).filter { time.timeIntervalSince($0) < window } + [time]
        }
        // Keep memory bounded under a flood of made-up accounts.
        if failures.count > 10_000 {
            failures = failures.filter { $0.value.contains { time.timeIntervalSince($0) < window } }
        }
    }

    /// A sign-in that worked: the account starts afresh, and the address gets back the attempt
    /// counted for it.
    mutating func recordSuccess(account: String, address: String) {
        failures["account:" + account] = nil
        if var recent = failures["address:" + address], !recent.isEmpty {
            recent.removeLast()
            failures["address:" + address] = recent
        }
    }

    private func wait(key: String, limit: Int, at time: Date) -> Int? {
        let recent = (failures[key] ?? []).filter { time.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((window - time.timeIntervalSince(oldest)).rounded(.up)))
    }
}

/// The throttle shared by every request of one server process.
actor SignInGate {
    private var throttle = SignInThrottle()

    /// Refuses (with the seconds to wait) or admits an attempt, counting it as a failure at once;
    /// a successful sign-in then clears the account's count.
    func attempt(account: String, address: String, at time: Date) -> Int? {
        if let wait = throttle.retryAfter(account: account, address: address, at: time) { return wait }
        throttle.recordFailure(account: account, address: address, at: time)
        return nil
    }

    func recordSuccess(account: String, address: String) {
        throttle.recordSuccess(account: account, address: address)
    }
}
