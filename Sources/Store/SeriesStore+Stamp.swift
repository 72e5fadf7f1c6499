import KubeglassCore

extension SeriesStore {
    /// What an instant selector's answer depends on besides the time it is asked at: equal stamps taken at
    /// two times mean that no series it matches was added or removed, changed its value (bit for bit), or came
    /// back after a gap, and that nothing in the past was rewritten. An answer cache compares them.
    public struct SelectorStamp: Equatable, Sendable {
        let digest: UInt64
        let series: Int
    }

    /// The stamp of the series `matchers` select (which must name a metric), and the oldest newest-sample
    /// time among them that is later than `after` (nil: none is). nil when a round is being written (a
    /// series has a sample later than readers see yet): an answer read now cannot be compared with one read
    /// once it is whole.
    public func stamp(_ matchers: [LabelMatcher], newestAfter after: Timestamp) -> (
        stamp: SelectorStamp, oldestNewest: Timestamp?
    )? {
        guard let name = matchers.first(where: { $0.name == Labels.metricName && $0.kind == .equal })?.value
        else { return nil }
        let visible = newestTime.load(ordering: .acquiring)
        let rewrites = rewrites
        let parts = eachShardAtOnce { shard, s -> (digest: UInt64, series: Int, oldest: Timestamp, whole: Bool) in
            let ids = s.candidates(matchers).ids
            let matchers = State.unchecked(matchers)
            var digest = SeriesStore.mix(s.byName.version(of: name) &+ UInt64(shard) << 56)
            var series = 0
            var oldest = Timestamp.max
            var whole = true
            let changed = s.changed
            s.entries.withUnsafeBufferPointer { entries in
                for id in ids {
                    let entry = entries.baseAddress! + Int(id)
                    guard let newest = entry.pointee.samples?.last?.time, entry.pointee.labels.matchesAll(matchers)
                    else { continue }
                    if newest > visible { whole = false }
                    if newest > after { oldest = Swift.min(oldest, newest) }
                    series += 1
                    // Summed, so the order of the ids does not matter; mixed, so that two changes do not cancel.
                    let slot = SeriesStore.mix(UInt64(id) << 32 | UInt64(entry.pointee.generation))
                    digest &+= SeriesStore.mix(slot &+ UInt64(Int(id) < changed.count ? changed[Int(id)] : 0))
                }
            }
            return (digest, series, oldest, whole)
        }
        guard parts.allSatisfy(\.whole) else { return nil }
        var digest = SeriesStore.mix(rewrites)
        for part in parts { digest = SeriesStore.mix(digest ^ part.digest) }
        let oldest = parts.map(\.oldest).min() ?? .max
        return (
            SelectorStamp(digest: digest, series: parts.reduce(0) { $0 + $1.series }), oldest == .max ? nil : oldest
        )
    }

    /// A 64-bit finalizer (SplitMix64's): every input bit moves about half the output bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
