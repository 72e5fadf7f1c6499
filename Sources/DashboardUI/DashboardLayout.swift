import Dashboards
import TerminalUI

/// Where each panel goes on the terminal: Grafana's 24-column grid scaled to the width,
/// stretched to fill the height when the dashboard is shorter than the screen, stacked
/// one panel per line when the terminal is narrower than `stackBelowWidth`.
public struct DashboardLayout: Equatable {
    public struct Placement: Equatable {
        public var panel: Int
        /// In content coordinates (row 0 is the top of the dashboard, before scrolling).
        public var rect: Rect
    }

    public var placements: [Placement]
    public var contentHeight: Int
    public var stacked: Bool

    public static let stackBelowWidth = 100
    /// Stretch at most this much; a very tall terminal gets room to spare, not giant panels.
    static let maxStretch = 2.0

    /// `panels` as the dashboard holds them; rows folded as `isCollapsed(index)` says (default: each
    /// row's `collapsed`). A folded row's panels get no placement; `Placement.panel` is always an index
    /// into `panels` (see `Dashboard.visiblePanels`).
    public init(panels: [Panel], width: Int, height: Int, isCollapsed: ((Int) -> Bool)? = nil) {
        let visible = Dashboard.visiblePanels(panels, isCollapsed: isCollapsed ?? { panels[$0].collapsed })
        (placements, contentHeight, stacked) = DashboardLayout.place(visible.map(\.panel), width: width, height: height)
        for i in placements.indices { placements[i].panel = visible[placements[i].panel].index }
    }

    /// The layout of what the person sees: rows folded as they chose.
    public init(dashboard: Dashboard, state: ViewState, width: Int, height: Int) {
        self.init(
            panels: dashboard.panels, width: width, height: height,
            isCollapsed: { state.isRowCollapsed($0, in: dashboard) })
    }

    /// Placements of `panels` (indices into it), the content's height, and whether they stack.
    private static func place(_ panels: [Panel], width: Int, height: Int) -> ([Placement], Int, Bool) {
        let stacked = width < DashboardLayout.stackBelowWidth
        guard width > 0, !panels.isEmpty else {
            return ([], 0, stacked)
        }
        if stacked {
            // Narrow: a grid row stays side by side when every panel in it keeps its kind's
            // minimum width (a row of stats does). Otherwise its panels stack, full width, except
            // that neighbouring small panels (stats, gauges) still share a line between them.
            var y = 0
            var out: [Placement] = []
            /// Places `line` side by side across the width (each in proportion to its grid width)
            /// when every one keeps its minimum width; returns false, placing nothing, when not.
            func sideBySide(_ line: [Int]) -> Bool {
                let total = line.reduce(0) { $0 + max(1, panels[$1].gridPos.w) }
                var edges = [0]
                var sum = 0
                for i in line {
                    sum += max(1, panels[i].gridPos.w)
                    edges.append(Int((Double(sum) * Double(width) / Double(total)).rounded()))
                }
                guard
                    line.indices.allSatisfy({
                        edges[$0 + 1] - edges[$0] >= DashboardLayout.minimumWidth(panels[line[$0]].kind)
                    })
                else { return false }
                let h = line.map { DashboardLayout.stackedHeight(panels[$0]) }.max() ?? 5
                for (n, i) in line.enumerated() {
                    out.append(
                        Placement(panel: i, rect: Rect(x: edges[n], y: y, width: edges[n + 1] - edges[n], height: h)))
                }
                y += h
                return true
            }
            func oneEach(_ line: [Int]) {
                for i in line {
                    let h = DashboardLayout.stackedHeight(panels[i])
                    out.append(Placement(panel: i, rect: Rect(x: 0, y: y, width: width, height: h)))
                    y += h
                }
            }
            let rows = Dictionary(grouping: panels.indices, by: { panels[$0].gridPos.y })
            for rowY in rows.keys.sorted() {
                let band = rows[rowY]!.sorted { panels[$0].gridPos.x < panels[$1].gridPos.x }
                let fits = band.allSatisfy {
                    Int(Double(panels[$0].gridPos.w * width) / 24) >= DashboardLayout.minimumWidth(panels[$0].kind)
                }
                if fits {
                    let h = band.map { DashboardLayout.stackedHeight(panels[$0]) }.max() ?? 5
                    func col(_ g: Int) -> Int { Int((Double(g) * Double(width) / 24).rounded()) }
                    for i in band {
                        let g = panels[i].gridPos
                        out.append(
                            Placement(
                                panel: i,
                                rect: Rect(x: col(g.x), y: y, width: col(min(24, g.x + g.w)) - col(g.x), height: h)))
                    }
                    y += h
                    continue
                }
                var run: [Int] = []
                func flush() {
                    if run.count < 2 || !sideBySide(run) { oneEach(run) }
                    run = []
                }
                for i in band {
                    if DashboardLayout.isSmall(panels[i].kind) {
                        run.append(i)
                    } else {
                        flush()
                        oneEach([i])
                    }
                }
                flush()
            }
            return (out, y, stacked)
        }
        let gridHeight = panels.map { $0.gridPos.y + $0.gridPos.h }.max() ?? 0
        let scale = gridHeight > 0 ? min(DashboardLayout.maxStretch, max(1.0, Double(height) / Double(gridHeight))) : 1
        func col(_ g: Int) -> Int { Int((Double(g) * Double(width) / 24).rounded()) }
        func row(_ g: Int) -> Int { Int((Double(g) * scale).rounded(.down)) }
        let placements = panels.enumerated().map { i, p in
            let g = p.gridPos
            let x0 = col(g.x)
            let x1 = col(min(24, g.x + g.w))
            let y0 = row(g.y)
            let y1 =
                g.y + g.h == gridHeight
                ? max(row(gridHeight), min(height, Int(Double(gridHeight) * scale))) : row(g.y + g.h)
            return Placement(panel: i, rect: Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
        }
        return (placements, placements.map(\.rect.maxY).max() ?? 0, stacked)
    }

    /// The narrowest a panel of this kind is still readable.
    static func minimumWidth(_ kind: Panel.Kind) -> Int {
        switch kind {
        case .stat, .gauge, .bargauge: return 12
        case .text, .row, .unsupported, .piechart, .barchart: return 20
        case .heatmap: return 40
        case .events: return 40
        case .timeseries: return 50
        case .table: return 60
        }
    }

    /// Kinds that read well in a sixth of an 80-column screen, so they share a line when stacked.
    static func isSmall(_ kind: Panel.Kind) -> Bool { [.stat, .gauge, .bargauge].contains(kind) }

    /// A stacked panel's height: its grid height, at least 5 rows (6 for a table: a header and three rows).
    static func stackedHeight(_ panel: Panel) -> Int {
        panel.kind == .row ? 1 : max(panel.kind == .table ? 6 : 5, panel.gridPos.h)
    }

    public func rect(of panel: Int) -> Rect? { placements.first { $0.panel == panel }?.rect }
}
