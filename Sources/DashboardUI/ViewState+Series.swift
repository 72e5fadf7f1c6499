import Dashboards
import TerminalUI

/// A focused chart's own keys, as grafatui has them: `1`–`9` hide or show the legend's first nine series, `a`
/// shows them all again, `y` lets the y-axis fit the data instead of starting at zero.
extension ViewState {
    /// Whether series `name` of chart `panel` is hidden.
    public func isHidden(_ name: String, in panel: Int) -> Bool {
        panelState.hiddenSeries[panel]?.contains(name) ?? false
    }

    /// `1`–`9`, `a` or `y` in chart `panel`, whose legend lists `names()` now (worked out only for a digit); nil
    /// for any other key.
    mutating func handleSeriesKey(_ key: Key, panel: Int, names listed: () -> [String]) -> Action? {
        guard case .character(let c) = key else { return nil }
        switch c {
        case "1"..."9":
            let names = listed()
            let n = Int(String(c))! - 1
            guard names.indices.contains(n) else {
                return .notice("this chart's legend lists \(names.count) series (1–\(min(9, names.count)))")
            }
            var hidden = panelState.hiddenSeries[panel] ?? []
            if hidden.remove(names[n]) == nil { hidden.insert(names[n]) }
            panelState.hiddenSeries[panel] = hidden.isEmpty ? nil : hidden
            return .redraw
        case "a":
            guard panelState.hiddenSeries[panel] != nil else { return ViewState.Action.none }
            panelState.hiddenSeries[panel] = nil
            return .redraw
        case "y":
            if panelState.fittedAxes.remove(panel) == nil { panelState.fittedAxes.insert(panel) }
            return .redraw
        default:
            return nil
        }
    }

    /// The names chart `panel` lists in its legend now, in order (what `1`–`9` pick from), as drawn on a screen
    /// `width` wide with a body `viewHeight` high.
    public func legendNames(
        of panel: Int, dashboard: Dashboard, data: PanelData?, theme: Theme, width: Int, viewHeight: Int
    ) -> [String] {
        guard let data, dashboard.panels.indices.contains(panel), dashboard.panels[panel].kind == .timeseries else {
            return []
        }
        let rect: Rect
        if fullscreen && focus == panel {
            rect = Rect(x: 0, y: 0, width: width, height: viewHeight)
        } else {
            let layout = DashboardLayout(dashboard: dashboard, state: self, width: width, height: viewHeight)
            guard let r = layout.rect(of: panel) else { return [] }
            rect = r
        }
        return PanelView.chartSeries(dashboard.panels[panel], data, theme: theme, area: rect.inset(by: 1)).map(\.name)
    }
}
