import App
import DashboardUI
import Dashboards
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

/// A namespace filter wherever pods are listed (issue 18, k9s' `:ns`): picked with `v` like a variable, it narrows
/// the pod tables of dashboards that have no `$namespace` of their own, and is never saved.
struct NamespaceFilterTests {
    /// 12 pods in three namespaces, on two nodes.
    static let evaluator: PanelEvaluator = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 1000, tiers: []))
        for t in stride(from: Int64(0), through: 120_000, by: 15_000) {
            var batch: [(Labels, Sample)] = []
            for p in 0..<12 {
                let labels = ["namespace": "ns-\(p % 3)", "pod": "pod-\(p)", "node": "node-\(p % 2)"]
                batch.append((Labels(name: "kubeglass_pod_cpu_usage_cores", labels), Sample(time: t, value: Double(p))))
                batch.append(
                    (Labels(name: "kubeglass_pod_memory_working_set_bytes", labels), Sample(time: t, value: 1e6)))
                batch.append((Labels(name: "kubeglass_pod_restarts_total", labels), Sample(time: t, value: 0)))
            }
            store.append(batch)
        }
        return PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 15_000)
    }()

    static func state(_ name: String) throws -> AppState {
        let board = try #require(try BuiltinDashboards.named(name))
        return AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: .default, evaluator: evaluator,
            refresh: 1000, size: (120, 40))
    }

    @Test func dashboardsListingPodsGetTheFilterAndOthersDoNot() throws {
        let cluster = try Self.state("cluster")
        #expect(cluster.dashboard.variables.map(\.name) == ["namespace"])
        #expect(cluster.dashboard.variables.allSatisfy { $0.filtersRows })
        #expect(try Self.state("node").dashboard.variables.map(\.name) == ["node", "namespace"])
        // A dashboard with its own $namespace keeps it; one without pods gets nothing.
        #expect(try Self.state("pods").dashboard.variables.allSatisfy { !$0.filtersRows })
        #expect(try Self.state("nodes").dashboard.variables.isEmpty)
    }

    @Test func vListsTheNamespacesAndTheChoiceNarrowsThePodTable() async throws {
        var state = try Self.state("cluster")
        _ = state.start()
        let resolved = await VariableResolver.resolve(state.dashboard, evaluator: Self.evaluator, now: 120_000)
        #expect(resolved["namespace"]?.options == ["ns-0", "ns-1", "ns-2"])
        #expect(resolved["namespace"]?.isAll == true)
        _ = state.variablesResolved(resolved, epoch: state.epoch, request: 1)
        _ = state.key(.character("v")) { [] }
        #expect(state.view.picker?.items == ["Namespace (filters the pods) = All"])
        _ = state.key(.enter) { [] }
        #expect(state.view.picker?.items == ["All", "ns-0", "ns-1", "ns-2"])
        // Space toggles ns-1 (the multi-value picker), Enter takes it.
        _ = state.key(.down) { [] }
        _ = state.key(.down) { [] }
        _ = state.key(.character(" ")) { [] }
        let effects = state.key(.enter) { [] }
        let request = try #require(
            effects.compactMap { if case .resolveVariables(let r) = $0 { r } else { nil } }.first)
        #expect(request.selections["namespace"] == ["ns-1"])
        let chosen = await VariableResolver.resolve(
            state.dashboard, evaluator: Self.evaluator, now: 120_000, selections: request.selections)
        let topPods = try #require(state.dashboard.panels.first { $0.title == "Top pods" })
        let narrowed = await Self.evaluator.evaluate(
            topPods, dashboard: state.dashboard, variables: chosen.values, now: 120_000, range: 120_000, points: 20)
        let rows = try #require(narrowed.table?.rows)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.key.first == "ns-1" })
        // Asked for a window of rows sorted by CPU, as the view asks: still only ns-1's, busiest first.
        let window = await Self.evaluator.evaluate(
            topPods, dashboard: state.dashboard, variables: chosen.values, now: 120_000, range: 120_000, points: 20,
            table: TableRequest(order: TableOrder(column: 2, descending: true), rows: 0..<2))
        let shown = try #require(window.table?.rows)
        #expect(shown.count == 4, "the rows past the window are placeholders, counted among ns-1's four")
        #expect(shown.filter { !$0.partial }.map(\.key) == [["ns-1", "pod-10"], ["ns-1", "pod-7"]])
        // All again: every pod.
        let all = await Self.evaluator.evaluate(
            topPods, dashboard: state.dashboard, variables: resolved.values, now: 120_000, range: 120_000, points: 20)
        #expect(all.table?.rows.count == 12)
    }

    @Test func theFilterIsNeverSaved() throws {
        var state = try Self.state("cluster")
        _ = state.start()
        // Unedited, `w` has nothing to write: the filter is not an edit.
        _ = state.key(.character("w")) { [] }
        #expect(state.notice == "no changes to write")
        // Edited, what `w` then `y` writes has no filter in it.
        state.dashboard.panels[0].title += " (edited)"
        _ = state.key(.character("w")) { [] }
        let saved = state.key(.character("y")) { [] }.compactMap { if case .save(let d) = $0 { d } else { nil } }
        #expect(saved.count == 1)
        #expect(saved.first?.variables.isEmpty == true)
    }
}

/// The filter's options come from every pod the dashboard's pod table reads a metric of, listed by the metric's
/// name (each series' newest sample, no evaluation), not from the rows a column happens to keep.
struct NamespaceFilterQueryTests {
    @Test func theFilterListsByTheFirstMetricThePodTableReads() throws {
        let cluster = try #require(try BuiltinDashboards.named("cluster")).withNamespaceFilter()
        let filter = try #require(cluster.variables.first { $0.filtersRows })
        #expect(filter.query == "label_values(kubeglass_pod_cpu_usage_cores, namespace)")
        let prometheus = try #require(try BuiltinDashboards.named("cluster-prometheus")).withNamespaceFilter()
        #expect(
            prometheus.variables.first { $0.filtersRows }?.query
                == "label_values(container_cpu_usage_seconds_total, namespace)")
        // A column that keeps only some pods still offers every namespace.
        #expect(
            Dashboard.namespaceQuery(
                #"kubeglass_pod_restarts_total and on (namespace, pod) kubeglass_pod_info{status!~"Running"}"#)
                == "label_values(kubeglass_pod_restarts_total, namespace)")
        #expect(Dashboard.namespaceQuery("vector(1)") == "label_values(vector(1), namespace)")
    }
}

/// After each poll the variables are listed again; when they come back the same, the panels are evaluated
/// but nothing is drawn until their data comes (a frame then would show the old data again).
struct VariablesListedAgainTests {
    @Test func theSameOptionsAgainEvaluateWithoutAFrame() async throws {
        var state = try NamespaceFilterTests.state("cluster")
        _ = state.start()
        let resolved = await VariableResolver.resolve(
            state.dashboard, evaluator: NamespaceFilterTests.evaluator, now: 120_000)
        let first = state.variablesResolved(resolved, epoch: state.epoch, request: 1)
        #expect(first.contains { if case .draw = $0 { true } else { false } }, "new options are drawn")
        let again = state.variablesResolved(resolved, epoch: state.epoch, request: 2)
        #expect(again.contains { if case .evaluate = $0 { true } else { false } })
        #expect(!again.contains { if case .draw = $0 { true } else { false } }, "\(again)")
    }
}
