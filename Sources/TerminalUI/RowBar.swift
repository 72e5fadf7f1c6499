/// A dashboard row's title bar across the width: `▸ Title (3 panels) ────` when folded, `▾ Title ────`
/// when open. Drawn on the area's first line only.
public struct RowBar: Widget, Sendable {
    public var title: String
    public var collapsed: Bool
    /// Panels the row holds (shown when folded).
    public var panelCount: Int
    public var focused: Bool
    public var theme: Theme

    public init(title: String, collapsed: Bool, panelCount: Int, focused: Bool = false, theme: Theme = .default) {
        self.title = title
        self.collapsed = collapsed
        self.panelCount = panelCount
        self.focused = focused
        self.theme = theme
    }

    public var text: String {
        guard collapsed else { return "▾ " + title }
        return "▸ " + title + " (\(panelCount) panel\(panelCount == 1 ? "" : "s"))"
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        let used = screen.put(
            TextWidth.truncate(text, to: area.width), x: area.x, y: area.y,
            style: focused ? theme.focusedTitle : theme.title, clip: line)
        for x in (area.x + used + 1)..<max(area.x + used + 1, area.maxX) {
            screen.set("─", x: x, y: area.y, style: focused ? theme.focusedBorder : theme.border)
        }
    }
}
