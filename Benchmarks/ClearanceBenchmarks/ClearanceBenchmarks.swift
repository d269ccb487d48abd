import Benchmark
import ClearanceCore
import ClearanceProvenance
import Foundation

/// Decisions per second on the default policy, and how long the policy takes to load.
///
/// Run with `swift package --disable-sandbox benchmark`; the README keeps the figures.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 1_000_000
    )

    let policy: Policy
    let registry: ToolRegistry
    let singleStep: UseRequest
    let fiveSteps: UseRequest
    do {
        policy = try Policy.loadDefault()
        registry = ToolRegistry(policy.testTools)
        let principles = Set(policy.principleIDs)
        singleStep = try UseRequest.parse(singleStepText, principles: principles)
        fiveSteps = try UseRequest.parse(fiveStepText, principles: principles)
    } catch {
        fatalError("benchmark inputs do not load: \(error)")
    }
    let engine = PolicyEngine(policy: policy)
    let overlaid: PolicyEngine
    let territories: UseRequest
    do {
        overlaid = PolicyEngine(policy: policy, overlays: try Policy.builtInOverlays())
        territories = try UseRequest.parse(severalTerritoriesText, principles: Set(policy.principleIDs))
    } catch {
        fatalError("benchmark overlays do not load: \(error)")
    }
    let context = RulebookContext(today: Day(year: 2026, month: 11, day: 27) ?? Day(secondsSince1970: 0))

    Benchmark("decide: single-step request, with all thirteen overlays considered", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(overlaid.decide(singleStep, tools: registry, context: context))
        }
    }

    Benchmark("decide: a replica in four territories, with all thirteen overlays", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(overlaid.decide(territories, tools: registry, context: context))
        }
    }

    Benchmark("decide: single-step request", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.decide(singleStep, tools: registry))
        }
    }

    Benchmark("decide: five-step pipeline", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(engine.decide(fiveSteps, tools: registry))
        }
    }

    Benchmark("parse + decide + JSON: single-step request", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            if let request = try? UseRequest.parse(singleStepText, principles: Set(policy.principleIDs)) {
                blackHole(engine.decide(request, tools: registry).json.rendered)
            }
        }
    }

    let screener = PromptScreener(policy.screening)
    Benchmark("part: prompt screening of one prompt", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(screener.screen("brutalist desert city at dusk, long shadows, in the style of Ansel Adams", step: 0))
        }
    }

    Benchmark("part: request digest", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(singleStep.digest)
        }
    }

    Benchmark("part: request canonical JSON", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(singleStep.canonicalJSON)
        }
    }

    // The scanner's parse cost per file, with the bytes already in memory (the fuzzer's seeds:
    // small files whose metadata is all the file). scripts/bench-scan measures whole scans on
    // disk, side by side with exiftool and c2pa.Reader.
    let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")
    let scanner = ProvenanceScanner()
    for (name, file) in [("JPEG, two C2PA manifests in APP11", "seed-jpeg-app11.jpg"),
                         ("PNG, C2PA in caBX", "seed-png-cabx.png"),
                         ("PNG, XMP and generator text chunks", "seed-png-text.png"),
                         ("MP4, C2PA uuid box and XMP", "seed-bmff.mp4")] {
        guard let data = FileManager.default.contents(atPath: seeds.appendingPathComponent(file).path) else {
            fatalError("benchmark input \(file) is missing from Fuzz/corpus")
        }
        let bytes = [UInt8](data)
        Benchmark("scan (in memory): \(name)", configuration: .init(scalingFactor: .kilo)) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(scanner.scan(path: file, source: MemoryByteSource(bytes)))
            }
        }
    }

    Benchmark("policy load: default policy (parse, compile, digest)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Policy.loadDefault())
        }
    }
}

/// A typical request: one enterprise tool, a prompt that is screened, a temp destination.
let singleStepText = """
    title: Moodboards for the desert city
    department: art
    purpose: ideation
    description: Mood images for the art department's first look at the city.
    media: [image]
    steps:
      - tool: studio-imagegen
        inputs: [prompt]
        prompt: brutalist desert city at dusk, long shadows, in the style of Ansel Adams
    output:
      destination: temp
    """

/// A custom pipeline of five tools, with talent and a mix of inputs.
let fiveStepText = """
    title: Previs with a guide voice and a de-aged double
    department: vfx
    purpose: previz
    description: Five tools chained for an animatic.
    media: [image, video, audio]
    steps:
      - {tool: studio-imagegen, inputs: [prompt, own-work], prompt: a canyon chase at night}
      - {tool: studio-llm, inputs: [production-material], prompt: shot list for the chase}
      - {tool: careful-local, inputs: [prompt], prompt: storm clouds reminiscent of Turner}
      - {tool: vague-saas, inputs: [prompt, licensed]}
      - {tool: {id: guide-voice-x, enterprise: false, trains-on-inputs: unknown, retains-inputs: unknown}, inputs: [prompt], training: none}
    output: {destination: temp, prominence: prominent}
    talent:
      - {performer: Jane Roe, use: voice, consent: C-2025-014}
    union-work: assists
    """

/// A replica of a performer in a work released in the EU, California, New York and Tennessee:
/// most overlays apply and several fire.
let severalTerritoriesText = """
title: Replica for the reshoot of the station scene
department: vfx
purpose: talent
description: A replica of the co-lead performs a rewritten line in the station scene.
media: [video, audio]
territories: [EU, US-CA, US-NY, US-TN]
use-date: 2026-12-01
steps:
  - tool: studio-imagegen
    inputs: [talent-likeness]
output:
  destination: final
  prominence: prominent
talent:
  - performer: Ana Loe
    use: replica
    consent: C-2026-072
"""
