/// Box-drawing characters as the terminal's own line-drawing set (ncurses' ACS, named by VT100 letters):
/// a console without UTF-8 still draws borders as lines, and terminals without any get `-`, `|` and `+`.
enum LineDrawing {
    static func letter(for symbol: Character) -> CChar? {
        letters[symbol].map { CChar(bitPattern: $0.asciiValue ?? 0x20) }
    }

    private static let letters: [Character: Character] = [
        "─": "q", "━": "q", "│": "x", "┃": "x",
        "╭": "l", "┌": "l", "╮": "k", "┐": "k", "╰": "m", "└": "m", "╯": "j", "┘": "j",
        "├": "t", "┤": "u", "┬": "w", "┴": "v", "┼": "n",
    ]
}
