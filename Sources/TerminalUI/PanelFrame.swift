/// The rounded border of a dashboard panel with its title on the top edge and an optional badge
/// (e.g. `stale 42s`) right-aligned on it. Draws only the border: the content goes in `inner(_:)`.
/// When space is short the badge keeps its place and the title is cut.
public struct PanelFrame: Widget, Sendable {
    public var title: String
    public var focused: Bool
    public var badge: String?
    public var theme: Theme

    public init(title: String, focused: Bool = false, badge: String? = nil, theme: Theme = .default) {
        self.title = title
        self.focused = focused
        self.badge = badge
        self.theme = theme
    }

    /// The content rectangle inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard area.width >= 2, area.height >= 2 else { return }
        screen.box(area, style: focused ? theme.focusedBorder : theme.border)
        let edge = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)

        var titleEnd = edge.maxX
        if let badge, !badge.isEmpty {
            let text = " " + badge + " "
            let width = TextWidth.of(text)
            // One border cell stays on each side of the badge.
            if width + 2 <= edge.width {
                let x = edge.maxX - 1 - width
                screen.put(text, x: x, y: edge.y, style: theme.stale, clip: edge)
                titleEnd = x - 1
            }
        }
        let room = titleEnd - edge.x - 2
        if !title.isEmpty, room >= 1 {
            screen.put(
                " " + TextWidth.truncate(title, to: room) + " ", x: edge.x, y: edge.y,
                style: focused ? theme.focusedTitle : theme.title, clip: edge)
        }
    }
}
