import Testing

@testable import TerminalUI

@Suite struct PanelFrameTests {
    @Test func titleAndBadgeOnTheTopBorder() {
        let frame = PanelFrame(title: "CPU", badge: "stale 42s")
        let s = draw(frame, width: 24, height: 4)
        #expect(
            s.lines == [
                "╭ CPU ───── stale 42s ─╮",
                "│xxxxxxxxxxxxxxxxxxxxxx│",
                "│xxxxxxxxxxxxxxxxxxxxxx│",
                "╰──────────────────────╯",
            ])
        #expect(s[0, 0].style == Theme.default.border)
        #expect(s[2, 0].style == Theme.default.title)
        #expect(s[12, 0].style == Theme.default.stale)
        #expect(frame.inner(Rect(x: 0, y: 0, width: 24, height: 4)) == Rect(x: 1, y: 1, width: 22, height: 2))
    }

    @Test func focusedStyles() {
        let s = draw(PanelFrame(title: "Memory", focused: true), width: 12, height: 3)
        #expect(s.lines == ["╭ Memory ──╮", "│xxxxxxxxxx│", "╰──────────╯"])
        #expect(s[0, 0].style == Theme.default.focusedBorder)
        #expect(s[2, 0].style == Theme.default.focusedTitle)
    }

    @Test func narrowFramesCutTheTitleThenDropTheBadge() {
        #expect(
            draw(PanelFrame(title: "Network traffic", badge: "stale"), width: 16, height: 2).lines
                == ["╭ Ne… ─ stale ─╮", "╰──────────────╯"])
        #expect(
            draw(PanelFrame(title: "Network", badge: "stale"), width: 9, height: 2).lines
                == ["╭ Netw… ╮", "╰───────╯"])
        #expect(
            draw(PanelFrame(title: "Network", badge: "stale 42s"), width: 9, height: 2).lines
                == ["╭ Netw… ╮", "╰───────╯"])
        #expect(draw(PanelFrame(title: "CPU"), width: 4, height: 2).lines == ["╭──╮", "╰──╯"])
        #expect(draw(PanelFrame(title: "CPU"), width: 5, height: 2).lines == ["╭ … ╮", "╰───╯"])
    }

    @Test func aNarrowPanelKeepsItsTitleAndMovesTheBadgeToTheBottomEdge() {
        let s = draw(PanelFrame(title: "CPU used", badge: "stale 13s"), width: 13, height: 4)
        #expect(s.lines == ["╭ CPU used ─╮", "│xxxxxxxxxxx│", "│xxxxxxxxxxx│", "╰───── 13s ─╯"])
        #expect(s[7, 3].style == Theme.default.stale)
        let wider = draw(PanelFrame(title: "CPU used", badge: "stale 13s"), width: 19, height: 3)
        #expect(wider.lines == ["╭ CPU used ───────╮", "│xxxxxxxxxxxxxxxxx│", "╰───── stale 13s ─╯"])
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(PanelFrame(title: "CPU", focused: true, badge: "stale 42s"))
        #expect(PanelFrame(title: "").inner(Rect(x: 0, y: 0, width: 1, height: 1)).isEmpty)
    }
}
