/// A 3-row font of block characters for stat panels and the kiosk's stale banner: digits, `.`, `:`, `-` (and `–`), `%`.
/// Glyphs are drawn on a 3×5 pixel grid; each cell shows two pixel rows with ▀ ▄ █.
enum BigText {
    static let height = 3

    private static let pixels: [Character: [String]] = [
        "0": ["###", "#.#", "#.#", "#.#", "###"],
        "1": [".#.", "##.", ".#.", ".#.", "###"],
        "2": ["###", "..#", "###", "#..", "###"],
        "3": ["###", "..#", "###", "..#", "###"],
        "4": ["#.#", "#.#", "###", "..#", "..#"],
        "5": ["###", "#..", "###", "..#", "###"],
        "6": ["###", "#..", "###", "#.#", "###"],
        "7": ["###", "..#", "..#", "..#", "..#"],
        "8": ["###", "#.#", "###", "#.#", "###"],
        "9": ["###", "#.#", "###", "..#", "###"],
        ".": [".", ".", ".", ".", "#"],
        ":": [".", "#", ".", "#", "."],
        "-": ["...", "...", "###", "...", "..."],
        "–": ["...", "...", "###", "...", "..."],
        "%": ["#.#", "..#", ".#.", "#..", "#.#"],
    ]

    private static let glyphs: [Character: [String]] = pixels.mapValues { rows in
        let grid = rows.map { $0.map { $0 == "#" } } + [Array(repeating: false, count: rows[0].count)]
        return (0..<height).map { row in
            String(
                zip(grid[row * 2], grid[row * 2 + 1]).map { top, bottom -> Character in
                    switch (top, bottom) {
                    case (true, true): "█"
                    case (true, false): "▀"
                    case (false, true): "▄"
                    case (false, false): " "
                    }
                })
        }
    }

    /// Whether every character of `text` has a big glyph.
    static func canDraw(_ text: String) -> Bool { !text.isEmpty && text.allSatisfy { glyphs[$0] != nil } }

    /// The three rows of `text`, glyphs one column apart (only for text `canDraw` accepts).
    static func rows(_ text: String) -> [String] {
        (0..<height).map { row in text.compactMap { glyphs[$0]?[row] }.joined(separator: " ") }
    }
}
