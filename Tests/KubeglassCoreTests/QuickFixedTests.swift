import Foundation
import Testing

@testable import KubeglassCore

/// `GrafanaNumber.fixed` formats most numbers in integer arithmetic; it must give what C's `%.*f` gives.
struct QuickFixedTests {
    @Test func agreesWithPrintfOnRandomAndTieValues() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1.005, 2.675, 1e15, 123.456, -0.001, 9.995, 0.045,
        ]
        for _ in 0..<50_000 {
            let magnitude = pow(10, Double.random(in: -6...12, using: &generator))
            values.append(Double.random(in: -magnitude...magnitude, using: &generator))
        }
        // Exact ties in binary (halves, quarters, eighths) and numbers a hair off them.
        for n in 0..<4_000 {
            let tie = Double(n) / 8
            values += [tie, tie.nextUp, tie.nextDown, -tie]
        }
        var quick = 0
        var mismatches: [String] = []
        for value in values {
            for decimals in 0...9 {
                let expected = GrafanaNumber.printfFixed(value, decimals: decimals)
                guard let got = GrafanaNumber.quickFixed(value, decimals: decimals) else { continue }
                quick += 1
                if got != expected, mismatches.count < 10 {
                    mismatches.append("\(value) d\(decimals): \(got) vs \(expected)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // The quick path must be the common one, or it saves nothing.
        #expect(quick > values.count * 10 * 8 / 10)
        #expect(GrafanaNumber.fixed(2.5, decimals: 0) == "2")
        #expect(GrafanaNumber.fixed(-0.001, decimals: 2) == "-0.00")
        #expect(GrafanaNumber.fixed(1e300, decimals: 1).count > 300)
    }
}
