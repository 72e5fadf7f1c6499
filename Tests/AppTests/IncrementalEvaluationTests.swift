import Collectors
import Dashboards
import DemoCluster
import KubeglassCore
import Query
import Store
import TestSupport
import Testing

/// Incremental evaluation (the range cache's newest steps, the instant cache's answers given again) must
/// answer exactly as evaluating everything again does. Over the built-in dashboards and random panels, a
/// demo cluster polled with gaps, missed polls and pods that vanish and return, and the views a person
/// moves through (live, zoomed in and out, panned into the past, back to live), every panel's data from a
/// caching backend equals that of a backend that caches nothing, bit for bit.
@Suite struct IncrementalEvaluationTests {
    static let interval: Int64 = 10_000

    static let expressions = [
        "sum(kubeglass_node_cpu_usage_cores)", "kubeglass_node_cpu_usage_cores",
        "100 * kubeglass_node_memory_working_set_bytes / kubeglass_node_memory_allocatable_bytes",
        "count(kubeglass_node_info{ready=\"true\"})", "sum by (namespace) (kubeglass_pod_cpu_usage_cores)",
        "sum(increase(kubeglass_pod_restarts_total[10m]))", "rate(kubeglass_pod_restarts_total[2m])",
        "max_over_time(kubeglass_pod_cpu_usage_cores[3m])", "kubeglass_pod_info{status!~\"Running|Completed\"}",
        "topk(3, kubeglass_pod_memory_working_set_bytes)", "sum(kubeglass_namespace_pods_by_status) or vector(0)",
        "kubeglass_pod_restarts_total and on (namespace, pod) kubeglass_pod_info",
        "avg_over_time(kubeglass_pod_cpu_usage_cores[$__rate_interval])",
    ]

    /// A random panel over `expressions`: a chart, a stat (some with a sparkline) or a pod table.
    static func randomPanel(_ n: Int, using random: inout SplitMix64) -> Panel {
        let pick = { (r: inout SplitMix64) in expressions[Int.random(in: 0..<expressions.count, using: &r)] }
        let grid = GridPos(x: 0, y: n * 6, w: 12, h: 6)
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            let targets = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                Target(expr: pick(&random), instant: Int.random(in: 0..<6, using: &random) == 0)
            }
            return Panel(title: "chart \(n)", kind: .timeseries, gridPos: grid, targets: targets)
        case 1:
            return Panel(
                title: "stat \(n)", kind: .stat, gridPos: grid, targets: [Target(expr: pick(&random))],
                sparkline: Bool.random(using: &random))
        default:
            return Panel(
                title: "table \(n)", kind: .table, gridPos: grid, rowKey: ["namespace", "pod"],
                columns: [
                    Column(title: "Pod", kind: .label, label: "pod"),
                    Column(title: "CPU", kind: .value, expr: "kubeglass_pod_cpu_usage_cores"),
                    Column(title: "Status", kind: .label, expr: "kubeglass_pod_info", label: "status"),
                    Column(title: "Rst", kind: .value, expr: "kubeglass_pod_restarts_total"),
                    Column(title: "Trend", kind: .sparkline, expr: "kubeglass_pod_memory_working_set_bytes"),
                ], sortColumn: 1)
        }
    }

    /// What a panel shows, as text with every number's bits.
    static func shown(_ data: PanelData) -> [String] {
        var out = data.series.map { s in
            "\(s.name) \(s.labels) "
                + s.points.map { "\($0.time):\($0.value.map { String($0.bitPattern) } ?? "-")" }
                .joined(separator: ",")
        }
        for row in data.table?.rows ?? [] {
            out.append(
                "row \(row.key) "
                    + row.cells.map { cell -> String in
                        switch cell {
                        case .text(let t): return t
                        case .number(let v): return v.map { String($0.bitPattern) } ?? "-"
                        case .series(let vs):
                            return vs.map { $0.map { String($0.bitPattern) } ?? "-" }.joined(separator: ",")
                        }
                    }.joined(separator: "|"))
        }
        if let error = data.error { out.append("error \(error)") }
        return out
    }

    /// The first line that differs, point by point.
    static func difference(_ a: [String], _ b: [String]) -> String {
        guard a.count == b.count else { return "\(a.count) lines against \(b.count)" }
        for (x, y) in zip(a, b) where x != y {
            let xs = x.split(separator: ",")
            let ys = y.split(separator: ",")
            let points = zip(xs, ys).filter { $0 != $1 }.prefix(3).map { "\($0) ≠ \($1)" }
            return String(x.prefix(80)) + " … " + points.joined(separator: "; ")
        }
        return ""
    }

    @Test(arguments: [1, 2])
    func incrementalAnswersEqualWholeOnes(seed: UInt64) async throws {
        var random = SplitMix64(state: seed)
        let cluster = ClusterModel(.init(nodes: 4, pods: 40, seed: seed))
        let source = DemoClusterSource(cluster: cluster)
        // Raw samples for the whole run: a window reaching into rolled-up history reads rate and increase with
        // another estimator (see the README's Store section), so its points depend on where the query starts.
        let store = SeriesStore(.init(retention: 2 * Milliseconds.hour, interval: Self.interval, maxSeries: 50_000))
        let engine = PromQLEngine(store: store)
        let incremental = PanelEvaluator(backends: [LocalBackend(engine: engine, minimumStep: Self.interval)])
        let whole = PanelEvaluator(backends: [LocalBackend(engine: engine, minimumStep: Self.interval, caching: false)])
        var panels: [(Panel, Dashboard?)] = []
        for name in ["cluster", "nodes", "pods", "pod", "node"] {
            let dashboard = try #require(try BuiltinDashboards.named(name))
            for panel in dashboard.panels where panel.kind != .text && panel.kind != .events {
                panels.append((panel, dashboard))
            }
        }
        for n in 0..<12 { panels.append((Self.randomPanel(n, using: &random), nil)) }
        let pod = cluster.pods[0]
        let variables = VariableValues(values: [
            "namespace": [pod.namespace], "pod": [pod.name], "node": [cluster.nodes[0].name],
        ])

        var t = cluster.createdAt
        var away: [String: Timestamp] = [:] // pod name → back at
        var previous: [SeriesStore.Reference] = []
        func poll() {
            var batch = source.snapshot(at: t)
            // Now and then a pod's series vanish for a while (a restart, a slow kubelet), marked stale.
            if Int.random(in: 0..<4, using: &random) == 0 {
                let name = cluster.pods[Int.random(in: 0..<cluster.pods.count, using: &random)].name
                away[name] = t + Int64.random(in: 1...40, using: &random) * Self.interval
            }
            batch.series.removeAll { series in
                guard let name = series.labels["pod"], let back = away[name] else { return false }
                return t < back
            }
            let references = store.append(batch.series, at: t, publishing: false)
            let now = Set(references)
            store.appendStaleMarkers(previous.filter { !now.contains($0) }, at: t, publishing: false)
            store.publish(t)
            previous = references
        }
        // Twenty minutes of history, then views and polls.
        for _ in 0..<120 {
            poll()
            t += Self.interval
        }
        var range = 15 * Milliseconds.minute
        var pannedBack: Int64 = 0
        for round in 0..<50 {
            // A poll most rounds; some come late, some are missed.
            if Int.random(in: 0..<8, using: &random) > 0 { poll() }
            t += Self.interval * Int64.random(in: 1...2, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0: range = max(Milliseconds.minute, range / 2) // zoom in
            case 1: range = min(Milliseconds.hour, range * 2) // zoom out
            case 2: pannedBack += range / 2 // pan into the past
            case 3: pannedBack = 0 // back to live
            default: break
            }
            // A refresh lands a little after the poll, at a time of the wall clock.
            let now = t - Self.interval - pannedBack + Int64.random(in: 0..<Self.interval, using: &random)
            let points = Int.random(in: 20...160, using: &random)
            for (panel, dashboard) in panels {
                let request =
                    panel.kind == .table
                    ? TableRequest(order: nil, rows: 0..<Int.random(in: 5...20, using: &random)) : nil
                let a = await incremental.evaluate(
                    panel, dashboard: dashboard, variables: variables, now: now, range: range, points: points,
                    table: request)
                let b = await whole.evaluate(
                    panel, dashboard: dashboard, variables: variables, now: now, range: range, points: points,
                    table: request)
                #expect(
                    Self.shown(a) == Self.shown(b),
                    "seed \(seed) round \(round) \(panel.title) range \(range) back \(pannedBack): \(Self.difference(Self.shown(a), Self.shown(b)))"
                )
                #expect(a.error == nil, "\(panel.title): \(a.error ?? "")")
            }
        }
    }
}
