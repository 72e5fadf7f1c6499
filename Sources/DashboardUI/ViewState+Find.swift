import Dashboards
import TerminalUI

/// `/` where no table is focused finds a panel by its title (as grafatui does): focus jumps to the first panel
/// whose title matches while the text is typed; Enter keeps the search, `n` / `N` go to the next / previous
/// match, Esc drops it. Every key typed goes to the search, none to the dashboard.
extension ViewState {
    /// The panel search, if one is typed or kept.
    public var panelFind: TableSearch? {
        get { panelState.panelFind }
        set { panelState.panelFind = newValue }
    }

    /// The panels whose titles match `text`: a title that is the text itself first (`nodes` finds the Nodes
    /// table before "Nodes ready"), then the others in the order they appear on screen.
    public static func panels(matching text: String, in dashboard: Dashboard, layout: DashboardLayout) -> [Int] {
        guard !text.isEmpty else { return [] }
        let filter = TextFilter(text)
        let found = layout.placements.map(\.panel).filter {
            dashboard.panels.indices.contains($0) && filter.matches(dashboard.panels[$0].title)
        }
        let exact = found.filter { dashboard.panels[$0].title.lowercased() == text.lowercased() }
        return exact + found.filter { !exact.contains($0) }
    }

    /// Handles a key while a panel search is typed or kept; nil when the key is not the search's.
    mutating func handleFindKey(_ key: Key, dashboard: Dashboard, layout: DashboardLayout, viewHeight: Int) -> Action? {
        guard var find = panelState.panelFind else { return nil }
        let matches = { ViewState.panels(matching: $0, in: dashboard, layout: layout) }
        if find.typing {
            switch key {
            case .character(let c): find.text.append(c)
            case .backspace:
                guard !find.text.isEmpty else {
                    panelFind = nil
                    return .redraw
                }
                find.text.removeLast()
            case .enter:
                panelFind = find.text.isEmpty ? nil : TableSearch(text: find.text, typing: false)
                return .redraw
            case .escape:
                panelFind = nil
                return .redraw
            default: return Action.none
            }
            panelFind = find
            if let first = matches(find.text).first { focusPanel(first, layout: layout, viewHeight: viewHeight) }
            return .redraw
        }
        switch key {
        case .character("n"), .character("N"):
            let found = matches(find.text)
            guard !found.isEmpty else { return .redraw }
            let at = found.firstIndex(of: focus) ?? -1
            let next = key == .character("n") ? at + 1 : (at < 0 ? found.count - 1 : at - 1)
            focusPanel(found[(next % found.count + found.count) % found.count], layout: layout, viewHeight: viewHeight)
            return .redraw
        case .escape:
            panelFind = nil
            return .redraw
        default:
            return nil
        }
    }

    private mutating func focusPanel(_ panel: Int, layout: DashboardLayout, viewHeight: Int) {
        focus = panel
        keepFocusVisible(layout: layout, viewHeight: viewHeight)
    }

    /// The status bar's line for the panel search: `/cpu▏  2 panels  Enter keep  Esc clear` while typing,
    /// `/cpu  panel 1 of 2  n/N next  Esc clear` once kept; nil without one.
    public func findPrompt(in dashboard: Dashboard, layout: DashboardLayout) -> String? {
        guard let find = panelFind else { return nil }
        let found = ViewState.panels(matching: find.text, in: dashboard, layout: layout)
        let count =
            find.text.isEmpty
            ? "type a panel's title"
            : found.isEmpty ? "no panel title matches" : "\(found.count) panel\(found.count == 1 ? "" : "s")"
        if find.typing { return "/\(find.text)▏  \(count)  Enter keep  Esc clear" }
        let at = found.firstIndex(of: focus).map { "panel \($0 + 1) of \(found.count)" } ?? count
        return "/\(find.text)  \(at)  n/N next  Esc clear"
    }
}
