import Foundation
import TestSupport
import Testing

/// The module graph runs one way: every module imports only modules listed before it here, and only those it
/// is allowed. A new module has to be placed in this table, and an import that points up or sideways fails.
struct ModuleGraphTests {
    /// Bottom first. Each module with the project modules it may import (the README's architecture section draws it).
    static let layers: [(module: String, mayImport: Set<String>)] = [
        ("CNcursesw", []),
        ("KubeglassCore", []),
        ("DemoCluster", ["KubeglassCore"]),
        ("Store", ["KubeglassCore"]),
        ("Query", ["KubeglassCore", "Store"]),
        ("KubeAPI", ["KubeglassCore"]),
        ("KubeClient", ["KubeglassCore", "KubeAPI"]),
        ("Collectors", ["KubeglassCore", "Store", "DemoCluster", "KubeAPI", "KubeClient"]),
        ("TSDB", ["KubeglassCore", "Query"]),
        ("Dashboards", ["KubeglassCore", "Query"]),
        ("TerminalUI", ["KubeglassCore"]),
        ("DashboardUI", ["KubeglassCore", "Query", "Dashboards", "TerminalUI"]),
        ("NcursesBackend", ["TerminalUI", "CNcursesw"]),
        ("App", ["KubeglassCore", "Store", "Query", "Collectors", "Dashboards", "TerminalUI", "DashboardUI"]),
        ("Simulator", ["KubeglassCore", "DemoCluster"]),
        (
            "kubeglass",
            [
                "KubeglassCore", "DemoCluster", "Store", "Query", "KubeAPI", "KubeClient", "Collectors", "TSDB",
                "Dashboards", "TerminalUI", "DashboardUI", "NcursesBackend", "App", "Simulator",
            ]
        ),
    ]

    static var modules: [String] { layers.map(\.module) }

    static func allowed(_ module: String) -> Set<String>? { layers.first { $0.module == module }?.mayImport }

    /// The project modules a folder's Swift files import, with the first file that imports each.
    static func imports(ofFolder folder: URL, among known: Set<String>) throws -> [String: String] {
        var found: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [:] }
        for case let file as String in walker where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let at = words.firstIndex(of: "import"), words[..<at].allSatisfy({ $0.hasPrefix("@") }),
                    words.count > at + 1
                else { continue }
                let name = words[at + 1].split(separator: ".").first.map(String.init) ?? words[at + 1]
                if known.contains(name), found[name] == nil { found[name] = file }
            }
        }
        return found
    }

    @Test func theTableItselfPointsOnlyDown() {
        for (index, layer) in Self.layers.enumerated() {
            let below = Set(Self.modules[..<index])
            #expect(
                layer.mayImport.isSubset(of: below),
                "\(layer.module) may import \(layer.mayImport.subtracting(below).sorted()), which is not below it")
        }
    }

    @Test func everyModuleFolderIsInTheTable() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.url("Sources").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        #expect(
            Set(folders) == Set(Self.modules), "Sources/ has \(folders); place a new module in ModuleGraphTests.layers")
    }

    @Test func everyImportPointsDown() throws {
        let known = Set(Self.modules)
        for module in Self.modules {
            let allowed = try #require(Self.allowed(module))
            for (imported, file) in try Self.imports(ofFolder: RepositoryFiles.url("Sources/\(module)"), among: known)
            where imported != module && !allowed.contains(imported) {
                Issue.record("Sources/\(module)/\(file) imports \(imported), which \(module) may not import")
            }
        }
    }

    /// Package.swift's target dependencies, read as text: each target's quoted names up to the next target.
    @Test func packageDependenciesPointDown() throws {
        let text = try String(contentsOf: RepositoryFiles.url("Package.swift"), encoding: .utf8)
        let starts = try NSRegularExpression(pattern: #"\.(target|executableTarget|testTarget|systemLibrary)\("#)
            .matches(in: text, range: NSRange(text.startIndex..., in: text))
            .compactMap { Range($0.range, in: text)?.lowerBound }
        let known = Set(Self.modules)
        var checked = 0
        for (i, start) in starts.enumerated() {
            let chunk = text[start..<(i + 1 < starts.count ? starts[i + 1] : text.endIndex)]
            let quoted = chunk.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            guard
                chunk.hasPrefix(".target(") || chunk.hasPrefix(".executableTarget(")
                    || chunk.hasPrefix(".systemLibrary("),
                let name = quoted.first, let allowed = Self.allowed(name)
            else { continue }
            for dependency in quoted.dropFirst() where known.contains(dependency) && !allowed.contains(dependency) {
                Issue.record("Package.swift: \(name) depends on \(dependency), which it may not import")
            }
            checked += 1
        }
        #expect(checked == Self.modules.count, "read \(checked) of \(Self.modules.count) targets in Package.swift")
    }

    @Test func aBackwardImportIsCaught() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "import Foundation\n@testable import Dashboards\nimport Query\n".write(
            to: folder.appendingPathComponent("Backend.swift"), atomically: true, encoding: .utf8)
        let found = try Self.imports(ofFolder: folder, among: Set(Self.modules))
        #expect(Set(found.keys) == ["Dashboards", "Query"])
        #expect(!(Self.allowed("TSDB") ?? []).contains("Dashboards"), "TSDB must not import Dashboards")
    }

    /// Nothing in the repository reads the team's folder beside the checkout; a user's clone has none.
    @Test func nothingReadsOutsideTheRepository() throws {
        let needle = ".." + "/shared"
        var offenders: [String] = []
        for folder in ["Sources", "Tests", "scripts", ".ci"] {
            let root = RepositoryFiles.url(folder)
            guard let walker = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let file as String in walker where !file.contains("Fixtures/") {
                let url = root.appendingPathComponent(file)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                if text.contains(needle) || text.contains("shared/" + "reference") {
                    offenders.append("\(folder)/\(file)")
                }
            }
        }
        #expect(offenders.isEmpty, "these read outside the repository: \(offenders)")
    }
}
