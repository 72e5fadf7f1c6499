// swift-tools-version:6.0
import PackageDescription

// Products several targets use, named once.
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioHTTP1: Target.Dependency = .product(name: "NIOHTTP1", package: "swift-nio")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
/// An HTTPS client: the Kubernetes client, the TSDB backends.
let httpClient = [asyncHTTPClient, nioCore, nioHTTP1, nioSSL]
/// A plain HTTP server on the event loops (the simulator, test servers).
let httpServer = [nioCore, nioPosix, nioHTTP1]

let package = Package(
    name: "kubeglass",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kubeglass", targets: ["kubeglass"])
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
        .target(name: "DemoCluster", dependencies: ["KubeglassCore"]),
        .target(name: "KubeAPI", dependencies: ["KubeglassCore"]),
        .target(name: "KubeClient", dependencies: ["KubeglassCore", yams] + httpClient),
        .target(
            name: "Collectors",
            dependencies: ["KubeglassCore", "Store", "DemoCluster", "KubeAPI", "KubeClient", asyncHTTPClient, nioCore]),
        .target(
            name: "Simulator",
            dependencies: ["KubeglassCore", "DemoCluster", asyncHTTPClient, nioSSL] + httpServer + [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]),
        .target(name: "TSDB", dependencies: ["KubeglassCore", "Query"] + httpClient),
        .target(
            name: "Dashboards",
            dependencies: ["KubeglassCore", "Query", yams],
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
                .embedInCode("Builtin/node-exporter.yaml"),
            ]
        ),
        .target(
            name: "TerminalUI",
            dependencies: ["KubeglassCore", yams],
            resources: [
                .embedInCode("Themes/default.yaml"),
                .embedInCode("Themes/light.yaml"),
                .embedInCode("Themes/nord.yaml"),
                .embedInCode("Themes/gruvbox-dark.yaml"),
                .embedInCode("Themes/solarized-dark.yaml"),
                .embedInCode("Themes/solarized-light.yaml"),
                .embedInCode("Themes/dracula.yaml"),
                .embedInCode("Themes/catppuccin-mocha.yaml"),
                .embedInCode("Themes/high-contrast.yaml"),
                .embedInCode("Themes/mono.yaml"),
            ]
        ),
        .target(name: "DashboardUI", dependencies: ["KubeglassCore", "Query", "Dashboards", "TerminalUI"]),
        .target(name: "NcursesBackend", dependencies: ["TerminalUI", "CNcursesw"]),
        .target(
            name: "App",
            dependencies: [
                "KubeglassCore", "Store", "Query", "Collectors", "Dashboards", "TerminalUI", "DashboardUI", yams,
            ]),
        .executableTarget(
            name: "kubeglass",
            dependencies: [
                "KubeglassCore", "Store", "Query", "KubeClient", "Collectors", "Dashboards", "DashboardUI",
                "TerminalUI",
                "NcursesBackend", "App", "DemoCluster", "KubeAPI", "Simulator", "TSDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "KubeglassCoreTests", dependencies: ["KubeglassCore"]),
        .testTarget(name: "ModuleGraphTests", dependencies: ["TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .target(name: "TestSupport", dependencies: httpServer, path: "Tests/TestSupport"),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "Collectors", "TestSupport"]),
        .testTarget(
            name: "CollectorsTests",
            dependencies: [
                "Collectors", "KubeClient", "Store", "KubeAPI", "Simulator", "TestSupport", asyncHTTPClient, nioSSL,
            ] + httpServer),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "KubeglassCore", "TestSupport"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "DemoCluster", "TestSupport"]),
        .testTarget(name: "DashboardsTests", dependencies: ["Dashboards", "Store", "Query", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "DemoClusterTests", dependencies: ["DemoCluster"]),
        .testTarget(
            name: "DashboardUITests",
            dependencies: ["DashboardUI", "Dashboards", "TerminalUI", "Store", "Query", "Collectors", "TestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "TSDB", "DemoCluster", "DashboardUI", "Dashboards", "TerminalUI", "Store", "Query", "Collectors",
                "KubeglassCore", "TestSupport",
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Dashboards", "Query"]),
        .testTarget(
            name: "TSDBTests", dependencies: ["TSDB", "TestSupport", "Query", "Simulator", "DemoCluster"] + httpServer),
    ],
    swiftLanguageModes: [.v6]
)
