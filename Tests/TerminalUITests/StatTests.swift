import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct StatTests {
    @Test func bigDigitsWithABigPercentSign() {
        let s = draw(Stat(value: 42, unit: .percent, color: .yellow), width: 13, height: 5)
        #expect(
            s.lines == [
                "             ",
                " █ █ ▀▀█ ▀ █ ",
                " ▀▀█ █▀▀ ▄▀  ",
                "   ▀ ▀▀▀ ▀ ▀ ",
                "             ",
            ])
        #expect(s[1, 1].style == Style(foreground: .yellow))
    }

    @Test func bigDigitsWithASmallSuffixAndASparkline() {
        let gib = 1_073_741_824.0
        let s = draw(Stat(value: 1.5 * gib, unit: .bytes, color: .green, sparkline: [0, 1, 2]), width: 20, height: 5)
        #expect(
            s.lines == [
                " ▄█    █▀▀ █▀█      ",
                "  █    ▀▀█ █ █      ",
                " ▀▀▀ ▀ ▀▀▀ ▀▀▀ GiB  ",
                "                    ",
                "                 ▁▅█",
            ])
        #expect(s[15, 2].style == Style(foreground: .green).bold)
        #expect(s[19, 4].style == Style(foreground: .green))
    }

    @Test func everyDigitHasAGlyph() {
        let s = draw(Stat(value: 1_234_567_890, unit: .none), width: 40, height: 5)
        #expect(
            s.lines[1...3] == [
                "▄█  ▀▀█ ▀▀█ █ █ █▀▀ █▀▀ ▀▀█ █▀█ █▀█ █▀█ ",
                " █  █▀▀ ▀▀█ ▀▀█ ▀▀█ █▀█   █ █▀█ ▀▀█ █ █ ",
                "▀▀▀ ▀▀▀ ▀▀▀   ▀ ▀▀▀ ▀▀▀   ▀ ▀▀▀ ▀▀▀ ▀▀▀ ",
            ])
    }

    @Test func noValueIsABigDash() {
        let s = draw(Stat(value: nil), width: 5, height: 5)
        #expect(s.lines == ["     ", "     ", " ▀▀▀ ", "     ", "     "])
    }

    @Test func oneBoldLineWhenLowOrNarrow() {
        let s = draw(Stat(value: 0.25, unit: .cores, color: .red), width: 10, height: 1)
        #expect(s.lines == ["   250m   "])
        #expect(s[3, 0].style == Style(foreground: .red).bold)
        #expect(draw(Stat(value: 0.25, unit: .cores), width: 10, height: 4).trimmedLines == ["", "   250m", "", ""])
        // Five rows but too narrow for the big digits.
        #expect(draw(Stat(value: 1234, unit: .none), width: 6, height: 5).trimmedLines == ["", "", " 1234", "", ""])
        #expect(draw(Stat(value: 123_456, unit: .none), width: 4, height: 1).lines == ["123…"])
        #expect(draw(Stat(value: .nan), width: 9, height: 5).trimmedLines == ["", "", "   NaN", "", ""])
    }

    @Test func sparklineNeedsThreeRows() {
        #expect(draw(Stat(value: 7, sparkline: [1, 2]), width: 5, height: 3).trimmedLines == ["  7", "", "   ▁█"])
        #expect(draw(Stat(value: 7, sparkline: [1, 2]), width: 5, height: 2).trimmedLines == ["  7", ""])
    }

    @Test func extremeValuesAndAwkwardAreas() {
        for v in [Double.greatestFiniteMagnitude, -1e300, .infinity, -.infinity, 0, -0.0001] {
            _ = draw(Stat(value: v, sparkline: [v, nil, .nan]), width: 12, height: 6)
        }
        expectSafeInAwkwardAreas(Stat(value: 42, unit: .percent, sparkline: [1, 2, 3]))
        expectSafeInAwkwardAreas(Stat(value: nil))
    }
}
