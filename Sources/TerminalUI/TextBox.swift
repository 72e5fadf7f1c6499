/// A box of text centred in the area (the last error in full, say): its paragraphs wrapped to the
/// box, the box as wide as the longest paragraph needs but at most `maxWidth`, clearing what is
/// under it. Lines beyond the area's height are left out, the last shown one ending in `…`.
public struct TextBox: Widget, Sendable {
    public var title: String
    public var paragraphs: [String]
    public var maxWidth: Int
    public var theme: Theme

    public init(title: String, paragraphs: [String], maxWidth: Int = 76, theme: Theme = .default) {
        self.title = title
        self.paragraphs = paragraphs
        self.maxWidth = maxWidth
        self.theme = theme
    }

    /// The wrapped lines for text `width` columns wide, a blank line between paragraphs.
    public func lines(width: Int) -> [String] {
        var out: [String] = []
        for (i, paragraph) in paragraphs.enumerated() {
            if i > 0 { out.append("") }
            out += MessageView.wrap(paragraph, width: width)
        }
        return out
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard area.width >= 5, area.height >= 3 else { return }
        let longest = paragraphs.map { TextWidth.of($0) }.max() ?? 0
        let width = min(area.width, maxWidth, max(longest, TextWidth.of(title) + 2) + 4)
        var text = lines(width: width - 4)
        let height = min(area.height, text.count + 2)
        if text.count > height - 2 {
            text = Array(text.prefix(height - 2))
            text[text.count - 1] = TextWidth.truncate(text[text.count - 1] + " …", to: width - 4)
        }
        let box = Rect(
            x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        screen.fill(box, with: Cell(" ", style: theme.background))
        screen.box(box, style: theme.focusedBorder, title: title, titleStyle: theme.focusedTitle)
        let inside = box.inset(top: 1, left: 2, bottom: 1, right: 2)
        for (row, line) in text.enumerated() {
            screen.put(line, x: inside.x, y: inside.y + row, style: theme.text, clip: inside)
        }
    }
}
