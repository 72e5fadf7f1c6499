import Dispatch
import KubeglassCore
import Synchronization

extension SeriesStore {
    /// One series as the store holds it: its slot and which series has used the slot, so a reference
    /// kept past the series' removal (prune, eviction) matches nothing.
    public struct Reference: Hashable, Sendable {
        public let slot: UInt32
        public let generation: UInt32

        /// A series the store did not keep: it was full of series as new as it (see `--max-series`).
        public static let notKept = Reference(slot: .max, generation: .max)
        public var isKept: Bool { self != .notKept }
    }

    /// A poll's samples, all at `time`: what a poller writes. Each shard takes its series under its
    /// lock, the shards at once on every core. Returns each series' reference, in order, for
    /// `appendStaleMarkers` after a later poll no longer reports it.
    ///
    /// Readers see the round once every shard has it (`visible`), never a part of it; with
    /// `publishing: false`, only once `publish(time)` is called (after its staleness markers, say).
    @discardableResult
    public func append(
        _ series: [(labels: Labels, value: Double)], at time: Timestamp, publishing: Bool = true
    ) -> [Reference] {
        let late = isLate(time)
        defer {
            if publishing && !series.isEmpty { noteNewest(time) }
            if !series.isEmpty { noteOldest(time) }
            if late { noteRewrite() }
        }
        // Read through a buffer: an element read from the array itself is a copy of its labels (a retain and
        // a release each, for millions of series a poll).
        return series.withUnsafeBufferPointer { series in append(series, at: time) }
    }

    private func append(_ series: UnsafeBufferPointer<(labels: Labels, value: Double)>, at time: Timestamp)
        -> [Reference]
    {
        if shardBits == 0 {
            return shards[0].withLock { s in append(series.indices, of: series, at: time, to: &s, shard: 0) }
        }
        let parts = partition(series)
        let polled = Polled(series)
        let references = [Reference](unsafeUninitializedCapacity: series.count) { buffer, initialized in
            let address = Int(bitPattern: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: shards.count) { k in
                let base = UnsafeMutablePointer<Reference>(bitPattern: address)!
                let indices = parts.flatMap { $0[k] }
                let written = shards[k].withLock { s in
                    append(indices, of: polled.series, at: time, to: &s, shard: k)
                }
                // Each index belongs to one shard, so the shards write disjoint elements.
                for (n, i) in indices.enumerated() { (base + Int(i)).initialize(to: written[n]) }
            }
            initialized = series.count
        }
        return references
    }

    /// The indices of each shard's series, in order, by consecutive pieces of `series` sorted on every
    /// core: `result[piece][shard]`.
    private func partition(_ series: UnsafeBufferPointer<(labels: Labels, value: Double)>) -> [[[UInt32]]] {
        let polled = Polled(series)
        let pieces = max(1, min(64, series.count / 65_536))
        let size = (series.count + pieces - 1) / pieces
        let parts = Mutex([[[UInt32]]](repeating: [], count: pieces))
        DispatchQueue.concurrentPerform(iterations: pieces) { p in
            var byShard = [[UInt32]](repeating: [], count: shards.count)
            let range = min(polled.series.count, p * size)..<min(polled.series.count, (p + 1) * size)
            let expected = range.count / shards.count + range.count / 16
            for k in byShard.indices { byShard[k].reserveCapacity(expected) }
            for i in range { byShard[shard(hash: polled.series[i].labels.precomputedHash)].append(UInt32(i)) }
            parts.withLock { $0[p] = byShard }
        }
        return parts.withLock { $0 }
    }

    /// `series[i]` for each `i` in `indices`, into shard `shard`'s `state`; their references, in that order.
    private func append<I: BinaryInteger>(
        _ indices: some Collection<I>, of series: UnsafeBufferPointer<(labels: Labels, value: Double)>,
        at time: Timestamp, to s: inout State, shard: Int
    ) -> [Reference] {
        if s.bySlot.count == 0 && s.entries.isEmpty && indices.count >= 1024 && indices.count <= s.limit {
            return appendToEmpty(indices, of: series, at: time, to: &s, shard: shard)
        }
        var references: [Reference] = []
        references.reserveCapacity(indices.count)
        if s.bySlot.count == 0 {
            // The first poll brings every series: size the slots and index once, not by doubling.
            s.entries.reserveCapacity(indices.count)
            s.bySlot.reserveCapacity(indices.count)
        }
        // Series the shard has, found by their hashes all at once (a poll after the first is all of those);
        // the rest, and any whose candidate is not theirs, go the way of one new series.
        let candidates =
            configuration.looksUpPollsAtOnce && indices.count >= 1024 && s.bySlot.count > 0
            ? s.bySlot.candidates(indices.map { series[Int($0)].labels.precomputedHash }) : []
        for (n, j) in indices.enumerated() {
            let i = Int(j)
            let sample = Sample(time: time, value: series[i].value)
            let slot: UInt32
            if n < candidates.count, candidates[n] != State.notKept,
                s.entries[Int(candidates[n])].samples != nil, s.entries[Int(candidates[n])].labels == series[i].labels
            {
                slot = candidates[n]
                s.appendSample(Int(slot), sample, configuration, divisors: s.recent)
                s.noteRecent(sample.value)
            } else {
                slot = s.append(series[i].labels, sample, configuration)
            }
            references.append(
                slot == State.notKept
                    ? .notKept
                    : Reference(slot: global(slot, shard: shard), generation: s.entries[Int(slot)].generation))
        }
        return references
    }

    /// `append` into a shard with no series yet (a first poll): every series gets the next slot, and the
    /// slots are indexed by hash all at once (`SlotsByLabels.insertAll`), not one random probe each.
    private func appendToEmpty<I: BinaryInteger>(
        _ indices: some Collection<I>, of series: UnsafeBufferPointer<(labels: Labels, value: Double)>,
        at time: Timestamp, to s: inout State, shard: Int
    ) -> [Reference] {
        let capacity = configuration.samplesPerSeries
        s.newestAtLeast = min(s.newestAtLeast, time)
        s.entries.reserveCapacity(indices.count)
        var hashes: [(hash: Int, slot: UInt32)] = []
        hashes.reserveCapacity(indices.count)
        for j in indices {
            let labels = series[Int(j)].labels
            var samples = SampleBuffer(capacity: capacity, isCounter: SeriesStore.isCounter(labels.name))
            samples.append(Sample(time: time, value: series[Int(j)].value), tiers: configuration.tiers)
            let slot = UInt32(s.entries.count)
            let stored = s.labelTable.intern(labels, name: s.byName.insert(slot, name: labels.name ?? ""))
            s.entries.append(Entry(labels: stored, samples: samples))
            hashes.append((labels.precomputedHash, slot))
        }
        var slots = (0..<UInt32(s.entries.count)).map { $0 }
        do {
            let entries = s.entries
            // A label set given twice keeps its first slot and takes the later value, as one by one.
            for (repeated, first) in s.bySlot.insertAll(hashes, labelsAt: { entries[Int($0)].labels }) {
                slots[Int(repeated)] = first
            }
        }
        for (k, slot) in slots.enumerated() where slot != UInt32(k) {
            // The later of the two in the batch gives the value.
            if k > Int(slot) {
                s.appendSample(Int(slot), s.entries[k].samples!.last!, configuration)
            }
            s.byName.remove(UInt32(k), name: s.entries[k].labels.name ?? "")
            s.labelTable.release(s.entries[k].labels)
            s.entries[k].labels = Labels()
            s.entries[k].samples = nil
            s.free.append(UInt32(k))
        }
        // Label indexes a query made before this poll (over no series) now cover these.
        for name in s.byLabel.keys { s.indexLabel(name) }
        for (name, labels) in s.byNameLabel { for label in labels.keys { s.indexLabel(label, of: name) } }
        return slots.map { Reference(slot: global($0, shard: shard), generation: s.entries[Int($0)].generation) }
    }

    /// Marks these series stale at `time` (Prometheus' staleness marker); removed ones are skipped.
    public func appendStaleMarkers(_ references: [Reference], at time: Timestamp, publishing: Bool = true) {
        let late = isLate(time)
        defer {
            if publishing && !references.isEmpty { noteNewest(time) }
            if late { noteRewrite() }
        }
        var byShard = [[Reference]](repeating: [], count: shards.count)
        for r in references { byShard[split(r.slot).shard].append(r) }
        for (k, refs) in byShard.enumerated() where !refs.isEmpty {
            shards[k].withLock { s in
                for r in refs where r.isKept {
                    let local = Int(split(r.slot).local)
                    if local < s.entries.count && s.entries[local].generation == r.generation {
                        if s.entries[local].samples != nil {
                            s.appendSample(local, .staleMarker(at: time), configuration)
                        }
                    }
                }
            }
        }
    }
}

extension SeriesStore {
    /// Makes everything appended up to `time` visible to readers (see `append(_:at:publishing:)`).
    public func publish(_ time: Timestamp) { noteNewest(time) }
}

/// A poll's series, read by the shards' threads at once while `append` runs (which holds the array).
private struct Polled: @unchecked Sendable {
    let series: UnsafeBufferPointer<(labels: Labels, value: Double)>
    init(_ series: UnsafeBufferPointer<(labels: Labels, value: Double)>) { self.series = series }
}
