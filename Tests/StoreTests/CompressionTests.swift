import Foundation
import KubeglassCore
import TestSupport
import Testing

@testable import Store

/// What a sample costs, by the kind of series: bounds on the bytes the chunks hold (deterministic:
/// the same samples always make the same bits).
struct CompressionTests {
    static func bytesPerSample(_ value: (Int) -> Double, jitter: Bool = false, divisors: [Double] = []) -> Double {
        var buffer = SampleBuffer(capacity: 721)
        var written: [Sample] = []
        for i in 0..<721 {
            let late: Int64 = jitter && i % 7 == 3 ? 2 : 0
            let sample = Sample(time: 1_700_000_000_000 + Int64(i) * 5_000 + late, value: value(i))
            buffer.append(sample, divisors: RecentValues(divisors))
            written.append(sample)
        }
        #expect(buffer.count == 721)
        let read = buffer.samples(from: .min, to: .max)
        #expect(read.map(\.time) == written.map(\.time))
        #expect(read.map(\.value.bitPattern) == written.map(\.value.bitPattern), "every value exact")
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

    @Test func smoothIntegersCostTheirSecondDifference() {
        // Log files that grow by a steady rate: the change repeats, and only its noise is written.
        let ramp = Self.bytesPerSample { Double(20_000_000_000 + $0 * 40_960 + ($0 * 7919 % 3)) }
        #expect(ramp < 1.3, "\(ramp)")
        // A slow curve of working-set bytes.
        let curve = Self.bytesPerSample { (3e8 + 4e7 * sin(Double($0) / 60)).rounded() }
        #expect(curve < 2.8, "\(curve)")
    }

    @Test func ratiosCostTheirNumerator() {
        // A pod's working set by its request (256 Mi), and its nanocores by its request (300m cores): values
        // no decimal gives, coded as bytes and nanocores once the divisor is found among the values before.
        let request = 268_435_456.0
        let bytes: (Int) -> Double = { (1.5e8 + 2e7 * sin(Double($0) / 60)).rounded() }
        let memory = Self.bytesPerSample({ bytes($0) / request }, divisors: [0.25, 2, request, 1])
        let asBytes = Self.bytesPerSample(bytes)
        #expect(memory <= asBytes + 0.1, "\(memory) vs \(asBytes)")
        var rng = SplitMix64(state: 11)
        let nanocores = (0..<721).map { _ in Double(100_000_000 + rng.next() % 20_000_000) }
        let cpu = Self.bytesPerSample({ nanocores[$0] / 1e9 / 0.3 }, divisors: [request, 0.3])
        let asCores = Self.bytesPerSample { nanocores[$0] / 1e9 }
        // A chunk's head holds the divisor: 64 bits a chunk.
        #expect(cpu <= asCores + 0.1, "\(cpu) vs \(asCores)")
        // Without the divisor among them, the same ratios are arbitrary doubles, and still exact.
        let blind = Self.bytesPerSample { nanocores[$0] / 1e9 / 0.3 }
        #expect(blind > cpu + 1, "\(blind) vs \(cpu)")
    }

    @Test func aRatioWhoseDivisorChangesStaysExact() {
        // The request changes mid-chunk (a resized pod): the old divisor no longer gives the values, and
        // the new one is found at the next chunk; a value of 0 or an odd double in between stays exact.
        var rng = SplitMix64(state: 5)
        let odd: [Double] = [0, .nan, Sample.staleNaN, 1e300, -0.0, 0.1 + 0.2]
        _ = Self.bytesPerSample(
            { i in
                let request = i < 300 ? 0.5 : 0.75
                if i % 37 == 0 { return odd[i / 37 % odd.count] }
                return Double(rng.next() % 1_000_000_000) / 1e9 / request
            }, divisors: [0.5, 0.75])
    }

    @Test func aStoreFindsARatiosDivisorAmongItsPodsSeries() {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 5_000))
        var rng = SplitMix64(state: 9)
        for i in 0..<721 {
            let time = Int64(1_700_000_000_000) + Int64(i) * 5_000
            var batch: [(labels: Labels, value: Double)] = []
            for pod in 0..<20 {
                let request = Double(100 + 50 * pod) / 1000
                let cpu = Double(50_000_000 + rng.next() % 10_000_000) / 1e9
                let labels = SharedLabels(["pod": "p\(pod)"])
                batch += [
                    (labels.labels(name: "requests"), request), (labels.labels(name: "restarts"), 0),
                    (labels.labels(name: "cpu"), cpu), (labels.labels(name: "ratio"), cpu / request),
                ]
            }
            store.append(batch, at: time)
        }
        let f = store.footprint
        let ratio = f.byMetric["ratio"]!
        let cpu = f.byMetric["cpu"]!
        // Within an eighth: each chunk's head holds the divisor, and a request of a power of two keeps the
        // ratio a decimal (of twice the nanocores).
        #expect(ratio.bytes <= cpu.bytes + cpu.bytes / 8, "\(ratio) vs \(cpu)")
    }

    @Test func arbitraryDoublesStillRoundTripCompactly() {
        let noisy = Self.bytesPerSample { 1.5 + sin(Double($0) / 10) * 100 }
        #expect(noisy < 9.5, "\(noisy)")
    }
}
