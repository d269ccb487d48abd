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
        .library(name: "ClearanceStore", targets: ["ClearanceStore"]),
        .library(name: "ClearanceSQLite", targets: ["ClearanceSQLite"]),
        .library(name: "ClearancePostgres", targets: ["ClearancePostgres"]),
        .library(name: "ClearanceProvenance", targets: ["ClearanceProvenance"]),
        .library(name: "ClearanceService", targets: ["ClearanceService"]),
        .library(name: "ClearanceServer", targets: ["ClearanceServer"]),
        .library(name: "ClearanceCLI", targets: ["ClearanceCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EmbedResourcesTool",
            swiftSettings: strict
        ),
        .plugin(
            name: "EmbedResources",
            capability: .buildTool(),
            dependencies: ["EmbedResourcesTool"]
        ),
        .target(
            name: "ClearanceCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedResources"]
        ),
        .target(
            name: "ClearanceStore",
            dependencies: ["ClearanceCore"],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceSQLite",
            dependencies: [
                "ClearanceStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ClearancePostgres",
            dependencies: [
                "ClearanceStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .systemLibrary(
            name: "CProvenanceCodecs",
            pkgConfig: "libbrotlidec",
            providers: [.apt(["libbrotli-dev", "zlib1g-dev"])]
        ),
        .target(
            name: "ClearanceProvenance",
            dependencies: ["CProvenanceCodecs"],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceService",
            dependencies: [
                "ClearanceCore",
                "ClearanceStore",
                "ClearanceProvenance",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceServer",
            dependencies: [
                "ClearanceCore",
                "ClearanceStore",
                "ClearanceService",
                "ClearanceProvenance",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedResources"]
        ),
        .target(
            name: "ClearanceMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceCLI",
            dependencies: [
                "ClearanceCore",
                "ClearanceStore",
                "ClearanceSQLite",
                "ClearancePostgres",
                "ClearanceServer",
                "ClearanceService",
                "ClearanceProvenance",
                "ClearanceMail",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "clearance",
            dependencies: ["ClearanceCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .target(
            name: "ClearanceTestSupport",
            dependencies: ["ClearanceStore", "ClearanceSQLite", "ClearancePostgres"],
            path: "Tests/ClearanceTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceMailTests",
            dependencies: ["ClearanceMail"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceCoreTests",
            dependencies: ["ClearanceCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceProvenanceTests",
            dependencies: ["ClearanceProvenance", "CProvenanceCodecs"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceStoreTests",
            dependencies: [
                "ClearanceStore",
                "ClearanceSQLite",
                "ClearanceTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceServerTests",
            dependencies: [
                "ClearanceServer",
                "ClearanceService",
                "ClearanceStore",
                "ClearanceSQLite",
                "ClearanceTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClearanceCLITests",
            dependencies: ["ClearanceCLI", "ClearanceService", "clearance", "ClearanceTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ClearanceBenchmarks",
            dependencies: [
                "ClearanceCore",
                "ClearanceProvenance",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ClearanceBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
