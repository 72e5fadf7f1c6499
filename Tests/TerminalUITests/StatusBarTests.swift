import Testing

@testable import TerminalUI

@Suite struct StatusBarTests {
    let bold = Style(foreground: .yellow).bold
    var bar: StatusBar {
        StatusBar(
            left: [StatusSegment(text: "kubeglass", style: bold), StatusSegment(text: "ctx: prod")],
            right: [StatusSegment(text: "? help"), StatusSegment(text: "12:30")])
    }

    @Test func leftAndRightSegmentsFillTheRow() {
        let s = draw(bar, width: 34, height: 1)
        #expect(s.lines == ["kubeglass ctx: prod   ? help 12:30"])
    }

    @Test func rightSegmentsGoBeforeLeftOnesAreCut() {
        #expect(draw(bar, width: 32, height: 1).lines == ["kubeglass ctx: prod ? help 12:30"])
        #expect(draw(bar, width: 31, height: 1).lines == ["kubeglass ctx: prod       12:30"])
        #expect(draw(bar, width: 25, height: 1).lines == ["kubeglass ctx: prod 12:30"])
        #expect(draw(bar, width: 24, height: 1).lines == ["kubeglass ctx: prod     "])
        #expect(draw(bar, width: 14, height: 1).lines == ["kubeglass ctx…"])
        #expect(draw(bar, width: 5, height: 1).lines == ["kube…"])
        #expect(draw(StatusBar(left: [], right: bar.right), width: 5, height: 1).lines == ["12:30"])
    }

    @Test func stylesAndOnlyTheFirstRow() {
        let s = draw(bar, width: 40, height: 3, area: Rect(x: 0, y: 1, width: 40, height: 2))
        #expect(s.lines[0] == String(repeating: "x", count: 40))
        #expect(s.lines[2] == String(repeating: "x", count: 40))
        #expect(s[0, 1].style == bold)
        #expect(s[9, 1].style == Theme.default.statusBar)
        #expect(s[20, 1].style == Theme.default.statusBar)
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(bar)
        expectSafeInAwkwardAreas(StatusBar(left: [], right: []))
    }
}
