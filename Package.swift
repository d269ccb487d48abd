// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Clearance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clearance", targets: ["clearance"]),
        .library(name: "ClearanceCore", targets: ["ClearanceCore"]),
        .library(name: "ClearanceCLI", targets: ["ClearanceCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "ClearanceCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceCLI",
            dependencies: [
                "ClearanceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "clearance",
            dependencies: ["ClearanceCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceCoreTests",
            dependencies: ["ClearanceCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceCLITests",
            dependencies: ["ClearanceCLI", "clearance"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ClearanceBenchmarks",
            dependencies: [
                "ClearanceCore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ClearanceBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
