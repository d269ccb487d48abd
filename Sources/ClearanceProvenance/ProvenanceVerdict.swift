/// What a file's metadata says about generative AI, strongest first.
///
/// The order matters: a file's verdict is the strongest verdict of any of its markers, so a
/// file with an AI-generated ingredient and a clean active manifest is still `generated`.
public enum ProvenanceVerdict: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A marker says generative AI made the content (`trainedAlgorithmicMedia`, `trainedAlgorithmicData`).
    case generated
    /// A marker says generated material was composited into captured content.
    case aiEdited = "ai-edited"
    /// A marker that needs a person to look: `compositeSynthetic`, IPTC AI fields without a
    /// source type, or a manifest kept elsewhere that the scan did not fetch.
    case review
    /// No declared marker, but metadata that generator tools leave behind (Stable Diffusion
    /// parameters, ComfyUI workflows, a generator's name as the software).
    case heuristic
    /// The container was read and declares nothing about generative AI.
    case noMarkers = "no-markers"
    /// A format with no embedding standard (MXF, EXR, DPX, anything unrecognised): the scan
    /// cannot say, so it never reports such a file as clean.
    case unknownFormat = "unknown-format"
    /// The file could not be read or is malformed; the scan reports it and goes on.
    case error

    /// Whether the file must be covered by an approval before delivery.
    public var isFlagged: Bool {
        switch self {
        case .generated, .aiEdited, .review, .heuristic: true
        case .noMarkers, .unknownFormat, .error: false
        }
    }

    private var rank: Int {
        switch self {
        case .generated: 0
        case .aiEdited: 1
        case .review: 2
        case .heuristic: 3
        case .error: 4
        case .unknownFormat: 5
        case .noMarkers: 6
        }
    }

    public static func < (lhs: ProvenanceVerdict, rhs: ProvenanceVerdict) -> Bool { lhs.rank < rhs.rank }
}
