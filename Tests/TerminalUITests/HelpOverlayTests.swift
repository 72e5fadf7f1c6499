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
        #expect(draw(help, width: 10, height: 3).lines == ["╭ Keys ──╮", "│ q   q… │", "╰────────╯"])
        let s = draw(help, width: 12, height: 5, area: Rect(x: 1, y: 1, width: 10, height: 3))
        #expect(s.lines[1] == "x╭ Keys ──╮x")
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(help)
        expectSafeInAwkwardAreas(HelpOverlay(title: "", bindings: []))
    }
}
