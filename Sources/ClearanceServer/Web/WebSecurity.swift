internal import ClearanceCore
internal import ClearanceStore
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
    /// What a form just did (`filed`, `verdict`, …), for the page it lands on to say; one minute.
    static let doneCookie = "clearance_done"
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

/// The sign-in form's double-submit token. The server issues it, and accepts only a value it
/// issued within the last hour: `expiry.random.mac`, the mac an HMAC of the rest under a key
/// made when the process starts. A value planted in the browser beforehand is replaced, not
/// adopted. (A form fetched from one instance and posted to another is shown again with a fresh
/// token, since each instance has its own key.)
struct SignInTokens: Sendable {
    static let lifetime: TimeInterval = 3600
    private let key = SymmetricKey(size: .bits256)

    func issue(at time: Date) -> String {
        let body = "\(Int(time.addingTimeInterval(Self.lifetime).timeIntervalSince1970)).\(RandomID.make("", words: 2))"
        return body + "." + mac(body)
    }

    func isIssued(_ token: String, at time: Date) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int(parts[0]) else { return false }
        let body = parts[0] + "." + parts[1]
        return WebSecurity.same(String(parts[2]), mac(String(body))) && time.timeIntervalSince1970 < Double(expiry)
    }

    private func mac(_ body: String) -> String {
        JSONValue.hex(HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key))
    }
}
