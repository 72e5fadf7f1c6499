import Testing

@testable import TerminalUI

@Suite struct SparklineTests {
    @Test func rampUsesEveryEighth() {
        let s = draw(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]), width: 8, height: 1)
        #expect(s.lines == ["▁▂▃▄▅▆▇█"])
    }

    @Test func newestValueIsAtTheRightEdgeAndOnlyTheLastWidthValuesShow() {
        #expect(draw(Sparkline(values: [7, 0, 7]), width: 5, height: 1).lines == ["  █▁█"])
        #expect(draw(Sparkline(values: [100, 7, 0, 7]), width: 3, height: 1).lines == ["█▁█"])
    }

    @Test func gapsAndNonFiniteValuesAreBlank() {
        let s = draw(Sparkline(values: [8, nil, 4, .nan, .infinity, 0]), width: 6, height: 1)
        #expect(s.lines == ["█ ▅  ▁"])
    }

    @Test func scaleStartsAtZeroUnlessAValueIsNegative() {
        #expect(draw(Sparkline(values: [4, 8]), width: 2, height: 1).lines == ["▅█"])
        #expect(draw(Sparkline(values: [-2, 0, 2]), width: 3, height: 1).lines == ["▁▅█"])
    }

    @Test func fixedMinAndMaxClampValuesOutside() {
        let s = draw(Sparkline(values: [-5, 10, 15, 20, 50], min: 10, max: 20), width: 5, height: 1)
        #expect(s.lines == ["▁▁▅██"])
    }

    @Test func constantSeriesDoNotDivideByZero() {
        #expect(draw(Sparkline(values: [0, 0, 0]), width: 3, height: 1).lines == ["▁▁▁"])
        #expect(draw(Sparkline(values: [5, 5, 5]), width: 3, height: 1).lines == ["███"])
        #expect(draw(Sparkline(values: [-3, -3]), width: 2, height: 1).lines == ["▁▁"])
        #expect(draw(Sparkline(values: [4], min: 4, max: 4), width: 1, height: 1).lines == ["▁"])
    }

    @Test func emptyAndAllNaNDrawBlank() {
        #expect(draw(Sparkline(values: []), width: 3, height: 1).lines == ["   "])
        #expect(draw(Sparkline(values: [.nan, .nan, nil]), width: 3, height: 1).lines == ["   "])
    }

    @Test func extremeValues() {
        let huge = Double.greatestFiniteMagnitude
        #expect(draw(Sparkline(values: [-huge, 0, huge]), width: 3, height: 1).lines == ["▁▅█"])
        #expect(draw(Sparkline(values: [1e-300, 2e-300]), width: 2, height: 1).lines == ["▅█"])
    }

    @Test func tallAreasStackBars() {
        // 16 eighths: 5 → 1+5=6, 10 → 11, 15 → 16.
        let s = draw(Sparkline(values: [0, 5, 10, 15]), width: 4, height: 2)
        #expect(s.lines == ["  ▃█", "▁▆██"])
    }

    @Test func drawsOnlyInsideAnOffsetAreaWithItsStyle() {
        // Half of the scale is 1 + 3.5 eighths, rounded up: ▅.
        let style = Style(foreground: .green).bold
        let s = draw(
            Sparkline(values: [1, nil, 2], style: style), width: 7, height: 3,
            area: Rect(x: 2, y: 1, width: 4, height: 1))
        #expect(s.lines == ["xxxxxxx", "xx ▅ █x", "xxxxxxx"])
        #expect(s[3, 1] == Cell("▅", style: style))
        #expect(s[2, 1] == Cell(" ", style: style))
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(Sparkline(values: [1, 2, nil, 3]))
        expectSafeInAwkwardAreas(Sparkline(values: []))
    }
}
