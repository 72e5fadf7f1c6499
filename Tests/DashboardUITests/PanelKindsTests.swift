import Collectors
import DashboardUI
import Foundation
import KubeglassCore
import Query
import TerminalUI
import Testing

@testable import Dashboards

/// Rows, events, bar gauges, unsupported panels, chart legends and cursor, table search: drawn through
/// `DashboardView` from hand-made data, and the keys that drive them.
struct PanelKindsTests {
    static let now: Timestamp = 1_700_000_000_000
    static let utc = TimeZone(identifier: "UTC")!

    static func panel(_ title: String, _ kind: Panel.Kind, _ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Panel {
        Panel(title: title, kind: kind, gridPos: GridPos(x: x, y: y, w: w, h: h), targets: [Target(expr: "up")])
    }

    /// An events panel with no filter: every event is listed.
    static func eventsPanel(_ x: Int, _ y: Int, _ w: Int, _ h: Int) -> Panel {
        Panel(title: "Warnings", kind: .events, gridPos: GridPos(x: x, y: y, w: w, h: h))
    }

    static func series(_ name: String, _ values: [Double?]) -> PanelSeries {
        PanelSeries(
            name: name, labels: Labels(name: "up", [:]),
            points: values.enumerated().map {
                Point(time: now - Int64(values.count - 1 - $0.offset) * 60_000, value: $0.element)
            })
    }

    static func render(
        _ dashboard: Dashboard, _ data: [Int: PanelData], state: ViewState = ViewState(), width: Int = 120,
        height: Int = 30
    ) -> Screen {
        let context = DashboardView.Context(
            dashboard: dashboard, data: data, state: state, theme: .default, sourceName: "test",
            simulated: false, health: SourceHealth(), refresh: 5000, now: now, timeZone: utc)
        var screen = Screen(width: width, height: height)
        DashboardView(context).render(in: screen.bounds, on: &screen)
        return screen
    }

    // MARK: rows

    /// A stat, an open row with a chart, a folded row whose stat is still in `children`.
    static let rows: Dashboard = Dashboard(
        title: "rows", name: "rows",
        panels: [
            panel("Top", .stat, 0, 0, 24, 4),
            Panel(title: "Nodes", kind: .row, gridPos: GridPos(x: 0, y: 4, w: 24, h: 1)),
            panel("Node CPU", .stat, 0, 5, 24, 4),
            Panel(
                title: "Pods", kind: .row, gridPos: GridPos(x: 0, y: 9, w: 24, h: 1), collapsed: true,
                children: [panel("Pod CPU", .stat, 0, 10, 12, 4), panel("Pod memory", .stat, 12, 10, 12, 4)]),
        ]
    ).withRowsFlattened()

    @Test func flatteningGivesEveryPanelOneIndex() {
        #expect(Self.rows.panels.map(\.title) == ["Top", "Nodes", "Node CPU", "Pods", "Pod CPU", "Pod memory"])
        #expect(Self.rows.panels[3].collapsed && Self.rows.panels[3].children.isEmpty)
        #expect(Self.rows.members(ofRow: 1) == 2..<3 && Self.rows.members(ofRow: 3) == 4..<6)
        #expect(Self.rows.withRowsFlattened() == Self.rows, "flattening twice changes nothing")
    }

    @Test func foldedRowsHideTheirPanelsAndEverythingBelowMovesUp() {
        let folded = DashboardLayout(panels: Self.rows.panels, width: 120, height: 0)
        #expect(folded.placements.map(\.panel) == [0, 1, 2, 3])
        #expect(folded.placements.map(\.rect.y) == [0, 4, 5, 9])
        var state = ViewState()
        state.toggleRow(1)
        state.toggleRow(3)
        let toggled = DashboardLayout(dashboard: Self.rows, state: state, width: 120, height: 0)
        #expect(toggled.placements.map(\.panel) == [0, 1, 3, 4, 5])
        #expect(toggled.placements.map(\.rect.y) == [0, 4, 5, 6, 6])
        #expect(toggled.placements[3].rect.width == 60)
        let narrow = DashboardLayout(dashboard: Self.rows, state: state, width: 80, height: 0)
        #expect(narrow.placements.first { $0.panel == 1 }?.rect.height == 1, "a row bar stays one line when stacked")
    }

    @Test func rowBarsDrawAndEnterFoldsThem() {
        var data: [Int: PanelData] = [:]
        for i in [0, 2, 4, 5] {
            var d = PanelData()
            d.series = [Self.series("v", [Double(i)])]
            data[i] = d
        }
        let s = Self.render(Self.rows, data, height: 14).trimmedLines
        #expect(s[5].hasPrefix("▾ Nodes ─"))
        #expect(s.contains { $0.hasPrefix("▸ Pods (2 panels) ─") })
        var state = ViewState()
        state.focus = 3
        let layout = DashboardLayout(dashboard: Self.rows, state: state, width: 120, height: 12)
        #expect(state.handle(.enter, dashboard: Self.rows, layout: layout, viewHeight: 12) == .redraw)
        #expect(!state.isRowCollapsed(3, in: Self.rows) && !state.fullscreen)
        let open = Self.render(Self.rows, data, state: state, height: 20).lines.joined(separator: "\n")
        #expect(open.contains("▾ Pods") && open.contains("Pod memory"))
        _ = state.handle(.character(" "), dashboard: Self.rows, layout: layout, viewHeight: 12)
        #expect(state.isRowCollapsed(3, in: Self.rows))
    }

    @Test func tabSkipsThePanelsOfFoldedRows() {
        var state = ViewState()
        state.focus = 3
        let layout = DashboardLayout(dashboard: Self.rows, state: state, width: 120, height: 30)
        _ = state.handle(.tab, dashboard: Self.rows, layout: layout, viewHeight: 30)
        #expect(state.focus == 0, "after the folded Pods row comes the top again")
        _ = state.handle(.backTab, dashboard: Self.rows, layout: layout, viewHeight: 30)
        #expect(state.focus == 3)
    }

    // MARK: events, bar gauge, unsupported, stat

    @Test func eventsBarGaugeUnsupportedAndStat() {
        let dashboard = Dashboard(
            title: "kinds", name: "kinds",
            panels: [
                Self.eventsPanel(0, 0, 24, 5),
                Self.panel("Usage", .bargauge, 0, 5, 12, 4),
                Panel(
                    title: "Plugin", kind: .unsupported, gridPos: GridPos(x: 12, y: 5, w: 6, h: 4),
                    text: "piechart is not supported"),
                Panel(
                    title: "Busy", kind: .stat, gridPos: GridPos(x: 18, y: 5, w: 6, h: 4), unit: .percent,
                    thresholds: [ThresholdStep(value: nil, color: "ok"), ThresholdStep(value: 90, color: "critical")]),
            ])
        let events = [
            ClusterEvent(
                time: Self.now - 60_000, namespace: "shop", objectKind: "Pod", objectName: "web-1",
                reason: "BackOff", message: "Back-off restarting failed container", count: 3)
        ]
        var gauge = PanelData()
        gauge.series = [Self.series("node-1", [50]), Self.series("node-2", [100])]
        var stat = PanelData()
        stat.series = [Self.series("v", [95])]
        let data: [Int: PanelData] = [
            0: PanelData.events(from: events, matching: dashboard.panels[0]), 1: gauge, 2: PanelData(), 3: stat,
        ]
        let s = Self.render(dashboard, data, height: 12)
        let text = s.trimmedLines
        #expect(text[2].hasPrefix("│AGE  TYPE    OBJECT"))
        #expect(text[3].hasPrefix("│60s  Warning pod/web-1 BackOff ×3 Back-off restarting failed container"))
        #expect(text.contains { $0.contains("node-2 ████") && $0.contains(" 100") })
        #expect(text.contains { $0.contains("piechart is not") })
        let plugin = s.lines.firstIndex { $0.contains("piechart is not") }!
        let column = s.lines[plugin].distance(
            from: s.lines[plugin].startIndex, to: s.lines[plugin].firstIndex(of: "p")!)
        #expect(s[column, plugin].style == Theme.default.dimText)
        let busy = s.lines.firstIndex { $0.contains("95%") }!
        let bx = s.lines[busy].distance(from: s.lines[busy].startIndex, to: s.lines[busy].range(of: "95%")!.lowerBound)
        #expect(s[bx, busy].style.foreground == Theme.default.critical, "the stat takes its threshold's colour")
    }

    @Test func eventsScrollWithJAndK() {
        let dashboard = Dashboard(title: "e", name: "e", panels: [Self.eventsPanel(0, 0, 24, 6)])
        let events = (0..<10).map {
            ClusterEvent(
                time: Self.now - Int64($0) * 1000, namespace: "ns", objectKind: "Pod", objectName: "p\($0)",
                reason: "BackOff", message: "m")
        }
        let data = PanelData.events(from: events, matching: dashboard.panels[0])
        var state = ViewState()
        let layout = DashboardLayout(panels: dashboard.panels, width: 120, height: 12)
        for _ in 0..<7 {
            _ = state.handle(.character("j"), dashboard: dashboard, layout: layout, viewHeight: 12) { [state] p in
                state.rowCount(of: p, data: data)
            }
        }
        #expect(state.tableState(0, dashboard).selected == 7)
        let s = Self.render(dashboard, [0: data], state: state, height: 12).trimmedLines
        #expect(
            s.contains { $0.contains("pod/p7") } && !s.contains { $0.contains("pod/p0 ") },
            "the list scrolled to the selection")
    }

    // MARK: charts

    @Test func chartFoldsManySeriesIntoOthersAndShowsThresholdLines() {
        var chart = Self.panel("Pods CPU", .timeseries, 0, 0, 24, 12)
        chart.legend = LegendOptions(values: [.last])
        chart.maxSeries = 3
        let dashboard = Dashboard(title: "c", name: "c", panels: [chart])
        var data = PanelData()
        data.series = (0..<20).map { Self.series("pod-\($0)", [Double($0), Double($0)]) }
        let text = Self.render(dashboard, [0: data], height: 24).lines.joined(separator: "\n")
        #expect(text.contains("others (17, avg)  last 8"), "the mean of pods 0…16 when not stacked")
        #expect(text.contains("pod-19") && !text.contains("pod-0 "))
        chart.stack = true
        let stacked = Self.render(Dashboard(title: "c", name: "c", panels: [chart]), [0: data], height: 24).lines
            .joined(separator: "\n")
        #expect(
            stacked.contains("others (17)  last 136"), "their sum when stacked, so the top of the stack is the total")
    }

    @Test func cursorKeysInAFullScreenChart() {
        let dashboard = Dashboard(
            title: "c", name: "c",
            panels: [Self.panel("CPU", .timeseries, 0, 0, 24, 10), Self.panel("T", .table, 0, 10, 24, 10)])
        let layout = DashboardLayout(panels: dashboard.panels, width: 120, height: 30)
        var state = ViewState()
        #expect(state.handle(.left, dashboard: dashboard, layout: layout, viewHeight: 30) == .redraw)
        #expect(state.cursor == nil, "not full screen: arrows move focus")
        state.fullscreen = true
        _ = state.handle(.left, dashboard: dashboard, layout: layout, viewHeight: 30)
        #expect(state.cursor == 0, "starts at the newest column")
        _ = state.handle(.left, dashboard: dashboard, layout: layout, viewHeight: 30)
        _ = state.handle(.left, dashboard: dashboard, layout: layout, viewHeight: 30)
        _ = state.handle(.right, dashboard: dashboard, layout: layout, viewHeight: 30)
        #expect(state.cursor == 1)
        var data = PanelData()
        data.series = [Self.series("cpu", (0..<60).map { Double($0) })]
        let text = Self.render(dashboard, [0: data], state: state, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("│"), "the cursor line")
        #expect(text.contains("22:13:") || text.contains("22:12:"), "the cursor's time on the axis")
        #expect(state.handle(.escape, dashboard: dashboard, layout: layout, viewHeight: 30) == .redraw)
        #expect(state.cursor == nil && state.fullscreen, "Esc clears the cursor first")
        _ = state.handle(.escape, dashboard: dashboard, layout: layout, viewHeight: 30)
        #expect(!state.fullscreen)
    }

    // MARK: table search

    @Test func slashFiltersTheTableAndNMovesThroughMatches() {
        var table = Panel(
            title: "Pods", kind: .table, gridPos: GridPos(x: 0, y: 0, w: 24, h: 10), rowKey: ["pod"],
            columns: [Column(title: "Pod", kind: .label, label: "pod"), Column(title: "CPU", kind: .value, expr: "up")])
        table.sortColumn = nil
        let dashboard = Dashboard(title: "t", name: "t", panels: [table])
        var data = PanelData()
        data.table = TableData(
            rows: ["web-1", "db-1", "web-2", "cache"].enumerated().map {
                TableData.Row(key: [$0.element], cells: [.text($0.element), .number(Double($0.offset))])
            })
        let layout = DashboardLayout(panels: dashboard.panels, width: 120, height: 20)
        var state = ViewState()
        func press(_ key: Key) {
            _ = state.handle(key, dashboard: dashboard, layout: layout, viewHeight: 20) { [state] p in
                state.rowCount(of: p, data: data)
            }
        }
        press(.character("/"))
        for c in "WEB" { press(.character(c)) }
        #expect(state.search(0) == ViewState.TableSearch(text: "WEB", typing: true))
        press(.character("q"))
        #expect(state.search(0)?.text == "WEBq", "while typing, q is text, not quit")
        press(.backspace)
        var s = Self.render(dashboard, [0: data], state: state, height: 14).trimmedLines
        #expect(s.contains { $0.contains("/WEB▏  (2 of 4)") })
        #expect(!s.contains { $0.contains("db-1") } && s.contains { $0.contains("web-2") })
        press(.enter)
        #expect(state.search(0)?.typing == false)
        press(.character("n"))
        #expect(state.tableState(0, dashboard).selected == 1)
        press(.character("n"))
        #expect(state.tableState(0, dashboard).selected == 0, "n wraps around")
        press(.character("N"))
        #expect(state.tableState(0, dashboard).selected == 1)
        s = Self.render(dashboard, [0: data], state: state, height: 14).trimmedLines
        #expect(s.contains { $0.contains("/WEB  (2 of 4)") })
        press(.escape)
        #expect(state.search(0) == nil)
        #expect(state.rowCount(of: 0, data: data) == 4)
    }

    @Test func tinyScreensNeverCrash() {
        var data: [Int: PanelData] = [:]
        for i in Self.rows.panels.indices {
            var d = PanelData()
            d.series = [Self.series("v", [1, nil, 2])]
            data[i] = d
        }
        var state = ViewState()
        state.toggleRow(3)
        for (w, h) in [(1, 1), (3, 2), (10, 3), (40, 12), (45, 13)] {
            _ = Self.render(Self.rows, data, state: state, width: w, height: h)
            state.fullscreen.toggle()
            state.cursor = 4
            _ = Self.render(Self.rows, data, state: state, width: w, height: h)
        }
    }
}
