/// A C2PA manifest, reduced to what the scan reports.
public struct C2PAManifest: Sendable, Hashable {
    public var label: String
    public var compressed: Bool
    public var claimGenerator: String?
    public var claimGeneratorInfo: [GeneratorInfo]
    public var instanceID: String?
    public var actions: [ManifestAction]
}

/// Reads a C2PA manifest store (a JUMBF superbox of content type `c2pa`) into its manifests,
/// in store order: ingredients' manifests first, the active manifest last.
struct ManifestStoreReader {
    let limits: ScanLimits
    private var boxBudget: Int
    /// What compressed manifests may still inflate to, shared by every store in the file.
    private(set) var inflateBudget: Int

    init(limits: ScanLimits, inflateBudget: Int) {
        self.limits = limits
        boxBudget = limits.structures
        self.inflateBudget = inflateBudget
    }

    /// The store's manifests, in order, and a problem for each manifest that could not be read:
    /// one malformed manifest does not hide the others. `activeUnread` says the last manifest,
    /// the active one, was among them, so none of those read is the active one.
    mutating func manifests(in bytes: [UInt8]) throws(ScanFailure)
        -> (manifests: [C2PAManifest], problems: [ScanFailure], activeUnread: Bool) {
        let top = try JUMBFBoxes.children(of: bytes, in: 0 ..< bytes.count, limit: &boxBudget)
        guard let storeBox = top.first, storeBox.type == "jumb" else {
            throw ScanFailure("the C2PA data does not start with a JUMBF superbox")
        }
        let store = try JUMBFSuperbox(bytes: bytes, box: storeBox, limit: &boxBudget)
        guard store.contentType == "c2pa" else {
            throw ScanFailure("the JUMBF superbox is `\(store.contentType)`, not a C2PA manifest store")
        }
        var manifests: [C2PAManifest] = []
        var problems: [ScanFailure] = []
        var activeUnread = false
        for child in store.children where child.type == "jumb" {
            activeUnread = false
            do throws(ScanFailure) {
                let box = try JUMBFSuperbox(bytes: bytes, box: child, limit: &boxBudget)
                switch box.contentType {
                case "c2ma", "c2um":
                    manifests.append(try manifest(box, in: bytes, compressed: false))
                case "c2cm":
                    manifests.append(try compressedManifest(box, in: bytes))
                default:
                    continue
                }
            } catch {
                // The box budget is for the whole store; past it, nothing more is read.
                if boxBudget < 0 { throw error }
                problems.append(error)
                activeUnread = true
            }
        }
        return (manifests, problems, activeUnread)
    }

    /// A compressed manifest holds one `brob` box: the original box type, then the Brotli-
    /// compressed payload of that `jumb` superbox.
    private mutating func compressedManifest(_ box: JUMBFSuperbox, in bytes: [UInt8]) throws(ScanFailure) -> C2PAManifest {
        guard let brob = box.children.first(where: { $0.type == "brob" }), brob.payload.count > 4 else {
            throw ScanFailure("a compressed manifest has no `brob` box")
        }
        let originalType = fourCC(bytes[brob.payload.lowerBound ..< brob.payload.lowerBound + 4])
        guard originalType == "jumb" else {
            throw ScanFailure("a compressed manifest holds a `\(originalType)` box, not `jumb`")
        }
        guard inflateBudget > 0 else { throw ScanFailure("compressed manifests inflate past \(limits.inflatedBytes) bytes in all") }
        let inflated: [UInt8]
        do throws(ScanFailure) {
            inflated = try Inflate.brotli(Array(bytes[brob.payload.lowerBound + 4 ..< brob.payload.upperBound]), limit: inflateBudget)
        } catch {
            // A manifest that would inflate past what is left uses all of it.
            inflateBudget = 0
            throw error
        }
        inflateBudget -= inflated.count
        // Rebuild the superbox around the inflated payload, so it reads like any other.
        let total = inflated.count + 8
        guard total <= Int(UInt32.max) else { throw ScanFailure("a compressed manifest inflates beyond 4 GiB") }
        var rebuilt: [UInt8] = []
        rebuilt.reserveCapacity(total)
        rebuilt.append(contentsOf: withUnsafeBytes(of: UInt32(total).bigEndian, Array.init))
        rebuilt.append(contentsOf: Array("jumb".utf8))
        rebuilt.append(contentsOf: inflated)
        let inner = try JUMBFSuperbox(bytes: rebuilt, box: JUMBFBox(type: "jumb", start: 0, payload: 8 ..< total), limit: &boxBudget)
        var result = try manifest(inner, in: rebuilt, compressed: true)
        if result.label.isEmpty, let label = box.label { result.label = label }
        return result
    }

    private mutating func manifest(_ box: JUMBFSuperbox, in bytes: [UInt8], compressed: Bool) throws(ScanFailure) -> C2PAManifest {
        var manifest = C2PAManifest(label: box.label ?? "", compressed: compressed, claimGenerator: nil,
                                    claimGeneratorInfo: [], instanceID: nil, actions: [])
        for child in box.children where child.type == "jumb" {
            let part = try JUMBFSuperbox(bytes: bytes, box: child, limit: &boxBudget)
            switch part.contentType {
            case "c2cl":
                if let claim = try cborContent(of: part, in: bytes) { read(claim: claim, into: &manifest) }
            case "c2as":
                for assertionBox in part.children where assertionBox.type == "jumb" {
                    let assertion = try JUMBFSuperbox(bytes: bytes, box: assertionBox, limit: &boxBudget)
                    guard let label = assertion.label else { continue }
                    let base = label.split(separator: "__", maxSplits: 1, omittingEmptySubsequences: false).first
                        .map(String.init) ?? label
                    guard base == "c2pa.actions" || base == "c2pa.actions.v2" else { continue }
                    guard let content = try cborContent(of: assertion, in: bytes) else { continue }
                    manifest.actions += actions(in: content, assertion: base)
                }
            default:
                continue
            }
        }
        return manifest
    }

    private func cborContent(of box: JUMBFSuperbox, in bytes: [UInt8]) throws(ScanFailure) -> CBOR? {
        guard let content = box.children.first(where: { $0.type == "cbor" }) else { return nil }
        do {
            return try CBORDecoder.decode(Array(bytes[content.payload]), maximumDepth: limits.nestingDepth)
        } catch {
            throw ScanFailure("the CBOR in `\(box.label ?? box.contentType)` is malformed (\(error))")
        }
    }

    private func read(claim: CBOR, into manifest: inout C2PAManifest) {
        manifest.claimGenerator = claim["claim_generator"]?.string
        manifest.instanceID = claim["instanceID"]?.string
        let info = claim["claim_generator_info"]
        let entries = info?.elements ?? (info.map { [$0] } ?? [])
        manifest.claimGeneratorInfo = entries.compactMap { entry in
            guard let name = entry["name"]?.string else { return nil }
            return GeneratorInfo(name: name, version: entry["version"]?.string)
        }
    }

    private func actions(in assertion: CBOR, assertion label: String) -> [ManifestAction] {
        (assertion["actions"]?.elements ?? []).compactMap { action in
            guard let name = action["action"]?.string else { return nil }
            let source = action["digitalSourceType"]?.string ?? action["parameters"]?["digitalSourceType"]?.string
            return ManifestAction(assertion: label, action: name, digitalSourceType: source,
                                  softwareAgent: Self.agent(action["softwareAgent"]))
        }
    }

    /// A software agent is text in `c2pa.actions` and a generator-info map in `c2pa.actions.v2`.
    static func agent(_ value: CBOR?) -> String? {
        guard let value else { return nil }
        if let text = value.string { return text }
        guard let name = value["name"]?.string else { return nil }
        if let version = value["version"]?.string { return "\(name) \(version)" }
        return name
    }
}
