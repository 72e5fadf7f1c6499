/// A box of key bindings centred in the area, sized to its content and clipped to the area,
/// clearing what is under it. Actions too long for the box wrap under themselves; when the rows
/// are taller than the area and it is wide enough, they go in two columns; what still does not
/// fit scrolls (`scroll` lines down), with `↑`/`↓ j/k` on the bottom border saying there is more.
public struct HelpOverlay: Widget, Sendable {
    public var title: String
    public var bindings: [(key: String, action: String)]
    public var theme: Theme
    /// Lines scrolled past at the top (clamped to what there is).
    public var scroll: Int

    /// Narrowest an action may wrap to in two columns before one column reads better.
    static let minimumActionWidth = 28

    public init(
        title: String = "Keys", bindings: [(key: String, action: String)], theme: Theme = .default, scroll: Int = 0
    ) {
        self.title = title
        self.bindings = bindings
        self.theme = theme
        self.scroll = scroll
    }

    /// One line of the help: a key (empty on an action's continuation lines) and its action's text.
    public struct Line: Equatable, Sendable {
        public var key: String
        public var text: String
    }

    /// How the bindings are laid out in `area`: the box, the number of columns, and each column's lines.
    public struct Layout: Equatable, Sendable {
        public var box: Rect
        public var columns: [[Line]]
        /// Lines shown per column (the box's inside height).
        public var visible: Int
        /// The largest useful `scroll`.
        public var maxScroll: Int { max(0, (columns.map(\.count).max() ?? 0) - visible) }
    }

    var keyWidth: Int { bindings.map { TextWidth.of($0.key) }.max() ?? 0 }

    func lines(actionWidth: Int) -> [Line] {
        bindings.flatMap { binding -> [Line] in
            let wrapped = MessageView.wrap(binding.action, width: max(1, actionWidth))
            return wrapped.enumerated().map { Line(key: $0.offset == 0 ? binding.key : "", text: $0.element) }
        }
    }

    public func layout(in area: Rect) -> Layout {
        let actionWidth = bindings.map { TextWidth.of($0.action) }.max() ?? 0
        let visible = max(0, area.height - 2)
        // One column, as wide as the longest row or the area allows.
        let width = min(area.width, max(keyWidth + 2 + actionWidth, TextWidth.of(title) + 2) + 4)
        let one = lines(actionWidth: width - 4 - keyWidth - 2)
        let twoActionWidth = (area.width - 4 - 3) / 2 - keyWidth - 2
        if one.count > visible, twoActionWidth >= HelpOverlay.minimumActionWidth {
            let two = lines(actionWidth: twoActionWidth)
            // Split between bindings, so that an action and its continuation stay together.
            let starts = two.indices.filter { !two[$0].key.isEmpty }
            let split = starts.min { abs($0 - two.count / 2) < abs($1 - two.count / 2) } ?? 0
            let columns = [Array(two[..<split]), Array(two[split...])]
            let height = min(area.height, (columns.map(\.count).max() ?? 0) + 2)
            return Layout(
                box: Rect(x: area.x, y: area.y + (area.height - height) / 2, width: area.width, height: height),
                columns: columns, visible: max(0, height - 2))
        }
        let height = min(area.height, one.count + 2)
        let box = Rect(
            x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        return Layout(box: box, columns: [one], visible: max(0, height - 2))
    }

    /// The box for `area`.
    public func frame(in area: Rect) -> Rect { layout(in: area).box }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        let layout = layout(in: area)
        let box = layout.box
        screen.fill(box, with: Cell(" ", style: theme.background))
        screen.box(box, style: theme.focusedBorder, title: title, titleStyle: theme.focusedTitle)
        let inside = box.inset(top: 1, left: 2, bottom: 1, right: 2)
        guard !inside.isEmpty else { return }
        let scroll = min(max(0, self.scroll), layout.maxScroll)
        let columnWidth = layout.columns.count > 1 ? (inside.width - 3) / 2 : inside.width
        for (c, column) in layout.columns.enumerated() {
            let x = inside.x + c * (columnWidth + 3)
            let clip = Rect(x: x, y: inside.y, width: min(columnWidth, inside.maxX - x), height: inside.height)
            for (row, line) in column.dropFirst(scroll).prefix(inside.height).enumerated() {
                let y = inside.y + row
                screen.put(line.key, x: x, y: y, style: theme.title, clip: clip)
                let actionX = x + keyWidth + 2
                screen.put(
                    TextWidth.truncate(line.text, to: clip.maxX - actionX), x: actionX, y: y, style: theme.text,
                    clip: clip)
            }
        }
        // On the border, where it hides nothing: which way there is more.
        let up = scroll > 0
        let down = scroll < layout.maxScroll
        if up || down {
            let hint = " \(up ? "↑" : "")\(down ? "↓" : "") j/k "
            let x = box.maxX - 2 - TextWidth.of(hint)
            if x > box.x { screen.put(hint, x: x, y: box.maxY - 1, style: theme.focusedTitle, clip: box) }
        }
    }
}
