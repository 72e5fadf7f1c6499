import KubeglassCore
import TestSupport
import Testing

@testable import Store

/// Rollup tiers against a naive reference: every bucket's aggregates, the newest buckets kept, counters
/// across resets, and reads that join tiers and raw samples.
struct RollupTests {
    /// Buckets as a plain loop computes them: samples grouped by `floor(time / width)`, a staleness marker
    /// ending the group; counters carry what each reset took away. The last group may still be open.
    static func referenceBuckets(_ samples: [Sample], width: Int64, isCounter: Bool) -> [RollupBucket] {
        var out: [RollupBucket] = []
        var open: (index: Int64, bucket: RollupBucket)?
        var offset = 0.0
        var previous: Double?
        for s in samples {
            if s.isStaleMarker {
                if let o = open { out.append(o.bucket) }
                open = nil
                continue
            }
            if isCounter {
                if let p = previous, s.value < p { offset += p }
                previous = s.value
            }
            let index = floorDiv(s.time, width)
            if var o = open, o.index == index {
                o.bucket.time = s.time
                o.bucket.last = s.value
                o.bucket.min = s.value < o.bucket.min ? s.value : o.bucket.min
                o.bucket.max = s.value > o.bucket.max ? s.value : o.bucket.max
                o.bucket.sum += s.value
                o.bucket.count += 1
                o.bucket.offset = offset
                open = o
            } else {
                if let o = open { out.append(o.bucket) }
                open = (
                    index,
                    RollupBucket(
                        time: s.time, last: s.value, min: s.value, max: s.value, sum: s.value, count: 1, offset: offset)
                )
            }
        }
        if let o = open { out.append(o.bucket) }
        return out
    }

    /// Finer buckets merged into buckets `width` wide.
    static func merged(_ buckets: [RollupBucket], width: Int64) -> [RollupBucket] {
        var out: [RollupBucket] = []
        var index = Int64.min
        for b in buckets {
            let i = floorDiv(b.time, width)
            if i == index, var last = out.popLast() {
                last.time = b.time
                last.last = b.last
                last.min = b.min < last.min ? b.min : last.min
                last.max = b.max > last.max ? b.max : last.max
                last.sum += b.sum
                last.count += b.count
                last.offset = b.offset
                out.append(last)
            } else {
                out.append(b)
                index = i
            }
        }
        return out
    }

    static func randomSamples(seed: UInt64, count: Int) -> [Sample] {
        var rng = SplitMix64(state: seed)
        var out: [Sample] = []
        var t: Int64 = 1_700_000_000_000 + Int64(rng.next() % 100_000)
        var counter = 0.0
        let special: [Double] = [.nan, .infinity, -0.0, 0, 1e15, 0.1]
        for _ in 0..<count {
            // Polls on a 15 s beat with jitter, sometimes a gap of hours.
            t += rng.next() % 50 == 0 ? Int64(rng.next() % 10_000_000) : 15_000 + Int64(rng.next() % 7) - 3
            let r = rng.next() % 100
            let value: Double
            switch r {
            case 0: value = Sample.staleNaN
            case 1: value = special[Int(rng.next() % UInt64(special.count))]
            case 2..<6:
                counter = 0
                value = counter // a reset
            case 6..<50:
                counter += Double(rng.next() % 10_000)
                value = counter
            case 50..<80: value = counter // unchanged
            default: value = Double(rng.next() % 1_000_000) / 1000
            }
            out.append(Sample(time: t, value: value))
        }
        return out
    }

    @Test(arguments: [(1, false), (2, true), (3, false), (4, true), (5, false), (6, true)])
    func tiersMatchTheReference(seed: UInt64, isCounter: Bool) {
        let samples = Self.randomSamples(seed: seed, count: 6_000)
        let plan = [
            SeriesStore.Tier(width: 60_000, span: 60 * 60_000), SeriesStore.Tier(width: 600_000, span: 24 * 600_000),
        ]
        var rollups = Rollups(plan, isCounter: isCounter)
        for s in samples { rollups.add(s) }
        let minutes = Self.referenceBuckets(samples, width: plan[0].width, isCounter: isCounter)
        // The ten-minute tier holds what the minute tier dropped, merged.
        let finerKept = rollups.tiers[0].buckets.count
        #expect(rollups.tiers[1].count > 0, "the minute tier has dropped some")
        let tens = Self.merged(Array(minutes.dropLast(finerKept)), width: plan[1].width)
        for (tier, (spec, expected)) in zip(rollups.tiers, zip(plan, [minutes, tens])) {
            let kept = tier.buckets
            // The newest `capacity` buckets at least, at most a chunk more (whole chunks are dropped).
            // (`buckets` has the open one too.)
            #expect(kept.count >= min(spec.capacity, expected.count))
            #expect(kept.count <= spec.capacity + Int(tier.chunkBuckets) + 1)
            let want = Array(expected.suffix(kept.count))
            if isCounter {
                // A counter keeps last and offset (min, max and sum read as last).
                #expect(kept.map(\.time) == want.map(\.time))
                #expect(kept.map(\.last.bitPattern) == want.map(\.last.bitPattern))
                #expect(kept.map(\.offset.bitPattern) == want.map(\.offset.bitPattern))
                #expect(kept.map(\.count) == want.map(\.count))
            } else {
                #expect(kept == want, "seed \(seed), width \(spec.width)")
            }
            // Saved and read back, bit for bit.
            let words = RollupStream.encode(kept, isCounter: isCounter)
            #expect(RollupStream.decode(words, count: kept.count, isCounter: isCounter) == kept)
            #expect(RollupStream.decode(Array(words.dropLast()), count: kept.count, isCounter: isCounter) == nil)
        }
    }

    @Test func damagedRollupBitsNeverTrap() {
        let samples = Self.randomSamples(seed: 9, count: 2_000)
        for isCounter in [false, true] {
            let buckets = Self.referenceBuckets(samples, width: 60_000, isCounter: isCounter)
            let words = RollupStream.encode(buckets, isCounter: isCounter)
            var rng = SplitMix64(state: 11)
            for _ in 0..<500 {
                var bad = words
                let i = Int(rng.next() % UInt64(bad.count))
                bad[i] ^= 1 << (rng.next() % 64)
                // Refused, or decoded as something: never a trap.
                _ = RollupStream.decode(bad, count: buckets.count, isCounter: isCounter)
            }
        }
    }

    /// A gauge polled every 15 s for three days with the standard tiers: reads join the 10-minute buckets,
    /// the 1-minute buckets and the raw samples, each where it is the finest there is.
    @Test func readsJoinTiersOldestCoarsest() {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000))
        let start: Timestamp = 1_700_000_000_000 / 600_000 * 600_000
        let end = start + 3 * Milliseconds.day
        let labels = Labels(["__name__": "g", "pod": "a"])
        var t = start
        while t < end {
            store.append(labels, Sample(time: t, value: Double((t / 15_000) % 40)))
            t += 15_000
        }
        let newest = end - 15_000
        let all = store.select([], reading: .average, level: 0)[0].samples
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.time < $1.time })
        let gaps = zip(all, all.dropFirst()).map { $1.time - $0.time }
        let minuteFrom = newest - Milliseconds.day
        // Oldest first: ten-minute buckets, then one-minute buckets (at least the last day), then raw
        // samples (the last hour); each tier keeps up to one chunk more than its span.
        #expect(gaps.first == 600_000 && gaps.last == 15_000)
        let steady = gaps.filter { [600_000, 60_000, 15_000].contains($0) }
        #expect(gaps.count - steady.count <= 2, "only where one tier gives way to the next")
        #expect(zip(steady, steady.dropFirst()).allSatisfy { $0 >= $1 }, "coarsest first")
        #expect(steady.filter { $0 == 15_000 }.count >= 239)
        #expect(steady.filter { $0 == 60_000 }.count >= 1440 - 60)
        #expect(all.first!.time < newest - 2 * Milliseconds.day)
        // A 10-minute bucket's mean is the mean of its 40 samples (0…39): 19.5.
        #expect(all.first!.value == 19.5)
        // Its max, min and count.
        let old = start + Milliseconds.day
        #expect(store.select([], from: old, to: old + 600_000, reading: .max, level: 2)[0].samples.map(\.value) == [39])
        #expect(store.select([], from: old, to: old + 600_000, reading: .min, level: 2)[0].samples.map(\.value) == [0])
        #expect(
            store.select([], from: old, to: old + 600_000, reading: .count, level: 2)[0].samples.map(\.value) == [40])
        // At level 2, the last day reads ten-minute buckets too, then finer ones after the newest closed one.
        let coarse = store.select([], from: minuteFrom, reading: .average, level: 2)[0].samples
        #expect(coarse.count < 24 * 6 + 10 + 60)
        #expect(coarse.last!.time == newest)

        let footprint = store.footprint
        print(
            "rollups: \(footprint.buckets) buckets in \(footprint.rollupBytes) bytes,"
                + " \(Double(footprint.rollupBytes) / Double(footprint.buckets)) B a bucket")
        #expect(footprint.buckets >= 1440 + 144, "a day of minutes, and the ten-minute buckets before it")
    }
}

/// The memory budget and pruning: the oldest rollups go first, raw samples stay; a silent series keeps
/// its rollups past the raw retention and goes once its whole history has passed.
struct RollupBudgetTests {
    static func threeDays(series: Int) -> (SeriesStore, Timestamp) {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000, maxSeries: 10_000))
        let start: Timestamp = 1_700_000_000_000 / 600_000 * 600_000
        var t = start
        while t < start + 3 * Milliseconds.day {
            let batch = (0..<series).map { i in
                (labels: Labels(["__name__": "g", "pod": "p\(i)"]), value: Double((t / 15_000 + Int64(i)) % 97))
            }
            store.append(batch, at: t)
            t += 15_000
        }
        return (store, t - 15_000)
    }

    @Test func theBudgetDropsTheOldestBucketsFirstAndKeepsRawSamples() async throws {
        let (store, newest) = try await offThePool { Self.threeDays(series: 10) }
        let raw = store.select([], from: newest - Milliseconds.hour + 15_000)
        let oldestBefore = store.select([], reading: .average, level: 0)[0].samples.first!.time
        let full = store.estimatedBytes
        let check = store.enforce(budget: full / 2)
        #expect(check.before == full && check.after <= full / 2, "\(check)")
        let cut = try! #require(check.cutBefore)
        let after = store.select([], reading: .average, level: 0)[0].samples
        #expect(
            after.first!.time > oldestBefore && after.first!.time >= cut - 16 * 60_000,
            "(raw samples up to a chunk past the retention stay) \((cut - after.first!.time) / 60_000) min before the cut, \((newest - cut) / 60_000) min ago"
        )
        // The last hour is untouched.
        #expect(store.select([], from: newest - Milliseconds.hour + 15_000).map(\.samples) == raw.map(\.samples))
        // Within budget: nothing more goes.
        #expect(store.enforce(budget: full).cutBefore == nil)
        // A budget below the raw samples cuts every bucket, and no raw sample.
        let tight = store.enforce(budget: 1)
        #expect(tight.after > 1 && store.footprint.buckets <= 10 * 2)
        #expect(store.select([], from: newest - Milliseconds.hour + 15_000).map(\.samples) == raw.map(\.samples))
    }

    @Test func silentSeriesKeepTheirRollupsUntilTheirHistoryHasPassed() async throws {
        let (store, newest) = try await offThePool { Self.threeDays(series: 3) }
        let before = store.select([.equal("pod", "p1")], reading: .average, level: 0)[0].samples
        store.prune(now: newest + 2 * Milliseconds.hour)
        let retired = store.select([.equal("pod", "p1")], reading: .average, level: 0)
        #expect(store.seriesCount == 3 && store.footprint.samples == 0, "raw samples go, rollups stay")
        #expect(retired[0].samples.count > 1440 && retired[0].samples.first == before.first)
        // Its whole history, rolled up: a minute bucket for every minute of the last hour too.
        #expect(retired[0].samples.last!.time == newest)
        store.prune(now: newest + Milliseconds.week + Milliseconds.hour)
        #expect(store.seriesCount == 0)
    }
}
