import DashboardUI
import Dashboards
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

/// Time range keys, the pickers, variables over the demo store, and the row a drill-down takes.
struct TimeAndVariablesTests {
    let board = Dashboard(
        title: "T", name: "t", timeRange: Milliseconds.hour,
        panels: [
            Panel(
                title: "Nodes", kind: .table, gridPos: GridPos(x: 0, y: 0, w: 24, h: 10), rowKey: ["node"],
                columns: [
                    Column(title: "Node", kind: .label, label: "node"), Column(title: "CPU", kind: .value, expr: "x"),
                ],
                sortColumn: 1, sortDescending: true,
                drilldown: Drilldown(dashboard: "node", variables: ["node": "node"]))
        ], variables: [Variable(name: "node", kind: .query, query: "label_values(kubeglass_node_info, node)")])
    var layout: DashboardLayout { DashboardLayout(panels: board.panels, width: 120, height: 30) }

    @Test func zoomPanAndLive() {
        var s = ViewState()
        #expect(s.handle(.character("-"), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.range(board) == 7_200_000)
        #expect(s.handle(.character("+"), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.handle(.character("+"), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.range(board) == 1_800_000)
        #expect(s.handle(.character("["), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.end(now: 10_000_000) == 10_000_000 - 900_000)
        #expect(s.handle(.character("]"), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.timeShift == 0)
        #expect(
            s.handle(.character("]"), dashboard: board, layout: layout, viewHeight: 30) == .none,
            "no panning into the future")
        _ = s.handle(.character("["), dashboard: board, layout: layout, viewHeight: 30)
        #expect(s.handle(.character("0"), dashboard: board, layout: layout, viewHeight: 30) == .timeChanged)
        #expect(s.timeShift == 0)
        for _ in 0..<20 { _ = s.handle(.character("+"), dashboard: board, layout: layout, viewHeight: 30) }
        #expect(s.range(board) == 60_000, "zoom stops at a minute")
    }

    @Test func timePickerChoosesAListedOrATypedRange() {
        var s = ViewState()
        #expect(s.handle(.character("t"), dashboard: board, layout: layout, viewHeight: 30) == .redraw)
        var picker = try! #require(s.picker)
        #expect(picker.checked == ["Last 1 hour"])
        #expect(picker.handle(.down) == .redraw)
        #expect(picker.handle(.enter) == .chosen(["Last 3 hours"]))
        #expect(s.choose("Last 3 hours", for: .timeRange) == .timeChanged)
        #expect(s.range(board) == 10_800_000)
        var typed = Picker(purpose: .timeRange, title: "Time range", items: Picker.timeRanges.map(\.label))
        for c in "90m" { _ = typed.handle(.character(c)) }
        #expect(typed.visible.isEmpty)
        #expect(typed.handle(.enter) == .chosen(["90m"]))
        #expect(s.choose("90m", for: .timeRange) == .timeChanged)
        #expect(s.range(board) == 5_400_000)
        #expect(s.choose("nonsense", for: .timeRange) == .redraw)
    }

    @Test func multiValuePickerTogglesAndAllIsExclusive() {
        var p = Picker(
            purpose: .variable(name: "ns", multi: true), title: "$ns", items: ["All", "a", "b", "c"], checked: ["All"])
        _ = p.handle(.down)
        #expect(p.handle(.character(" ")) == .redraw)
        #expect(p.checked == ["a"])
        _ = p.handle(.down)
        _ = p.handle(.character(" "))
        #expect(p.handle(.enter) == .chosen(["a", "b"]))
        _ = p.handle(.home)
        _ = p.handle(.character(" "))
        #expect(p.checked == ["All"])
        var filtered = Picker(purpose: .dashboards, title: "Dashboards", items: ["Cluster (cluster)", "Node (node)"])
        for c in "nod" { _ = filtered.handle(.character(c)) }
        #expect(filtered.visible == ["Node (node)"])
        #expect(filtered.handle(.escape) == .redraw, "the first Esc clears the filter")
        #expect(filtered.handle(.escape) == .cancel)
    }

    @Test func pickerOverlayDrawsAtAnySize() {
        let p = Picker(
            purpose: .variable(name: "ns", multi: true), title: "$ns", items: ["All", "a", "b"], checked: ["a"])
        for (w, h) in [(1, 1), (10, 5), (40, 12), (120, 40)] {
            var screen = Screen(width: w, height: h)
            PickerOverlayProbe.render(p, on: &screen)
        }
        var screen = Screen(width: 60, height: 12)
        PickerOverlayProbe.render(p, on: &screen)
        let text = screen.lines.joined(separator: "\n")
        #expect(text.contains("[x] a") && text.contains("[ ] b") && text.contains("$ns"))
    }

    @Test func variablesListFromTheStoreAndChainAndKeepTheirSelection() async throws {
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: DashboardViewTests.store), minimumStep: 5000)
        let chained = Dashboard(
            title: "P", name: "p", panels: [],
            variables: [
                Variable(
                    name: "namespace", kind: .query, query: "label_values(kubeglass_pod_info, namespace)", multi: true,
                    includeAll: true),
                Variable(
                    name: "pod", kind: .query, query: #"label_values(kubeglass_pod_info{namespace=~"$namespace"}, pod)"#
                ),
                Variable(name: "window", kind: .custom, query: "1m, 5m,10m"),
            ])
        let now = DashboardViewTests.now
        let all = await VariableResolver.resolve(chained, evaluator: evaluator, now: now)
        #expect(all["namespace"]?.isAll == true)
        #expect(all["namespace"]!.options.count == 8)
        #expect(all["pod"]!.options.count == 300)
        #expect(all["window"]?.options == ["1m", "5m", "10m"] && all["window"]?.selection == ["1m"])
        let one = await VariableResolver.resolve(
            chained, evaluator: evaluator, now: now, selections: ["namespace": ["kube-system"]])
        #expect(one["pod"]!.options.count < 300 && !one["pod"]!.options.isEmpty)
        #expect(one.values.expand(#"{namespace=~"$namespace"}"#, format: .promql) == #"{namespace=~"kube-system"}"#)
        #expect(one.displayValues.expand("in $namespace", format: .text) == "in kube-system")
        #expect(all.displayValues.expand("in $namespace", format: .text) == "in All")
        let gone = await VariableResolver.resolve(
            chained, evaluator: evaluator, now: now, selections: ["pod": ["no-such-pod"]])
        #expect(
            gone["pod"]?.selection == [gone["pod"]!.options[0]],
            "a selection that no longer exists falls back to the first value")

        // Before the first poll the store lists nothing: `--var` (or a drill-down's values) must survive
        // until it does, not fall back to whatever comes first later.
        let empty = PanelEvaluator(engine: PromQLEngine(store: SeriesStore()), minimumStep: 5000)
        let early = await VariableResolver.resolve(
            chained, evaluator: empty, now: now,
            selections: ["namespace": ["payments"], "pod": ["worker-1"]])
        #expect(early["namespace"]?.selection == ["payments"] && early["pod"]?.selection == ["worker-1"])
        let later = await VariableResolver.resolve(
            chained, evaluator: evaluator, now: now, selections: early.selections)
        #expect(
            later["pod"]?.selection == [later["pod"]!.options[0]], "once listed, a pod that is not there falls back")
    }

    @Test func aVariableQueryThatFailsSaysWhy() async {
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: DashboardViewTests.store), minimumStep: 5000)
        let d = Dashboard(
            title: "P", name: "p", panels: [], variables: [Variable(name: "x", kind: .query, query: "label_values(")])
        let r = await VariableResolver.resolve(d, evaluator: evaluator, now: DashboardViewTests.now)
        #expect(r["x"]?.error != nil)
        let influx = Dashboard(
            title: "P", name: "p", panels: [],
            variables: [Variable(name: "x", kind: .query, query: "SHOW TAG VALUES", datasource: .influxdb)])
        let r2 = await VariableResolver.resolve(influx, evaluator: evaluator, now: DashboardViewTests.now)
        #expect(r2["x"]?.error?.contains("--influxdb") == true)
    }

    @Test func drillDownTakesTheRowAsSortedOnScreen() {
        var data = PanelData()
        data.table = TableData(rows: [
            .init(key: ["node-1"], cells: [.text("node-1"), .number(1)]),
            .init(key: ["node-2"], cells: [.text("node-2"), .number(3)]),
            .init(key: ["node-3"], cells: [.text("node-3"), .number(2)]),
        ])
        var s = ViewState()
        #expect(s.handle(.enter, dashboard: board, layout: layout, viewHeight: 30) == .drill(panel: 0))
        #expect(TableSelection.selectedLabels(panel: 0, dashboard: board, data: data, state: s) == ["node": "node-2"])
        _ = s.handle(.character("j"), dashboard: board, layout: layout, viewHeight: 30) { _ in 3 }
        #expect(TableSelection.selectedLabels(panel: 0, dashboard: board, data: data, state: s) == ["node": "node-3"])
        #expect(s.handle(.backspace, dashboard: board, layout: layout, viewHeight: 30) == .back)
    }
}

/// What a panel and the variables show while their datasource is down.
struct DeadDatasourceTests {
    @Test func aFailedEvaluationKeepsTheLastData() {
        var good = PanelData()
        good.series = [PanelSeries(name: "a", labels: Labels(), points: [Point(time: 0, value: 1)])]
        var failed = PanelData()
        failed.error = "cannot connect to Prometheus"
        let kept = failed.keepingLastData(over: good)
        #expect(kept.series == good.series)
        #expect(kept.error == "cannot connect to Prometheus (showing the last data)")
        #expect(failed.keepingLastData(over: nil).series.isEmpty)
        #expect(good.keepingLastData(over: failed).error == nil, "a good result replaces everything")
        let again = failed.keepingLastData(over: kept)
        #expect(again.series == good.series && again.error == kept.error, "the note is not repeated")
    }

    @Test func variablesKeepTheirValuesWhileTheDatasourceIsDown() async {
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: DashboardViewTests.store), minimumStep: 5000)
        let good = Dashboard(
            title: "P", name: "p", panels: [],
            variables: [Variable(name: "node", kind: .query, query: "label_values(kubeglass_node_info, node)")])
        let before = await VariableResolver.resolve(
            good, evaluator: evaluator, now: DashboardViewTests.now, selections: ["node": ["node-03"]])
        #expect(before["node"]?.selection == ["node-03"])
        var broken = good
        broken.variables[0].datasource = .influxdb
        let during = await VariableResolver.resolve(
            broken, evaluator: evaluator, now: DashboardViewTests.now, selections: ["node": ["node-03"]],
            previous: before)
        #expect(during["node"]?.error != nil)
        #expect(during["node"]?.options == before["node"]?.options)
        #expect(during["node"]?.selection == ["node-03"])
        let cold = await VariableResolver.resolve(
            broken, evaluator: evaluator, now: DashboardViewTests.now, selections: ["node": ["node-05"]])
        #expect(
            cold["node"]?.selection == ["node-05"],
            "a selection given on the command line survives a datasource that is down at start")
    }
}
