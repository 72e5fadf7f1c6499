import Testing

@testable import TerminalUI

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
