/// The result of scanning a set of deliverables: one entry per file, a summary, and, when the
/// scan was checked against a production, the reconciliation. Its JSON keys are kebab-case, like
/// the rest of the API. This is both the CLI's JSON
/// output and the body a pipeline uploads to `POST /api/v1/productions/{p}/scans`.
public struct ScanReport: Sendable, Hashable, Codable {
    /// The version of this report's shape, named in `scanner`.
    public static let formatVersion = "clearance/scan-report@1"

    public var scanner: String
    public var roots: [String]
    public var files: [FileScan]
    public var summary: ScanSummary
    public var reconciliation: Reconciliation?

    public init(scanner: String, roots: [String], files: [FileScan], reconciliation: Reconciliation? = nil) {
        self.scanner = scanner
        self.roots = roots
        self.files = files
        self.summary = ScanSummary(files: files)
        self.reconciliation = reconciliation
    }
}

/// Counts by verdict, plus the bytes the scan read.
public struct ScanSummary: Sendable, Hashable, Codable {
    /// Every entry the report lists, the unreadable ones included.
    public var total: Int
    public var flagged: Int
    public var byVerdict: [String: Int]
    /// Entries the file system kept the scan from reading, or from reading to the end (each is
    /// also counted under its verdict, `error` unless a marker was found before the read failed).
    public var unreadable: Int
    /// Bytes of the files read, each byte counted once: never more than `bytesInFiles`.
    public var bytesRead: Int64
    public var bytesInFiles: Int64

    enum CodingKeys: String, CodingKey {
        case total
        case flagged
        case byVerdict = "by-verdict"
        case unreadable
        case bytesRead = "bytes-read"
        case bytesInFiles = "bytes-in-files"
    }

    /// No files yet: every verdict at zero.
    public init() {
        total = 0
        flagged = 0
        byVerdict = Dictionary(uniqueKeysWithValues: ProvenanceVerdict.allCases.map { ($0.rawValue, 0) })
        unreadable = 0
        bytesRead = 0
        bytesInFiles = 0
    }

    public init(files: [FileScan]) {
        self.init()
        for file in files { add(file) }
    }

    /// Reports written before `unreadable` was counted leave it out; they listed none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decode(Int.self, forKey: .total)
        flagged = try container.decode(Int.self, forKey: .flagged)
        byVerdict = try container.decode([String: Int].self, forKey: .byVerdict)
        unreadable = try container.decodeIfPresent(Int.self, forKey: .unreadable) ?? 0
        bytesRead = try container.decode(Int64.self, forKey: .bytesRead)
        bytesInFiles = try container.decode(Int64.self, forKey: .bytesInFiles)
    }

    /// Counts one more file, so a scan can keep its summary without keeping its files.
    public mutating func add(_ file: FileScan) {
        total += 1
        if file.verdict.isFlagged { flagged += 1 }
        byVerdict[file.verdict.rawValue, default: 0] += 1
        if file.unreadable == true { unreadable += 1 }
        bytesRead += file.bytesRead
        bytesInFiles += file.size
    }
}

/// One scanned file.
public struct FileScan: Sendable, Hashable, Codable {
    /// The path as the scan reached it (a root given on the command line, joined with the
    /// path under it).
    public var path: String
    /// The path under the folder the scan was given (the file's name, for a file given
    /// directly): what an approval's path glob is matched against.
    public var relativePath: String?
    /// The container the scanner recognised: `jpeg`, `png`, `bmff`, `riff`, `tiff`, `mxf`,
    /// `exr`, `dpx` or `unknown`.
    public var format: String
    public var verdict: ProvenanceVerdict
    public var size: Int64
    /// The bytes of this file read, each counted once: never more than `size`. A sidecar's
    /// bytes are not counted here.
    public var bytesRead: Int64
    /// Every marker found, in file order.
    public var markers: [ProvenanceMarker]
    /// Every C2PA manifest found, active one last, as the store holds them.
    public var manifests: [ManifestSummary]
    /// Asset identifiers the file declares (XMP document and instance ids, C2PA instance ids),
    /// which an approval's `id:` reference can name.
    public var identifiers: [String]
    /// Why the file could not be read, when the verdict is `error`, or a note on a structure
    /// the scan stopped reading (a bounded error) while keeping what it had found.
    public var problem: String?
    /// Set by reconciliation: the approval that covers this flagged file.
    public var approval: CoveringApproval?
    /// `true` when the file system kept the scan from reading the entry, or from reading it to
    /// the end: a named pipe, a broken link, a link loop, permission denied, a file that shrank
    /// while it was read, a folder that could not be listed. `problem` says which. Left out of
    /// the JSON otherwise.
    public var unreadable: Bool?

    enum CodingKeys: String, CodingKey {
        case path
        case relativePath = "relative-path"
        case format
        case verdict
        case size
        case bytesRead = "bytes-read"
        case markers
        case manifests
        case identifiers
        case problem
        case approval
        case unreadable
    }

    public init(path: String, format: String, verdict: ProvenanceVerdict, size: Int64, bytesRead: Int64,
                markers: [ProvenanceMarker], manifests: [ManifestSummary], identifiers: [String],
                problem: String? = nil, approval: CoveringApproval? = nil, relativePath: String? = nil) {
        self.path = path
        self.relativePath = relativePath
        self.format = format
        self.verdict = verdict
        self.size = size
        self.bytesRead = bytesRead
        self.markers = markers
        self.manifests = manifests
        self.identifiers = identifiers
        self.problem = problem
        self.approval = approval
    }

    /// An entry the scan could not read at all, with why in plain words.
    public static func unreadableEntry(path: String, relativePath: String?, reason: String, size: Int64 = 0) -> FileScan {
        var file = FileScan(path: path, format: ContainerFormat.unknown.rawValue, verdict: .error, size: size, bytesRead: 0,
                            markers: [], manifests: [], identifiers: [], relativePath: relativePath)
        file.markUnreadable(reason)
        return file
    }

    /// Notes that the file system kept the scan from reading all of this file (or its
    /// sidecar): the file is not passed as clean, and a marker already found still counts.
    public mutating func markUnreadable(_ reason: String) {
        unreadable = true
        if !verdict.isFlagged { verdict = .error }
        if problem?.contains(reason) != true { problem = [problem, reason].compactMap { $0 }.joined(separator: "; ") }
    }
}

/// One piece of evidence, with where it sits in the file.
public struct ProvenanceMarker: Sendable, Hashable, Codable {
    /// `c2pa`, `xmp`, `remote-manifest` or `generator-metadata`.
    public var source: String
    /// The marker's own verdict; `nil` for evidence that is reported but not flagged
    /// (a C2PA manifest with no AI source type, `algorithmicMedia`).
    public var verdict: ProvenanceVerdict?
    /// Byte offset in the file of the structure that holds the marker (the APP11 segment, the
    /// `caBX` chunk, the `uuid` box, the XMP packet, the text chunk).
    public var offset: Int64
    /// The structure holding it, such as `JPEG APP11`, `PNG caBX`, `BMFF uuid`, `PNG tEXt parameters`.
    public var location: String
    /// A one-line account of what was found.
    public var evidence: String
    /// For C2PA markers: the digital source type, the manifest it is in, whether that is the
    /// active manifest or an ingredient's, and who made it.
    public var digitalSourceType: String?
    public var manifest: String?
    public var scope: String?
    public var claimGenerator: String?
    public var softwareAgent: String?

    enum CodingKeys: String, CodingKey {
        case source
        case verdict
        case offset
        case location
        case evidence
        case digitalSourceType = "digital-source-type"
        case manifest
        case scope
        case claimGenerator = "claim-generator"
        case softwareAgent = "software-agent"
    }

    public init(source: String, verdict: ProvenanceVerdict?, offset: Int64, location: String, evidence: String,
                digitalSourceType: String? = nil, manifest: String? = nil, scope: String? = nil,
                claimGenerator: String? = nil, softwareAgent: String? = nil) {
        self.source = source
        self.verdict = verdict
        self.offset = offset
        self.location = location
        self.evidence = evidence
        self.digitalSourceType = digitalSourceType
        self.manifest = manifest
        self.scope = scope
        self.claimGenerator = claimGenerator
        self.softwareAgent = softwareAgent
    }
}

/// What a C2PA manifest says, in brief.
public struct ManifestSummary: Sendable, Hashable, Codable {
    public var label: String
    public var active: Bool
    public var compressed: Bool
    public var claimGenerator: String?
    public var claimGeneratorInfo: [GeneratorInfo]
    public var instanceID: String?
    public var actions: [ManifestAction]

    enum CodingKeys: String, CodingKey {
        case label
        case active
        case compressed
        case claimGenerator = "claim-generator"
        case claimGeneratorInfo = "claim-generator-info"
        case instanceID = "instance-id"
        case actions
    }

    public init(label: String, active: Bool, compressed: Bool, claimGenerator: String?,
                claimGeneratorInfo: [GeneratorInfo], instanceID: String?, actions: [ManifestAction]) {
        self.label = label
        self.active = active
        self.compressed = compressed
        self.claimGenerator = claimGenerator
        self.claimGeneratorInfo = claimGeneratorInfo
        self.instanceID = instanceID
        self.actions = actions
    }
}

/// A `claim_generator_info` entry.
public struct GeneratorInfo: Sendable, Hashable, Codable {
    public var name: String
    public var version: String?

    public init(name: String, version: String?) {
        self.name = name
        self.version = version
    }
}

/// One action from a `c2pa.actions` or `c2pa.actions.v2` assertion.
public struct ManifestAction: Sendable, Hashable, Codable {
    public var assertion: String
    public var action: String
    public var digitalSourceType: String?
    public var softwareAgent: String?

    enum CodingKeys: String, CodingKey {
        case assertion
        case action
        case digitalSourceType = "digital-source-type"
        case softwareAgent = "software-agent"
    }

    public init(assertion: String, action: String, digitalSourceType: String?, softwareAgent: String?) {
        self.assertion = assertion
        self.action = action
        self.digitalSourceType = digitalSourceType
        self.softwareAgent = softwareAgent
    }
}

/// The approval a flagged file was matched to.
public struct CoveringApproval: Sendable, Hashable, Codable {
    public var request: String
    public var reference: String

    public init(request: String, reference: String) {
        self.request = request
        self.reference = reference
    }
}

/// The outcome of checking flagged files against a production's approved final uses.
public struct Reconciliation: Sendable, Hashable, Codable {
    public var production: String
    public var approvalsConsidered: Int
    public var covered: Int
    /// Flagged files that no approval covers: unapproved GenAI in deliverables.
    public var unapproved: [String]

    enum CodingKeys: String, CodingKey {
        case production
        case approvalsConsidered = "approvals-considered"
        case covered
        case unapproved
    }

    public init(production: String, approvalsConsidered: Int, covered: Int, unapproved: [String]) {
        self.production = production
        self.approvalsConsidered = approvalsConsidered
        self.covered = covered
        self.unapproved = unapproved
    }
}
