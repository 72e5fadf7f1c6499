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

    public init(panels: [Panel], width: Int, height: Int) {
        stacked = width < DashboardLayout.stackBelowWidth
        guard width > 0, !panels.isEmpty else {
            placements = []
            contentHeight = 0
            return
        }
        if stacked {
            var y = 0
            let order = panels.indices.sorted { (panels[$0].gridPos.y, panels[$0].gridPos.x) < (panels[$1].gridPos.y, panels[$1].gridPos.x) }
            placements = order.map { i in
                let h = max(panels[i].kind == .table ? 10 : 5, panels[i].gridPos.h)
                defer { y += h }
                return Placement(panel: i, rect: Rect(x: 0, y: y, width: width, height: h))
            }
            contentHeight = y
            return
        }
        let gridHeight = panels.map { $0.gridPos.y + $0.gridPos.h }.max() ?? 0
        let scale = gridHeight > 0 ? min(DashboardLayout.maxStretch, max(1.0, Double(height) / Double(gridHeight))) : 1
        func col(_ g: Int) -> Int { Int((Double(g) * Double(width) / 24).rounded()) }
        func row(_ g: Int) -> Int { Int((Double(g) * scale).rounded(.down)) }
        placements = panels.enumerated().map { i, p in
            let g = p.gridPos
            let x0 = col(g.x), x1 = col(min(24, g.x + g.w))
            let y0 = row(g.y), y1 = g.y + g.h == gridHeight ? max(row(gridHeight), min(height, Int(Double(gridHeight) * scale))) : row(g.y + g.h)
            return Placement(panel: i, rect: Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0))
        }
        contentHeight = placements.map(\.rect.maxY).max() ?? 0
    }

    public func rect(of panel: Int) -> Rect? { placements.first { $0.panel == panel }?.rect }
}
