import Dashboards
import Foundation
import KubeglassCore
import Query
import Testing

struct DashboardWriterTests {
    func roundTrip(_ d: Dashboard) throws -> (Dashboard, String) {
        let yaml = DashboardWriter.yaml(d)
        var again = try DashboardFile.parse(yaml: yaml, file: "written.yaml", name: d.name)
        again.file = d.file
        return (again, yaml)
    }

    @Test func builtinDashboardsRoundTrip() throws {
        for d in try BuiltinDashboards.all() {
            let (again, yaml) = try roundTrip(d)
            #expect(again == d, "\(d.name):\n\(yaml)")
        }
    }

    @Test func writesLikeAPersonWould() throws {
        let cluster = try #require(try BuiltinDashboards.named("cluster"))
        let yaml = DashboardWriter.yaml(cluster, comments: ["Made by hand.", "Second line."])
        let lines = yaml.split(separator: "\n").map(String.init)
        #expect(
            Array(lines.prefix(5)) == [
                "# Made by hand.", "# Second line.", "title: Cluster", "refresh: 5s", "time: 1h",
            ])
        #expect(lines.contains("  - title: CPU used"))
        #expect(lines.contains("    grid: {x: 0, y: 0, w: 4, h: 5}"))
        #expect(
            lines.contains(
                "    expr: 100 * sum(kubeglass_node_cpu_usage_cores) / sum(kubeglass_node_cpu_allocatable_cores)"))
        #expect(
            lines.contains("      - {value: null, color: ok}") && lines.contains("      - {value: 70, color: warning}"))
        #expect(lines.contains("      - {expr: sum(kubeglass_node_cpu_usage_cores), legend: usage}"))
        #expect(lines.contains("    key: [node]"))
        #expect(!yaml.contains("unit: short") && !yaml.contains("stack: false"), "defaults are left out")
    }

    /// Text YAML would read differently if written plain: each must come back exactly.
    static let awkward = [
        "a: b", "#hash", "100 * sum(x)", "2024-01-02 10:00:00", "1 2", "12:30", "0x1F", "1e5", "x #y", "yes", "No",
        "null", "~", "123", "1.5", "-x", "- x", "? q", "'quoted'", "\"dq\"", "{{node}}", "[5m]",
        "", " lead", "trail ", "multi\nline", "ends with newline\n", "two\n\n", "\n starts with newline", "tab\there",
        "bell\u{7}",
        "ünïcode … ✓", "a,b", "sum(rate(x[5m])) by (node)", "line\u{2028}sep", "%percent", "@at", "`tick", "colon:",
        "=", "<<",
        "  indented\nblock", "trailing space \nnext", "label=~\"a|b\"", "back\\slash",
    ]

    @Test(arguments: awkward)
    func awkwardTextSurvives(text: String) throws {
        let d = Dashboard(
            title: text, name: "t",
            panels: [
                Panel(
                    title: text, kind: .timeseries, gridPos: GridPos(x: 0, y: 0, w: 24, h: 4),
                    targets: [Target(expr: text.isEmpty ? "up" : text, legend: text)]),
                Panel(
                    title: "two", kind: .timeseries, gridPos: GridPos(x: 0, y: 4, w: 24, h: 4),
                    targets: [Target(expr: "a", legend: text), Target(expr: "b", influxBuilder: text)]),
                Panel(title: "text", kind: .text, gridPos: GridPos(x: 0, y: 8, w: 24, h: 4), text: text),
            ], variables: [Variable(name: "v", label: text, kind: .custom, query: "a,b", regex: text, current: [text])])
        let (again, yaml) = try roundTrip(d)
        #expect(again == d, "\(yaml)")
    }

    @Test func everyFieldRoundTrips() throws {
        let table = Panel(
            title: "Pods", kind: .table, gridPos: GridPos(x: 0, y: 1, w: 24, h: 10), rowKey: ["namespace", "pod"],
            columns: [
                Column(title: "Pod", kind: .label, label: "pod"),
                Column(title: "Phase", kind: .label, expr: "kube_pod_status_phase == 1", label: "phase", width: 10),
                Column(title: "CPU", kind: .value, expr: "sum by (namespace, pod) (rate(cpu[5m]))", unit: .cores),
                Column(title: "Trend", kind: .sparkline, expr: "sum by (namespace, pod) (rate(cpu[5m]))"),
            ],
            sortColumn: 2, sortDescending: false,
            drilldown: Drilldown(dashboard: "pod", variables: ["pod": "pod", "namespace": "namespace"]))
        let chart = Panel(
            title: "CPU", kind: .timeseries, gridPos: GridPos(x: 0, y: 12, w: 12, h: 8), unit: .bytesPerSecond, min: 0,
            max: 1.5e-7,
            decimals: 2, targets: [Target(expr: "rate(x[1m])", legend: "{{pod}}", instant: true)],
            thresholds: [ThresholdStep(value: nil, color: "ok"), ThresholdStep(value: -0.25, color: "#ff8800")],
            datasource: .influxdb, stack: true,
            legend: LegendOptions(show: true, table: true, values: [], sortBy: .max, sortDescending: false),
            maxSeries: 5, thresholdLines: true)
        let hiddenLegend = Panel(
            title: "Quiet", kind: .timeseries, gridPos: GridPos(x: 12, y: 12, w: 12, h: 8),
            targets: [Target(expr: "a"), Target(expr: "b", instant: true)],
            legend: LegendOptions(show: false, values: [.min, .avg, .total]))
        let stat = Panel(
            title: "Up", kind: .stat, gridPos: GridPos(x: 0, y: 0, w: 4, h: 3), unit: .none,
            targets: [Target(expr: "count(up)")], sparkline: true)
        let row = Panel(
            title: "Folded", kind: .row, gridPos: GridPos(x: 0, y: 20, w: 24, h: 1), collapsed: true,
            children: [stat, chart])
        let unsupported = Panel(
            title: "Map", kind: .unsupported, gridPos: GridPos(x: 0, y: 21, w: 24, h: 6), targets: [Target(expr: "a")],
            text: "kubeglass cannot draw the plugin panel grafana-worldmap-panel")
        let d = Dashboard(
            title: "Everything", name: "everything", refresh: 90_000, timeRange: Milliseconds.day + 1000,
            panels: [
                stat, table, chart, hiddenLegend, row, unsupported,
                Panel(title: "", kind: .row, gridPos: GridPos(x: 0, y: 27, w: 24, h: 1)),
            ],
            variables: [
                Variable(
                    name: "namespace", kind: .query, query: "label_values(kube_pod_info, namespace)", multi: true,
                    includeAll: true,
                    allValue: ".*", current: [Variable.all], datasource: .prometheus),
                Variable(name: "job", kind: .constant, query: "node", hidden: false),
                Variable(name: "box", kind: .textbox, query: "", hidden: true),
                Variable(name: "step", kind: .interval, query: "1m,5m"),
            ],
            datasource: .influxdb)
        let (again, yaml) = try roundTrip(d)
        #expect(again == d, "\(yaml)")
    }
}
