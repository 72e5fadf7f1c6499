import Dashboards
import Foundation
import KubeglassCore
import Query
import TestSupport
import Testing

/// The real Grafana dashboards in Tests/Fixtures/grafana (Heapster's legacy ones, kube-prometheus' modern ones).
enum GrafanaReference {
    static let directory = RepositoryFiles.fixture("grafana").path

    static let files: [String] = RepositoryFiles.fixtures(in: "grafana", endingIn: ".json").map { directory + "/" + $0 }

    static func load(_ relative: String) throws -> GrafanaImport.Result {
        try GrafanaImport.load(path: directory + "/" + relative)
    }

    /// The file's panels counted straight from the JSON (row bars not counted), and their titles.
    static func panelTitles(_ path: String) throws -> [String] {
        let data = try #require(FileManager.default.contents(atPath: path))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if root["panels"] == nil, root["rows"] == nil, let inner = root["dashboard"] as? [String: Any] { root = inner }
        var titles: [String] = []
        func walk(_ panels: [[String: Any]]) {
            for p in panels {
                if p["type"] as? String == "row" {
                    walk(p["panels"] as? [[String: Any]] ?? [])
                } else {
                    titles.append(p["title"] as? String ?? "")
                }
            }
        }
        walk(root["panels"] as? [[String: Any]] ?? [])
        for row in root["rows"] as? [[String: Any]] ?? [] { walk(row["panels"] as? [[String: Any]] ?? []) }
        return titles
    }
}

extension Dashboard {
    /// Every panel but row bars, folded ones included.
    var drawnPanels: [Panel] { panels.flatMap { [$0] + $0.children }.filter { $0.kind != .row } }
}

func overlaps(_ a: GridPos, _ b: GridPos) -> Bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

struct GrafanaReferenceTests {
    @Test func theReferenceDashboardsAreThere() {
        #expect(GrafanaReference.files.count >= 7, "expected the Grafana dashboards in \(GrafanaReference.directory)")
    }

    @Test(arguments: GrafanaReference.files)
    func everyPanelIsImportedTitledAndPlaced(path: String) throws {
        let result = try GrafanaImport.load(path: path)
        let d = result.dashboard
        let expected = try GrafanaReference.panelTitles(path)
        #expect(d.drawnPanels.count == expected.count, "panel count of \(path)")
        #expect(d.drawnPanels.map(\.title).sorted() == expected.sorted())
        for p in d.panels + d.panels.flatMap(\.children) {
            let g = p.gridPos
            #expect(g.x >= 0 && g.w >= 1 && g.x + g.w <= 24 && g.h >= 1 && g.y >= 0, "\(p.title) at \(g)")
        }
        // Within the dashboard and within each folded row, no two panels share a cell (none does in the sources).
        for group in [d.panels] + d.panels.map(\.children) {
            for (i, a) in group.enumerated() {
                for b in group[(i + 1)...] {
                    #expect(!overlaps(a.gridPos, b.gridPos), "\(a.title) overlaps \(b.title) in \(path)")
                }
            }
        }
        #expect(!d.title.isEmpty)
        // What the importer makes, our YAML format can say: written and read back, nothing changes.
        let yaml = DashboardWriter.yaml(d)
        var again = try DashboardFile.parse(yaml: yaml, file: "round-trip.yaml", name: d.name)
        again.file = d.file
        #expect(again == d, "round trip of \(path)")
    }

    @Test func kubePrometheusClusterUnitsLegendsAndTables() throws {
        let result = try GrafanaReference.load("kube-prometheus/k8s-resources-cluster.json")
        let d = result.dashboard
        #expect(d.title == "Kubernetes / Compute Resources / Cluster")
        #expect(d.datasource == .prometheus)
        #expect(d.refresh == 10_000 && d.timeRange == Milliseconds.hour)
        #expect(
            d.variables.map(\.name) == ["cluster"], "the datasource variable picks the datasource; it is not a variable"
        )
        let utilisation = try #require(d.panels.first { $0.title == "CPU Utilisation" })
        #expect(utilisation.kind == .stat && utilisation.unit == .percentunit && utilisation.datasource == nil)
        let usage = try #require(d.panels.first { $0.title == "CPU Usage" })
        #expect(usage.kind == .timeseries && usage.legend.table && usage.legend.values == [.last])
        #expect(usage.targets.first?.legend == nil, "__auto is Grafana's default name, not a legend format")
        #expect(usage.targets.first?.expr.contains("by (namespace)") == true)
        let quota = try #require(d.panels.first { $0.title == "CPU Quota" })
        #expect(quota.kind == .table && quota.rowKey == ["namespace"])
        #expect(
            quota.columns.map(\.title) == [
                "Namespace", "Pods", "Workloads", "CPU Usage", "CPU Requests", "CPU Requests %", "CPU Limits",
                "CPU Limits %",
            ])
        #expect(quota.columns.first { $0.title == "CPU Requests %" }?.unit == .percentunit)
        #expect(quota.columns[0].kind == .label && quota.columns[1].kind == .value)
        let memory = try #require(d.panels.first { $0.title == "Memory" })
        #expect(memory.unit == .bytes)
        let packets = try #require(d.panels.first { $0.title == "Rate of Received Packets" })
        #expect(packets.unit == .short)
        #expect(result.notes.contains { $0.contains("unit \"pps\"") && $0.contains("Rate of Received Packets") })
        #expect(result.notes.contains { $0.contains("unit \"iops\"") })
    }

    @Test func kubePrometheusVariablesChain() throws {
        let pod = try GrafanaReference.load("kube-prometheus/k8s-resources-pod.json").dashboard
        #expect(pod.variables.map(\.name) == ["cluster", "namespace", "pod"])
        let namespace = pod.variables[1]
        let podVariable = pod.variables[2]
        #expect(namespace.kind == .query && namespace.query.contains("cluster=\"$cluster\""))
        #expect(
            podVariable.query.hasPrefix("label_values(kube_pod_info{")
                && podVariable.query.contains("namespace=\"$namespace\""))
        #expect(pod.variables.allSatisfy { $0.datasource == nil }, "the dashboard's datasource, prometheus")

        let node = try GrafanaReference.load("kube-prometheus/k8s-resources-node.json").dashboard
        let nodeVariable = try #require(node.variables.first { $0.name == "node" })
        #expect(nodeVariable.multi && nodeVariable.query == "label_values(kube_node_info{cluster=\"$cluster\"}, node)")
    }

    @Test func nodeExporterRowsGaugeAndHiddenVariable() throws {
        let d = try GrafanaReference.load("kube-prometheus/nodes.json").dashboard
        #expect(d.panels.filter { $0.kind == .row }.map(\.title) == ["CPU", "Memory", "Disk", "Network"])
        #expect(
            d.panels.filter { $0.kind == .row }.allSatisfy { !$0.collapsed && $0.children.isEmpty && $0.gridPos.h == 1 }
        )
        let cluster = try #require(d.variables.first { $0.name == "cluster" })
        #expect(cluster.hidden && cluster.includeAll && cluster.allValue == ".*")
        let instance = try #require(d.variables.first { $0.name == "instance" })
        #expect(!instance.hidden)
        let gauge = try #require(d.panels.first { $0.kind == .gauge })
        #expect(gauge.title == "Memory Usage" && gauge.unit == .percent && gauge.min == 0 && gauge.max == 100)
        #expect(
            gauge.thresholds == [
                ThresholdStep(value: nil, color: "ok"), ThresholdStep(value: 80, color: "warning"),
                ThresholdStep(value: 90, color: "critical"),
            ])
        #expect(gauge.gridPos == GridPos(x: 18, y: 9, w: 6, h: 7))
        let disk = try #require(d.panels.first { $0.title == "Disk Space Usage" })
        #expect(disk.kind == .table && disk.rowKey == ["mountpoint"])
        #expect(
            disk.columns.map(\.title) == ["Mounted on", "Size", "Available"]
                && disk.columns.allSatisfy { $0.kind == .label || $0.unit == .decbytes })
    }

    @Test func heapsterClusterKeepsInfluxBuilderTargets() throws {
        let result = try GrafanaReference.load("heapster/cluster.json")
        let d = result.dashboard
        #expect(d.datasource == .influxdb)
        #expect(d.timeRange == 30 * 60_000 && d.refresh == nil)
        let targets = d.drawnPanels.flatMap(\.targets)
        #expect(!targets.isEmpty && targets.allSatisfy { $0.expr.isEmpty && $0.influxBuilder != nil })
        let first = try #require(d.panels.first)
        #expect(
            first.title == "Overall Cluster CPU Usage" && first.gridPos == GridPos(x: 0, y: 0, w: 24, h: 7),
            "span 12 of 12, 250px")
        let builder = try #require(first.targets.first?.influxBuilder)
        #expect(builder.hasPrefix("{\"alias\":\"Usage\",\"dsType\":\"influxdb\",\"groupBy\":"), "compact, keys sorted")
        #expect(builder.contains("\"measurement\":\"cpu/usage_rate\"") && builder.contains("\"type\":\"sum\""))
        #expect(first.targets.map(\.legend) == ["Usage", "Limit", "Request"])
        // A row of two span-12 panels wraps: the second goes under the first.
        let byNode = try #require(d.panels.first { $0.title == "CPU Usage by Node" })
        let individual = try #require(d.panels.first { $0.title == "Individual CPU Usage: $nodename" })
        #expect(
            byNode.gridPos == GridPos(x: 0, y: 7, w: 24, h: 7)
                && individual.gridPos == GridPos(x: 0, y: 14, w: 24, h: 7))
        #expect(d.panels.first { $0.title == "Overall Cluster Memory Usage" }?.unit == .bytes)
        #expect(d.panels.first { $0.title == "Overall Cluster Network Usage" }?.unit == .bytesPerSecond)
        #expect(first.legend.values.isEmpty && first.legend.show)
        let node = try #require(d.variables.first)
        #expect(
            node.name == "nodename" && node.query == "SHOW TAG VALUES FROM \"uptime\" WITH KEY = \"nodename\""
                && node.current == ["kubernetes-minion-hly9"])
    }

    @Test func heapsterPodsVariablesChain() throws {
        let d = try GrafanaReference.load("heapster/pods.json").dashboard
        #expect(d.variables.map(\.name) == ["namespace", "podname"])
        #expect(d.variables[1].query.contains("$namespace"))
        #expect(d.panels.first?.title == "Individual CPU Usage: $namespace $podname")
    }
}
