import KubeglassCore
import Testing

@testable import Store

/// An instant selector reads each series' newest sample in its window: read in place when it is the series'
/// newest raw sample, decoded from its chunks for a time in the past. Either way, the same as the last of
/// the whole window.
@Suite struct NewestOnlyScanTests {
    @Test(arguments: [10_000, 1_000_000]) func theNewestOfAWindowIsTheLastOfItsSamples(maxSeries: Int) {
        let store = SeriesStore(.init(retention: 600_000, interval: 1000, maxSeries: maxSeries, tiers: []))
        var rng = SystemRandomNumberGenerator()
        // 300 series over 400 polls; some stop early (their newest is old), some end in a staleness marker.
        for t in stride(from: Int64(1000), through: 400_000, by: 1000) {
            var batch: [(Labels, Sample)] = []
            for i in 0..<300 {
                if i % 7 == 0 && t > 200_000 { continue }
                let value = i % 11 == 0 && t == 400_000 ? Sample.staleNaN : Double(Int.random(in: 0..<50, using: &rng))
                batch.append((Labels(name: "m", ["pod": "p-\(i)", "ns": "n\(i % 3)"]), Sample(time: t, value: value)))
            }
            store.append(batch)
        }
        let matchers = [LabelMatcher.equal(Labels.metricName, "m")]
        for (time, lookback) in [
            (Int64(400_000), Int64(300_000)), (400_500, 5_000), (250_000, 300_000), (123_456, 10_000),
            (203_000, 2_000), (400_000, 1),
        ] {
            for ordered in [true, false] {
                var whole: [Labels: Sample] = [:]
                var wholeOrder: [Labels] = []
                store.scan(matchers, from: time - lookback + 1, to: time, reading: .average, ordered: ordered) {
                    labels, samples in
                    whole[labels] = samples.last
                    wholeOrder.append(labels)
                }
                var newest: [Labels: Sample] = [:]
                var newestOrder: [Labels] = []
                store.scan(
                    matchers, from: time - lookback + 1, to: time, reading: .average, ordered: ordered, newestOnly: true
                ) { labels, samples in
                    #expect(samples.count == 1)
                    newest[labels] = samples.last
                    newestOrder.append(labels)
                }
                #expect(!whole.isEmpty || lookback == 1)
                #expect(newest.count == whole.count, "at \(time), lookback \(lookback)")
                for (labels, sample) in whole {
                    #expect(newest[labels]?.time == sample.time)
                    #expect(newest[labels]?.value.bitPattern == sample.value.bitPattern)
                }
                if ordered { #expect(newestOrder == wholeOrder) }
            }
        }
    }
}
