/// Grafana rows: a row panel folds the panels after it, up to the next row.
///
/// Indexing: after `withRowsFlattened()` every panel, folded or not, has one index in `panels` for the
/// life of the dashboard, so `data[i]` always belongs to `panels[i]`. Folding never moves panels in
/// `panels`; it only changes which of them `visiblePanels` returns and where they are placed.
extension Dashboard {
    /// The dashboard with each collapsed row's `children` moved into `panels` right after the row
    /// (the row stays `collapsed`, now with no children). Call once after loading, before evaluating.
    public func withRowsFlattened() -> Dashboard {
        var out = self
        out.panels = panels.flatMap { p -> [Panel] in
            guard p.kind == .row, !p.children.isEmpty else { return [p] }
            var row = p
            row.children = []
            return [row] + p.children
        }
        return out
    }

    /// The indices of the panels row `row` holds: those after it up to the next row (empty for a non-row).
    public func members(ofRow row: Int) -> Range<Int> {
        guard panels.indices.contains(row), panels[row].kind == .row else { return row..<row }
        let end = panels[(row + 1)...].firstIndex { $0.kind == .row } ?? panels.endIndex
        return (row + 1)..<end
    }

    /// How many panels row `row` holds, counting children not yet flattened.
    public func memberCount(ofRow row: Int) -> Int {
        guard panels.indices.contains(row) else { return 0 }
        return members(ofRow: row).count + panels[row].children.count
    }

    /// One panel as shown: its index in `panels`, and the panel with its grid position repacked.
    public struct VisiblePanel: Sendable, Hashable {
        public var index: Int
        public var panel: Panel
    }

    /// The panels to draw when each row is folded as `isCollapsed(rowIndex)` says (default: its
    /// `collapsed` flag). Rows become full-width bars one grid row high; the panels of an expanded row
    /// follow its bar, keeping their places relative to each other; a folded row's panels are left out
    /// and everything below moves up. Panels before the first row keep their positions, so a dashboard
    /// without rows comes back unchanged.
    public func visiblePanels(isCollapsed: ((Int) -> Bool)? = nil) -> [VisiblePanel] {
        Dashboard.visiblePanels(panels, isCollapsed: isCollapsed ?? { panels[$0].collapsed })
    }

    public static func visiblePanels(_ panels: [Panel], isCollapsed: (Int) -> Bool) -> [VisiblePanel] {
        guard panels.contains(where: { $0.kind == .row }) else {
            return panels.enumerated().map { VisiblePanel(index: $0.offset, panel: $0.element) }
        }
        var out: [VisiblePanel] = []
        var y = 0
        var i = 0
        // A run of panels up to the next row, moved so that its top sits at `y`.
        func place(_ range: Range<Int>, keepPositions: Bool) {
            guard !range.isEmpty else { return }
            let top = keepPositions ? 0 : range.map { panels[$0].gridPos.y }.min()!
            var bottom = y
            for j in range {
                var p = panels[j]
                p.gridPos.y = y + p.gridPos.y - top
                bottom = max(bottom, p.gridPos.y + p.gridPos.h)
                out.append(VisiblePanel(index: j, panel: p))
            }
            y = bottom
        }
        let firstRow = panels.firstIndex { $0.kind == .row }!
        place(0..<firstRow, keepPositions: true)
        i = firstRow
        while i < panels.count {
            var row = panels[i]
            row.gridPos = GridPos(x: 0, y: y, w: 24, h: 1)
            out.append(VisiblePanel(index: i, panel: row))
            y += 1
            let end = panels[(i + 1)...].firstIndex { $0.kind == .row } ?? panels.endIndex
            if !isCollapsed(i) { place((i + 1)..<end, keepPositions: false) }
            i = end
        }
        return out
    }
}
