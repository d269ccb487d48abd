/// The containers the scanner knows, told apart by their first bytes, never by the file name.
public enum ContainerFormat: String, Sendable, Hashable, Codable {
    case jpeg, png, bmff, riff, tiff
    /// A bare C2PA manifest store (a `.c2pa` file).
    case c2pa
    /// Formats with no standard place for provenance: reported as unknown, never as clean.
    case mxf, exr, dpx
    case unknown

    /// Whether the scanner can read provenance from this format.
    public var isReadable: Bool {
        switch self {
        case .jpeg, .png, .bmff, .riff, .tiff, .c2pa: true
        case .mxf, .exr, .dpx, .unknown: false
        }
    }

    /// Recognises a format from a file's first 16 bytes (fewer if the file is shorter).
    public static func detect(_ head: [UInt8]) -> ContainerFormat {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + prefix.count && Array(head[offset ..< offset + prefix.count]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if (starts(Array("RIFF".utf8)) || starts(Array("RF64".utf8)) || starts(Array("BW64".utf8))) && head.count >= 12 {
            return .riff
        }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if head.count >= 8, ["ftyp", "moov", "mdat", "free", "wide", "skip", "uuid", "pnot"].contains(fourCC(head[4 ..< 8])) {
            return .bmff
        }
        if head.count >= 12, fourCC(head[4 ..< 8]) == "jumb" { return .c2pa }
        if starts([0x06, 0x0E, 0x2B, 0x34]) { return .mxf }
        if starts([0x76, 0x2F, 0x31, 0x01]) { return .exr }
        if starts(Array("SDPX".utf8)) || starts(Array("XPDS".utf8)) { return .dpx }
        return .unknown
    }
}
