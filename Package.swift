// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "kubeglass",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kubeglass", targets: ["kubeglass"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "KubeglassCore"),
        .target(name: "Store", dependencies: ["KubeglassCore"]),
        .target(name: "Query", dependencies: ["KubeglassCore", "Store"]),
        .target(name: "DemoCluster"),
        .target(name: "KubeAPI", dependencies: ["KubeglassCore"]),
        .target(name: "Sources", dependencies: [
            "KubeglassCore", "Store", "DemoCluster", "KubeAPI", .product(name: "Yams", package: "Yams"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Simulator", dependencies: [
            "KubeglassCore", "DemoCluster",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
        ]),
        .target(name: "TSDB", dependencies: [
            "KubeglassCore", "Query", "Dashboards", "Sources",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(
            name: "Dashboards",
            dependencies: ["KubeglassCore", "Query", .product(name: "Yams", package: "Yams")],
            resources: [
                .embedInCode("Builtin/cluster.yaml"),
                .embedInCode("Builtin/nodes.yaml"),
                .embedInCode("Builtin/node.yaml"),
                .embedInCode("Builtin/pods.yaml"),
                .embedInCode("Builtin/pod.yaml"),
                .embedInCode("Builtin/namespace.yaml"),
                .embedInCode("Builtin/cluster-prometheus.yaml"),
                .embedInCode("Builtin/nodes-prometheus.yaml"),
                .embedInCode("Builtin/pods-prometheus.yaml"),
                .embedInCode("Builtin/namespace-prometheus.yaml"),
                .embedInCode("Builtin/cluster-influxdb.yaml"),
                .embedInCode("Builtin/nodes-influxdb.yaml"),
                .embedInCode("Builtin/pods-influxdb.yaml"),
                .embedInCode("Builtin/namespace-influxdb.yaml"),
            ]
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["KubeglassCore", .product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("Themes/default.yaml"), .embedInCode("Themes/nord.yaml")]
        ),
        .target(name: "DashboardUI", dependencies: ["KubeglassCore", "Dashboards", "TerminalUI", "Query", "Sources", "Store"]),
        .target(name: "NcursesBackend", dependencies: ["TerminalUI", "CNcursesw"]),
        .executableTarget(
            name: "kubeglass",
            dependencies: [
                "KubeglassCore", "Store", "Query", "Sources", "Dashboards", "DashboardUI", "TerminalUI", "NcursesBackend", "DemoCluster", "KubeAPI", "Simulator", "TSDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "KubeglassCoreTests", dependencies: ["KubeglassCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "Sources", "TestSupport"]),
        .testTarget(name: "SourcesTests", dependencies: ["Sources", "Store", "KubeAPI", "Simulator", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl")]),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "KubeglassCore", "TestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "DemoCluster", "TestSupport"]),
        .testTarget(name: "DashboardsTests", dependencies: ["Dashboards", "Store", "Query"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "DemoClusterTests", dependencies: ["DemoCluster"]),
        .testTarget(name: "DashboardUITests", dependencies: ["DashboardUI", "Dashboards", "TerminalUI", "Store", "Query"], exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Dashboards", "Query"]),
        .testTarget(name: "TSDBTests", dependencies: [
            "TSDB", "TestSupport", "Query", "Simulator", "DemoCluster",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
