import App
import Foundation
import Testing

/// The settings file: what it reads, how a bad file is told, and how it merges with flags and defaults.
@Suite struct SettingsTests {
    static let path = "/home/u/.config/kubeglass/config.yaml"

    static func file(_ yaml: String) throws -> SettingsFile { try SettingsFile.parse(yaml: yaml, path: path) }

    static func error(_ yaml: String) -> SettingsError? {
        do {
            _ = try SettingsFile.parse(yaml: yaml, path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsEveryKeyWithItsLine() throws {
        let f = try Self.file(
            """
            # mine
            theme: nord
            dashboard: [nodes, pods]
            refresh: 10s
            retention: 2h
            memory-budget: 1GB
            source: summary
            context: staging
            prometheus: http://127.0.0.1:9090
            color: never
            symbols: ascii
            """)
        #expect(f.entries[.theme] == .init(values: ["nord"], line: 2))
        #expect(f.entries[.dashboard] == .init(values: ["nodes", "pods"], line: 3))
        #expect(f.entries[.refresh]?.values == ["10s"])
        #expect(f.entries[.memoryBudget]?.line == 6)
        #expect(f.entries[.symbols]?.values == ["ascii"])
        #expect(f.entries.count == 10)
        #expect(f.warnings.isEmpty)
    }

    @Test func anEmptyFileSetsNothing() throws {
        #expect(try Self.file("").entries.isEmpty)
        #expect(try Self.file("# only a comment\n").entries.isEmpty)
    }

    @Test func anUnknownKeyIsAWarningNamingFileLineAndKey() throws {
        let f = try Self.file("theme: nord\nthmee: light\n")
        #expect(f.entries[.theme]?.values == ["nord"])
        #expect(f.warnings.count == 1)
        #expect(f.warnings[0].hasPrefix("\(Self.path):2: unknown key \"thmee\" (ignored)"), "\(f.warnings)")
    }

    @Test func aBadValueIsAnErrorNamingFileLineAndKey() throws {
        let refresh = try #require(Self.error("theme: nord\nrefresh: often\n"))
        #expect(refresh.line == 2)
        #expect(refresh.description.hasPrefix("\(Self.path):2: refresh: bad value \"often\""), "\(refresh)")
        #expect(refresh.description.contains("duration"))
        #expect(Self.error("refresh: 10ms\n")?.line == 1, "shorter than the flag allows")
        #expect(Self.error("source: prometheus\n")?.description.contains("metrics, summary") == true)
        #expect(Self.error("prometheus: 127.0.0.1:9090\n")?.description.contains("http://") == true)
        #expect(Self.error("memory-budget: lots\n") != nil)
        #expect(Self.error("color: sometimes\n")?.description.contains("auto, always, never") == true)
        #expect(Self.error("theme: {name: x}\n")?.description.contains("theme: expected one value") == true)
        #expect(Self.error("theme:\n")?.line == 1, "an empty value is no theme")
    }

    @Test func brokenYAMLAndAWrongShapeAreOneLine() throws {
        let broken = try #require(Self.error("theme: nord\n  refresh: [5s\n"))
        #expect(broken.description.hasPrefix(Self.path + ":"))
        #expect(broken.description.contains("not valid YAML"))
        #expect(!broken.description.contains("\n"))
        let list = try #require(Self.error("- theme\n- nord\n"))
        #expect(list.description == "\(Self.path):1: expected a mapping of settings (like `theme: nord`)")
    }

    @Test func aMissingDefaultFileIsNoneAndAMissingNamedFileIsAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kg-settings-\(UUID().uuidString)")
        let env = ["XDG_CONFIG_HOME": dir.path, "HOME": "/nonexistent"]
        #expect(SettingsFile.defaultPath(environment: env) == dir.path + "/kubeglass/config.yaml")
        #expect(SettingsFile.defaultPath(environment: ["HOME": "/home/u"]) == Self.path)
        #expect(try SettingsFile.load(named: nil, environment: env) == nil)
        #expect(throws: SettingsError.self) { try SettingsFile.load(named: dir.path + "/no.yaml", environment: env) }
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("kubeglass"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A folder given as the file says so.
        let folder = #expect(throws: SettingsError.self) { try SettingsFile.load(named: dir.path, environment: env) }
        #expect(folder?.description == "\(dir.path): cannot read the settings file (Is a directory)")
        try "theme: light\n".write(toFile: dir.path + "/kubeglass/config.yaml", atomically: true, encoding: .utf8)
        let loaded = try #require(try SettingsFile.load(named: nil, environment: env))
        #expect(loaded.entries[.theme]?.values == ["light"])
        #expect(loaded.path == dir.path + "/kubeglass/config.yaml")
    }

    @Test func flagsWinOverTheFileAndTheFileOverDefaults() throws {
        let f = try Self.file("theme: nord\nrefresh: 10s\ndashboard: [nodes, pods]\n")
        let s = Settings.resolve(
            arguments: ["dashboard", "--refresh=1s", "--demo"], insertAt: 1,
            keys: [.theme, .refresh, .dashboard, .retention],
            file: f, environment: [:])
        #expect(
            s.arguments == [
                "dashboard", "--theme", "nord", "--dashboard", "nodes", "--dashboard", "pods", "--refresh=1s", "--demo",
            ])
        #expect(s.origins[.theme] == .file(path: Self.path, line: 1))
        #expect(s.origins[.refresh] == .flag("--refresh"))
        #expect(s.origins[.retention] == .byDefault)
        #expect(s.origins[.theme]?.description == Self.path + ":1")
        #expect(s.origins[.refresh]?.description == "flag --refresh")

        let spaced = Settings.resolve(
            arguments: ["--theme", "light"], insertAt: 0, keys: [.theme], file: f, environment: [:])
        #expect(spaced.arguments == ["--theme", "light"])
        #expect(spaced.origins[.theme] == .flag("--theme"))
    }

    @Test func onlyTheCommandsKeysAreAddedAfterItsWords() throws {
        let f = try Self.file("theme: nord\ncontext: staging\n")
        let s = Settings.resolve(
            arguments: ["top", "nodes", "--no-headers"], insertAt: 2, keys: [.kubeconfig, .context], file: f,
            environment: [:])
        #expect(s.arguments == ["top", "nodes", "--context", "staging", "--no-headers"])
        #expect(s.origins[.theme] == nil)
        let noFile = Settings.resolve(arguments: ["once"], insertAt: 1, keys: [.context], file: nil, environment: [:])
        #expect(noFile.arguments == ["once"])
        #expect(noFile.origins[.context] == .byDefault)
    }

    @Test func aFlagThatChoosesTheDataLeavesTheFilesSourceUnused() throws {
        let f = try Self.file("source: summary\n")
        let s = Settings.resolve(
            arguments: ["--scrape", "http://h:9100/metrics"], insertAt: 0, keys: [.source], file: f, environment: [:])
        #expect(s.arguments == ["--scrape", "http://h:9100/metrics"])
        #expect(s.origins[.source] == .fileUnused(path: Self.path, line: 1, because: "--scrape given"))
        let after = Settings.resolve(
            arguments: ["query", "up", "--", "--scrape"], insertAt: 1, keys: [.source], file: f, environment: [:])
        #expect(after.arguments == ["query", "--source", "summary", "up", "--", "--scrape"], "after -- is no flag")
    }

    @Test func theEnvironmentIsNamedWhenNeitherFlagNorFileSetsIt() throws {
        let env = ["KUBECONFIG": "/k/config", "NO_COLOR": "1"]
        let s = Settings.resolve(arguments: [], insertAt: 0, keys: [.kubeconfig, .color], file: nil, environment: env)
        #expect(s.origins[.kubeconfig] == .environment("KUBECONFIG"))
        #expect(s.origins[.color]?.description == "environment $NO_COLOR")
        let home = try Self.file("kubeconfig: ~/.kube/work\n")
        #expect(
            Settings.resolve(arguments: [], insertAt: 0, keys: [.kubeconfig], file: home, environment: ["HOME": "/h"])
                .arguments == ["--kubeconfig", "/h/.kube/work"])
        let f = try Self.file("kubeconfig: /mine\n")
        #expect(
            Settings.resolve(arguments: [], insertAt: 0, keys: [.kubeconfig], file: f, environment: env).origins[
                .kubeconfig] == .file(path: Self.path, line: 1))
    }
}
