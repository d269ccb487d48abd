import ClearanceCore
import Testing

/// The outbound address policy: every spelling of an internal address is recognised, the allow
/// list opens exactly the ranges it names, and registration explains a refusal in plain words.
@Suite("Outbound address policy")
struct OutboundAddressPolicyTests {
    static let loopback = IPAddress.v4(0x7f00_0001)

    @Test("numeric hosts are read as the C library reads them", arguments: [
        "127.0.0.1", "2130706433", "0x7f000001", "0X7F000001", "127.1", "127.0.1", "0177.0.0.1", "0x7f.0.0.1", "0x7f.1",
        "017700000001", "127.0.0.1.",
    ])
    func numericSpellings(host: String) {
        #expect(IPAddress(host: host) == Self.loopback)
    }

    @Test("names and malformed numbers are not addresses", arguments: [
        "example.com", "127.0.0.1.example.com", "256.0.0.1", "1.2.3.4.5", "08.0.0.1", "1..1", "", "+1", "-1", "１２７.0.0.1",
        "1.16777216", "4294967296", "::1::", "1:2:3:4:5:6:7:8:9", "12345::", "[::1",
    ])
    func notAddresses(host: String) {
        #expect(IPAddress(host: host) == nil)
    }

    @Test("IPv6 text, with brackets, zones and dotted-quad tails, and RFC 5952 output")
    func ipv6() {
        #expect(IPAddress(host: "[::1]") == .v6(1))
        #expect(IPAddress(host: "0:0:0:0:0:0:0:1") == .v6(1))
        #expect(IPAddress(host: "fe80::1%eth0")?.description == "fe80::1")
        #expect(IPAddress(host: "::ffff:127.0.0.1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress(host: "::FFFF:7f00:1")?.description == "::ffff:127.0.0.1")
        #expect(IPAddress(host: "2001:db8:0:0:1:0:0:1")?.description == "2001:db8::1:0:0:1")
        #expect(IPAddress(host: "2001:0db8::0001")?.description == "2001:db8::1")
        #expect(IPAddress(host: "::")?.description == "::")
        #expect(IPAddress(literal: "fe80::1%eth0") == nil)
        #expect(IPAddress(literal: "127.1") == nil)
        #expect(IPAddress(literal: "10.0.0.1")?.description == "10.0.0.1")
    }

    @Test("each internal kind is recognised; IPv6 forms that carry IPv4 are judged as that address", arguments: [
        ("127.0.0.1", AddressScope.loopback), ("127.255.255.254", .loopback), ("::1", .loopback),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal),
        ("10.0.0.1", .privateUse), ("172.16.0.1", .privateUse), ("172.31.255.255", .privateUse), ("192.168.1.1", .privateUse),
        ("100.64.0.1", .privateUse), ("100.127.255.255", .privateUse), ("fec0::1", .privateUse), ("64:ff9b:1::1", .privateUse),
        ("fd00::1", .uniqueLocal), ("fc00::1", .uniqueLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("255.255.255.255", .reserved), ("240.0.0.1", .reserved),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:a9fe:a9fe", .linkLocal), ("::127.0.0.1", .loopback),
        ("64:ff9b::10.0.0.1", .privateUse), ("2002:7f00:1::", .loopback), ("2002:c0a8:101::1", .privateUse),
        ("93.184.215.14", .global), ("172.32.0.1", .global), ("100.128.0.1", .global), ("2606:4700::1111", .global),
        ("::ffff:8.8.8.8", .global), ("64:ff9b::8.8.8.8", .global), ("2002:0808:0808::", .global),
    ])
    func scopes(text: String, scope: AddressScope) throws {
        let address = try #require(IPAddress(host: text))
        #expect(address.scope == scope)
        #expect(OutboundAddressPolicy().permits(address) == (scope == .global))
    }

    @Test("ranges in CIDR notation, IPv4 and IPv6")
    func ranges() throws {
        let ten = try #require(AddressRange("10.1.2.3/8"))
        #expect(ten.description == "10.0.0.0/8")
        #expect(ten.contains(.v4(0x0aff_ffff)))
        #expect(!ten.contains(.v4(0x0b00_0000)))
        let single = try #require(AddressRange("::1"))
        #expect(single.description == "::1/128")
        #expect(single.contains(.v6(1)) && !single.contains(.v6(2)) && !single.contains(Self.loopback))
        #expect(AddressRange("0.0.0.0/0")?.contains(.v4(0xffff_ffff)) == true)
        #expect(AddressRange("fd00::/8")?.contains(try #require(IPAddress(host: "fdff::1"))) == true)
        for bad in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10/8", "10.0.0.0/-1", "10.0.0.0/8/8", "example.com/8", "10.0.0.0/+8"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
    }

    @Test("the allow list opens its ranges only; entries may hold several ranges, and a bad one is named")
    func allowList() throws {
        let policy = try OutboundAddressPolicy(allowList: ["127.0.0.0/8, ::1/128", "10.20.0.0/16"])
        #expect(policy.allowed.map(\.description) == ["127.0.0.0/8", "::1/128", "10.20.0.0/16"])
        #expect(policy.permits(Self.loopback))
        #expect(policy.permits(try #require(IPAddress(host: "::ffff:127.0.0.1"))))
        #expect(policy.permits(.v6(1)))
        #expect(policy.permits(try #require(IPAddress(host: "10.20.30.40"))))
        #expect(!policy.permits(try #require(IPAddress(host: "10.21.0.1"))))
        #expect(!policy.permits(try #require(IPAddress(host: "169.254.169.254"))))
        #expect(try OutboundAddressPolicy(allowList: [""]).allowed.isEmpty)
        #expect(throws: OutboundAllowListError.self) { try OutboundAddressPolicy(allowList: ["127.0.0.0/8,localhost"]) }
        do {
            _ = try OutboundAddressPolicy(allowList: ["10.0.0.0/40"])
        } catch {
            #expect(error.description == "'10.0.0.0/40' is not an address range such as 10.0.0.0/8 or fd00::/8")
        }
    }

    @Test("registration: internal addresses and names are refused with a plain reason; public names pass")
    func registration() {
        let policy = OutboundAddressPolicy()
        #expect(policy.problem(withURL: "https://hooks.example.com/in") == nil)
        #expect(policy.problem(withURL: "http://93.184.215.14:8080/in") == nil)
        #expect(policy.problem(withURL: "ftp://example.com/x") == "'ftp://example.com/x' is not an http or https URL")
        #expect(policy.problem(withURL: "http:///x") == "'http:///x' is not an http or https URL")
        #expect(policy.problem(withURL: "http://10.0.0.1/")
                == "'10.0.0.1' is a private address; requests may not go to internal addresses")
        #expect(policy.problem(withURL: "http://0x7f000001/")
                == "'0x7f000001' (127.0.0.1) is a loopback address; requests may not go to internal addresses")
        #expect(policy.problem(withURL: "http://LocalHost./")
                == "'LocalHost.' (127.0.0.1) is a loopback address; requests may not go to internal addresses")
        #expect(policy.problem(withURL: "http://metadata.google.internal/")
                == "'metadata.google.internal' is an internal host name; requests may not go to internal addresses")
        #expect(policy.problem(withURL: "http://[fd00::1]/")
                == "'fd00::1' is a unique-local address; requests may not go to internal addresses")
        #expect(policy.problem(withURL: "http://metadata/") != nil)

        // Allowing loopback lets loopback in, by address or name; internal names stay out until a
        // range beyond loopback is allowed.
        let loopback = OutboundAddressPolicy(allowing: [AddressRange("127.0.0.0/8")].compactMap { $0 })
        #expect(loopback.problem(withURL: "http://127.0.0.1:9/") == nil)
        #expect(loopback.problem(withURL: "http://localhost:9/") == nil)
        #expect(loopback.problem(withURL: "http://10.0.0.1/") != nil)
        #expect(loopback.problem(withURL: "http://hooks.corp.internal/") != nil)
        let corporate = OutboundAddressPolicy(allowing: [AddressRange("10.20.0.0/16")].compactMap { $0 })
        #expect(corporate.problem(withURL: "http://hooks.corp.internal/") == nil)
        #expect(corporate.problem(withURL: "http://10.20.1.1/") == nil)
        #expect(corporate.problem(withURL: "http://10.21.1.1/") != nil)
    }

    @Test("hosts that need no lookup: addresses, and localhost names as loopback")
    func withoutLookup() {
        #expect(OutboundAddressPolicy.addresses(withoutLookup: "127.1") == [Self.loopback])
        #expect(OutboundAddressPolicy.addresses(withoutLookup: "localhost") == [Self.loopback, .v6(1)])
        #expect(OutboundAddressPolicy.addresses(withoutLookup: "a.b.LOCALHOST.") == [Self.loopback, .v6(1)])
        #expect(OutboundAddressPolicy.addresses(withoutLookup: "example.com") == nil)
    }
}
