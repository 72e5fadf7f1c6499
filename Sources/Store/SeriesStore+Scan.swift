import KubeglassCore

extension SeriesStore {
    /// Calls `body` with each series whose labels satisfy every matcher, in label order (as `select`) unless
    /// not `ordered` (a table that sorts its rows itself),
    /// and its samples in `[from, to]`. The samples' array is reused from one series to the next, so a
    /// query over 300,000 series holds one series' samples at a time, not all of them; `body` must not
    /// keep it. The lock is taken per series, so writers are not held up for a whole query.
    /// `newestOnly`: each series' samples are only its newest in `[from, to]` (an instant selector's answer),
    /// read without decoding its history when that is its newest raw sample (a live query).
    /// `heldRuns`: a series whose samples in `[from, to]` all hold its newest value, and are at least two,
    /// reads as its newest two samples, without decoding (a window's `rate`, `increase`, `changes`, `resets`,
    /// `delta`, `irate` and `idelta` are the same over those two; not its `count_over_time`).
    public func scan(
        _ matchers: [LabelMatcher], from: Timestamp = .min, to: Timestamp = .max, reading: RollupReading = .last,
        level: Int = 0, ordered: Bool = true, newestOnly: Bool = false, heldRuns: Bool = false,
        seek: Timestamp = .min, _ body: (Labels, [Sample]) throws -> Void
    ) rethrows {
        try walk(
            matchers, from: from, to: to, reading: reading, level: level, keepingEmpty: false, ordered: ordered,
            newestOnly: newestOnly, heldRuns: heldRuns, seek: seek, body)
    }

    /// `scan`, also calling `body` for series with no samples in `[from, to]` when `keepingEmpty`; in no
    /// particular order (the store's) unless `ordered`.
    func walk(
        _ matchers: [LabelMatcher], from: Timestamp, to: Timestamp, reading: RollupReading, level: Int,
        keepingEmpty: Bool, ordered: Bool = true, newestOnly: Bool = false, heldRuns: Bool = false,
        seek: Timestamp = .min, _ body: (Labels, [Sample]) throws -> Void
    ) rethrows {
        let to = visible(to)
        let tiers = configuration.tiers
        let width = level > 0 && !tiers.isEmpty ? tiers[min(level, tiers.count) - 1].width : 0
        var scratch: [Sample] = []
        let checked = State.cheapestFirst(matchers)
        if !ordered {
            // Shard by shard, in slot order: no labels compared at all.
            let candidates = eachShardAtOnce { _, s in s.candidates(matchers).ids }
            for (k, ids) in candidates.enumerated() {
                for id in ids {
                    scratch.removeAll(keepingCapacity: true)
                    let labels = shards[k].withLock {
                        $0.read(
                            id, matching: checked, from: from, to: to, reading: reading, level: level,
                            levelWidth: width, newestOnly: newestOnly, heldRuns: heldRuns, seek: seek, into: &scratch)
                    }
                    if let labels, keepingEmpty || !scratch.isEmpty { try body(labels, scratch) }
                }
            }
            return
        }
        // Which series, in label order: the few that an index narrows to, sorted here; or all of a metric
        // name's series, in the order kept for the name (sorted once while its series stay the same).
        let found = eachShardAtOnce {
            k, s -> (narrowed: [(labels: Labels, shard: Int, id: Int)], wide: Bool, examined: Int) in
            let (ids, isNarrow) = s.candidates(matchers)
            let unchecked = State.unchecked(matchers)
            var narrowed: [(labels: Labels, shard: Int, id: Int)] = []
            s.entries.withUnsafeBufferPointer { entries in
                for id in ids {
                    let entry = entries.baseAddress! + Int(id)
                    if entry.pointee.samples != nil, entry.pointee.labels.matchesAll(unchecked) {
                        narrowed.append((entry.pointee.labels, k, Int(id)))
                    }
                }
            }
            return (narrowed, !isNarrow, ids.count)
        }
        var narrowed = Array(found.map(\.narrowed).joined())
        let wide = found.contains { $0.wide }
        let examined = found.reduce(0) { $0 + $1.examined }
        // Most of a metric name's series: read them in the order kept for the name rather than sort them.
        // A few of them (a label not indexed narrowed them): sort those few.
        if wide, narrowed.count * 8 >= examined,
            let name = matchers.first(where: { $0.name == Labels.metricName && $0.kind == .equal })?.value
        {
            narrowed = []
            for slot in labelOrder(of: name) {
                let (k, id) = split(slot)
                scratch.removeAll(keepingCapacity: true)
                // The slot may have been emptied or reused since the order was taken.
                let labels = shards[k].withLock {
                    $0.read(
                        id, matching: checked, from: from, to: to, reading: reading, level: level,
                        levelWidth: width, newestOnly: newestOnly, heldRuns: heldRuns, seek: seek, into: &scratch)
                }
                if let labels, keepingEmpty || !scratch.isEmpty { try body(labels, scratch) }
            }
            return
        }
        narrowed.sort { $0.labels < $1.labels }
        for (labels, shard, id) in narrowed {
            scratch.removeAll(keepingCapacity: true)
            let found = shards[shard].withLock { s -> Bool in
                // The series may have been evicted (and its slot reused) since the list was taken.
                guard id < s.entries.count, s.entries[id].labels == labels, let buffer = s.entries[id].samples else {
                    return false
                }
                buffer.appendSamples(
                    from: from, to: to, reading: reading, level: level, levelWidth: width, newestOnly: newestOnly,
                    heldRuns: heldRuns, seek: seek, into: &scratch)
                return true
            }
            if found && (keepingEmpty || !scratch.isEmpty) { try body(labels, scratch) }
        }
    }

    /// The slots of `name`'s series in label order: kept from the last call while no series of that name
    /// came or went in any shard, else sorted again (once per poll at most, not once per query).
    func labelOrder(of name: String) -> [UInt32] {
        let versions = eachShard { $0.byName.version(of: name) }
        if let kept = labelOrder.withLock({ $0[name] }), kept.versions == versions { return kept.slots }
        var all: [(labels: Labels, slot: UInt32)] = []
        var seen: [UInt64] = []
        for k in shards.indices {
            shards[k].withLock { s in
                seen.append(s.byName.version(of: name))
                for id in s.byName[name]?.ids ?? [] where s.entries[Int(id)].samples != nil {
                    all.append((s.entries[Int(id)].labels, global(id, shard: k)))
                }
            }
        }
        all.sort { $0.labels < $1.labels }
        let slots = all.map(\.slot)
        labelOrder.withLock { $0[name] = (seen, slots) }
        return slots
    }
}

extension SeriesStore {
    /// Each matching series' newest raw sample in `(time - lookback, time]`, unless it is a staleness marker:
    /// an instant selector's answer. In no particular order. A shard is read under one lock, and a series
    /// whose newest sample is not after `time` (a live query) is answered from that sample alone, without
    /// decoding its history: a table's column over 150,000 pods reads 150,000 numbers, nothing more.
    public func newest(
        _ matchers: [LabelMatcher], at time: Timestamp, lookback: Milliseconds, _ body: (Labels, Sample) -> Void
    ) {
        let to = visible(time)
        let found = eachShardAtOnce { _, s -> [(Labels, Sample)] in
            let ids = s.candidates(matchers).ids
            let matchers = State.unchecked(matchers)
            var out: [(Labels, Sample)] = []
            out.reserveCapacity(ids.count)
            var scratch: [Sample] = []
            // Entries are read in place: copying one out costs a retain and a release of each of its parts.
            s.entries.withUnsafeBufferPointer { entries in
                for id in ids {
                    let entry = entries.baseAddress! + Int(id)
                    guard var sample = entry.pointee.samples?.last, entry.pointee.labels.matchesAll(matchers)
                    else { continue }
                    if sample.time > to {
                        // A query into the past: read the window.
                        scratch.removeAll(keepingCapacity: true)
                        entry.pointee.samples?.appendSamples(
                            from: time - lookback + 1, to: to, reading: .average, level: 0, into: &scratch)
                        guard let last = scratch.last else { continue }
                        sample = last
                    }
                    guard sample.time > time - lookback, sample.time <= to, !sample.isStaleMarker else { continue }
                    out.append((entry.pointee.labels, sample))
                }
            }
            return out
        }
        for shard in found {
            for (labels, sample) in shard { body(labels, sample) }
        }
    }

    /// `body` on every shard, under its lock, several shards at a time (one per core): a query's reads of
    /// millions of series, and the label indexes it builds, split across the cores. In shard order.
    func eachShardAtOnce<T>(_ body: (Int, inout State) -> T) -> [T] {
        var results = [T?](repeating: nil, count: shards.count)
        results.withUnsafeMutableBufferPointer { results in
            let out = results
            concurrently(shards.count) { k in out[k] = shards[k].withLock { body(k, &$0) } }
        }
        return results.map { $0! }
    }
}

extension SeriesStore.State {
    /// Series `id`'s samples in `[from, to]` appended to `scratch`, and its labels, if it is live and matches;
    /// else nil. The entry is read in place, not copied out (a copy retains and releases each of its parts).
    func read(
        _ id: UInt32, matching matchers: [LabelMatcher], from: Timestamp, to: Timestamp, reading: RollupReading,
        level: Int, levelWidth: Milliseconds, newestOnly: Bool = false, heldRuns: Bool = false, seek: Timestamp,
        into scratch: inout [Sample]
    ) -> Labels? {
        guard Int(id) < entries.count else { return nil }
        return entries.withUnsafeBufferPointer { entries in
            let entry = entries.baseAddress! + Int(id)
            guard entry.pointee.samples != nil, entry.pointee.labels.matchesAll(matchers) else { return nil }
            entry.pointee.samples?.appendSamples(
                from: from, to: to, reading: reading, level: level, levelWidth: levelWidth, newestOnly: newestOnly,
                heldRuns: heldRuns, seek: seek, into: &scratch)
            return entry.pointee.labels
        }
    }
}

extension SampleBuffer {
    /// `appendSamples`, or with `newestOnly` only the newest sample in `[from, to]`: when that is the series'
    /// newest raw sample (a live query), it is read as it is kept, with nothing decoded. With `heldRuns`, a
    /// series that held its value through the window reads as its newest two samples (see `scan`).
    func appendSamples(
        from: Timestamp, to: Timestamp, reading: RollupReading, level: Int, levelWidth: Milliseconds,
        newestOnly: Bool, heldRuns: Bool = false, seek: Timestamp, into out: inout [Sample]
    ) {
        if heldRuns, level == 0, reading != .count, let (older, newest) = heldRun(from: from, to: to) {
            out.append(older)
            out.append(newest)
            return
        }
        if newestOnly, level == 0, let last, last.time <= to {
            if last.time >= from { out.append(last) }
            return
        }
        let start = out.count
        appendSamples(
            from: from, to: to, reading: reading, level: level, levelWidth: levelWidth, seek: seek, into: &out)
        if newestOnly && out.count > start + 1 { out.removeSubrange(start..<(out.count - 1)) }
    }
}
