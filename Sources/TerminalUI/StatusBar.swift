/// A piece of text on the status bar, in its own style (the bar's style when nil).
public struct StatusSegment: Sendable, Hashable {
    public var text: String
    public var style: Style?

    public init(text: String, style: Style? = nil) {
        self.text = text
        self.style = style
    }
}

/// One row (the area's first): `left` segments from the left edge, `right` segments against the right
/// edge, one space apart, the rest of the row in the theme's status-bar style. When the row is too
/// narrow, right segments are dropped (innermost first) before left ones are cut with `…`.
public struct StatusBar: Widget, Sendable {
    public var left: [StatusSegment]
    public var right: [StatusSegment]
    public var theme: Theme

    public init(left: [StatusSegment], right: [StatusSegment] = [], theme: Theme = .default) {
        self.left = left
        self.right = right
        self.theme = theme
    }

    private static func width(_ segments: ArraySlice<StatusSegment>) -> Int {
        segments.reduce(0) { $0 + TextWidth.of($1.text) } + max(0, segments.count - 1)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let row = area.intersection(screen.bounds).splitTop(1).top
        guard !row.isEmpty else { return }
        screen.fill(row, with: Cell(" ", style: theme.statusBar))

        let leftWidth = StatusBar.width(left[...])
        var shownRight = right[...]
        func fits(_ right: ArraySlice<StatusSegment>) -> Bool {
            right.isEmpty || StatusBar.width(right) + (left.isEmpty ? 0 : leftWidth + 1) <= row.width
        }
        while !fits(shownRight) { shownRight = shownRight.dropFirst() }
        var x = row.maxX - StatusBar.width(shownRight)
        for segment in shownRight {
            x += screen.put(segment.text, x: x, y: row.y, style: segment.style ?? theme.statusBar, clip: row) + 1
        }
        x = row.x
        for segment in left where x < row.maxX {
            let text = TextWidth.truncate(segment.text, to: row.maxX - x)
            x += screen.put(text, x: x, y: row.y, style: segment.style ?? theme.statusBar, clip: row) + 1
        }
    }
}
