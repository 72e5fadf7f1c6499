import DashboardUI
import Dashboards
import Query
import TerminalUI
import Testing

struct DashboardLayoutTests {
    func panel(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ kind: Panel.Kind = .stat) -> Panel {
        Panel(title: "p\(x),\(y)", kind: kind, gridPos: GridPos(x: x, y: y, w: w, h: h), targets: [Target(expr: "up")])
    }

    @Test func gridMapsToColumns() {
        let l = DashboardLayout(
            panels: [panel(0, 0, 12, 5), panel(12, 0, 12, 5), panel(0, 5, 24, 5)], width: 120, height: 10)
        #expect(!l.stacked)
        #expect(
            l.placements.map(\.rect) == [
                Rect(x: 0, y: 0, width: 60, height: 5), Rect(x: 60, y: 0, width: 60, height: 5),
                Rect(x: 0, y: 5, width: 120, height: 5),
            ])
        #expect(l.contentHeight == 10)
    }

    @Test func stretchesToFillATallScreenButNotEndlessly() {
        let l = DashboardLayout(panels: [panel(0, 0, 24, 5), panel(0, 5, 24, 5)], width: 120, height: 15)
        #expect(l.placements.map(\.rect.height) == [7, 8])
        #expect(l.contentHeight == 15)
        let huge = DashboardLayout(panels: [panel(0, 0, 24, 5)], width: 120, height: 100)
        #expect(huge.contentHeight == 10)
    }

    @Test func scrollsWhenTaller() {
        let l = DashboardLayout(panels: [panel(0, 0, 24, 30), panel(0, 30, 24, 30)], width: 120, height: 20)
        #expect(l.contentHeight == 60)
    }

    @Test func stacksWhenNarrow() {
        let l = DashboardLayout(
            panels: [panel(12, 0, 12, 4, .timeseries), panel(0, 0, 12, 4, .timeseries), panel(0, 4, 24, 6, .table)],
            width: 80, height: 22)
        #expect(l.stacked)
        #expect(l.placements.map(\.panel) == [1, 0, 2])
        #expect(
            l.placements.map(\.rect) == [
                Rect(x: 0, y: 0, width: 80, height: 5), Rect(x: 0, y: 5, width: 80, height: 5),
                Rect(x: 0, y: 10, width: 80, height: 6),
            ])
    }

    @Test func narrowStatsBesideAWidePanelStillShareALine() {
        // Five stats and a text panel of 4 grid columns: the text needs 20 columns, so the row stacks,
        // but the five stats keep one line between them (16 columns each) and the text goes below.
        let band = (0..<5).map { panel($0 * 4, 0, 4, 5) } + [panel(20, 0, 4, 5, .text)]
        let l = DashboardLayout(panels: band + [panel(0, 5, 24, 8, .timeseries)], width: 80, height: 22)
        #expect(l.placements.prefix(5).map(\.rect) == (0..<5).map { Rect(x: $0 * 16, y: 0, width: 16, height: 5) })
        #expect(
            l.placements.suffix(2).map(\.rect) == [
                Rect(x: 0, y: 5, width: 80, height: 5), Rect(x: 0, y: 10, width: 80, height: 8),
            ])
        // A lone stat between wide panels is not stretched into a line of its own kind: it stacks as before.
        let lone = DashboardLayout(
            panels: [panel(0, 0, 12, 5, .timeseries), panel(12, 0, 4, 5), panel(16, 0, 8, 5, .timeseries)], width: 80,
            height: 22)
        #expect(lone.placements.map(\.rect.width) == [80, 80, 80])
    }

    @Test func narrowRowsOfSmallPanelsStaySideBySide() {
        let stats = (0..<6).map { panel($0 * 4, 0, 4, 5) }
        let l = DashboardLayout(
            panels: stats + [panel(0, 5, 12, 8, .timeseries), panel(12, 5, 12, 8, .timeseries)], width: 80, height: 22)
        #expect(l.placements.prefix(6).map(\.rect.y) == [0, 0, 0, 0, 0, 0], "six stats of 13 columns share a row")
        #expect(l.placements.prefix(6).map(\.rect.width).reduce(0, +) == 80)
        #expect(
            l.placements.suffix(2).map(\.rect) == [
                Rect(x: 0, y: 5, width: 80, height: 8), Rect(x: 0, y: 13, width: 80, height: 8),
            ],
            "40-column charts are too narrow: they stack")
        #expect(l.contentHeight == 21)
    }

    @Test func degenerateSizes() {
        #expect(DashboardLayout(panels: [], width: 120, height: 40).placements.isEmpty)
        #expect(DashboardLayout(panels: [panel(0, 0, 24, 5)], width: 0, height: 0).placements.isEmpty)
        _ = DashboardLayout(panels: [panel(0, 0, 24, 5)], width: 1, height: 1)
    }
}

struct ViewStateTests {
    let dashboard = Dashboard(
        title: "t", name: "t",
        panels: [
            Panel(title: "a", kind: .stat, gridPos: GridPos(x: 0, y: 0, w: 12, h: 5), targets: [Target(expr: "up")]),
            Panel(title: "b", kind: .stat, gridPos: GridPos(x: 12, y: 0, w: 12, h: 5), targets: [Target(expr: "up")]),
            Panel(
                title: "c", kind: .table, gridPos: GridPos(x: 0, y: 5, w: 24, h: 30),
                rowKey: ["node"],
                columns: [
                    Column(title: "n", kind: .label, label: "node"), Column(title: "v", kind: .value, expr: "up"),
                ]),
        ])
    var layout: DashboardLayout { DashboardLayout(panels: dashboard.panels, width: 120, height: 20) }

    @Test func tabAndArrowsMoveFocus() {
        var s = ViewState()
        #expect(s.handle(.tab, dashboard: dashboard, layout: layout, viewHeight: 20) == .redraw)
        #expect(s.focus == 1)
        _ = s.handle(.down, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.focus == 2)
        #expect(s.scroll > 0, "focusing the tall table scrolls to it")
        _ = s.handle(.up, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect([0, 1].contains(s.focus))
        #expect(s.scroll == 0)
        s.focus = 0
        _ = s.handle(.right, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.focus == 1)
        _ = s.handle(.right, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.focus == 1, "nothing further right")
        _ = s.handle(.backTab, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.focus == 0)
        _ = s.handle(.backTab, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.focus == 2)
    }

    @Test func fullscreenHelpQuitRefresh() {
        var s = ViewState()
        #expect(s.handle(.enter, dashboard: dashboard, layout: layout, viewHeight: 20) == .redraw && s.fullscreen)
        #expect(s.handle(.escape, dashboard: dashboard, layout: layout, viewHeight: 20) == .redraw && !s.fullscreen)
        _ = s.handle(.character("f"), dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.fullscreen)
        #expect(
            s.handle(.character("?"), dashboard: dashboard, layout: layout, viewHeight: 20) == .redraw && s.showHelp)
        #expect(
            s.handle(.tab, dashboard: dashboard, layout: layout, viewHeight: 20) == .none, "help swallows other keys")
        #expect(s.handle(.escape, dashboard: dashboard, layout: layout, viewHeight: 20) == .redraw && !s.showHelp)
        #expect(s.handle(.character("r"), dashboard: dashboard, layout: layout, viewHeight: 20) == .refresh)
        #expect(s.handle(.character("q"), dashboard: dashboard, layout: layout, viewHeight: 20) == .quit)
    }

    @Test func tableRowsAndSorting() {
        var s = ViewState()
        s.focus = 2
        for _ in 0..<5 {
            _ = s.handle(.character("j"), dashboard: dashboard, layout: layout, viewHeight: 20) { _ in 3 }
        }
        #expect(s.tableState(2, dashboard).selected == 2, "selection stops at the last row")
        _ = s.handle(.character("k"), dashboard: dashboard, layout: layout, viewHeight: 20) { _ in 3 }
        #expect(s.tableState(2, dashboard).selected == 1)
        _ = s.handle(.character("s"), dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.tableState(2, dashboard).sortColumn == 0)
        _ = s.handle(.character("s"), dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.tableState(2, dashboard).sortColumn == 1)
        _ = s.handle(.character("S"), dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.tableState(2, dashboard).sortDescending == false)
        s.focus = 0
        #expect(
            s.handle(.character("j"), dashboard: dashboard, layout: layout, viewHeight: 20) == .none,
            "j means nothing on a stat")
    }

    @Test func pagingScrolls() {
        var s = ViewState()
        _ = s.handle(.pageDown, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.scroll == 15, "content is 35 rows, the view 20: at most 15")
        _ = s.handle(.pageUp, dashboard: dashboard, layout: layout, viewHeight: 20)
        #expect(s.scroll == 0)
    }

    @Test func emptyDashboardIgnoresFocusKeys() {
        var s = ViewState()
        let empty = Dashboard(title: "e", name: "e", panels: [])
        let l = DashboardLayout(panels: [], width: 120, height: 20)
        #expect(s.handle(.tab, dashboard: empty, layout: l, viewHeight: 20) == .none)
        #expect(s.handle(.enter, dashboard: empty, layout: l, viewHeight: 20) == .none)
        #expect(s.handle(.left, dashboard: empty, layout: l, viewHeight: 20) == .none)
    }
}
