import Dashboards
import Foundation
import Query
import Testing

struct DashboardCatalogTests {
    /// A fresh config directory `<tmp>/kubeglass/dashboards` holding `files` (name → text).
    func configHome(_ files: [String: String]) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)").path
        let dir = home + "/kubeglass/dashboards"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return home
    }

    static let mine = """
        title: Mine
        panels:
          - {title: Up, type: stat, grid: {x: 0, y: 0, w: 6, h: 4}, expr: count(up)}
        """

    @Test func loadsBuiltinsConfigFilesAndCommandLineFilesAndKeepsGoingPastBrokenOnes() throws {
        let home = try configHome([
            "mine.yaml": DashboardCatalogTests.mine,
            "cluster.yml": DashboardCatalogTests.mine.replacingOccurrences(of: "Mine", with: "My cluster"),
            "broken.yaml": "title: Broken\npanels:\n  - {title: x, type: sunburst, grid: {x: 0, y: 0, w: 6, h: 4}}\n",
            "grafana.json":
                "{\"title\": \"From Grafana\", \"panels\": [{\"type\": \"stat\", \"title\": \"S\", \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": 4, \"h\": 4}, \"targets\": [{\"expr\": \"up\"}]}]}",
            "bad.json": "{\"panels\": [\n}",
            "notes.txt": "not a dashboard",
        ])
        let extra = home + "/extra.json"
        try Data("{\"title\": \"Extra\", \"rows\": []}".utf8).write(to: URL(fileURLWithPath: extra))
        let catalog = DashboardCatalog.load(
            paths: [extra, home + "/missing.yaml"], environment: ["XDG_CONFIG_HOME": home, "HOME": "/nonexistent"])

        let builtins = try BuiltinDashboards.all().map(\.name)
        #expect(catalog.dashboards.map(\.name) == builtins + ["grafana", "mine", "extra"])
        #expect(catalog.named("cluster")?.title == "My cluster", "a user file with a built-in's name replaces it")
        #expect(catalog.entry(named: "cluster")?.origin == .config(home + "/kubeglass/dashboards/cluster.yml"))
        #expect(catalog.entry(named: "extra")?.origin == .commandLine(extra))
        #expect(catalog.named("grafana")?.panels.first?.kind == .stat)
        #expect(
            catalog.errors.map { URL(fileURLWithPath: $0.file).lastPathComponent } == [
                "bad.json", "broken.yaml", "missing.yaml",
            ])
        #expect(catalog.errors[0].line == 2 && catalog.errors[1].line == 3)
        #expect(catalog.errors[1].description.contains("broken.yaml:3:"))
    }

    @Test func theConfigDirectoryFollowsXDGThenHome() {
        #expect(
            DashboardCatalog.directory(environment: ["XDG_CONFIG_HOME": "/x/config", "HOME": "/home/me"])
                == "/x/config/kubeglass/dashboards")
        #expect(
            DashboardCatalog.directory(environment: ["HOME": "/home/me"]) == "/home/me/.config/kubeglass/dashboards")
        #expect(
            DashboardCatalog.directory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/me"])
                == "/home/me/.config/kubeglass/dashboards",
            "the XDG spec ignores a relative path")
    }

    @Test func withNoConfigDirectoryTheBuiltinsLoad() {
        let catalog = DashboardCatalog.load(environment: ["HOME": "/nonexistent-\(UUID().uuidString)"])
        #expect(catalog.errors.isEmpty)
        #expect(catalog.entry(named: "cluster")?.origin == .builtin)
    }
}
