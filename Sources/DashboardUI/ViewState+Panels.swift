import Dashboards
import TerminalUI

/// Keys that belong to one kind of panel: the chart cursor, folding rows, searching a table,
/// moving through events. `handle` asks `handlePanelKey` first.
extension ViewState {
    public struct PanelState: Equatable {
        /// Chart cursor: plot columns left of the newest (0 = the right edge); nil when off.
        public var cursor: Int?
        /// Rows folded or unfolded against their dashboard's `collapsed` flag.
        public var toggledRows: Set<Int> = []
        /// Table searches by panel index.
        public var searches: [Int: TableSearch] = [:]
        /// `/` where no table is focused: a panel search by title (ViewState+Find.swift).
        public var panelFind: TableSearch?
        /// Series hidden in a chart with `1`–`9`, by panel index, by series name (the legend's order changes).
        public var hiddenSeries: [Int: Set<String>] = [:]
        /// Charts whose y-axis fits their data (`y`) instead of starting at zero.
        public var fittedAxes: Set<Int> = []
        public init() {}
    }

    /// A table's search: `/` starts it, typed text filters the rows, Enter keeps it, Esc drops it.
    public struct TableSearch: Equatable {
        public var text: String
        /// True while the text is being typed (every key goes to it).
        public var typing: Bool
        public init(text: String = "", typing: Bool = true) {
            self.text = text
            self.typing = typing
        }
    }

    public static let panelKeyHelp: [(key: String, action: String)] = [
        ("← / → (full screen chart)", "move the cursor; the legend shows the values there"),
        ("Enter / Space on a row", "fold or unfold the row"),
        ("/ (table)", "filter rows: a substring, or a regex; Enter keeps, Esc clears"),
        ("/ (elsewhere)", "find a panel by title: Enter keeps, n / N next / previous, Esc clears"),
        ("n / N (table)", "next / previous matching row"),
        ("j / k (events)", "move through the events"),
    ]

    /// Chart cursor in the focused full-screen chart: plot columns left of the newest; nil when off.
    public var cursor: Int? {
        get { panelState.cursor }
        set { panelState.cursor = newValue.map { max(0, $0) } }
    }

    /// Whether row `index` is folded now.
    public func isRowCollapsed(_ index: Int, in dashboard: Dashboard) -> Bool {
        guard dashboard.panels.indices.contains(index) else { return false }
        return dashboard.panels[index].collapsed != panelState.toggledRows.contains(index)
    }

    /// Folds an unfolded row, unfolds a folded one. Recompute the layout afterwards.
    public mutating func toggleRow(_ index: Int) {
        if panelState.toggledRows.remove(index) == nil { panelState.toggledRows.insert(index) }
    }

    /// The search of table `panel`, if one is typed or kept.
    public func search(_ panel: Int) -> TableSearch? { panelState.searches[panel] }

    /// Rows a selection moves over in `panel` now: the table's rows that match its search, or the events.
    /// Pass this as `handle`'s `rows`.
    public func rowCount(of panel: Int, data: PanelData?) -> Int {
        guard let data else { return 0 }
        guard let table = data.table else { return data.events.count }
        guard let text = panelState.searches[panel]?.text, !text.isEmpty else { return table.rows.count }
        let filter = TextFilter(text)
        return table.rows.count { $0.matches(filter) }
    }

    /// Handles a key that belongs to the focused panel's kind; nil when it is not one (the caller goes on).
    public mutating func handlePanelKey(
        _ key: Key, dashboard: Dashboard, layout: DashboardLayout, viewHeight: Int,
        rows: (Int) -> Int, series: (Int) -> [String] = { _ in [] }
    ) -> Action? {
        let count = dashboard.panels.count
        guard count > 0 else { return nil }
        let f = min(focus, count - 1)
        let kind = dashboard.panels[f].kind
        if let action = handleFindKey(key, dashboard: dashboard, layout: layout, viewHeight: viewHeight) {
            return action
        }
        if var search = panelState.searches[f], search.typing {
            switch key {
            case .character(let c): search.text.append(c)
            case .backspace:
                guard !search.text.isEmpty else {
                    panelState.searches[f] = nil
                    return .redraw
                }
                search.text.removeLast()
            case .enter: search.typing = false
            case .escape:
                panelState.searches[f] = nil
                return .redraw
            default: return ViewState.Action.none
            }
            panelState.searches[f] = search.typing || !search.text.isEmpty ? search : nil
            setSelection(0, panel: f, dashboard: dashboard)
            return .redraw
        }
        if kind == .timeseries, let action = handleSeriesKey(key, panel: f, names: { series(f) }) { return action }
        switch key {
        case .character("/") where kind == .table:
            panelState.searches[f] = TableSearch()
            panelFind = nil
            return .redraw
        case .character("/"):
            panelFind = TableSearch()
            return .redraw
        case .character("n") where kind == .table && panelState.searches[f] != nil,
            .character("N") where kind == .table && panelState.searches[f] != nil:
            let n = rows(f)
            guard n > 0 else { return .redraw }
            let delta = key == .character("n") ? 1 : -1
            setSelection((tableState(f, dashboard).selected + delta + n) % n, panel: f, dashboard: dashboard)
            return .redraw
        case .escape where cursor != nil:
            cursor = nil
            return .redraw
        case .escape where panelState.searches[f] != nil:
            panelState.searches[f] = nil
            return .redraw
        case .left where fullscreen && kind == .timeseries, .right where fullscreen && kind == .timeseries:
            // The plot is narrower than the screen by the border and the value labels; stop at about its left edge.
            let columns = max(1, (layout.placements.map(\.rect.maxX).max() ?? 80) - 4)
            let moved = (cursor.map { $0 + (key == .left ? 1 : -1) }) ?? 0
            cursor = min(columns - 1, max(0, moved))
            return .redraw
        case .enter where kind == .row, .character(" ") where kind == .row:
            toggleRow(f)
            return .redraw
        case .up where fullscreen && kind == .events, .character("k") where kind == .events:
            setSelection(tableState(f, dashboard).selected - 1, panel: f, dashboard: dashboard, rows: rows(f))
            return .redraw
        case .down where fullscreen && kind == .events, .character("j") where kind == .events:
            setSelection(tableState(f, dashboard).selected + 1, panel: f, dashboard: dashboard, rows: rows(f))
            return .redraw
        case .tab, .backTab:
            // In the order panels appear on screen, skipping the panels of folded rows.
            let order = layout.placements.map(\.panel)
            guard !order.isEmpty else { return nil }
            let at = order.firstIndex(of: focus) ?? (order.firstIndex { $0 > focus } ?? 0) - (key == .tab ? 1 : 0)
            focus = order[((at + (key == .tab ? 1 : -1)) % order.count + order.count) % order.count]
            keepFocusVisible(layout: layout, viewHeight: viewHeight)
            return .redraw
        default:
            return nil
        }
    }

    private mutating func setSelection(_ row: Int, panel: Int, dashboard: Dashboard, rows: Int? = nil) {
        var t = tableState(panel, dashboard)
        t.selected = max(0, rows.map { min(max(0, $0 - 1), row) } ?? row)
        tables[panel] = t
    }
}
