import Testing

@testable import TerminalUI

@Suite struct HelpOverlayTests {
    let help = HelpOverlay(bindings: [("q", "quit"), ("↑↓", "move"), ("?", "close help")])

    @Test func centredBoxSizedToContentClearsWhatIsUnder() {
        let s = draw(help, width: 24, height: 7)
        #expect(
            s.lines == [
                "xxxxxxxxxxxxxxxxxxxxxxxx",
                "xxx╭ Keys ──────────╮xxx",
                "xxx│ q   quit       │xxx",
                "xxx│ ↑↓  move       │xxx",
                "xxx│ ?   close help │xxx",
                "xxx╰────────────────╯xxx",
                "xxxxxxxxxxxxxxxxxxxxxxxx",
            ])
        #expect(s[3, 1].style == Theme.default.focusedBorder)
        #expect(s[5, 1].style == Theme.default.focusedTitle)
        #expect(s[5, 2].style == Theme.default.title)
        #expect(s[9, 2].style == Theme.default.text)
        #expect(help.frame(in: Rect(x: 0, y: 0, width: 24, height: 7)) == Rect(x: 3, y: 1, width: 18, height: 5))
    }

    @Test func clippedToTheArea() {
        // Actions wrap rather than end in `…`; the bottom border says there is more below.
        #expect(draw(help, width: 10, height: 3).lines == ["╭ Keys ──╮", "│ q   qu │", "╰ ↓ j/k ─╯"])
        let s = draw(help, width: 12, height: 5, area: Rect(x: 1, y: 1, width: 10, height: 3))
        #expect(s.lines[1] == "x╭ Keys ──╮x")
    }

    @Test func longActionsWrapAndTheRestScrolls() {
        let long = HelpOverlay(bindings: [("a", "first action here"), ("b", "second"), ("c", "third")], scroll: 0)
        #expect(
            draw(long, width: 14, height: 4).lines == [
                "╭ Keys ──────╮",
                "│ a  first   │",
                "│    action  │",
                "╰──── ↓ j/k ─╯",
            ])
        var down = long
        down.scroll = 99
        #expect(
            draw(down, width: 14, height: 4).lines == [
                "╭ Keys ──────╮",
                "│ b  second  │",
                "│ c  third   │",
                "╰──── ↑ j/k ─╯",
            ])
        #expect(long.layout(in: Rect(x: 0, y: 0, width: 14, height: 4)).maxScroll == 3)
    }

    @Test func tallHelpInAWideAreaTakesTwoColumns() {
        let rows = (1...8).map { (key: "k\($0)", action: "does thing number \($0) of eight") }
        let help = HelpOverlay(bindings: rows)
        let layout = help.layout(in: Rect(x: 0, y: 0, width: 80, height: 6))
        #expect(layout.columns.count == 2 && layout.columns.map(\.count) == [4, 4] && layout.maxScroll == 0)
        let s = draw(help, width: 80, height: 6)
        #expect(s.lines[1].contains("k1  does thing number 1 of eight") && s.lines[1].contains("k5  does thing"))
        #expect(HelpOverlay(bindings: rows).layout(in: Rect(x: 0, y: 0, width: 60, height: 6)).columns.count == 1)
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(help)
        expectSafeInAwkwardAreas(HelpOverlay(title: "", bindings: []))
    }
}
