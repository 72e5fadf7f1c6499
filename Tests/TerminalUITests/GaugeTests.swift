import KubeglassCore
import Testing

@testable import TerminalUI

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
