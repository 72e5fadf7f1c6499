/// A message centred in the area (e.g. "terminal too small (need 40×12)"), its words wrapped to
/// the width and words longer than a line split; lines beyond the height are left out.
public struct MessageView: Widget, Sendable {
    public var text: String
    public var style: Style

    public init(text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: Style(background: style.background)))
        let lines = MessageView.wrap(text, width: area.width).prefix(area.height)
        let top = area.y + (area.height - lines.count) / 2
        for (row, line) in lines.enumerated() {
            screen.put(line, x: area.x + (area.width - TextWidth.of(line)) / 2, y: top + row, style: style, clip: area)
        }
    }

    /// `text` in lines at most `width` columns wide, breaking at spaces and at newlines.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let candidate = line.isEmpty ? String(word) : line + " " + word
                if TextWidth.of(candidate) <= width {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = ""
                for c in word {
                    // Always take one character so a glyph wider than the line cannot stall the loop.
                    if !line.isEmpty && TextWidth.of(line) + TextWidth.of(c) > width {
                        lines.append(line)
                        line = ""
                    }
                    line.append(c)
                }
            }
            lines.append(line)
        }
        return lines
    }
}
