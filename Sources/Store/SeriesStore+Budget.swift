import KubeglassCore

extension SeriesStore {
    /// What a series costs beyond its samples and rollups: its entry, its box of codec state, its share of
    /// the slot table, the indexes and the label pairs and strings. Measured, not computed: the heap an hour
    /// of the demo's 6,576 series gives back when its store goes, less its samples' bytes, is 402–429 B a
    /// series over runs (`scripts/bench-store`; `heapUse` gives the parts: 359 B of them, label
    /// strings included).
    public static let bytesPerSeries = 420

    /// The store's memory as it counts it: samples, buckets, the rollups' state (`Rollups.bytes` counts the
    /// tiers' own structures), and `bytesPerSeries` a series.
    public var estimatedBytes: Int {
        eachShard { s in
            var bytes = 0
            for id in s.bySlot.slots {
                guard let buffer = s.entries[Int(id)].samples else { continue }
                bytes += buffer.sampleBytes + buffer.rollupBytes + SeriesStore.bytesPerSeries
            }
            return bytes
        }.reduce(0, +)
    }

    /// `estimatedBytes` by part: the raw samples, each rollup tier's buckets (finest first: a minute for
    /// a day, ten minutes for a week) and `bytesPerSeries` a series. The parts add up to `estimatedBytes`.
    public struct ByteParts: Sendable, Equatable {
        public var samples = 0
        public var tiers: [Int] = []
        public var series = 0
        public var total: Int { samples + tiers.reduce(0, +) + series }
    }

    public var estimatedBytesByPart: ByteParts {
        let count = configuration.tiers.count
        return eachShard { s in
            var parts = ByteParts(tiers: Array(repeating: 0, count: count))
            for id in s.bySlot.slots {
                guard let buffer = s.entries[Int(id)].samples else { continue }
                parts.samples += buffer.sampleBytes
                parts.series += SeriesStore.bytesPerSeries
                for (t, tier) in (buffer.rollups?.tiers ?? []).enumerated() where t < count {
                    // The tiers' array block goes with the finest tier.
                    parts.tiers[t] += tier.bytes + (t == 0 ? RollupTier.blockHeader : 0)
                }
            }
            return parts
        }.reduce(into: ByteParts(tiers: Array(repeating: 0, count: count))) { total, p in
            total.samples += p.samples
            total.series += p.series
            for t in 0..<count { total.tiers[t] += p.tiers[t] }
        }
    }

    /// What `enforce(budget:)` found and did.
    public struct BudgetCheck: Sendable, Equatable {
        /// Estimated bytes before and after.
        public var before: Int
        public var after: Int
        /// History now starts here: buckets before it were dropped (nil: nothing was cut).
        public var cutBefore: Timestamp?
    }

    /// Keeps the store within `budget` bytes by dropping the oldest rollup buckets first (the oldest are
    /// only in the coarsest tier), a quarter of the rolled-up history at a time, down to the raw samples,
    /// which the budget does not cut (`--retention` and `--max-series` bound them).
    public func enforce(budget: Int) -> BudgetCheck {
        let before = estimatedBytes
        var check = BudgetCheck(before: before, after: before)
        let newest = newestTime.load(ordering: .relaxed)
        guard before > budget, newest > .min else { return check }
        let rawFrom = newest - configuration.retention
        let oldest = eachShard { s in
            s.bySlot.slots.compactMap { s.entries[Int($0)].samples?.oldestRollupTime }.min()
        }.compactMap { $0 }.min()
        guard let oldest, oldest < rawFrom else { return check }
        for quarter in 1...4 where check.after > budget {
            let cut = min(rawFrom, oldest + (rawFrom - oldest) / 4 * Int64(quarter))
            _ = eachShard { s in
                for id in s.bySlot.slots { s.entries[Int(id)].samples?.dropRollups(before: cut) }
            }
            check.cutBefore = cut
            check.after = estimatedBytes
            oldestTime.store(max(oldestTime.load(ordering: .relaxed), cut), ordering: .releasing)
            noteRewrite()
        }
        return check
    }
}
