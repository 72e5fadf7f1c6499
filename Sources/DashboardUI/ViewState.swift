import Dashboards
import TerminalUI

/// What the person at the keyboard has chosen: focus, full screen, help, scroll, table rows.
/// Key handling is a pure function of this state, so it is tested without a terminal.
public struct ViewState: Equatable {
    public var focus = 0
    public var fullscreen = false
    public var showHelp = false
    public var scroll = 0
    public var tables: [Int: TableState] = [:]
    /// Chart cursor, folded rows, table searches (ViewState+Panels.swift).
    public var panelState = PanelState()

    public struct TableState: Equatable {
        public var selected = 0
        public var sortColumn: Int?
        public var sortDescending = true
    }

    public enum Action: Equatable { case none, redraw, quit, refresh, edit }

    public init() {}

    public static let keyHelp: [(key: String, action: String)] = [
        ("q", "quit"),
        ("?", "show or hide this help"),
        ("Tab / Shift-Tab", "focus the next / previous panel"),
        ("← ↑ → ↓", "move focus between panels (rows, in a full-screen table)"),
        ("Enter / f", "full screen for the focused panel, and back"),
        ("j / k", "select the next / previous table row"),
        ("s / S", "sort a table by the next column / reverse the order"),
        ("PgUp / PgDn", "scroll the dashboard"),
        ("e", "edit the focused panel's query (Enter applies, Esc cancels, Tab completes)"),
        ("r", "refresh now"),
        ("Esc", "close help or full screen"),
    ]

    public func tableState(_ panel: Int, _ dashboard: Dashboard) -> TableState {
        if let s = tables[panel] { return s }
        let p = dashboard.panels[panel]
        return TableState(selected: 0, sortColumn: p.sortColumn, sortDescending: p.sortDescending)
    }

    /// Applies a key. `layout` is the current layout (for spatial focus moves and scrolling);
    /// `rows(panel)` tells how many rows a table panel has now.
    public mutating func handle(_ key: Key, dashboard: Dashboard, layout: DashboardLayout, viewHeight: Int,
                                rows: (Int) -> Int = { _ in 0 }) -> Action {
        let count = dashboard.panels.count
        if showHelp {
            switch key {
            case .character("q"): return .quit
            case .character("?"), .escape, .enter: showHelp = false; return .redraw
            default: return .none
            }
        }
        if let action = handlePanelKey(key, dashboard: dashboard, layout: layout, viewHeight: viewHeight, rows: rows) { return action }
        let focusedIsTable = count > 0 && dashboard.panels[min(focus, count - 1)].kind == .table
        switch key {
        case .character("q"): return .quit
        case .character("?"): showHelp = true; return .redraw
        case .character("r"): return .refresh
        case .character("e"): return count > 0 ? .edit : .none
        case .escape:
            guard fullscreen else { return .none }
            fullscreen = false
            return .redraw
        case .enter, .character("f"):
            guard count > 0 else { return .none }
            fullscreen.toggle()
            return .redraw
        case .tab:
            guard count > 0 else { return .none }
            focus = (focus + 1) % count
        case .backTab:
            guard count > 0 else { return .none }
            focus = (focus - 1 + count) % count
        case .up where fullscreen && focusedIsTable, .character("k") where focusedIsTable:
            moveSelection(-1, dashboard: dashboard, rows: rows(focus)); return .redraw
        case .down where fullscreen && focusedIsTable, .character("j") where focusedIsTable:
            moveSelection(1, dashboard: dashboard, rows: rows(focus)); return .redraw
        case .left, .right, .up, .down:
            guard !fullscreen, count > 0 else { return .none }
            focus = ViewState.neighbour(of: focus, toward: key, layout: layout) ?? focus
        case .character("s") where focusedIsTable:
            var t = tableState(focus, dashboard)
            let columns = dashboard.panels[focus].columns.count
            t.sortColumn = ((t.sortColumn ?? -1) + 1) % max(1, columns)
            tables[focus] = t
            return .redraw
        case .character("S") where focusedIsTable:
            var t = tableState(focus, dashboard)
            t.sortDescending.toggle()
            tables[focus] = t
            return .redraw
        case .pageDown:
            scroll = min(max(0, layout.contentHeight - viewHeight), scroll + max(1, viewHeight - 2))
            return .redraw
        case .pageUp:
            scroll = max(0, scroll - max(1, viewHeight - 2))
            return .redraw
        default:
            return .none
        }
        keepFocusVisible(layout: layout, viewHeight: viewHeight)
        return .redraw
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
