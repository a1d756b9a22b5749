// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "LineageKit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LineageKit", targets: ["LineageKit"]),
        .library(name: "LineageSample", targets: ["LineageSample"]),
        .library(name: "LineageRender", targets: ["LineageRender"]),
        .library(name: "MixpeekClient", targets: ["MixpeekClient"]),
        .library(name: "LineageSandbox", targets: ["LineageSandbox"]),
        .library(name: "LineageCorrections", targets: ["LineageCorrections"]),
        .library(name: "LineageReport", targets: ["LineageReport"]),
        .executable(name: "lineage", targets: ["lineage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
    ],
    targets: [
        .target(name: "LineageKit", swiftSettings: strictSettings),
        .target(name: "LineageSample", dependencies: ["LineageKit"], swiftSettings: strictSettings),
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]
        ),
        .target(name: "LineageRender", dependencies: ["LineageKit", "CGraphviz"], swiftSettings: strictSettings),
        .target(name: "MixpeekClient", dependencies: ["LineageKit"], swiftSettings: strictSettings),
        .target(
            name: "LineageCorrections", dependencies: ["LineageKit", "MixpeekClient"], swiftSettings: strictSettings),
        .target(
            name: "LineageReport", dependencies: ["LineageKit", "LineageRender", "LineageCorrections"],
            swiftSettings: strictSettings),
        .target(
            name: "LineageSandbox",
            dependencies: ["LineageKit", .product(name: "FlyingFox", package: "FlyingFox")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "lineage",
            dependencies: [
                "LineageKit",
                "LineageSample",
                "LineageRender",
                "MixpeekClient",
                "LineageSandbox",
                "LineageCorrections",
                "LineageReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "LineageTestSupport",
            dependencies: ["LineageKit"],
            path: "Tests/LineageTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LineageKitTests",
            dependencies: ["LineageKit", "LineageSample", "LineageTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LineageRenderTests",
            dependencies: ["LineageRender", "LineageKit", "LineageTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MixpeekClientTests",
            dependencies: [
                "MixpeekClient", "LineageSandbox", "LineageCorrections", "LineageKit", "LineageSample",
                "LineageTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LineageReportTests",
            dependencies: ["LineageReport", "LineageKit", "LineageTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LineageCLITests",
            dependencies: ["LineageTestSupport", "LineageKit", "LineageSample"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "ProvenanceWalk",
            dependencies: ["LineageKit"],
            path: "examples/provenance-walk",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "CustomRule",
            dependencies: ["LineageKit"],
            path: "examples/custom-rule",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "LineageBenchmark",
            dependencies: ["LineageKit", "LineageRender", "MixpeekClient"],
            path: "Benchmarks/LineageBenchmark",
            swiftSettings: strictSettings
        ),
    ]
)
