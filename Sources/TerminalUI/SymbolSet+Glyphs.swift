extension SymbolSet {
    /// What a cell drawn with `symbol` shows in this set. ASCII always gives one ASCII character.
    public func glyph(for symbol: Character) -> Character {
        switch self {
        case .braille:
            return symbol
        case .block:
            guard let dots = SymbolSet.brailleDots(symbol) else { return symbol }
            return SymbolSet.quadrant(dots)
        case .ascii:
            if symbol.isASCII { return symbol }
            if let dots = SymbolSet.brailleDots(symbol) { return SymbolSet.asciiLevel(dots) }
            return SymbolSet.asciiGlyphs[symbol] ?? "?"
        }
    }

    /// `screen` as this set shows it. In ASCII a wide character becomes `?` and its right half a blank,
    /// so every cell is one column and one byte.
    public func drawing(_ screen: Screen) -> Screen {
        guard self != .braille else { return screen }
        var out = Screen(width: screen.width, height: screen.height)
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                if cell.isContinuation && self == .ascii {
                    out[x, y] = Cell(" ", style: cell.style)
                } else if cell.isContinuation {
                    out[x, y] = cell
                } else {
                    out[x, y] = Cell(glyph(for: cell.symbol), style: cell.style)
                }
            }
        }
        return out
    }

    /// The dot bits of a braille cell (U+2800 + bits: dots 1-3 and 7 on the left, 4-6 and 8 on the right).
    static func brailleDots(_ c: Character) -> UInt8? {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value, (0x2800...0x28FF).contains(v) else {
            return nil
        }
        return UInt8(v - 0x2800)
    }

    /// The rows (0 top … 3 bottom) that a braille cell has dots in.
    static func rows(_ dots: UInt8) -> [Int] {
        let byRow: [UInt8] = [0x01 | 0x08, 0x02 | 0x10, 0x04 | 0x20, 0x40 | 0x80]
        return (0..<4).filter { dots & byRow[$0] != 0 }
    }

    /// A braille cell as one ASCII character that keeps where its dots are: high `'`, middle `-`, low `.`,
    /// a steep stroke `|`, a filled cell `#`.
    static func asciiLevel(_ dots: UInt8) -> Character {
        let rows = rows(dots)
        guard let top = rows.first, let bottom = rows.last else { return " " }
        if dots.nonzeroBitCount >= 6 { return "#" }
        if bottom - top >= 2 { return "|" }
        let middle = Double(top + bottom) / 2
        return middle < 1 ? "'" : middle <= 2 ? "-" : "."
    }

    /// A braille cell as a quadrant block: each quarter is filled when any of its four dots is.
    static func quadrant(_ dots: UInt8) -> Character {
        let upperLeft = dots & (0x01 | 0x02) != 0
        let upperRight = dots & (0x08 | 0x10) != 0
        let lowerLeft = dots & (0x04 | 0x40) != 0
        let lowerRight = dots & (0x20 | 0x80) != 0
        let index = (upperLeft ? 8 : 0) | (upperRight ? 4 : 0) | (lowerLeft ? 2 : 0) | (lowerRight ? 1 : 0)
        return quadrants[index]
    }

    /// Indexed by upper-left 8, upper-right 4, lower-left 2, lower-right 1.
    static let quadrants: [Character] = [
        " ", "▗", "▖", "▄", "▝", "▐", "▞", "▟", "▘", "▚", "▌", "▙", "▀", "▜", "▛", "█",
    ]

    /// The non-ASCII characters kubeglass draws, and what they become in ASCII.
    static let asciiGlyphs: [Character: Character] = [
        // Sparkline and bar levels, low to high.
        "▁": "_", "▂": ".", "▃": ":", "▄": "-", "▅": "=", "▆": "+", "▇": "*", "█": "#",
        "▏": "|", "▎": "|", "▍": "|", "▌": "|", "▋": "|", "▊": "|", "▉": "#", "▐": "|",
        "░": ".", "▒": ":", "▓": "#", "▀": "\"", "▖": ".", "▗": ".", "▘": "'", "▝": "'",
        "▚": "\\", "▞": "/", "▙": "L", "▛": "F", "▜": "7", "▟": "J",
        // Lines and boxes (the terminal's own line drawing is used for these where it has some).
        "─": "-", "━": "-", "═": "=", "│": "|", "┃": "|", "║": "|", "╌": "-", "┄": "-", "┆": ":", "╎": ":",
        "╭": "+", "╮": "+", "╰": "+", "╯": "+", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "╔": "+", "╗": "+", "╚": "+", "╝": "+",
        // Marks and punctuation.
        "●": "*", "○": "o", "◌": "o", "◷": "~", "◆": "*", "■": "#", "□": "o", "•": "*", "·": ".", "…": "~",
        "▲": "^", "▼": "v", "▶": ">", "◀": "<", "▸": ">", "◂": "<", "▴": "^", "▾": "v",
        "↑": "^", "↓": "v", "→": ">", "←": "<", "⚠": "!", "✓": "+", "✗": "x", "×": "x",
        "–": "-", "—": "-", "−": "-", "‘": "'", "’": "'", "“": "\"", "”": "\"", "°": "o", "µ": "u",
        "≤": "<", "≥": ">", "≈": "~", "±": "+", "›": ">", "‹": "<", "»": ">", "«": "<", "✖": "x", "÷": "/",
        "Σ": "S", "μ": "u", "¹": "1", "²": "2", "³": "3",
    ]
}
