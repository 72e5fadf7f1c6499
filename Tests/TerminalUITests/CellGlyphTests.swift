import Testing

@testable import TerminalUI

/// A cell keeps its grapheme as a number; every grapheme must come back as it was put.
struct CellGlyphTests {
    @Test func graphemesOfOneAndManyScalarsComeBackAsTheyWere() {
        let graphemes: [Character] = [" ", "a", "█", "⣿", "中", "é", "e\u{301}", "🇩🇪", "❤️", "👩‍👩‍👧", "\u{0}"]
        for grapheme in graphemes {
            let cell = Cell(grapheme, style: .plain)
            #expect(cell.symbol == grapheme)
            #expect(Array(cell.symbol.unicodeScalars) == Array(grapheme.unicodeScalars))
            #expect(cell == Cell(grapheme, style: .plain))
        }
        // Distinct graphemes of several scalars are distinct cells; one of them set again is the same cell.
        #expect(Cell("🇩🇪") != Cell("🇫🇷"))
        var cell = Cell("x")
        cell.symbol = "🇫🇷"
        #expect(cell == Cell("🇫🇷"))
    }

    @Test func aScreenOfCellsComparesAndPrintsAsText() {
        var screen = Screen(width: 6, height: 1)
        screen.put("a🇩🇪é中", x: 0, y: 0)
        #expect(screen.lines[0].hasPrefix("a🇩🇪é中"))
        var other = screen
        #expect(other == screen)
        other.set("b", x: 0, y: 0)
        #expect(other != screen)
    }
}
