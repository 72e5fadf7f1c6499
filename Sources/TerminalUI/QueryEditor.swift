/// The first visible line and screen column of an editor's text.
public struct EditorScroll: Hashable, Sendable {
    public var top: Int
    public var left: Int

    public init(top: Int = 0, left: Int = 0) {
        self.top = top
        self.left = left
    }
}

/// An in-place query editor: a prompt line, the query with syntax colours and a caret, an error line
/// with `^` under the parser's error column, and an optional completion popup under the caret (the
/// error line is left out while the popup covers it, so that the two never draw over each other).
/// The owner keeps `buffer` and `scroll` between frames and calls `scrollToCaret(in:)` after each key.
public struct QueryEditor: Widget, Sendable {
    public var buffer: EditBuffer
    public var language: QueryLanguage
    public var prompt: String
    /// A parser error at a 1-based line and column (in Characters).
    public var error: (line: Int, column: Int, message: String)?
    public var completion: CompletionList?
    public var scroll: EditorScroll
    public var showsCaret: Bool
    public var theme: Theme
    /// Applied queries, for Up/Down and Ctrl-R.
    public var history = HistoryWalk()

    public init(
        buffer: EditBuffer, language: QueryLanguage = .promql, prompt: String = "",
        error: (line: Int, column: Int, message: String)? = nil, completion: CompletionList? = nil,
        scroll: EditorScroll = EditorScroll(), showsCaret: Bool = true, theme: Theme = .default
    ) {
        self.buffer = buffer
        self.language = language
        self.prompt = prompt
        self.error = error
        self.completion = completion
        self.scroll = scroll
        self.showsCaret = showsCaret
        self.theme = theme
    }

    /// Where the parts go in `area`: the prompt takes the top row and the error the row just under the
    /// visible text, each only when at least one row of text is left; `scroll` keeps the caret in view.
    public struct Layout: Hashable, Sendable {
        public var prompt: Rect?
        public var text: Rect
        public var error: Rect?
        public var scroll: EditorScroll
    }

    public func layout(in area: Rect) -> Layout {
        var rest = area
        var promptRow: Rect?
        if !shownPrompt.isEmpty, rest.height >= 2 {
            (promptRow, rest) = rest.splitTop(1)
        }
        guard error != nil, rest.height >= 2 else {
            return Layout(prompt: promptRow, text: rest, error: nil, scroll: scrollKeepingCaretVisible(in: rest))
        }
        let view = scrollKeepingCaretVisible(in: rest.inset(bottom: 1))
        let textRows = min(rest.height - 1, max(1, buffer.lineCount - view.top))
        let (text, below) = rest.splitTop(textRows)
        return Layout(prompt: promptRow, text: text, error: below.splitTop(1).top, scroll: view)
    }

    /// `scroll` moved as little as needed to show the caret in a text area of this size.
    public func scrollKeepingCaretVisible(in text: Rect) -> EditorScroll {
        guard text.width > 0, text.height > 0 else { return scroll }
        let (line, column) = buffer.cursorPosition
        var top = max(0, min(scroll.top, buffer.lineCount - text.height))
        if line < top { top = line }
        if line >= top + text.height { top = line - text.height + 1 }
        let x = buffer.cursorScreenColumn
        let width = caretWidth(line: line, column: column)
        let lineWidth =
            x + buffer.characters[buffer.cursorOffset...].prefix { $0 != "\n" }.reduce(0) { $0 + TextWidth.of($1) }
        // Never scrolled further than the caret's line needs, so deleting at its end brings text back into view.
        var left = min(max(0, scroll.left), max(0, lineWidth + 1 - text.width))
        if x < left { left = x }
        if x + width > left + text.width { left = x + width - text.width }
        return EditorScroll(top: top, left: max(0, left))
    }

    public mutating func scrollToCaret(in area: Rect) {
        scroll = layout(in: area).scroll
    }

    /// The screen cell of the caret in `area`, for a terminal cursor or a popup anchor; nil when it is not shown.
    public func caretCell(in area: Rect) -> (x: Int, y: Int)? {
        let layout = layout(in: area)
        let x = layout.text.x + buffer.cursorScreenColumn - layout.scroll.left
        let y = layout.text.y + buffer.cursorPosition.line - layout.scroll.top
        return layout.text.contains(x: x, y: y) ? (x, y) : nil
    }

    public static func style(for kind: HighlightSpan.Kind?, theme: Theme) -> Style {
        guard let kind else { return theme.text }
        switch kind {
        case .metric, .identifier: return theme.text
        case .labelName: return theme.text.fg(theme.seriesColor(5))
        case .string: return theme.text.fg(theme.seriesColor(0))
        case .number, .duration: return theme.text.fg(theme.seriesColor(1))
        case .function: return theme.text.fg(theme.seriesColor(2))
        case .keyword: return theme.text.fg(theme.seriesColor(6)).bold
        case .operator: return theme.text.fg(theme.seriesColor(3))
        case .punctuation: return theme.dimText
        case .comment: return theme.dimText.with(.italic)
        case .variable: return theme.text.fg(theme.seriesColor(7))
        }
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let layout = layout(in: area)
        if let row = layout.prompt {
            screen.put(
                TextWidth.truncate(shownPrompt, to: row.width), x: row.x, y: row.y, style: theme.title, clip: row)
        }
        let text = layout.text
        let view = layout.scroll
        drawText(in: text, view: view, on: &screen)
        var list: (CompletionList, Rect)?
        if let completion, !completion.items.isEmpty, let caret = caretCell(in: area) {
            let wordStart = buffer.cursorScreenColumn - TextWidth.of(buffer.wordBeforeCursor)
            list = (completion, completion.frame(anchorX: text.x + wordStart - view.left, anchorY: caret.y, in: area))
        }
        // An open list is the newer news (the error is about the word being typed), and the two drawn over
        // each other read as neither: an error the list would cover waits until the list closes.
        if let row = layout.error, let error, !(list.map { !$0.1.intersection(row).isEmpty } ?? false) {
            drawError(error, in: row, view: view, on: &screen)
        }
        if showsCaret { drawCaret(in: text, view: view, on: &screen) }
        if let (completion, frame) = list { completion.render(in: frame, on: &screen) }
    }

    /// The prompt, or the history search's while Ctrl-R is open.
    var shownPrompt: String { history.search?.prompt ?? prompt }

    /// A parser's 1-based position as a 0-based index, safe for any Int.
    static func index(_ oneBased: Int) -> Int { oneBased > 0 ? oneBased - 1 : 0 }

    private func caretWidth(line: Int, column: Int) -> Int {
        let offset = buffer.offset(ofLine: line, column: column)
        guard offset < buffer.characters.count, buffer.characters[offset] != "\n" else { return 1 }
        return max(1, TextWidth.of(buffer.characters[offset]))
    }

    private func drawText(in text: Rect, view: EditorScroll, on screen: inout Screen) {
        guard !text.isEmpty else { return }
        let chars = buffer.characters
        var kinds = [HighlightSpan.Kind?](repeating: nil, count: chars.count)
        for span in QueryHighlighter.spans(chars, language: language) {
            for i in span.range where i < kinds.count { kinds[i] = span.kind }
        }
        let errorOffset = error.map {
            buffer.offset(ofLine: QueryEditor.index($0.line), column: QueryEditor.index($0.column))
        }
        var offset = 0
        var line = 0
        while line < view.top + text.height, offset <= chars.count {
            let y = text.y + line - view.top
            var column = 0
            while offset < chars.count, chars[offset] != "\n" {
                if line >= view.top {
                    var style = QueryEditor.style(for: kinds[offset], theme: theme)
                    if offset == errorOffset { style = style.fg(theme.critical).with(.underline) }
                    drawCharacter(
                        chars[offset], column: column, y: y, style: style, text: text, view: view, on: &screen)
                }
                column += TextWidth.of(chars[offset])
                offset += 1
            }
            offset += 1
            line += 1
        }
    }

    /// One grapheme at a text column; a wide one cut by either edge leaves blanks in its visible half.
    private func drawCharacter(
        _ c: Character, column: Int, y: Int, style: Style, text: Rect, view: EditorScroll,
        on screen: inout Screen
    ) {
        let width = TextWidth.of(c)
        guard width > 0 else { return }
        let x = text.x + column - view.left
        guard x + width > text.x, x < text.maxX else { return }
        if x < text.x || x + width > text.maxX {
            for dx in 0..<width where text.contains(x: x + dx, y: y) { screen[x + dx, y] = Cell(" ", style: style) }
            return
        }
        screen[x, y] = Cell(c, style: style)
        if width == 2 { screen[x + 1, y] = .continuation(style: style) }
    }

    private func drawCaret(in text: Rect, view: EditorScroll, on screen: inout Screen) {
        guard !text.isEmpty else { return }
        let (line, column) = buffer.cursorPosition
        let x = text.x + buffer.cursorScreenColumn - view.left
        let y = text.y + line - view.top
        for dx in 0..<caretWidth(line: line, column: column) where text.contains(x: x + dx, y: y) {
            screen[x + dx, y].style = screen[x + dx, y].style.reversed
        }
    }

    /// `^ message` from the error column, or `message ^` when there is more room to the left.
    private func drawError(
        _ error: (line: Int, column: Int, message: String), in row: Rect, view: EditorScroll,
        on screen: inout Screen
    ) {
        let lines = buffer.lines
        guard !lines.isEmpty else { return }
        let lineIndex = min(QueryEditor.index(error.line), lines.count - 1)
        let lineText = Array(lines[lineIndex])
        let column = min(QueryEditor.index(error.column), 1 << 20)
        let prefix = lineText.prefix(column).reduce(0) { $0 + TextWidth.of($1) } + max(0, column - lineText.count)
        let x = min(max(row.x, row.x + prefix - view.left), row.maxX - 1)
        let message = lines.count > 1 ? "line \(error.line): \(error.message)" : error.message
        let caretStyle = theme.text.fg(theme.critical).bold
        let messageStyle = theme.text.fg(theme.critical)
        screen.put("^", x: x, y: row.y, style: caretStyle, clip: row)
        let roomRight = row.maxX - (x + 2)
        let roomLeft = x - 1 - row.x
        let width = TextWidth.of(message)
        if width <= roomRight || roomRight >= roomLeft {
            screen.put(TextWidth.truncate(message, to: roomRight), x: x + 2, y: row.y, style: messageStyle, clip: row)
        } else {
            let cut = TextWidth.truncate(message, to: roomLeft)
            screen.put(cut, x: x - 1 - TextWidth.of(cut), y: row.y, style: messageStyle, clip: row)
        }
    }
}
