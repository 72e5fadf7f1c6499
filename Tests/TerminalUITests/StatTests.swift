import Testing
import KubeglassCore
@testable import TerminalUI

@Suite struct StatTests {
    @Test func bigDigitsWithABigPercentSign() {
        let s = draw(Stat(value: 42, unit: .percent, color: .yellow), width: 13, height: 5)
        #expect(s.lines == [
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
        #expect(s.lines == [
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
        #expect(s.lines[1...3] == [
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
        #expect(draw(Stat(value: 7, sparkline: [1, 2]), width: 5, height: 3).trimmedLines == ["  7", "", "   ▅█"])
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

@Suite struct ThresholdsTests {
    @Test func stepsApplyFromTheirValueUp() {
        let t = Thresholds(base: .green, steps: [(90, .red), (80, .yellow)])
        #expect(t.color(for: nil) == .green)
        #expect(t.color(for: .nan) == .green)
        #expect(t.color(for: -.infinity) == .green)
        #expect(t.color(for: 79.9) == .green)
        #expect(t.color(for: 80) == .yellow)
        #expect(t.color(for: 89.9) == .yellow)
        #expect(t.color(for: 90) == .red)
        #expect(t.color(for: .infinity) == .red)
        #expect(Thresholds(base: .blue).color(for: 1e300) == .blue)
        #expect(Thresholds.standard(warning: 1, critical: 2).color(for: 1.5) == Theme.default.warning)
    }
}

@Suite struct GaugeTests {
    @Test func barInEighthsWithPercent() {
        // 16 cells × 8 = 128 eighths; 62% is 79: nine full cells and ▉ (7/8).
        let s = draw(Gauge(value: 62, color: .cyan), width: 20, height: 1)
        #expect(s.lines == ["█████████▉░░░░░░ 62%"])
        #expect(s[0, 0].style == Style(foreground: .cyan))
        #expect(s[10, 0].style == Theme.default.dimText)
        #expect(s[17, 0].style == Theme.default.text)
    }

    @Test func thresholdsColourTheBar() {
        let t = Thresholds(base: .green, steps: [(80, .yellow), (90, .red)])
        #expect(draw(Gauge(value: 95, thresholds: t), width: 10, height: 1)[0, 0].style.foreground == .red)
        #expect(draw(Gauge(value: 10, thresholds: t), width: 10, height: 1)[0, 0].style.foreground == .green)
        #expect(draw(Gauge(value: 10), width: 10, height: 1)[0, 0].style.foreground == Theme.default.ok)
    }

    @Test func labelsAndOutOfRangeValues() {
        #expect(draw(Gauge(value: 120), width: 10, height: 1).lines == ["█████ 120%"])
        #expect(draw(Gauge(value: -5), width: 8, height: 1).lines == ["░░░░ -5%"])
        #expect(draw(Gauge(value: nil), width: 6, height: 1).lines == ["░░░░ –"])
        #expect(draw(Gauge(value: 5, min: 5, max: 5), width: 6, height: 1).lines == ["░░░░ –"])
        let mib = 1_048_576.0
        let memory = Gauge(value: 512 * mib, max: 1024 * mib, unit: .bytes, label: .valueAndPercent)
        #expect(memory.labelText == "512 MiB 50%")
        #expect(Gauge(value: 512 * mib, max: 1024 * mib, unit: .bytes, label: .value).labelText == "512 MiB")
        #expect(draw(Gauge(value: 50, label: .none), width: 4, height: 1).lines == ["██░░"])
    }

    @Test func labelDroppedWhenNarrowAndBarOnTheMiddleRow() {
        #expect(draw(Gauge(value: 50), width: 6, height: 1).lines == ["███░░░"])
        #expect(draw(Gauge(value: 100), width: 8, height: 3).lines == ["        ", "███ 100%", "        "])
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(Gauge(value: 50))
        expectSafeInAwkwardAreas(Gauge(value: .greatestFiniteMagnitude, min: -.greatestFiniteMagnitude, max: 1))
    }
}
