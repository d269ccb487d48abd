/// Scans one file's container structure for generative-AI provenance markers. Pure apart from
/// the `ByteSource` it is given, so tests and the fuzzer drive it with bytes in memory.
public struct ProvenanceScanner: Sendable {
    public var limits: ScanLimits
    public var generators: GeneratorNames

    public init(limits: ScanLimits = ScanLimits(), generators: GeneratorNames = GeneratorNames()) {
        self.limits = limits
        self.generators = generators
    }

    /// Scans `source`, and `sidecar` (the bytes of `<name>.c2pa`) when there is one.
    public func scan(path: String, source: any ByteSource, sidecar: (any ByteSource)? = nil) -> FileScan {
        var findings = Findings()
        var format = ContainerFormat.unknown
        var sidecarProblem: ScanFailure?
        var readFailure: ScanFailure?
        do throws(ScanFailure) {
            let head = try source.read(at: 0, count: Int(min(16, source.size)))
            format = ContainerFormat.detect(head)
            guard source.size > 0 else { throw ScanFailure("the file is empty") }
            try walk(format, source: source, into: &findings)
        } catch let failure where failure.kind == .unreadable {
            readFailure = failure
        } catch {
            findings.problem = findings.problem ?? error
        }
        if let sidecar {
            do throws(ScanFailure) {
                let bytes = try sidecar.read(at: 0, count: try limits.payloadSize(sidecar.size, of: "the manifest store", at: nil))
                findings.manifestStores.append(.init(offset: 0, location: "sidecar .c2pa", bytes: bytes))
            } catch {
                sidecarProblem = error
            }
        }
        var file = interpret(findings, path: path, format: format, source: source)
        if let sidecarProblem {
            file.problem = [file.problem, "sidecar: \(sidecarProblem)"].compactMap { $0 }.joined(separator: "; ")
            if sidecarProblem.kind == .unreadable { file.markUnreadable("sidecar: \(sidecarProblem)") }
        }
        if let readFailure { file.markUnreadable(readFailure.description) }
        return file
    }

    private func walk(_ format: ContainerFormat, source: any ByteSource, into findings: inout Findings) throws(ScanFailure) {
        switch format {
        case .jpeg: try JPEGWalker(source: source, limits: limits).walk(into: &findings)
        case .png: try PNGWalker(source: source, limits: limits).walk(into: &findings)
        case .bmff: try BMFFWalker(source: source, limits: limits).walk(into: &findings)
        case .riff:
            var walker = RIFFWalker(source: source, limits: limits)
            try walker.walk(into: &findings)
        case .tiff: try TIFFWalker(source: source, limits: limits).walk(into: &findings)
        case .c2pa:
            let size = try limits.payloadSize(source.size, of: "the manifest store", at: nil)
            findings.manifestStores.append(.init(offset: 0, location: "C2PA manifest store", bytes: try source.read(at: 0, count: size)))
        case .mxf, .exr, .dpx, .unknown:
            break
        }
    }

    // MARK: - Interpretation

    private func interpret(_ findings: Findings, path: String, format: ContainerFormat, source: any ByteSource) -> FileScan {
        var markers: [ProvenanceMarker] = []
        var manifests: [ManifestSummary] = []
        var identifiers: [String] = []
        var problems: [String] = findings.problem.map { [$0.description] } ?? []

        var inflateBudget = limits.inflatedBytes - findings.inflated
        for store in findings.manifestStores {
            var reader = ManifestStoreReader(limits: limits, inflateBudget: inflateBudget)
            let found: [C2PAManifest]
            let activeUnread: Bool
            do throws(ScanFailure) {
                let read = try reader.manifests(in: store.bytes)
                found = read.manifests
                activeUnread = read.activeUnread
                problems += read.problems.map { "\(store.location) at byte \(store.offset): \($0)" }
            } catch {
                problems.append("\(store.location) at byte \(store.offset): \(error)")
                continue
            }
            inflateBudget = reader.inflateBudget
            for (index, manifest) in found.enumerated() {
                let active = index == found.count - 1 && !activeUnread
                let generator = manifest.claimGenerator ?? manifest.claimGeneratorInfo.first.map { info in
                    [info.name, info.version].compactMap { $0 }.joined(separator: " ")
                }
                manifests.append(ManifestSummary(label: manifest.label, active: active, compressed: manifest.compressed,
                                                 claimGenerator: manifest.claimGenerator,
                                                 claimGeneratorInfo: manifest.claimGeneratorInfo,
                                                 instanceID: manifest.instanceID, actions: manifest.actions))
                // The active manifest's id is the file's; an ingredient's names what it was made from.
                if active, let instance = manifest.instanceID, !identifiers.contains(instance) { identifiers.append(instance) }
                let scope = active ? "active" : "ingredient"
                var flaggedAny = false
                for action in manifest.actions {
                    guard let type = action.digitalSourceType else { continue }
                    let kind = DigitalSourceType(uri: type)
                    flaggedAny = flaggedAny || kind.verdict != nil
                    markers.append(ProvenanceMarker(
                        source: "c2pa", verdict: kind.verdict, offset: store.offset, location: store.location,
                        evidence: "\(action.action) with \(kind.name) in the \(scope) manifest\(manifest.compressed ? " (compressed)" : "")"
                            + (kind.verdict == nil ? "; not generative AI" : ""),
                        digitalSourceType: type, manifest: manifest.label, scope: scope,
                        claimGenerator: generator, softwareAgent: action.softwareAgent))
                }
                if !flaggedAny && manifest.actions.allSatisfy({ $0.digitalSourceType == nil }) {
                    markers.append(ProvenanceMarker(
                        source: "c2pa", verdict: nil, offset: store.offset, location: store.location,
                        evidence: "C2PA \(scope) manifest with no digital source type", manifest: manifest.label,
                        scope: scope, claimGenerator: generator))
                }
            }
        }

        for packet in findings.xmpPackets {
            let facts = XMPReader.read(packet.bytes, maximumDepth: limits.nestingDepth * 4)
            for type in facts.digitalSourceTypes {
                let kind = DigitalSourceType(uri: type)
                markers.append(ProvenanceMarker(
                    source: "xmp", verdict: kind.verdict, offset: packet.offset, location: packet.location,
                    evidence: "Iptc4xmpExt:DigitalSourceType \(kind.name)" + (kind.verdict == nil ? "; not generative AI" : ""),
                    digitalSourceType: type))
            }
            for field in facts.aiFields {
                markers.append(ProvenanceMarker(
                    source: "xmp", verdict: facts.digitalSourceTypes.isEmpty ? .review : nil, offset: packet.offset,
                    location: packet.location, evidence: "IPTC AI field \(field.name): \(Self.clip(field.value))"))
            }
            // `self#jumbf=…` names the file's own embedded store; anything else is kept elsewhere.
            for reference in facts.remoteManifests where !reference.hasPrefix("self#") {
                markers.append(ProvenanceMarker(
                    source: "remote-manifest", verdict: .review, offset: packet.offset, location: packet.location,
                    evidence: "dcterms:provenance points at a manifest kept outside the file (not fetched): \(Self.clip(reference))"))
            }
            for tool in facts.creatorTools {
                if let name = generators.match(in: tool) {
                    markers.append(ProvenanceMarker(
                        source: "generator-metadata", verdict: .heuristic, offset: packet.offset, location: packet.location,
                        evidence: "xmp:CreatorTool \"\(Self.clip(tool))\" names \(name)", softwareAgent: tool))
                }
            }
            for identifier in facts.identifiers where !identifiers.contains(identifier) { identifiers.append(identifier) }
        }

        for item in findings.texts {
            if let evidence = GeneratorText.evidence(keyword: item.keyword, value: item.value) {
                markers.append(ProvenanceMarker(source: "generator-metadata", verdict: .heuristic, offset: item.offset,
                                                location: item.location, evidence: evidence))
            }
        }
        for item in findings.software {
            if let name = generators.match(in: item.value) {
                markers.append(ProvenanceMarker(source: "generator-metadata", verdict: .heuristic, offset: item.offset,
                                                location: item.location,
                                                evidence: "Software \"\(Self.clip(item.value))\" names \(name)", softwareAgent: item.value))
            }
        }

        markers.sort { $0.offset < $1.offset }
        if markers.count > Self.maximumMarkers {
            // Keep the strongest, so the verdict and its evidence survive the cut.
            let kept = Array(markers.sorted { ($0.verdict ?? .noMarkers) < ($1.verdict ?? .noMarkers) }.prefix(Self.maximumMarkers))
            problems.append("\(markers.count) markers; the \(Self.maximumMarkers) strongest are listed")
            markers = kept.sorted { $0.offset < $1.offset }
        }
        let strongest = markers.compactMap(\.verdict).min()
        let verdict: ProvenanceVerdict
        if let strongest {
            verdict = strongest
        } else if !format.isReadable && findings.manifestStores.isEmpty {
            verdict = source.size == 0 ? .error : .unknownFormat
        } else if !problems.isEmpty {
            verdict = .error
        } else {
            verdict = .noMarkers
        }
        return FileScan(path: path, format: format.rawValue, verdict: verdict, size: source.size, bytesRead: source.bytesRead,
                        markers: markers, manifests: manifests, identifiers: identifiers,
                        problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// The most markers listed for one file.
    static let maximumMarkers = 200

    static func clip(_ text: String, to length: Int = 120) -> String {
        let flat = text.replacingControlCharacters()
        return flat.count <= length ? flat : String(flat.prefix(length)) + "…"
    }
}

extension String {
    func replacingControlCharacters() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}

/// An IPTC digital source type, by the last segment of its URI.
struct DigitalSourceType {
    var name: String
    var verdict: ProvenanceVerdict?

    init(uri: String) {
        let trimmed = uri.trimmingWhitespace()
        name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        switch name {
        case "trainedAlgorithmicMedia", "trainedAlgorithmicData": verdict = .generated
        case "compositeWithTrainedAlgorithmicMedia": verdict = .aiEdited
        case "compositeSynthetic": verdict = .review
        default: verdict = nil
        }
    }
}

/// Text that image generators leave in PNG chunks and EXIF UserComment.
enum GeneratorText {
    /// How much of a text chunk is read: enough to recognise a generator's settings.
    static let prefixBytes = 64 * 1024

    static func evidence(keyword: String, value: String) -> String? {
        let lower = keyword.lowercased()
        switch lower {
        case "parameters":
            return "Stable Diffusion parameters (AUTOMATIC1111 style): \(ProvenanceScanner.clip(value, to: 80))"
        case "prompt", "workflow":
            return value.contains("class_type") || value.contains("\"nodes\"") || lower == "workflow"
                ? "ComfyUI \(lower) graph" : "generator prompt text: \(ProvenanceScanner.clip(value, to: 80))"
        case "invokeai_metadata", "invokeai_graph", "sd-metadata", "dream":
            return "InvokeAI metadata (\(keyword))"
        case "software" where value.lowercased().contains("novelai"):
            return "NovelAI software tag"
        case "comment" where value.contains("\"steps\"") && (value.contains("\"sampler\"") || value.contains("\"seed\"")):
            return "NovelAI generation settings in Comment"
        case "usercomment":
            let hasSettings = value.contains("Steps:") && (value.contains("Sampler:") || value.contains("Seed:") || value.contains("CFG scale:"))
            return hasSettings ? "Stable Diffusion parameters in EXIF UserComment: \(ProvenanceScanner.clip(value, to: 80))" : nil
        default:
            return nil
        }
    }
}
