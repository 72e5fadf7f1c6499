import Collectors
import DashboardUI
import Dashboards
import DemoCluster
import Foundation
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

/// The local built-in dashboards drawn over the same demo cluster as the Cluster dashboard's tests,
/// with their variables set to a real node, namespace and pod of that cluster.
enum BuiltinDashboardScreens {
    static let localDashboards = ["nodes", "node", "pods", "pod", "namespace"]
    static var cluster: ClusterModel { DashboardViewTests.source.cluster }

    /// The node under memory pressure: its panels show a condition other than plain Ready.
    static var node: String { cluster.nodes.first { $0.underMemoryPressure }?.name ?? cluster.nodes[0].name }

    /// A running pod with several containers, each with requests and limits, so every pod panel has something to show.
    static var pod: ClusterModel.Pod {
        let full = cluster.pods.filter { pod in
            pod.phase == .running && !pod.crashLoops && pod.containers.count >= 2
                && pod.containers.allSatisfy {
                    $0.cpuRequest != nil && $0.cpuLimit != nil && $0.memoryRequest != nil && $0.memoryLimit != nil
                }
        }
        return full.first ?? cluster.pods.first { $0.phase == .running && !$0.crashLoops }!
    }

    /// The values a person would pick: the pressured node, the chosen pod and its namespace, All namespaces on Pods.
    static func variables(for dashboard: Dashboard) -> VariableValues {
        var values: [String: [String]] = [:]
        var regexNames = Set<String>()
        for v in dashboard.variables {
            switch v.name {
            case "node": values["node"] = [node]
            case "pod": values["pod"] = [pod.name]
            case "namespace" where v.includeAll:
                values["namespace"] = cluster.namespaces
            case "namespace": values["namespace"] = [pod.namespace]
            default: Issue.record("no test value for variable \(v.name) of \(dashboard.name)")
            }
            if v.multi || v.includeAll { regexNames.insert(v.name) }
        }
        return VariableValues(values: values, regexNames: regexNames)
    }

    static var evaluator: PanelEvaluator {
        PanelEvaluator(engine: PromQLEngine(store: DashboardViewTests.store), minimumStep: 5000)
    }

    /// Every panel's data, evaluated for the panel's size at `width` × `height`.
    static func data(_ dashboard: Dashboard, width: Int, height: Int) async -> [Int: PanelData] {
        let layout = DashboardLayout(
            panels: dashboard.panels, width: width, height: DashboardView.bodyHeight(screenHeight: height))
        let variables = variables(for: dashboard)
        var data: [Int: PanelData] = [:]
        for (i, panel) in dashboard.panels.enumerated() {
            data[i] = await evaluator.evaluate(
                panel, dashboard: dashboard, variables: variables, now: DashboardViewTests.now,
                range: dashboard.timeRange,
                points: DashboardView.points(forPanelWidth: layout.rect(of: i)?.width ?? width))
        }
        return data
    }

    /// The dashboard with `$var` in its titles replaced, as the picker shows them.
    static func titled(_ dashboard: Dashboard) -> Dashboard {
        let variables = variables(for: dashboard)
        var d = dashboard
        d.title = variables.expand(d.title, format: .text)
        for i in d.panels.indices { d.panels[i].title = variables.expand(d.panels[i].title, format: .text) }
        return d
    }

    static func frame(_ name: String, width: Int, height: Int) async throws -> Screen {
        let dashboard = try #require(try BuiltinDashboards.named(name))
        let data = await data(dashboard, width: width, height: height)
        var health = SourceHealth()
        health.state = .ok
        health.lastSuccess = DashboardViewTests.now
        let context = DashboardView.Context(
            dashboard: titled(dashboard), data: data, state: ViewState(), theme: .default,
            sourceName: DashboardViewTests.source.displayName, simulated: true, health: health,
            refresh: 5000, now: DashboardViewTests.now, timeZone: TimeZone(identifier: "UTC")!)
        var screen = Screen(width: width, height: height, fill: Cell("¤"))
        DashboardView(context).render(in: screen.bounds, on: &screen)
        return screen
    }
}

/// Each local built-in evaluated over the demo: every panel that can hold data has some, and none fails.
struct BuiltinDashboardEvaluationTests {
    @Test(arguments: BuiltinDashboardScreens.localDashboards)
    func everyPanelHasDataAndNoError(name: String) async throws {
        let dashboard = try #require(try BuiltinDashboards.named(name))
        #expect(dashboard.datasource == nil, "a local dashboard follows whatever source kubeglass started with")
        let data = await BuiltinDashboardScreens.data(dashboard, width: 200, height: 60)
        for (i, panel) in dashboard.panels.enumerated() {
            let d = try #require(data[i])
            #expect(d.error == nil, "\(name) / \(panel.title): \(d.error ?? "")")
            switch panel.kind {
            case .text:
                #expect(!(panel.text ?? "").isEmpty, "\(name) / \(panel.title) says something")
            case .events, .row, .unsupported:
                break
            case .table:
                #expect(!(d.table?.rows.isEmpty ?? true), "\(name) / \(panel.title): no rows")
                // Every value column has a number in some row (a column never stays blank over the demo).
                for (c, column) in panel.columns.enumerated() where column.kind == .value {
                    let filled =
                        d.table?.rows.contains {
                            if case .number(let v?) = $0.cells[c] { return v.isFinite } else { return false }
                        } ?? false
                    #expect(filled, "\(name) / \(panel.title): column \(column.title) is empty")
                }
            case .timeseries, .stat, .gauge, .bargauge, .heatmap, .piechart, .barchart:
                #expect(!d.series.isEmpty, "\(name) / \(panel.title): no series")
                #expect(d.series.contains { $0.lastValue != nil }, "\(name) / \(panel.title): no value")
            }
        }
    }

    /// Charts with several targets: each target gives a series (a requests or limits line never silently vanishes).
    @Test(arguments: BuiltinDashboardScreens.localDashboards)
    func everyChartTargetGivesASeries(name: String) async throws {
        let dashboard = try #require(try BuiltinDashboards.named(name))
        let data = await BuiltinDashboardScreens.data(dashboard, width: 200, height: 60)
        for (i, panel) in dashboard.panels.enumerated() where panel.kind == .timeseries {
            let queries = try #require(data[i]).queries
            #expect(queries.count == panel.targets.count)
            for (target, q) in zip(panel.targets, queries) {
                #expect(!q.series.isEmpty, "\(name) / \(panel.title): \(target.legend ?? target.expr) gives nothing")
            }
        }
    }

    /// The variable queries list the demo's nodes, namespaces and pods, and the chained pod list follows the namespace.
    @Test func variableQueriesListTheDemoCluster() async throws {
        let backend = LocalBackend(engine: PromQLEngine(store: DashboardViewTests.store), minimumStep: 5000)
        let node = try #require(try BuiltinDashboards.named("node")).variables[0]
        let nodes = try await backend.variableValues(node.query, at: DashboardViewTests.now)
        #expect(nodes == BuiltinDashboardScreens.cluster.nodes.map(\.name).sorted(by: VariableValues.naturalOrder))

        let pod = try #require(try BuiltinDashboards.named("pod"))
        let namespaces = try await backend.variableValues(pod.variables[0].query, at: DashboardViewTests.now)
        #expect(Set(namespaces) == Set(BuiltinDashboardScreens.cluster.namespaces))
        let chosen = BuiltinDashboardScreens.pod
        let values = VariableValues(values: ["namespace": [chosen.namespace]])
        let pods = try await backend.variableValues(
            values.expand(pod.variables[1].query, format: .promql), at: DashboardViewTests.now)
        #expect(pods.contains(chosen.name))
        #expect(
            Set(pods)
                == Set(BuiltinDashboardScreens.cluster.pods.filter { $0.namespace == chosen.namespace }.map(\.name)))

        let pods2 = try #require(try BuiltinDashboards.named("pods"))
        let all = VariableValues(
            values: ["namespace": BuiltinDashboardScreens.cluster.namespaces], regexNames: ["namespace"])
        let everyPod = try await backend.variableValues(
            all.expand(pods2.variables[1].query, format: .promql), at: DashboardViewTests.now)
        #expect(Set(everyPod) == Set(BuiltinDashboardScreens.cluster.pods.map(\.name)))
    }

    /// The Node dashboard of the pressured node says so, and lists exactly that node's pods.
    @Test func nodeDashboardShowsItsConditionsAndOnlyItsPods() async throws {
        let s = try await BuiltinDashboardScreens.frame("node", width: 200, height: 60)
        let text = s.lines.joined(separator: "\n")
        let node = BuiltinDashboardScreens.node
        #expect(s.lines[0].contains("Node \(node)"))
        #expect(text.contains("MemoryPressure"))
        let dashboard = try #require(try BuiltinDashboards.named("node"))
        let data = await BuiltinDashboardScreens.data(dashboard, width: 200, height: 60)
        let podsPanel = try #require(dashboard.panels.firstIndex { $0.title.hasPrefix("Pods on") })
        let rows = try #require(data[podsPanel]?.table?.rows)
        let nodeIndex = try #require(BuiltinDashboardScreens.cluster.nodes.firstIndex { $0.name == node })
        let expected = BuiltinDashboardScreens.cluster.pods.filter { $0.nodeIndex == nodeIndex }.map {
            [$0.namespace, $0.name]
        }
        #expect(Set(rows.map(\.key)) == Set(expected))
    }
}

/// Exact screens of each local built-in at the sizes people use (see GoldenScreenTests).
/// To accept a deliberate change: KUBEGLASS_UPDATE_GOLDEN=1 swift test --filter BuiltinGoldenScreenTests
struct BuiltinGoldenScreenTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]
    static let cases = BuiltinDashboardScreens.localDashboards.flatMap { name in sizes.map { (name, $0.0, $0.1) } }

    @Test(arguments: cases)
    func screen(name: String, width: Int, height: Int) async throws {
        let screen = try await BuiltinDashboardScreens.frame(name, width: width, height: height)
        let text = screen.trimmedLines.joined(separator: "\n") + "\n"
        #expect(!text.contains("¤"), "every cell is drawn")
        #expect(!text.contains("⚠"), "no panel reports an error:\n\(text)")
        try GoldenScreenTests.expectGolden(text, "\(name)-\(width)x\(height).txt")
    }
}
