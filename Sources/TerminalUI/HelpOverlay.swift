/// A box of key bindings centred in the area, sized to its content and clipped to the area,
/// clearing what is under it. Bindings that do not fit are left out.
public struct HelpOverlay: Widget, Sendable {
    public var title: String
    public var bindings: [(key: String, action: String)]
    public var theme: Theme

    public init(title: String = "Keys", bindings: [(key: String, action: String)], theme: Theme = .default) {
        self.title = title
        self.bindings = bindings
        self.theme = theme
    }

    /// The box for `area`: content size plus a border and a space of padding each side.
    public func frame(in area: Rect) -> Rect {
        let keyWidth = bindings.map { TextWidth.of($0.key) }.max() ?? 0
        let actionWidth = bindings.map { TextWidth.of($0.action) }.max() ?? 0
        let width = min(area.width, max(keyWidth + 2 + actionWidth, TextWidth.of(title) + 2) + 4)
        let height = min(area.height, bindings.count + 2)
        return Rect(
            x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        let box = frame(in: area)
        screen.fill(box, with: Cell(" ", style: theme.background))
        screen.box(box, style: theme.focusedBorder, title: title, titleStyle: theme.focusedTitle)
        let inside = box.inset(top: 1, left: 2, bottom: 1, right: 2)
        let keyWidth = bindings.map { TextWidth.of($0.key) }.max() ?? 0
        for (row, binding) in bindings.prefix(inside.height).enumerated() {
            let y = inside.y + row
            screen.put(binding.key, x: inside.x, y: y, style: theme.title, clip: inside)
            let actionX = inside.x + keyWidth + 2
            let action = TextWidth.truncate(binding.action, to: inside.maxX - actionX)
            screen.put(action, x: actionX, y: y, style: theme.text, clip: inside)
        }
    }
}
