import App
import DashboardUI
import Dashboards
import TerminalUI
import Testing

/// The mouse (issue 18), fed to the app as events: clicks focus panels and select table rows, the wheel scrolls
/// tables and the dashboard or zooms charts, a double click does what Enter does.
struct MouseTests {
    /// The Cluster dashboard at 120×40 with its Nodes table answered (node-08 busiest, first).
    static func cluster(height: Int = 40) throws -> (AppState, nodes: Int) {
        var state = try AppStateTests.state()
        _ = state.resized(to: (120, height))
        _ = state.start()
        let nodes = try #require(state.dashboard.panels.firstIndex { $0.title == "Nodes" })
        SelectionFollowsTests.nodes(
            Dictionary(uniqueKeysWithValues: (1...8).map { ("node-0\($0)", Double($0)) }), into: &state, panel: nodes,
            sequence: 100)
        return (state, nodes)
    }

    /// The panel's rectangle as drawn, and the screen row of its content row `row` (0: the top border), with the
    /// dashboard scrolled so that the panel's top shows.
    static func onScreen(_ panel: Int, in state: inout AppState) throws -> Rect {
        let viewHeight = DashboardView.bodyHeight(screenHeight: state.size.height)
        let layout = DashboardLayout(
            dashboard: state.dashboard, state: state.view, width: state.size.width, height: viewHeight)
        let rect = try #require(layout.rect(of: panel))
        state.view.scroll = max(0, min(rect.y, layout.contentHeight - viewHeight))
        return Rect(x: rect.x, y: rect.y - state.view.scroll + 1, width: rect.width, height: rect.height)
    }

    static func mouse(_ action: MouseEvent.Action, _ x: Int, _ y: Int, _ state: inout AppState) -> [AppState.Effect] {
        state.key(.mouse(MouseEvent(action, x: x, y: y))) { [] }
    }

    @Test func aClickOnTheThirdRowOfATableFocusesItAndSelectsThatRow() throws {
        var (state, nodes) = try Self.cluster()
        #expect(state.view.focus != nodes)
        let rect = try Self.onScreen(nodes, in: &state)
        // The border, the header, then rows: the third row is four rows below the top.
        _ = Self.mouse(.press, rect.x + 4, rect.y + 4, &state)
        #expect(state.view.focus == nodes)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 2)
        #expect(SelectionFollowsTests.selectedKey(state, nodes) == "node-06")
        // A click on the header row or the border selects nothing else.
        _ = Self.mouse(.press, rect.x + 4, rect.y + 1, &state)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 2)
    }

    @Test func aDoubleClickOnATableRowOpensThatRowsDashboard() throws {
        var (state, nodes) = try Self.cluster()
        let rect = try Self.onScreen(nodes, in: &state)
        _ = Self.mouse(.press, rect.x + 4, rect.y + 5, &state)
        _ = Self.mouse(.doubleClick, rect.x + 4, rect.y + 5, &state)
        #expect(state.dashboard.name == "node")
        #expect(state.variables.selections["node"] == ["node-05"])
    }

    @Test func theWheelOnATableScrollsItsSelection() throws {
        var (state, nodes) = try Self.cluster()
        let rect = try Self.onScreen(nodes, in: &state)
        _ = Self.mouse(.wheelDown, rect.x + 4, rect.y + 3, &state)
        #expect(state.view.focus == nodes)
        #expect(state.view.tableState(nodes, state.dashboard).selected == ViewState.wheelRows)
        for _ in 0..<5 { _ = Self.mouse(.wheelDown, rect.x + 4, rect.y + 3, &state) }
        #expect(state.view.tableState(nodes, state.dashboard).selected == 7, "stops at the last of 8 rows")
        _ = Self.mouse(.wheelUp, rect.x + 4, rect.y + 3, &state)
        #expect(state.view.tableState(nodes, state.dashboard).selected == 4)
        #expect(SelectionFollowsTests.selectedKey(state, nodes) == "node-04")
    }

    @Test func theWheelOnAChartZoomsTheTimeRange() throws {
        var (state, _) = try Self.cluster()
        let chart = try #require(state.dashboard.panels.firstIndex { $0.title == "Cluster CPU" })
        let rect = try Self.onScreen(chart, in: &state)
        let range = state.view.range(state.dashboard)
        let zoomedIn = Self.mouse(.wheelUp, rect.x + rect.width / 2, rect.y + 3, &state)
        #expect(state.view.range(state.dashboard) == range / 2)
        #expect(AppStateTests.evaluation(in: zoomedIn) != nil, "the charts evaluate for the new window")
        _ = Self.mouse(.wheelDown, rect.x + rect.width / 2, rect.y + 3, &state)
        _ = Self.mouse(.wheelDown, rect.x + rect.width / 2, rect.y + 3, &state)
        #expect(state.view.range(state.dashboard) == range * 2)
    }

    @Test func theWheelElsewhereScrollsTheDashboard() throws {
        // At 24 rows the Cluster dashboard is taller than the screen.
        var (state, _) = try Self.cluster(height: 24)
        let stat = try #require(state.dashboard.panels.firstIndex { $0.title == "CPU used" })
        let rect = try Self.onScreen(stat, in: &state)
        #expect(state.view.scroll == 0)
        _ = Self.mouse(.wheelDown, rect.x + 2, rect.y + 1, &state)
        #expect(state.view.scroll == ViewState.wheelRows)
        // Three rows down, the stat is still under the pointer at the body's top.
        _ = Self.mouse(.wheelUp, rect.x + 2, 1, &state)
        _ = Self.mouse(.wheelUp, rect.x + 2, 1, &state)
        #expect(state.view.scroll == 0, "never above the top")
    }

    @Test func aDoubleClickOnAChartOpensItFullScreenAndAnotherComesBack() throws {
        var (state, _) = try Self.cluster()
        let chart = try #require(state.dashboard.panels.firstIndex { $0.title == "Cluster memory" })
        let rect = try Self.onScreen(chart, in: &state)
        _ = Self.mouse(.press, rect.x + 5, rect.y + 2, &state)
        #expect(state.view.focus == chart && !state.view.fullscreen)
        _ = Self.mouse(.doubleClick, rect.x + 5, rect.y + 2, &state)
        #expect(state.view.fullscreen)
        // Full screen, the panel fills the body: a double click anywhere on it comes back.
        _ = Self.mouse(.press, 3, 10, &state)
        _ = Self.mouse(.doubleClick, 3, 10, &state)
        #expect(!state.view.fullscreen && state.view.focus == chart)
    }

    @Test func clicksOnTheHeaderOrStatusBarAndInOverlaysChangeNothing() throws {
        var (state, _) = try Self.cluster()
        let before = state.view
        _ = Self.mouse(.press, 10, 0, &state)
        _ = Self.mouse(.press, 10, 39, &state)
        #expect(state.view == before)
        // The time picker is open: the wheel moves through it, a click is not a choice.
        _ = state.key(.character("t")) { [] }
        let picked = try #require(state.view.picker).selected
        _ = Self.mouse(.wheelDown, 30, 10, &state)
        #expect(state.view.picker?.selected == picked + 1)
        _ = Self.mouse(.press, 30, 10, &state)
        #expect(state.view.picker != nil)
    }
}
