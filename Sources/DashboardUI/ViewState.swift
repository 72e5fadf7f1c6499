import Dashboards
import KubeglassCore
import TerminalUI

/// What the person at the keyboard has chosen: focus, full screen, help, scroll, table rows.
/// Key handling is a pure function of this state, so it is tested without a terminal.
public struct ViewState: Equatable {
    public var focus = 0
    public var fullscreen = false
    public var showHelp = false
    /// The last errors in full, in a box (`!`): the status bar has room for only the start of one.
    public var showErrors = false
    /// How far the help is scrolled (j/k, PgUp/PgDn) when it does not fit.
    public var helpScroll = 0
    public var scroll = 0
    public var tables: [Int: TableState] = [:]
    /// The time range chosen with `t`, `-` and `+` (nil: the dashboard's).
    public var timeRange: Int64?
    /// How far back the window's end is panned with `[` and `]` (0: live, ending now).
    public var timeShift: Int64 = 0
    /// The refresh interval chosen with `R` (nil: the one kubeglass started with).
    public var refresh: Int64?
    /// A list being chosen from (time range, refresh, variables, dashboards).
    public var picker: Picker?

    /// Chart cursor, folded rows, table searches (ViewState+Panels.swift).
    public var panelState = PanelState()

    public struct TableState: Equatable {
        public var selected = 0
        /// The selected row's key (`["node-03"]`): the selection follows it across refreshes and re-sorts, as in
        /// k9s (AppState+Selection.swift); nil until a table is first moved in, sorted or searched.
        public var selectedKey: [String]?
        public var sortColumn: Int?
        public var sortDescending = true

        /// The sort as the evaluator takes it.
        public var order: TableOrder? { sortColumn.map { TableOrder(column: $0, descending: sortDescending) } }
    }

    public enum Action: Equatable {
        case none, redraw, quit, refresh, edit
        /// `:` — a query of one's own, in a scratch panel.
        case adHocQuery
        /// `w` — write the dashboard (with its edited queries) to its file.
        case write
        /// The time window changed: evaluate again (and load history for it).
        case timeChanged
        /// The refresh interval changed.
        case refreshChanged
        /// Open the picker for variables, dashboards or themes (the app knows their items).
        case openPicker(Picker.Purpose)
        /// Enter on a table row that leads to another dashboard.
        case drill(panel: Int)
        /// Back to the dashboard before the last drill-down.
        case back
        /// A line for the status bar (until the next key): why a key did nothing.
        case notice(String)
    }

    public init() {}

    /// The help overlay's rows: the key table's (KeyTable.swift).
    public static var keyHelp: [(key: String, action: String)] { KeyBinding.help }

    public func tableState(_ panel: Int, _ dashboard: Dashboard) -> TableState {
        if let s = tables[panel] { return s }
        let p = dashboard.panels[panel]
        return TableState(selected: 0, sortColumn: p.sortColumn, sortDescending: p.sortDescending)
    }

    /// Applies a key. `layout` is the current layout (for spatial focus moves and scrolling);
    /// `rows(panel)` tells how many rows a table panel has now; `series(panel)` the names a chart's legend lists
    /// now, in its order (`legendNames`), for `1`–`9`.
    public mutating func handle(
        _ key: Key, dashboard: Dashboard, layout: DashboardLayout, viewHeight: Int,
        rows: (Int) -> Int = { _ in 0 }, series: (Int) -> [String] = { _ in [] }
    ) -> Action {
        if showHelp {
            switch key {
            case .character("q"): return .quit
            case .character("?"), .escape, .enter:
                showHelp = false
                helpScroll = 0
                return .redraw
            case .character("j"), .down: helpScroll += 1
            case .character("k"), .up: helpScroll -= 1
            case .pageDown, .character(" "): helpScroll += max(1, viewHeight - 4)
            case .pageUp: helpScroll -= max(1, viewHeight - 4)
            default: return .none
            }
            // The help fills the panels' area: as wide as the layout, as high as the view.
            let width = layout.placements.map(\.rect.maxX).max() ?? 80
            let help = HelpOverlay(bindings: ViewState.keyHelp).layout(
                in: Rect(x: 0, y: 0, width: width, height: viewHeight))
            helpScroll = min(max(0, helpScroll), help.maxScroll)
            return .redraw
        }
        if showErrors {
            switch key {
            case .character("q"): return .quit
            case .character("!"), .escape, .enter:
                showErrors = false
                return .redraw
            default: return .none
            }
        }
        if let action = handlePanelKey(
            key, dashboard: dashboard, layout: layout, viewHeight: viewHeight, rows: rows, series: series)
        {
            return action
        }
        for command in KeyBinding.commands(for: key) {
            if let action = perform(
                command, key: key, dashboard: dashboard, layout: layout, viewHeight: viewHeight, rows: rows)
            {
                return action
            }
        }
        return .none
    }

    /// A command from the key table, or nil when it does not apply where focus is (the key's next command is tried).
    private mutating func perform(
        _ command: KeyBinding.Command, key: Key, dashboard: Dashboard, layout: DashboardLayout,
        viewHeight: Int, rows: (Int) -> Int
    ) -> Action? {
        let count = dashboard.panels.count
        let focusedIsTable = count > 0 && dashboard.panels[min(focus, count - 1)].kind == .table
        switch command {
        case .quit: return .quit
        case .toggleHelp:
            showHelp = true
            return .redraw
        case .showErrors:
            showErrors = true
            return .redraw
        case .refreshNow: return .refresh
        case .pickTimeRange:
            let current = range(dashboard)
            picker = Picker(
                purpose: .timeRange, title: "Time range", items: Picker.timeRanges.map(\.label),
                checked: Set(Picker.timeRanges.filter { $0.ms == current }.map(\.label)),
                selected: Picker.timeRanges.firstIndex { $0.ms == current } ?? 3)
            return .redraw
        case .pickRefresh:
            picker = Picker.refresh(current: refresh)
            return .redraw
        case .pickVariables:
            guard dashboard.variables.contains(where: { !$0.hidden }) else {
                return .notice("\(dashboard.title) has no variables to pick (d opens another dashboard)")
            }
            return .openPicker(.variables)
        case .pickDashboard: return .openPicker(.dashboards)
        case .pickTheme: return .openPicker(.themes)
        case .zoomOut:
            timeRange = ViewState.zoomed(range(dashboard), out: true)
            return .timeChanged
        case .zoomIn:
            timeRange = ViewState.zoomed(range(dashboard), out: false)
            return .timeChanged
        case .panBack:
            timeShift += range(dashboard) / 2
            return .timeChanged
        case .panForward:
            guard timeShift > 0 else { return Action.none }
            timeShift = max(0, timeShift - range(dashboard) / 2)
            return .timeChanged
        case .live:
            guard timeShift != 0 else { return Action.none }
            timeShift = 0
            return .timeChanged
        case .back: return .back
        case .drill:
            guard count > 0, let link = dashboard.panels[min(focus, count - 1)].drilldown,
                focusedIsTable || !link.table.isEmpty
            else { return nil }
            return .drill(panel: focus)
        case .edit: return count > 0 ? .edit : Action.none
        case .adHocQuery: return .adHocQuery
        case .write: return .write
        case .close:
            guard fullscreen else { return Action.none }
            fullscreen = false
            return .redraw
        case .fullscreen:
            guard count > 0 else { return Action.none }
            fullscreen.toggle()
            return .redraw
        case .nextPanel, .previousPanel:
            guard count > 0 else { return Action.none }
            focus = command == .nextPanel ? (focus + 1) % count : (focus - 1 + count) % count
        case .nextRow, .previousRow:
            guard focusedIsTable else { return nil }
            moveSelection(command == .nextRow ? 1 : -1, dashboard: dashboard, rows: rows(focus))
            return .redraw
        case .arrow:
            if fullscreen && focusedIsTable && (key == .up || key == .down) {
                moveSelection(key == .down ? 1 : -1, dashboard: dashboard, rows: rows(focus))
                return .redraw
            }
            guard !fullscreen, count > 0 else { return Action.none }
            focus = ViewState.neighbour(of: focus, toward: key, layout: layout) ?? focus
        case .sortByNextColumn:
            guard focusedIsTable else { return nil }
            var t = tableState(focus, dashboard)
            let columns = dashboard.panels[focus].columns.count
            t.sortColumn = ((t.sortColumn ?? -1) + 1) % max(1, columns)
            tables[focus] = t
            return .redraw
        case .reverseSort:
            guard focusedIsTable else { return nil }
            var t = tableState(focus, dashboard)
            t.sortDescending.toggle()
            tables[focus] = t
            return .redraw
        case .scrollDown:
            scroll = min(max(0, layout.contentHeight - viewHeight), scroll + max(1, viewHeight - 2))
            return .redraw
        case .scrollUp:
            scroll = max(0, scroll - max(1, viewHeight - 2))
            return .redraw
        }
        keepFocusVisible(layout: layout, viewHeight: viewHeight)
        return .redraw
    }

    /// The window's length for `dashboard`: the chosen one, else the dashboard's.
    public func range(_ dashboard: Dashboard) -> Int64 { timeRange ?? dashboard.timeRange }

    /// The window's end for the clock's `now`.
    public func end(now: Timestamp) -> Timestamp { now - timeShift }

    /// Doubling or halving, kept between one minute and 30 days.
    static func zoomed(_ range: Int64, out: Bool) -> Int64 {
        min(30 * Milliseconds.day, max(Milliseconds.minute, out ? range * 2 : range / 2))
    }

    /// Applies the time range or refresh picker's choice; true when something changed.
    public mutating func choose(_ picked: String, for purpose: Picker.Purpose) -> Action {
        switch purpose {
        case .timeRange:
            if let r = Picker.timeRanges.first(where: { $0.label == picked })?.ms
                ?? Picker.typedRange(picked).milliseconds
            {
                timeRange = r
                return .timeChanged
            }
            return .redraw
        case .refresh:
            guard
                let r = Picker.refreshIntervals.first(where: { $0.label == picked })?.ms
                    ?? DurationText.milliseconds(picked)
            else { return .redraw }
            refresh = r
            return .refreshChanged
        default:
            return .redraw
        }
    }

    private mutating func moveSelection(_ delta: Int, dashboard: Dashboard, rows: Int) {
        var t = tableState(focus, dashboard)
        t.selected = max(0, min(max(0, rows - 1), t.selected + delta))
        tables[focus] = t
    }

    /// Scrolls just enough to show the focused panel.
    public mutating func keepFocusVisible(layout: DashboardLayout, viewHeight: Int) {
        guard let r = layout.rect(of: focus) else { return }
        if r.y < scroll { scroll = r.y }
        if r.maxY > scroll + viewHeight { scroll = max(0, min(r.y, r.maxY - viewHeight)) }
        scroll = max(0, min(scroll, max(0, layout.contentHeight - viewHeight)))
    }

    /// The nearest panel in the direction of an arrow key, by the panels' centres on screen.
    static func neighbour(of panel: Int, toward key: Key, layout: DashboardLayout) -> Int? {
        guard let from = layout.rect(of: panel) else { return nil }
        let (fx, fy) = (Double(from.x) + Double(from.width) / 2, Double(from.y) + Double(from.height) / 2)
        var best: (Int, Double)?
        for p in layout.placements where p.panel != panel {
            let r = p.rect
            let (cx, cy) = (Double(r.x) + Double(r.width) / 2, Double(r.y) + Double(r.height) / 2)
            let ahead: Bool
            switch key {
            case .left: ahead = r.maxX <= from.x
            case .right: ahead = r.x >= from.maxX
            case .up: ahead = r.maxY <= from.y
            case .down: ahead = r.y >= from.maxY
            default: ahead = false
            }
            guard ahead else { continue }
            let along = key == .left || key == .right ? abs(cx - fx) : abs(cy - fy)
            let across = key == .left || key == .right ? abs(cy - fy) : abs(cx - fx)
            // Prefer panels straight ahead: sideways distance weighs more.
            let d = along + 2 * across
            if best == nil || d < best!.1 { best = (p.panel, d) }
        }
        return best?.0
    }
}
