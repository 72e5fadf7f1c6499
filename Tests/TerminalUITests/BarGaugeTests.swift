import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct BarGaugeTests {
    let bars = [BarGauge.Bar(name: "web-1", value: 100), BarGauge.Bar(name: "db", value: 50)]

    @Test func oneBarPerSeriesScaledToTheLargest() {
        // Names 5 wide + 1, values 3 wide + 1: 10 cells of bar; 100 fills them, 50 fills half.
        let s = draw(BarGauge(bars: bars, color: .cyan), width: 20, height: 2)
        #expect(s.lines == ["web-1 ██████████ 100", "db    █████░░░░░  50"])
        #expect(s[6, 0].style == Style(foreground: .cyan))
        #expect(s[17, 1].style == Style(foreground: .cyan).bold)
        #expect(s[11, 1].style == Theme.default.dimText)
    }

    @Test func panelMinAndMaxAndThresholdColours() {
        let t = Thresholds(base: .green, steps: [(80, .red)])
        let s = draw(BarGauge(bars: bars, min: 0, max: 200, unit: .percent, thresholds: t), width: 21, height: 2)
        #expect(s.lines == ["web-1 █████░░░░░ 100%", "db    ██▌░░░░░░░  50%"])
        #expect(s[6, 0].style.foreground == .red)
        #expect(s[6, 1].style.foreground == .green)
    }

    @Test func tallAreasSpreadTheBarsAndShortOnesSayHowManyAreLeft() {
        let spread = draw(BarGauge(bars: bars), width: 20, height: 5).trimmedLines
        #expect(spread == ["", "web-1 ██████████ 100", "", "db    █████░░░░░  50", ""])
        let many = (0..<5).map { BarGauge.Bar(name: "p\($0)", value: Double($0)) }
        // Scaled to the largest of all five (4), not of the two shown: 1 of 4 is a quarter of 6 cells.
        let short = draw(BarGauge(bars: many), width: 11, height: 3).trimmedLines
        #expect(short == ["p0 ░░░░░░ 0", "p1 █▌░░░░ 1", "+3 more"])
    }

    @Test func noDataAndNilValues() {
        #expect(draw(BarGauge(bars: []), width: 9, height: 1).lines == [" no data "])
        #expect(draw(BarGauge(bars: [.init(name: "a", value: nil)]), width: 7, height: 1).lines == ["a ░░░ –"])
    }

    @Test func awkwardAreasAndExtremeValues() {
        expectSafeInAwkwardAreas(BarGauge(bars: bars))
        let extreme = [
            BarGauge.Bar(name: "x", value: .greatestFiniteMagnitude), .init(name: "y", value: -.infinity),
            .init(name: "z", value: .nan),
        ]
        for (w, h) in [(1, 1), (3, 2), (10, 3), (40, 10)] { _ = draw(BarGauge(bars: extreme), width: w, height: h) }
    }
}

@Suite struct RowBarTests {
    @Test func foldedAndOpen() {
        #expect(
            draw(RowBar(title: "Nodes", collapsed: true, panelCount: 3), width: 24, height: 1).lines == [
                "▸ Nodes (3 panels) ─────"
            ])
        #expect(
            draw(RowBar(title: "Nodes", collapsed: false, panelCount: 3), width: 12, height: 2).lines == [
                "▾ Nodes ────", "            ",
            ])
        let focused = draw(RowBar(title: "Pods", collapsed: true, panelCount: 1, focused: true), width: 20, height: 1)
        #expect(focused.lines == ["▸ Pods (1 panel) ───"])
        #expect(focused[0, 0].style == Theme.default.focusedTitle)
        expectSafeInAwkwardAreas(RowBar(title: "Nodes", collapsed: true, panelCount: 3))
    }
}
