/// The rounded border of a dashboard panel with its title on the top edge and an optional badge
/// (e.g. `stale 42s`) right-aligned on it. Draws only the border: the content goes in `inner(_:)`.
/// When the title and the badge do not both fit on the top edge, the badge moves to the bottom edge
/// (shortened to its last word when narrow) so that the title stays readable.
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
            let titleWidth = TextWidth.of(title)
            let room = edge.width - TextWidth.of(badge) - 6
            if room >= titleWidth || area.height < 3 {
                // One border cell stays on each side of the badge.
                if let x = putBadge(badge, on: edge, screen: &screen) { titleEnd = x - 1 }
            } else {
                // The title comes first: the badge moves to the bottom edge, shortened to its last
                // word (`13s` of `stale 13s`) when even that edge is too narrow for it.
                let bottom = Rect(x: edge.x, y: area.maxY - 1, width: edge.width, height: 1)
                let short = String(badge.split(separator: " ").last ?? Substring(badge))
                if putBadge(badge, on: bottom, screen: &screen) == nil { putBadge(short, on: bottom, screen: &screen) }
            }
        }
        let room = titleEnd - edge.x - 2
        if !title.isEmpty, room >= 1 {
            screen.put(
                " " + TextWidth.truncate(title, to: room) + " ", x: edge.x, y: edge.y,
                style: focused ? theme.focusedTitle : theme.title, clip: edge)
        }
    }

    /// Puts ` badge ` right-aligned on `edge`, one border cell from its end; its x, or nil when it does not fit.
    @discardableResult
    private func putBadge(_ badge: String, on edge: Rect, screen: inout Screen) -> Int? {
        let text = " " + badge + " "
        let width = TextWidth.of(text)
        guard width + 2 <= edge.width else { return nil }
        let x = edge.maxX - 1 - width
        screen.put(text, x: x, y: edge.y, style: theme.stale, clip: edge)
        return x
    }
}
