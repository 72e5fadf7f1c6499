import Dashboards
import TerminalUI

/// The mouse, as btop and grafatui have it: a click focuses the panel under it (and selects the table row
/// clicked), the wheel scrolls a table or the dashboard or zooms a chart's time range, a double click does
/// what Enter does there (full screen, or the row's dashboard).
extension ViewState {
    /// Rows (or time-range steps) one notch of the wheel moves.
    public static let wheelRows = 3

    /// Applies a mouse event at screen cell `event.x`, `event.y` (row 0 is the header). `layout` is the layout
    /// as drawn (rows folded as chosen), `width` the screen's; `rows` as for `handle`.
    public mutating func handleMouse(
        _ event: MouseEvent, dashboard: Dashboard, layout: DashboardLayout, width: Int, viewHeight: Int,
        rows: (Int) -> Int = { _ in 0 }
    ) -> Action {
        if showHelp {
            // The wheel scrolls the help as j / k do; a click leaves it open.
            guard event.action == .wheelUp || event.action == .wheelDown else { return .none }
            var action = Action.none
            for _ in 0..<ViewState.wheelRows {
                action = handle(
                    event.action == .wheelUp ? .up : .down, dashboard: dashboard, layout: layout,
                    viewHeight: viewHeight)
            }
            return action
        }
        guard !showErrors, picker == nil else { return .none }
        let y = event.y - 1
        guard y >= 0, y < viewHeight, event.x >= 0, event.x < width else { return .none }
        guard let (panel, rect, at) = panel(atX: event.x, y: y, layout: layout, width: width, viewHeight: viewHeight),
            dashboard.panels.indices.contains(panel)
        else {
            return event.action == .press || event.action == .doubleClick ? .none : scrollBy(event, layout, viewHeight)
        }
        let kind = dashboard.panels[panel].kind
        switch event.action {
        case .press, .doubleClick:
            let wasFocused = focus == panel
            focus = panel
            if kind == .row {
                // The first press folded or unfolded the row; the second of a double click leaves it so.
                if event.action == .press { toggleRow(panel) }
                return .redraw
            }
            if kind == .table,
                let row = tableRow(at: at, in: rect, panel: panel, focused: wasFocused, rows: rows(panel))
            {
                var t = tableState(panel, dashboard)
                t.selected = row
                tables[panel] = t
            }
            guard event.action == .doubleClick else { return .redraw }
            // As Enter: full screen (and back), or the row's dashboard.
            let enter = handle(.enter, dashboard: dashboard, layout: layout, viewHeight: viewHeight, rows: rows)
            return enter == .none ? .redraw : enter
        case .wheelUp, .wheelDown:
            let up = event.action == .wheelUp
            switch kind {
            case .table, .events:
                focus = panel
                var t = tableState(panel, dashboard)
                let n = rows(panel)
                t.selected = max(0, min(max(0, n - 1), t.selected + (up ? -1 : 1) * ViewState.wheelRows))
                tables[panel] = t
                return .redraw
            case .timeseries:
                // Up zooms in, as a map does; down zooms out.
                timeRange = ViewState.zoomed(range(dashboard), out: !up)
                return .timeChanged
            default:
                return scrollBy(event, layout, viewHeight)
            }
        }
    }

    /// The panel under body cell `x`, `y`: its index, its rectangle and the point, both in content coordinates
    /// (full screen: the body's).
    func panel(atX x: Int, y: Int, layout: DashboardLayout, width: Int, viewHeight: Int)
        -> (panel: Int, rect: Rect, point: (x: Int, y: Int))?
    {
        if fullscreen { return (focus, Rect(x: 0, y: 0, width: width, height: viewHeight), (x, y)) }
        // The dashboard is scrolled as DashboardView draws it: never past its end.
        let shownScroll = max(0, min(scroll, max(layout.contentHeight, viewHeight) - viewHeight))
        let point = (x: x, y: y + shownScroll)
        guard let p = layout.placements.first(where: { $0.rect.contains(x: point.x, y: point.y) }) else { return nil }
        return (p.panel, p.rect, point)
    }

    /// The table row (an index among the rows shown, in their order) at `point` in a table panel drawn in `rect`,
    /// scrolled as PanelView scrolls it; nil on the border, the header or below the last row.
    func tableRow(at point: (x: Int, y: Int), in rect: Rect, panel: Int, focused: Bool, rows: Int) -> Int? {
        // Inside the frame: the header's row, then the rows; a search line takes the bottom row.
        let inner = rect.inset(by: 1)
        let visible = max(1, inner.height - (search(panel) != nil ? 1 : 0) - 1)
        let line = point.y - inner.y - 1
        guard line >= 0, line < visible, point.x >= inner.x, point.x < inner.maxX else { return nil }
        let selected = focused ? min(tables[panel]?.selected ?? 0, max(0, rows - 1)) : nil
        let offset = Table.scrollOffset(showing: selected, from: 0, visibleRows: visible, rowCount: rows)
        let row = offset + line
        return row < rows ? row : nil
    }

    /// The wheel outside tables and charts scrolls the dashboard (not in full screen).
    private mutating func scrollBy(_ event: MouseEvent, _ layout: DashboardLayout, _ viewHeight: Int) -> Action {
        guard !fullscreen else { return .none }
        let last = max(0, layout.contentHeight - viewHeight)
        let before = max(0, min(scroll, last))
        scroll = max(0, min(last, before + (event.action == .wheelUp ? -1 : 1) * ViewState.wheelRows))
        return scroll == before ? .none : .redraw
    }
}
