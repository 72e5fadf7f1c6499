import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

struct QueryEditingTests {
    let dashboard = Dashboard(
        title: "t", name: "t",
        panels: [
            Panel(
                title: "CPU", kind: .timeseries, gridPos: GridPos(x: 0, y: 0, w: 24, h: 8),
                targets: [Target(expr: "sum(cpu)", legend: "usage"), Target(expr: "sum(limits)", legend: "limits")]),
            Panel(
                title: "Nodes", kind: .table, gridPos: GridPos(x: 0, y: 8, w: 24, h: 8), rowKey: ["node"],
                columns: [
                    Column(title: "Node", kind: .label, label: "node"), Column(title: "CPU", kind: .value, expr: "cpu"),
                ]),
            Panel(title: "Notes", kind: .text, gridPos: GridPos(x: 0, y: 16, w: 24, h: 3), text: "hi"),
        ])

    func type(_ text: String, into e: inout QueryEditing) -> QueryEditing.Outcome {
        var last = QueryEditing.Outcome.none
        for c in text { last = e.handle(.character(c)) { [] } }
        return last
    }

    @Test func editsPreviewAndApply() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        #expect(e.editor.buffer.text == "sum(cpu)" && !e.hasError)
        #expect(e.prompt.contains("1/2 usage"))
        _ = e.handle(.control("u")) { [] }
        #expect(type("sum by (node) (cpu", into: &e) == .redraw, "an unfinished query is not previewed")
        #expect(e.hasError)
        #expect(e.editor.error?.message == "unclosed left parenthesis")
        #expect(e.editor.error?.column == 19)
        #expect(type(")", into: &e) == .preview)
        #expect(e.handle(.enter) { [] } == .apply)
        let applied = e.applied(to: dashboard)
        #expect(applied.panels[0].targets.map(\.expr) == ["sum by (node) (cpu)", "sum(limits)"])
        #expect(applied.panels[0].targets[0].legend == "usage")
    }

    /// A Prometheus-compatible server judges functions kubeglass' parser does not know (VictoriaMetrics'
    /// `rollup_rate`, functions the local engine lacks); kubeglass' own store still refuses them at once.
    @Test func aServersOwnFunctionsAreLeftToTheServer() throws {
        for text in ["rollup_rate(cpu[5m])", "sum(range_median(cpu[5m]))"] {
            var local = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
            _ = local.handle(.control("u")) { [] }
            #expect(type(text, into: &local) == .redraw)
            #expect(local.editor.error?.message.hasPrefix("unknown function with name") == true)
            #expect(local.handle(.enter) { [] } == .redraw)

            var remote = try #require(
                QueryEditing(dashboard: dashboard, panel: 0, theme: .default, serverFunctions: true))
            _ = remote.handle(.control("u")) { [] }
            #expect(type(text, into: &remote) == .preview, "\(text) is previewed from the server")
            #expect(remote.handle(.enter) { [] } == .apply)
            #expect(remote.applied(to: dashboard).panels[0].targets[0].expr == text)
        }
        // Other mistakes are still caught while typing.
        var remote = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default, serverFunctions: true))
        _ = type(" +", into: &remote)
        #expect(remote.handle(.enter) { [] } == .redraw)
        #expect(remote.hasError)
    }

    @Test func enterWithAnErrorKeepsEditingAndEscRestores() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        _ = type(" +", into: &e)
        #expect(e.handle(.enter) { [] } == .redraw)
        #expect(e.handle(.escape) { [] } == .cancel)
        #expect(e.applied(to: dashboard).panels[0].targets.map(\.expr) == ["sum(cpu)", "sum(limits)"])
    }

    @Test func pageUpAndPageDownSwitchQueries() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        _ = type("*2", into: &e)
        #expect(e.handle(.pageDown) { [] } == .redraw)
        #expect(e.target == 1 && e.editor.buffer.text == "sum(limits)")
        #expect(e.handle(.pageDown) { [] } == .none, "no third query")
        _ = e.handle(.pageUp) { [] }
        #expect(e.editor.buffer.text == "sum(cpu)*2", "the first query keeps its edit")
        #expect(e.prompt.contains("PgUp PgDn"), "the prompt says which keys switch queries")
    }

    @Test func appliedQueriesGoToTheHistoryFileAndComeBackWithUp() throws {
        let folder = NSTemporaryDirectory() + "kubeglass-history-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = QueryHistory.defaultPath(environment: ["XDG_STATE_HOME": folder, "HOME": "/nonexistent"])
        #expect(file == folder + "/kubeglass/history")
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default, historyFile: file))
        _ = type(" > 1", into: &e)
        #expect(e.handle(.enter) { [] } == .apply)
        #expect(QueryHistory.load(path: file).entries == ["sum(cpu) > 1"])

        var next = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default, historyFile: file))
        #expect(next.handle(.up) { [] } == .preview)
        #expect(next.editor.buffer.text == "sum(cpu) > 1")
        #expect(next.handle(.down) { [] } == .preview)
        #expect(next.editor.buffer.text == "sum(cpu)", "Down past the newest gives back one's own text")
    }

    @Test func tablesEditTheirColumnQueriesAndTextPanelsNothing() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 1, theme: .default))
        _ = type(" * 100", into: &e)
        #expect(e.handle(.enter) { [] } == .apply)
        let columns = e.applied(to: dashboard).panels[1].columns
        #expect(columns.map(\.expr) == [nil, "cpu * 100"])
        #expect(QueryEditing(dashboard: dashboard, panel: 2, theme: .default) == nil)
        #expect(QueryEditing(dashboard: dashboard, panel: 9, theme: .default) == nil)
    }

    @Test func tabCompletesFromTheStoreAndTheLanguage() throws {
        let store = SeriesStore()
        store.append(Labels(name: "kubeglass_node_cpu_usage_cores", ["node": "a"]), Sample(time: 1, value: 1))
        store.append(
            Labels(name: "kubeglass_node_memory_bytes", ["node": "a", "zone": "z"]), Sample(time: 1, value: 1))
        let items = QueryEditing.candidates(words: CompletionWords(store: store))
        #expect(items.contains(CompletionItem(text: "kubeglass_node_cpu_usage_cores", detail: "metric", kind: .metric)))
        #expect(items.contains { $0.text == "zone" && $0.kind == .label })
        #expect(items.contains { $0.text == "histogram_quantile" && $0.kind == .function })
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        _ = e.handle(.control("u")) { [] }
        _ = type("rate(kubeglass_node_c", into: &e)
        #expect(e.handle(.tab) { items } == .redraw, "one match: completed, but rate( is still open")
        #expect(e.editor.buffer.text == "rate(kubeglass_node_cpu_usage_cores")
        _ = e.handle(.control("u")) { [] }
        _ = type("kubeglass_node_", into: &e)
        _ = e.handle(.tab) { items }
        #expect(e.editor.isCompleting, "two matches: the popup opens")
        #expect(e.handle(.enter) { items } == .preview, "Enter takes the selected item")
        #expect(e.editor.buffer.text == "kubeglass_node_cpu_usage_cores")
    }
}

/// Shift-Tab edits a target's legend format (issue 18).
struct QueryEditingLegendTests {
    let dashboard = QueryEditingTests().dashboard

    @Test func shiftTabEditsTheLegendFormatAndBack() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        _ = e.handle(.control("u")) { [] }
        for c in "sum by (node) (cpu)" { _ = e.handle(.character(c)) { [] } }
        #expect(e.handle(.backTab) { [] } == .redraw)
        #expect(e.field == .legend && e.editor.buffer.text == "usage")
        #expect(e.prompt.contains("Legend") && e.prompt.contains("{{label}}"))
        _ = e.handle(.control("u")) { [] }
        var last = QueryEditing.Outcome.none
        for c in "{{node}}" { last = e.handle(.character(c)) { [] } }
        #expect(last == .preview, "the panel previews the new names")
        #expect(e.applied(to: dashboard).panels[0].targets[0].legend == "{{node}}")
        #expect(e.handle(.up) { [] } == .none, "no query history in the legend")
        #expect(e.handle(.backTab) { [] } == .redraw)
        #expect(e.field == .expression && e.editor.buffer.text == "sum by (node) (cpu)")
        _ = e.handle(.backTab) { [] }
        #expect(e.handle(.enter) { [] } == .apply)
        let applied = e.applied(to: dashboard).panels[0].targets
        #expect(applied[0].expr == "sum by (node) (cpu)" && applied[0].legend == "{{node}}")
        #expect(applied[1].legend == "limits", "the other target keeps its legend")
    }

    @Test func escapeRestoresTheLegendAndTablesHaveNone() throws {
        var e = try #require(QueryEditing(dashboard: dashboard, panel: 0, theme: .default))
        _ = e.handle(.backTab) { [] }
        _ = e.handle(.character("!")) { [] }
        #expect(e.handle(.escape) { [] } == .cancel)
        #expect(e.applied(to: dashboard).panels[0].targets[0].legend == "usage")
        var table = try #require(QueryEditing(dashboard: dashboard, panel: 1, theme: .default))
        #expect(table.handle(.backTab) { [] } == .none)
        #expect(table.field == .expression)
    }
}
