import Foundation
import TestSupport
import Testing

/// The settings file in the real binary: `config show` names where each setting comes from, a bad file
/// stops the run with one line, and the dashboard opens with the file's theme and dashboard.
@Suite(.serialized)
struct SettingsFileEndToEndTests {
    /// A fresh $XDG_CONFIG_HOME with `kubeglass/config.yaml` holding `yaml`.
    static func configHome(_ yaml: String?, _ label: String) throws -> URL {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kg-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("kubeglass"), withIntermediateDirectories: true)
        if let yaml {
            try yaml.write(to: home.appendingPathComponent("kubeglass/config.yaml"), atomically: true, encoding: .utf8)
        }
        return home
    }

    static func run(_ home: URL, _ args: [String]) async throws -> (status: Int32, output: String) {
        try await spawn(
            ["XDG_CONFIG_HOME=\(home.path)", "KUBECONFIG=/nonexistent/kubeconfig", try kubeglassBinary()] + args)
    }

    /// The line of `config show` for one setting.
    static func row(_ output: String, _ key: String) -> String {
        output.split(separator: "\n").map(String.init).first { $0.hasPrefix(key + " ") } ?? ""
    }

    @Test func configShowNamesTheFileFlagDefaultAndEnvironment() async throws {
        let home = try Self.configHome("# mine\ntheme: nord\nrefresh: 10s\ndashboard: nodes\n", "show")
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.path + "/kubeglass/config.yaml"
        let (status, output) = try await Self.run(home, ["config", "show", "--refresh", "2s"])
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("settings file: \(file)\n"), "\(output)")
        #expect(
            Self.row(output, "theme").hasSuffix("nord  \(file):2") || Self.row(output, "theme").contains("\(file):2"))
        #expect(Self.row(output, "theme").contains("nord"), "\(output)")
        #expect(Self.row(output, "refresh").contains("2s") && Self.row(output, "refresh").hasSuffix("flag --refresh"))
        #expect(Self.row(output, "dashboard").contains("nodes") && Self.row(output, "dashboard").hasSuffix("\(file):4"))
        #expect(Self.row(output, "retention").contains("1h") && Self.row(output, "retention").hasSuffix("default"))
        #expect(Self.row(output, "kubeconfig").hasSuffix("environment $KUBECONFIG"), "\(output)")

        let (pathStatus, path) = try await Self.run(home, ["config", "path"])
        #expect(pathStatus == 0)
        #expect(path == file + "\n")
    }

    @Test func noFileIsAllDefaultsAndAMissingNamedFileIsAnError() async throws {
        let home = try Self.configHome(nil, "none")
        defer { try? FileManager.default.removeItem(at: home) }
        let (status, output) = try await Self.run(home, ["config", "show"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("(none there: nothing read)"))
        #expect(Self.row(output, "theme").hasSuffix("default"))
        let (missing, said) = try await Self.run(home, ["config", "show", "--config", home.path + "/other.yaml"])
        #expect(missing == 64, "\(said)")
        #expect(said == "kubeglass: \(home.path)/other.yaml: no such settings file (given by --config)\n")
        let named = home.appendingPathComponent("other.yaml")
        try "theme: light\n".write(to: named, atomically: true, encoding: .utf8)
        let (ok, shown) = try await Self.run(home, ["config", "show", "--config=\(named.path)"])
        #expect(ok == 0, "\(shown)")
        #expect(Self.row(shown, "theme").contains("light") && Self.row(shown, "theme").hasSuffix("\(named.path):1"))
    }

    @Test func aBadFileIsOneLineAndAnUnknownKeyAWarning() async throws {
        let home = try Self.configHome("theme: nord\nrefresh: often\n", "bad")
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.path + "/kubeglass/config.yaml"
        for args in [["once", "--demo"], ["config", "show"], ["--demo"]] {
            let (status, output) = try await Self.run(home, args)
            #expect(status == 64, "\(args): \(output)")
            #expect(
                output
                    == "kubeglass: \(file):2: refresh: bad value \"often\", expected a duration of at least 100ms, like 5s or 1m\n",
                "\(args)")
        }
        let (helpStatus, help) = try await Self.run(home, ["--help"])
        #expect(helpStatus == 0 && help.contains("USAGE"), "help needs no settings")

        try "thme: nord\nretention: 2h\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (status, output) = try await Self.run(home, ["config", "show"])
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("kubeglass: warning: \(file):1: unknown key \"thme\" (ignored); known keys: theme,"))
        #expect(Self.row(output, "retention").hasSuffix("\(file):2"))

        // Good values that do not go together: the flag's error, and which settings the file gave.
        try "retention: 1m\nrefresh: 5m\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (clash, said) = try await Self.run(home, ["once", "--demo", "--no-state"])
        #expect(clash == 64, "\(said)")
        #expect(said.hasPrefix("kubeglass: note: \(file) gave refresh (line 2), retention (line 1)\n"), "\(said)")
        #expect(said.contains("Error: --retention must be a duration no shorter than --refresh"))
    }

    @Test func theDashboardOpensWithTheFilesThemeAndDashboard() async throws {
        let bin = try kubeglassBinary()
        let home = try Self.configHome("theme: wall\ndashboard: nodes\nrefresh: 1s\n", "tui")
        defer { try? FileManager.default.removeItem(at: home) }
        let themes = home.appendingPathComponent("kubeglass/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        // A mistake in the theme shows in the status bar, so the screen says which theme was read.
        try "border: {fg: tealish}\n".write(
            to: themes.appendingPathComponent("wall.yaml"), atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            command: "sh -c 'cd / && exec \(bin) --demo --no-state'", width: 120, height: 40,
            environment: ["XDG_CONFIG_HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color", "NO_COLOR": ""])
        let screen = try await tmux.waitFor("the Nodes dashboard in the file's theme", timeout: 90) {
            $0.joined(separator: "\n").contains("Not ready") && ($0.last { !$0.isEmpty } ?? "").contains("wall.yaml:1")
        }
        #expect(!screen.joined().contains("Top pods"), "the Nodes dashboard, not Cluster")
        try tmux.send("q")
        let after = try await tmux.waitFor("kubeglass to exit", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(after.contains { $0.contains("KUBEGLASS_EXITED=0") })
    }

    @Test func shellCompletionOffersDashboardAndThemeNames() async throws {
        let home = try Self.configHome(nil, "completion")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent("kubeglass/themes"), withIntermediateDirectories: true)
        try "name: wall\n".write(
            to: home.appendingPathComponent("kubeglass/themes/wall.yaml"), atomically: true, encoding: .utf8)
        for shell in ["bash", "zsh", "fish"] {
            let (status, script) = try await Self.run(home, ["--generate-completion-script", shell])
            #expect(status == 0, "\(shell): \(script)")
            #expect(script.contains("---completion dashboard -- --dashboard"), "\(shell)")
            #expect(script.contains("---completion dashboard -- --theme"), "\(shell)")
            #expect(script.contains("---completion dashboard -- --context"), "\(shell)")
        }
        let (status, dashboards) = try await Self.run(
            home, ["---completion", "dashboard", "--", "--dashboard", "2", "2", "dashboard", "--dashboard", "no"])
        #expect(status == 0, "\(dashboards)")
        let names = dashboards.split(separator: "\n").map(String.init)
        #expect(names.contains("nodes") && names.contains("node") && names.contains("node-exporter"), "\(names)")
        #expect(!names.contains("cluster"), "only names after the prefix")
        let (_, themes) = try await Self.run(
            home, ["---completion", "dashboard", "--", "--theme", "2", "0", "dashboard", "--theme", ""])
        let themeNames = themes.split(separator: "\n").map(String.init)
        #expect(themeNames.contains("nord") && themeNames.contains("wall"), "\(themeNames)")

        let kubeconfig = home.appendingPathComponent("kubeconfig")
        try """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: prod, context: {cluster: c, user: u}}, {name: staging, context: {cluster: c, user: u}}]
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
        let (_, contexts) = try await spawn([
            "KUBECONFIG=\(kubeconfig.path)", try kubeglassBinary(), "---completion", "dashboard", "--", "--context",
            "2",
            "0", "dashboard", "--context", "",
        ])
        #expect(contexts.split(separator: "\n").map(String.init) == ["prod", "staging"], "\(contexts)")
    }
}
