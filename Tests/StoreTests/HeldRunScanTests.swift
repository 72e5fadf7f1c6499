import KubeglassCore
import TestSupport
import Testing

@testable import Store

/// A read with `heldRuns` gives a series that held one value through the window as its newest two samples,
/// without decoding; every other series as a whole read gives it. Checked against the whole read over
/// series that hold still for a while and then move, with NaNs, staleness markers, gaps, values replaced at
/// the same time, and (with tiers) rollups behind the raw samples.
@Suite struct HeldRunScanTests {
    @Test(arguments: [false, true]) func aHeldRunIsTheNewestTwoOfAWindowThatHeldOneValue(rollups: Bool) {
        let store = SeriesStore(
            .init(
                retention: 300_000, interval: 1000, maxSeries: 10_000,
                tiers: rollups ? SeriesStore.Tier.standard : []))
        var rng = SplitMix64(state: 7)
        var values = [Double](repeating: 0, count: 60)
        for t in stride(from: Int64(1000), through: 700_000, by: 1000) {
            var batch: [(Labels, Sample)] = []
            for i in values.indices {
                // Some series skip polls for a while (a gap), some move often, most rarely.
                if i % 6 == 1 && (t / 1000) % 200 > 150 { continue }
                let odds: UInt64 = i % 4 == 0 ? 3 : 90
                if rng.next() % odds == 0 {
                    switch rng.next() % 10 {
                    case 0: values[i] = .nan
                    case 1: values[i] = Sample.staleNaN
                    case 2: values[i] = -0.0
                    default: values[i] = Double(rng.next() % 5)
                    }
                }
                batch.append((Labels(name: "m", ["pod": "p-\(i)"]), Sample(time: t, value: values[i])))
            }
            store.append(batch)
            if rng.next() % 50 == 0 {
                // A value replaced at the same time (a second source's round, say).
                let i = Int(rng.next() % UInt64(values.count))
                values[i] += 1
                store.append([(Labels(name: "m", ["pod": "p-\(i)"]), Sample(time: t, value: values[i]))])
            }
        }
        let matchers = [LabelMatcher.equal(Labels.metricName, "m")]
        var held = 0
        var windows = 0
        for _ in 0..<300 {
            let to = Int64(rng.next() % 720_000)
            let from = to - Int64(rng.next() % 400_000)
            for reading in [RollupReading.counter, .last] {
                var whole: [Labels: [Sample]] = [:]
                store.scan(matchers, from: from, to: to, reading: reading) { labels, samples in whole[labels] = samples
                }
                var read: [Labels: [Sample]] = [:]
                store.scan(matchers, from: from, to: to, reading: reading, heldRuns: true) { labels, samples in
                    read[labels] = samples
                }
                windows += 1
                #expect(Set(read.keys) == Set(whole.keys), "window [\(from), \(to)]")
                for (labels, samples) in whole {
                    guard let got = read[labels] else { continue }
                    if bits(got) == bits(samples) { continue }
                    // Read short: the whole window held one value, and these are its last two samples.
                    held += 1
                    let last = samples.last!.value.bitPattern
                    #expect(samples.count > 2 && got.count == 2, "\(labels) in [\(from), \(to)]")
                    #expect(samples.allSatisfy { $0.value.bitPattern == last }, "\(labels) in [\(from), \(to)]")
                    #expect(bits(got) == bits(Array(samples.suffix(2))), "\(labels) in [\(from), \(to)]")
                }
            }
        }
        // The short read was taken, often: a test of it that never saw it would prove nothing.
        #expect(held >= 100, "\(held) short reads in \(windows) windows")
    }

    private func bits(_ samples: [Sample]) -> [[UInt64]] {
        samples.map { [UInt64(bitPattern: $0.time), $0.value.bitPattern] }
    }
}
