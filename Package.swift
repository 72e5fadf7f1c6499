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
        .target(name: "Sources", dependencies: ["KubeglassCore", "Store", "DemoCluster", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "Dashboards",
            dependencies: ["KubeglassCore", "Query", .product(name: "Yams", package: "Yams")],
            resources: [.embedInCode("Builtin/cluster.yaml")]
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
                "KubeglassCore", "Store", "Query", "Sources", "Dashboards", "DashboardUI", "TerminalUI", "NcursesBackend", "DemoCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "KubeglassCoreTests", dependencies: ["KubeglassCore"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "Sources", "TestSupport"]),
        .testTarget(name: "SourcesTests", dependencies: ["Sources", "Store"]),
        .testTarget(name: "DashboardsTests", dependencies: ["Dashboards", "Store", "Query"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "DemoClusterTests", dependencies: ["DemoCluster"]),
        .testTarget(name: "DashboardUITests", dependencies: ["DashboardUI", "Dashboards", "TerminalUI", "Store", "Query"], exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
