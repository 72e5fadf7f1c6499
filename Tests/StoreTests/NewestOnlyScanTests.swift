import KubeglassCore
import TestSupport
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

    /// A range selector's read from `seek` (its first step) leaves out chunks wholly older than a sample at or
    /// before it: at every time from `seek` on, the newest sample in the window is the same as the whole read's,
    /// with rollups behind the raw samples or without.
    @Test(arguments: [false, true]) func aSeekingReadHasTheSameNewestSampleAtEveryLaterTime(rollups: Bool) {
        let store = SeriesStore(
            .init(
                retention: 600_000, interval: 1000, maxSeries: 10_000,
                tiers: rollups ? SeriesStore.Tier.standard : []))
        var rng = SplitMix64(state: 20)
        // 40 series over 900 polls (past the raw retention, so the oldest samples roll up); some with gaps
        // longer than a chunk, some ending in a staleness marker, then back.
        for t in stride(from: Int64(1000), through: 900_000, by: 1000) {
            var batch: [(Labels, Sample)] = []
            for i in 0..<40 {
                if i % 5 == 0 && (t / 1000) % 400 > 250 { continue }
                let value =
                    i % 7 == 0 && (t / 1000) % 300 == 0 ? Sample.staleNaN : Double(Int(rng.next() % 50))
                batch.append((Labels(name: "m", ["pod": "p-\(i)"]), Sample(time: t, value: value)))
            }
            store.append(batch)
        }
        let matchers = [LabelMatcher.equal(Labels.metricName, "m")]
        var decodedWhole = 0
        var decodedSeeking = 0
        // Seeks every 1.7 s over five minutes (so some land just before a chunk's first sample), and a few more.
        let seeks = stride(from: Int64(600_000), through: 900_000, by: 1_700).map { ($0, Int64(300_000)) }
        for (seek, lookback) in seeks + [(650_123, 5_000), (899_000, 1), (500_000, 600_000)] {
            let to = min(900_000, seek + 40_000)
            var whole: [Labels: [Sample]] = [:]
            store.scan(matchers, from: seek - lookback + 1, to: to, reading: .average) { labels, samples in
                whole[labels] = samples
                decodedWhole += samples.count
            }
            var seeking: [Labels: [Sample]] = [:]
            store.scan(matchers, from: seek - lookback + 1, to: to, reading: .average, seek: seek) {
                labels, samples in
                seeking[labels] = samples
                decodedSeeking += samples.count
            }
            #expect(Set(whole.keys) == Set(seeking.keys))
            for (labels, samples) in whole {
                let kept = seeking[labels] ?? []
                for t in stride(from: seek, through: to, by: 900) {
                    let a = samples.last { $0.time <= t }
                    let b = kept.last { $0.time <= t }
                    #expect(
                        a?.time == b?.time && a?.value.bitPattern == b?.value.bitPattern,
                        "\(labels) at \(t) (seek \(seek), lookback \(lookback)): \(String(describing: a)) vs \(String(describing: b))"
                    )
                }
            }
        }
        #expect(
            decodedSeeking * 2 < decodedWhole,
            "seeking left out most of the lookback (\(decodedSeeking) of \(decodedWhole))")
    }
}
