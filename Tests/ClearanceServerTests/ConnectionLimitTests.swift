import ClearanceServer
import ClearanceStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Slow and idle clients are cut off, so they cannot hold the server's connections.
@Suite("Connection limits")
struct ConnectionLimitTests {
    /// A real server on a loopback port with short deadlines.
    static func withServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let service = try await Service.make()
        var configuration = service.configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.connections.headerTimeout = .milliseconds(300)
        configuration.connections.bodyTimeout = .milliseconds(300)
        var logger = Logger(label: "clearance-test")
        logger.logLevel = .warning
        let app = buildApplication(store: service.store, configuration: configuration, logger: logger)
        try await app.test(.live) { client in
            guard let port = client.port else { throw SetupError("the live server has no port") }
            try await body(port)
        }
    }

    /// Connects, sends `bytes`, and reads until the server closes the connection (true) or
    /// `patience` seconds pass (false). The patience is far above the deadlines: it only keeps a
    /// regression from hanging the suite.
    static func closedByServer(port: Int, sending bytes: String, patience: Int = 10) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        var timeout = timeval(tv_sec: patience, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return true }          // closed by the server
            if count < 0 { return false }          // patience ran out
        }
    }

    @Test("a request head that never completes is closed")
    func slowHeaders() async throws {
        try await Self.withServer { port in
            #expect(Self.closedByServer(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "))
        }
    }

    @Test("a body that never completes is closed")
    func slowBody() async throws {
        try await Self.withServer { port in
            let head = "POST /api/v1/triage HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"title\":"
            #expect(Self.closedByServer(port: port, sending: head))
        }
    }

    @Test("an idle connection is closed, and a served one is answered first")
    func idle() async throws {
        try await Self.withServer { port in
            #expect(Self.closedByServer(port: port, sending: ""))
            #expect(Self.closedByServer(port: port, sending: "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        }
    }
}
