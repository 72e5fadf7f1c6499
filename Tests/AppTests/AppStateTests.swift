import App
import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

/// The loop's decisions as a pure transition: an event in, effects out, no terminal and no clock.
struct AppStateTests {
    static func state() throws -> AppState {
        let board = try #require(try BuiltinDashboards.named("cluster"))
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: SeriesStore()), minimumStep: 1000)
        return AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: .default, evaluator: evaluator,
            refresh: 1000,
            size: (120, 40))
    }

    static func evaluation(in effects: [AppState.Effect]) -> AppState.Evaluation? {
        for case .evaluate(let e) in effects { return e }
        return nil
    }

    static func marked(_ text: String) -> PanelData {
        var d = PanelData()
        d.error = text
        return d
    }

    @Test func anEvaluationForAnOlderWindowIsDropped() throws {
        var state = try Self.state()
        let first = try #require(Self.evaluation(in: state.start()), "a dashboard without variables evaluates at once")
        // `-` zooms out: a new window, so answers for the old one must not land.
        let zoomed = try #require(Self.evaluation(in: state.key(.character("-")) { [] }))
        #expect(zoomed.epoch > first.epoch)
        #expect(
            state.evaluated(epoch: first.epoch, sequence: first.sequence, data: [0: Self.marked("old window")]).isEmpty)
        #expect(state.data[0] == nil, "the old window's answer was dropped")
        let effects = state.evaluated(
            epoch: zoomed.epoch, sequence: zoomed.sequence, data: [0: Self.marked("new window")])
        #expect(effects.contains { if case .draw = $0 { true } else { false } })
        #expect(state.data[0]?.error == "new window")
    }

    @Test func anOlderAnswerForTheSameWindowDoesNotReplaceANewerOne() throws {
        var state = try Self.state()
        let first = try #require(Self.evaluation(in: state.start()))
        let second = try #require(Self.evaluation(in: state.resized(to: (100, 30))))
        #expect(first.epoch == second.epoch && second.sequence > first.sequence)
        _ = state.evaluated(epoch: second.epoch, sequence: second.sequence, data: [0: Self.marked("newer")])
        _ = state.evaluated(epoch: first.epoch, sequence: first.sequence, data: [0: Self.marked("older")])
        #expect(state.data[0]?.error == "newer")
    }

    @Test func keysBecomeEffects() throws {
        var state = try Self.state()
        _ = state.start()
        #expect(state.key(.character("q")) { [] }.contains { if case .quit = $0 { true } else { false } })
        #expect(state.key(.character("r")) { [] }.contains { if case .pollNow = $0 { true } else { false } })
        #expect(state.key(.character("?")) { [] }.contains { if case .draw = $0 { true } else { false } })
        #expect(state.view.showHelp)
        // Choosing a refresh interval in the picker sets the poller's interval.
        _ = state.key(.character("?")) { [] }
        _ = state.key(.character("R")) { [] }
        #expect(state.view.picker != nil)
        let chosen = state.key(.enter) { [] }
        #expect(chosen.contains { if case .setPollInterval = $0 { true } else { false } })
    }

    @Test func wSaysThereIsNothingToWriteThenAsksBeforeWritingAnEdit() throws {
        func saves(_ effects: [AppState.Effect]) -> Bool {
            effects.contains { if case .save = $0 { true } else { false } }
        }
        var state = try Self.state()
        state.themeEnvironment = ["XDG_CONFIG_HOME": "/cfg"]
        _ = state.start()
        #expect(!saves(state.key(.character("w")) { [] }))
        #expect(state.notice == "no changes to write")
        #expect(state.pendingWrite == nil)

        state.dashboard.panels[0].targets[0].expr = "1"
        #expect(!saves(state.key(.character("w")) { [] }))
        #expect(state.notice == "write 1 changed query to /cfg/kubeglass/dashboards/cluster.yaml? (y/n)")
        #expect(!saves(state.key(.character("n")) { [] }))
        #expect(state.notice == "not written")

        _ = state.key(.character("w")) { [] }
        let effects = state.key(.character("y")) { [] }
        #expect(saves(effects))
        // Written: the same dashboard has nothing new for the next `w`.
        _ = state.key(.character("w")) { [] }
        #expect(state.notice == "no changes to write")
    }

    @Test func enterOnAStatThatCountsPodsOpensTheTableOfThosePodsAndBackspaceReturns() throws {
        var state = try Self.state()
        _ = state.start()
        let stat = try #require(state.dashboard.panels.firstIndex { $0.title == "Pods not running" })
        state.view.focus = stat
        let effects = state.key(.enter) { [] }
        #expect(state.dashboard.title == "Cluster ▸ Pods not running")
        #expect(state.dashboard.panels.map(\.kind) == [.table])
        let table = state.dashboard.panels[0]
        #expect(table.rowKey == ["namespace", "pod"] && table.drilldown?.dashboard == "pod")
        #expect(table.columns.map(\.title) == ["Pod", "Namespace", "Status", "Node", "Rst"])
        // The table lists pods by namespace, so it gets the namespace filter: its options are listed
        // first, then the table is evaluated.
        let listed = effects.contains { if case .resolveVariables = $0 { true } else { false } }
        #expect(Self.evaluation(in: effects)?.jobs.map(\.panel) == [0] || listed, "the table is evaluated")
        #expect(!state.view.fullscreen)
        _ = state.key(.backspace) { [] }
        #expect(state.dashboard.title == "Cluster" && state.view.focus == stat)
        // A stat without a table still zooms on Enter.
        state.view.focus = 0
        _ = state.key(.enter) { [] }
        #expect(state.dashboard.title == "Cluster" && state.view.fullscreen)
    }

    @Test func variablesListedForAnOlderDashboardAreDropped() throws {
        var state = try Self.state()
        _ = state.start()
        _ = state.key(.character("d")) { [] }
        let picker = try #require(state.view.picker)
        let nodeIndex = try #require(picker.items.firstIndex { $0.hasSuffix("(node)") })
        for _ in 0..<nodeIndex { _ = state.key(.down) { [] } }
        let opened = state.key(.enter) { [] }
        #expect(state.dashboard.name == "node")
        var request: AppState.VariableRequest?
        for case .resolveVariables(let r) in opened { request = r }
        let r = try #require(request, "the Node dashboard lists its $node first")
        // Backspace goes back before the answer arrives: it belongs to a dashboard no longer shown.
        _ = state.key(.backspace) { [] }
        #expect(state.dashboard.name == "cluster")
        #expect(state.variablesResolved(ResolvedVariables(), epoch: r.epoch, request: r.request).isEmpty)
    }
}

/// A table over many rows is evaluated for the rows it shows; moving onto rows not filled asks for them.
struct AppStateTableWindowTests {
    @Test func movingOntoUnfilledRowsEvaluatesTheTableForThem() throws {
        var state = try AppStateTests.state()
        let first = try #require(AppStateTests.evaluation(in: state.start()))
        let top = try #require(state.dashboard.panels.firstIndex { $0.title == "Top pods" })
        let job = try #require(first.jobs.first { $0.panel == top })
        let request = try #require(job.table, "a table is asked for the rows it shows")
        #expect(request.rows.lowerBound == 0 && request.rows.count < 100)
        #expect(request.order == TableOrder(column: 2, descending: true), "in its sort order (CPU, highest first)")
        // An answer with 1,000 rows, filled only as asked.
        let rows = (0..<1000).map { i in
            TableData.Row(
                key: ["default", "pod-\(i)"],
                cells: [
                    .text("pod-\(i)"), .text("default"), .number(Double(1000 - i)), .number(1), .number(0), .series([]),
                ],
                partial: !request.rows.contains(i))
        }
        var data = PanelData()
        data.table = TableData(rows: rows, order: request.order)
        _ = state.evaluated(epoch: first.epoch, sequence: first.sequence, data: [top: data])
        state.view.focus = top
        var asked: TableRequest?
        var presses = 0
        while asked == nil && presses < 200 {
            presses += 1
            asked =
                AppStateTests.evaluation(in: state.key(.character("j")) { [] })?.jobs.first { $0.panel == top }?
                .table
        }
        let again = try #require(asked, "scrolling onto unfilled rows evaluates the table again")
        let selected = state.view.tableState(top, state.dashboard).selected
        #expect(selected == presses && selected >= request.rows.upperBound - 30, "not before the filled rows run out")
        #expect(again.rows.contains(selected) && again.rows.contains(selected + 10))
        // Within the filled rows, keys only redraw.
        var calm = try AppStateTests.state()
        _ = calm.start()
        _ = calm.evaluated(epoch: first.epoch, sequence: first.sequence, data: [top: data])
        calm.view.focus = top
        #expect(AppStateTests.evaluation(in: calm.key(.character("j")) { [] }) == nil)
    }

}

/// Dashboard files chosen while running are read off the loop (AppState+Loading.swift).
struct AppStateLoadingTests {
    /// Two file dashboards chosen one after the other with `d`: each is read off the loop; the answer to the first,
    /// arriving late, is dropped; the second opens as its file says now, and the catalog keeps that version.
    @Test func aNewerDashboardChoiceSupersedesOneStillLoading() throws {
        let first = Dashboard(title: "First", name: "first", panels: [])
        let second = Dashboard(title: "Second", name: "second", panels: [])
        var state = try AppStateTests.state()
        state = AppState(
            dashboard: state.dashboard, catalog: state.catalog + [first, second], theme: .default,
            evaluator: state.evaluator, refresh: 1000, size: (120, 40))
        state.dashboardFiles = ["first": "/boards/first.yaml", "second": "/boards/second.yaml"]
        _ = state.start()
        let cluster = state.dashboard.title
        func choose(upFromEnd: Int) -> AppState.Load? {
            _ = state.key(.character("d")) { [] }
            _ = state.key(.end) { [] }
            for _ in 0..<upFromEnd { _ = state.key(.up) { [] } }
            for case .load(let load) in state.key(.enter) { [] } { return load }
            return nil
        }
        let one = try #require(choose(upFromEnd: 1), "choosing a file dashboard asks for a load")
        #expect(state.loading == "loading dashboard first.yaml…")
        #expect(state.dashboard.title == cluster, "nothing opens before the file is read")
        let two = try #require(choose(upFromEnd: 0))
        #expect(state.loading == "loading dashboard second.yaml…")

        var late = first
        late.title = "First, late"
        #expect(state.loaded(request: one.request, .dashboard(late)).isEmpty, "the older answer is dropped")
        #expect(state.dashboard.title == cluster && state.loading == "loading dashboard second.yaml…")

        var edited = second
        edited.title = "Second, edited"
        let effects = state.loaded(request: two.request, .dashboard(edited))
        #expect(effects.contains { if case .draw = $0 { true } else { false } })
        #expect(state.dashboard.title == "Second, edited" && state.loading == nil)
        #expect(
            state.catalog.contains { $0.title == "Second, edited" } && !state.catalog.contains { $0.title == "Second" })
        _ = state.key(.backspace) { [] }
        #expect(state.dashboard.title == cluster, "Backspace goes back to where d was pressed")
    }
}
