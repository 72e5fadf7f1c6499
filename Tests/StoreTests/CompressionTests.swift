import Foundation
import KubeglassCore
import Testing

@testable import Store

/// What a sample costs, by the kind of series: bounds on the bytes the chunks hold (deterministic:
/// the same samples always make the same bits).
struct CompressionTests {
    static func bytesPerSample(_ value: (Int) -> Double, jitter: Bool = false) -> Double {
        var buffer = SampleBuffer(capacity: 721)
        for i in 0..<721 {
            let late: Int64 = jitter && i % 7 == 3 ? 2 : 0
            buffer.append(Sample(time: 1_700_000_000_000 + Int64(i) * 5_000 + late, value: value(i)))
        }
        #expect(buffer.count == 721)
        return Double(buffer.sampleBytes) / 721
    }

    @Test func aConstantSeriesCostsUnderAThirdOfAByte() {
        #expect(Self.bytesPerSample { _ in 42 } < 0.3)
        #expect(Self.bytesPerSample({ _ in 1 }, jitter: true) < 0.9, "a poll 2 ms late costs two time changes")
    }

    @Test func integersCostTheirChangeNotTheirSize() {
        // Working-set bytes near 100 MB moving by tens of kB a poll; nanocores near a quarter core.
        let bytes = Self.bytesPerSample { (1e8 + 6e5 * sin(Double($0) / 20)).rounded() }
        let cores = Self.bytesPerSample { ((0.25 + 0.01 * sin(Double($0) / 20)) * 1e9).rounded() / 1e9 }
        #expect(bytes < 3.5, "\(bytes)")
        #expect(cores < 4, "\(cores)")
        // A counter that only grows by small steps.
        #expect(Self.bytesPerSample { Double($0 * 3 + ($0 % 5)) } < 2)
    }

    @Test func arbitraryDoublesStillRoundTripCompactly() {
        let noisy = Self.bytesPerSample { 1.5 + sin(Double($0) / 10) * 100 }
        #expect(noisy < 9.5, "\(noisy)")
    }
}
