import Foundation
import TestSupport
import Testing

/// `kubeglass dashboards list|show|import` and `--dashboard NAME`, run as a person would (stderr joins stdout here).
struct DashboardsCommandTests {
    static let repository = RepositoryFiles.root
    static let reference = RepositoryFiles.fixture("grafana").path

    /// A fresh HOME whose ~/.config/kubeglass/dashboards holds `files`.
    func home(_ files: [String: String] = [:]) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-dashboards-\(UUID().uuidString)"
        ).path
        let dir = home + "/.config/kubeglass/dashboards"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return home
    }

    func run(home: String, _ args: String...) async throws -> (status: Int32, output: String) {
        try await spawn(["env", "-u", "XDG_CONFIG_HOME", "HOME=\(home)", "KUBECONFIG=", try kubeglassBinary()] + args)
    }

    static let mine = """
        title: Mine
        panels:
          - title: Nodes
            type: stat
            grid: {x: 0, y: 0, w: 6, h: 4}
            unit: none
            expr: count(kubeglass_node_info)
        """

    @Test func listShowsEveryDashboardThenTheBrokenFiles() async throws {
        let home = try home(["mine.yaml": DashboardsCommandTests.mine, "broken.yaml": "title: [unclosed\n"])
        try FileManager.default.copyItem(
            atPath: DashboardsCommandTests.reference + "/kube-prometheus/nodes.json",
            toPath: home + "/.config/kubeglass/dashboards/nodes.json")
        let (status, output) = try await run(home: home, "dashboards", "list")
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines[0].hasPrefix("NAME") && lines[0].contains("TITLE") && lines[0].contains("PANELS")
                && lines[0].hasSuffix("FROM"))
        let cluster = try #require(lines.first { $0.hasPrefix("cluster ") })
        #expect(cluster.contains("Cluster") && cluster.hasSuffix("built-in"))
        let nodes = try #require(lines.first { $0.hasPrefix("nodes ") })
        #expect(
            nodes.contains("Node Exporter / Nodes") && nodes.contains(" 8  ")
                && nodes.hasSuffix("/.config/kubeglass/dashboards/nodes.json"))
        #expect(lines.contains { $0.hasPrefix("mine ") && $0.contains(" 1  ") })
        let broken = try #require(lines.firstIndex { $0.contains("broken.yaml:") })
        #expect(lines[broken].contains("not valid YAML") && lines[..<broken].contains("Could not read:"))
    }

    @Test func showPrintsABuiltinsFileAndConvertsGrafanaJSON() async throws {
        let home = try home()
        let (status, output) = try await run(home: home, "dashboards", "show", "cluster")
        #expect(status == 0)
        let shipped = try String(
            contentsOf: DashboardsCommandTests.repository.appendingPathComponent(
                "Sources/Dashboards/Builtin/cluster.yaml"), encoding: .utf8)
        #expect(output == shipped)

        let missing = try await run(home: home, "dashboards", "show", "nope")
        #expect(missing.status == 1 && missing.output.contains("no dashboard named \"nope\" (known: cluster, nodes,"))

        let json = try await run(
            home: home, "dashboards", "show", DashboardsCommandTests.reference + "/heapster/pods.json")
        #expect(json.status == 0 && json.output.contains("title: Pods") && json.output.contains("datasource: influxdb"))
    }

    @Test func importWritesYAMLThatKubeglassOpens() async throws {
        let home = try home()
        let source = DashboardsCommandTests.reference + "/kube-prometheus/k8s-resources-cluster.json"
        let (status, output) = try await run(home: home, "dashboards", "import", source)
        #expect(status == 0)
        #expect(output.contains("# Imported from the Grafana dashboard k8s-resources-cluster.json by kubeglass."))
        #expect(output.contains("title: Kubernetes / Compute Resources / Cluster\n"))
        #expect(output.contains("kubeglass: note: unit \"pps\""), "notes on stderr")

        let target = home + "/.config/kubeglass/dashboards/resources.yaml"
        let written = try await run(home: home, "dashboards", "import", source, "--output", target)
        #expect(written.status == 0 && written.output.contains("wrote \(target) (22 panels)"))
        let list = try await run(home: home, "dashboards", "list")
        #expect(
            list.status == 0
                && list.output.range(
                    of: #"resources +Kubernetes / Compute Resources / Cluster +22  "#
                        + NSRegularExpression.escapedPattern(for: target), options: .regularExpression) != nil,
            "\(list.output)")
        let shown = try await run(home: home, "dashboards", "show", "resources")
        #expect(shown.output == (try String(contentsOfFile: target, encoding: .utf8)))

        let copy = home + "/grafana.json"
        try FileManager.default.copyItem(atPath: source, toPath: copy)
        let over = try await run(home: home, "dashboards", "import", copy, "--output", home + "/./grafana.json")
        #expect(over.status == 1 && over.output.contains("is the Grafana file itself"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: source)),
            "the JSON is untouched")

        let broken = home + "/broken.json"
        try Data("{\n  \"panels\": [\n    {\"title\": }\n  ]\n}\n".utf8).write(to: URL(fileURLWithPath: broken))
        let bad = try await run(home: home, "dashboards", "import", broken)
        #expect(
            bad.status == 1 && bad.output.contains("\(broken):3:15: not valid JSON: expected a value, found '}'"),
            "\(bad.output)")
    }

    @Test func dashboardFlagOpensACatalogDashboardByName() async throws {
        let home = try home(["mine.yaml": DashboardsCommandTests.mine])
        let (status, output) = try await run(home: home, "once", "--dashboard", "mine", "--format", "json")
        #expect(status == 0, "\(output)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(object["dashboard"] as? String == "Mine")

        let unknown = try await run(home: home, "once", "--dashboard", "nope")
        #expect(
            unknown.status != 0 && unknown.output.contains("no dashboard named \"nope\"")
                && unknown.output.contains(", mine)"))
    }
}
