#if canImport(Glibc)
    import Glibc
#endif
/// A whole frame as a grid of cells. Widgets draw into it; the backend flushes
/// only the cells that differ from the previous frame.
public struct Screen: Hashable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// A screen holding these lines as plain text (for tests): widths are the longest line.
    public init(lines: [String]) {
        let w = lines.map { TextWidth.of($0) }.max() ?? 0
        self.init(width: w, height: lines.count)
        for (row, line) in lines.enumerated() { put(line, x: 0, y: row) }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from (x, y) on one row, clipped to `clip` (default: the screen).
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return 0 }
        var col = x
        for c in text {
            let w = TextWidth.of(c)
            if w == 0 { continue }
            if col + w > area.maxX { break }
            if col >= area.x {
                self[col, y] = Cell(c, style: style)
                if w == 2 { self[col + 1, y] = .continuation(style: style) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Sets one cell's symbol and style, if it is on screen.
    public mutating func set(_ symbol: Character, x: Int, y: Int, style: Style = .plain) {
        guard contains(x: x, y: y) else { return }
        self[x, y] = Cell(symbol, style: style)
    }

    /// Changes only the style of the cells in `rect` (keeps their symbols).
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.intersection(bounds)
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { cells[y * width + x].style = style } }
    }

    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { cells[y * width + x] = cell } }
    }

    /// Draws a box border on the edge of `rect` (rounded corners), with an optional title on the top edge.
    public mutating func box(_ rect: Rect, style: Style, title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (l, r, t, b) = (rect.x, rect.maxX - 1, rect.y, rect.maxY - 1)
        for x in (l + 1)..<r {
            set("─", x: x, y: t, style: style)
            set("─", x: x, y: b, style: style)
        }
        for y in (t + 1)..<b {
            set("│", x: l, y: y, style: style)
            set("│", x: r, y: y, style: style)
        }
        set("╭", x: l, y: t, style: style)
        set("╮", x: r, y: t, style: style)
        set("╰", x: l, y: b, style: style)
        set("╯", x: r, y: b, style: style)
        if let title, !title.isEmpty, rect.width > 4 {
            let text = " " + TextWidth.truncate(title, to: rect.width - 4) + " "
            put(text, x: l + 1, y: t, style: titleStyle ?? style)
        }
    }

    /// The text of each row (continuation cells omitted), trailing spaces kept.
    public var lines: [String] {
        (0..<height).map { row in
            var s = ""
            for x in 0..<width where !cells[row * width + x].isContinuation { s.append(cells[row * width + x].symbol) }
            return s
        }
    }

    /// The text of each row with trailing spaces removed (what tests usually compare).
    public var trimmedLines: [String] {
        lines.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }
    }

    /// Runs of cells that differ from `previous`, row by row, left to right.
    /// A different size means every cell changed.
    public func changes(since previous: Screen?) -> [CellRun] {
        var runs: [CellRun] = []
        let full = previous == nil || previous!.width != width || previous!.height != height
        // Most rows of a frame are as they were: a row whose bytes are the same is skipped at once (the same
        // bytes are the same cells; different bytes, padding say, fall back to comparing cell by cell).
        let same: [Bool] =
            full
            ? []
            : cells.withUnsafeBytes { now in
                previous!.cells.withUnsafeBytes { before in
                    let row = width * MemoryLayout<Cell>.stride
                    return (0..<height).map { y in
                        memcmp(now.baseAddress! + y * row, before.baseAddress! + y * row, row) == 0
                    }
                }
            }
        for y in 0..<height {
            if !full && width > 0 && same[y] { continue }
            var x = 0
            while x < width {
                let i = y * width + x
                if !full && previous!.cells[i] == cells[i] {
                    x += 1
                    continue
                }
                var end = x
                while end < width, full || previous!.cells[y * width + end] != cells[y * width + end] { end += 1 }
                runs.append(CellRun(x: x, y: y, cells: Array(cells[(y * width + x)..<(y * width + end)])))
                x = end
            }
        }
        return runs
    }
}

/// Consecutive changed cells on one row, as the backend flushes them.
public struct CellRun: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]
}
