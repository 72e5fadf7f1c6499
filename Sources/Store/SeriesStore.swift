import Foundation
import KubeglassCore
import Synchronization

/// Recent samples of every series, in bounded memory.
///
/// Each series keeps at most `samplesPerSeries` samples in a ring buffer; at most
/// `maxSeries` series are kept (the longest-silent are dropped first), and series
/// silent for longer than `retention` are dropped by `prune`. So memory is set by
/// configuration, not by cluster size or uptime.
///
/// A store for a million series or more is split into shards by label-set hash, each under its own
/// lock, so that a big cluster's poll is appended on every core; each shard keeps at most its share
/// of `maxSeries` (plus about 3 %, as hashing never splits exactly evenly) and evicts its own
/// longest-silent series. Smaller stores are one shard.
public final class SeriesStore: Sendable {
    public struct Configuration: Sendable {
        public var retention: Milliseconds // history to keep
        public var interval: Milliseconds // expected time between samples
        public var maxSeries: Int
        /// Rollups kept beyond `retention`, finest first (none: history ends at `retention`).
        public var tiers: [Tier]
        /// Whether a poll's known series are looked up all at once (`SlotTable.slots(of:)`); off only in the
        /// test that checks it against the lookup one series at a time.
        var looksUpPollsAtOnce = true
        public init(
            retention: Milliseconds = Milliseconds.hour, interval: Milliseconds = 5 * Milliseconds.second,
            maxSeries: Int = 200_000, tiers: [Tier] = Tier.standard
        ) {
            self.retention = retention
            self.interval = interval
            self.maxSeries = maxSeries
            self.tiers = tiers
        }
        /// How long a series is kept after its last sample: its raw samples for `retention`, its rollups
        /// for their spans.
        public var history: Milliseconds { tiers.reduce(retention) { max($0, $1.span) } }
        /// Room for a full retention window at the given interval, plus one sample of slack.
        public var samplesPerSeries: Int { max(2, Int((retention + interval - 1) / max(1, interval)) + 1) }
    }

    public let configuration: Configuration
    /// The newest sample time whose appending is complete: readers read no later, so that a poll's round,
    /// written shard by shard, is seen whole or not at all (and `widestBucket` judges from it).
    let newestTime = Atomic<Int64>(.min)

    /// `to`, but no later than the last complete round.
    func visible(_ to: Timestamp) -> Timestamp { min(to, newestTime.load(ordering: .acquiring)) }

    /// The newest time readers see (`.min` before the first round): answers at earlier times are final
    /// unless `rewrites` changes.
    public var newestVisibleTime: Timestamp { newestTime.load(ordering: .acquiring) }

    /// The oldest sample time ever written (`.max` before the first); see `oldestHeldTime`.
    let oldestTime = Atomic<Int64>(.max)

    /// Where the history held starts: the oldest sample written, or, once older samples aged out of every tier
    /// (or were cut to the budget), the start of what the store keeps. nil while it holds nothing. A range
    /// reaching further back than this is partly empty because kubeglass was not running or keeping it then.
    public var oldestHeldTime: Timestamp? {
        let oldest = oldestTime.load(ordering: .acquiring)
        guard oldest != .max else { return nil }
        let newest = newestTime.load(ordering: .acquiring)
        return newest == .min ? oldest : max(oldest, newest - configuration.history)
    }

    func noteOldest(_ time: Timestamp) {
        var seen = oldestTime.load(ordering: .relaxed)
        while time < seen {
            let (exchanged, now) = oldestTime.compareExchange(
                expected: seen, desired: time, successOrdering: .releasing, failureOrdering: .relaxed)
            if exchanged { return }
            seen = now
        }
    }

    /// Counts the changes to the past: samples written more than an interval before the newest visible time
    /// (a backfill, saved history), and history removed (a cut to the budget, `removeAll`). A cache of answers
    /// at past times (`RangeCache`) holds only while this stays the same.
    public var rewrites: UInt64 { rewriteCount.load(ordering: .acquiring) }
    let rewriteCount = Atomic<UInt64>(0)

    /// Whether samples at `time` land in what readers already take as final: the writer then calls
    /// `noteRewrite()` once they are written (a reader that saw the old count before would cache them as missing).
    func isLate(_ time: Timestamp) -> Bool {
        let newest = newestTime.load(ordering: .relaxed)
        return newest != .min && time < newest - configuration.interval
    }

    func noteRewrite() { rewriteCount.add(1, ordering: .releasing) }
    let shards: [Shard]
    /// Per metric name: its series' slots sorted by labels, and the name's version in each shard when they
    /// were sorted. Queries read series in label order; sorting 150,000 label sets for every query was most
    /// of a big table's time. Now they are sorted once each time the name's series change (a poll at most).
    let labelOrder = Mutex<[String: (versions: [UInt64], slots: [UInt32])]>([:])
    /// `shards.count` is `1 << shardBits`; a slot number is the shard's own slot, shifted, then the shard.
    let shardBits: Int
    /// From this many series up, a store is sharded.
    static let shardingFrom = 1_000_000

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        shardBits = configuration.maxSeries >= SeriesStore.shardingFrom ? 3 : 0
        // Hashes never split series exactly evenly: a shard may hold a few percent over its eighth, so that
        // a store sized for its series (a replay file's) evicts none.
        let share = configuration.maxSeries >> shardBits
        let limit = shardBits == 0 ? max(1, configuration.maxSeries) : share + max(4096, share / 32)
        shards = (0..<(1 << shardBits)).map { _ in Shard(State(limit: limit)) }
    }

    /// The shard of a label set: from the top of its hash, which depends only on its pairs other than
    /// the name, so that the series of one pod or container (which share those pairs, and one array of
    /// them) land in one shard and are appended by one thread, one after another.
    func shard(_ labels: Labels) -> Int { shard(hash: labels.precomputedHash) }

    /// The shard of the label set whose `precomputedHash` is `hash`.
    func shard(hash: Int) -> Int {
        shardBits == 0 ? 0 : Int(UInt(bitPattern: hash) >> UInt(Int.bitWidth - shardBits))
    }

    /// The store-wide number of a shard's slot, and back.
    func global(_ local: UInt32, shard: Int) -> UInt32 { local << UInt32(shardBits) | UInt32(shard) }
    func split(_ slot: UInt32) -> (shard: Int, local: UInt32) {
        (Int(slot & ((1 << UInt32(shardBits)) - 1)), slot >> UInt32(shardBits))
    }

    /// `body` on every shard in turn, under its lock.
    func eachShard<T>(_ body: (inout State) -> T) -> [T] {
        shards.map { $0.withLock { body(&$0) } }
    }

    public var seriesCount: Int { eachShard { $0.bySlot.count }.reduce(0, +) }

    /// What the store holds: series, samples kept, and the bytes their compressed samples take
    /// (labels, index and fixed per-series costs excluded; the benchmarks measure those on the heap).
    public struct Footprint: Sendable {
        public var series = 0
        public var samples = 0
        public var sampleBytes = 0
        /// Closed rollup buckets, and the bytes they take.
        public var buckets = 0
        public var rollupBytes = 0
        /// Samples and bytes by metric name.
        public var byMetric: [String: (samples: Int, bytes: Int)] = [:]
        /// The series whose kept raw samples all have one value, their samples, and their bytes.
        public var constantSeries = 0
        public var constantSamples = 0
        public var constantBytes = 0
    }

    public var footprint: Footprint {
        eachShard { s in
            var f = Footprint()
            for id in s.bySlot.slots {
                guard let buffer = s.entries[Int(id)].samples else { continue }
                f.series += 1
                f.samples += buffer.count
                f.sampleBytes += buffer.sampleBytes
                f.rollupBytes += buffer.rollupBytes
                f.buckets += buffer.rollups?.tiers.reduce(0) { $0 + Int($1.count) } ?? 0
                f.byMetric[s.entries[Int(id)].labels.name ?? "", default: (0, 0)].samples += buffer.count
                f.byMetric[s.entries[Int(id)].labels.name ?? "", default: (0, 0)].bytes += buffer.sampleBytes
                let samples = buffer.samples(from: .min, to: .max)
                if let first = samples.first, samples.allSatisfy({ $0.value.bitPattern == first.value.bitPattern }) {
                    f.constantSeries += 1
                    f.constantSamples += buffer.count
                    f.constantBytes += buffer.sampleBytes
                }
            }
            return f
        }.reduce(into: Footprint()) { total, f in
            total.series += f.series
            total.samples += f.samples
            total.sampleBytes += f.sampleBytes
            total.buckets += f.buckets
            total.rollupBytes += f.rollupBytes
            total.byMetric.merge(f.byMetric) { ($0.samples + $1.samples, $0.bytes + $1.bytes) }
            total.constantSeries += f.constantSeries
            total.constantSamples += f.constantSamples
            total.constantBytes += f.constantBytes
        }
    }

    /// Adds one sample. Samples older than or equal to the series' newest are ignored
    /// (a re-poll of the same timestamp does not duplicate).
    public func append(_ labels: Labels, _ sample: Sample) {
        let late = isLate(sample.time)
        defer { if late { noteRewrite() } }
        shards[shard(labels)].withLock { _ = $0.append(labels, sample, configuration) }
        noteNewest(sample.time)
        noteOldest(sample.time)
    }

    func noteNewest(_ time: Timestamp) {
        var seen = newestTime.load(ordering: .relaxed)
        while time > seen {
            let (exchanged, now) = newestTime.compareExchange(
                expected: seen, desired: time, successOrdering: .releasing, failureOrdering: .relaxed)
            if exchanged { return }
            seen = now
        }
    }

    public func append(_ batch: [(Labels, Sample)]) {
        let late = batch.lazy.map(\.1.time).min().map(isLate) ?? false
        defer { if late { noteRewrite() } }
        if shardBits == 0 {
            shards[0].withLock { s in
                for (labels, sample) in batch { _ = s.append(labels, sample, configuration) }
            }
            if let newest = batch.map(\.1.time).max() { noteNewest(newest) }
            if let oldest = batch.map(\.1.time).min() { noteOldest(oldest) }
            return
        }
        for (labels, sample) in batch { append(labels, sample) }
    }

    /// The series whose labels satisfy every matcher, with samples in `[from, to]`, sorted by labels
    /// (Prometheus' storage order, which the engine's tie-breaks and error texts follow).
    ///
    /// Beyond the raw samples, a series reads from its rollups (see `SampleBuffer.appendSamples`): tier
    /// `level` where it has buckets (0: raw samples first), each bucket as a sample valued by `reading`.
    public func select(
        _ matchers: [LabelMatcher], from: Timestamp = .min, to: Timestamp = .max, reading: RollupReading = .last,
        level: Int = 0, ordered: Bool = true
    ) -> [Series] {
        var out: [Series] = []
        walk(matchers, from: from, to: to, reading: reading, level: level, keepingEmpty: true, ordered: ordered) {
            labels, samples in
            out.append(Series(labels: labels, samples: samples))
        }
        return out
    }

    /// The rollup tier a query at `step` prefers: the coarsest whose buckets are no wider than the step
    /// (0: raw samples).
    public func level(forStep step: Milliseconds) -> Int {
        configuration.tiers.filter { $0.width <= step }.count
    }

    /// The widest buckets a read from `from` at `level` may give (0: raw samples only), judged from the
    /// newest sample: so the engine widens its lookback and windows to take whole buckets.
    public func widestBucket(from: Timestamp, level: Int) -> Milliseconds {
        let tiers = configuration.tiers
        guard !tiers.isEmpty else { return 0 }
        var level = min(level, tiers.count)
        let newest = newestTime.load(ordering: .relaxed)
        // Judged from where the samples start: before the oldest sample written there is nothing to read, so a
        // window reaching back before it (a fresh start's hour) reads raw samples, as its later part does.
        let from = max(from, oldestTime.load(ordering: .relaxed))
        // Before `newest - span` (clamped: no samples yet, or times near the ends of the range).
        func before(_ span: Milliseconds) -> Bool {
            let (edge, overflow) = newest.subtractingReportingOverflow(span)
            return !overflow && from < edge
        }
        if before(configuration.retention) { level = max(level, 1) }
        for (i, tier) in tiers.enumerated() where i + 1 < tiers.count && before(tier.span) {
            level = max(level, i + 2)
        }
        return level == 0 ? 0 : tiers[level - 1].width
    }

    /// The labels of every series with this metric name (for completion and variables).
    public func labelSets(metric: String? = nil) -> [Labels] {
        eachShard { s in
            let ids: [UInt32]
            if let metric { ids = s.byName[metric]?.ids ?? [] } else { ids = s.bySlot.slots }
            return ids.map { s.entries[Int($0)].labels }
        }.joined().sorted()
    }

    /// How many series have this metric name.
    public func seriesCount(metric: String) -> Int {
        eachShard { $0.byName[metric]?.count ?? 0 }.reduce(0, +)
    }

    public func metricNames() -> [String] {
        Set(eachShard { $0.byName.keys }.joined()).sorted()
    }

    /// Every series and its samples as they are now: copies (the samples are copied on write), taken
    /// a shard at a time under its lock, so a save encodes them while polls go on.
    func snapshotSeries() -> [(Labels, SampleBuffer)] {
        Array(
            eachShard { s in
                s.bySlot.slots.compactMap { id -> (Labels, SampleBuffer)? in
                    let entry = s.entries[Int(id)]
                    return entry.samples.map { (entry.labels, $0) }
                }
            }.joined())
    }

    /// Adds a series' saved rollup buckets (per tier, oldest first) and samples (oldest first) under one
    /// lock; samples not newer than the series' newest are skipped, as `append` does.
    public func restore(_ labels: Labels, _ samples: [Sample], rollups: [[RollupBucket]] = []) {
        guard
            let first = samples.first
                ?? rollups.compactMap(\.last).max(by: { $0.time < $1.time }).map({
                    Sample(time: $0.time, value: $0.last)
                })
        else { return }
        let late = isLate(min(first.time, rollups.compactMap(\.first?.time).min() ?? first.time))
        defer { if late { noteRewrite() } }
        shards[shard(labels)].withLock { s in
            let id = s.slot(for: labels, time: first.time, configuration)
            guard id != State.notKept else { return }
            s.entries[Int(id)].samples!.restore(rollups, tiers: configuration.tiers)
            for sample in samples { s.appendSample(Int(id), sample, configuration) }
            if s.entries[Int(id)].samples!.newestTime == nil { s.remove(id) }
        }
        let newest = max(samples.last?.time ?? .min, rollups.compactMap(\.last?.time).max() ?? .min)
        noteNewest(max(first.time, newest))
        noteOldest(min(first.time, rollups.compactMap(\.first?.time).min() ?? first.time))
    }

    /// Drops the raw samples of series silent since `now - retention` (keeping their rollups), and drops
    /// series silent for longer than `history`.
    public func prune(now: Timestamp) {
        let rawCutoff = now - configuration.retention
        let cutoff = now - configuration.history
        _ = eachShard { s in
            var gone: [UInt32] = []
            for id in s.bySlot.slots {
                let newest = s.entries[Int(id)].samples?.newestTime ?? .min
                if newest < cutoff {
                    gone.append(id)
                } else if (s.entries[Int(id)].samples?.last?.time ?? .max) < rawCutoff {
                    if !s.entries[Int(id)].samples!.retire(tiers: configuration.tiers) { gone.append(id) }
                }
            }
            for id in gone { s.remove(id) }
        }
    }

    public func removeAll() {
        _ = eachShard { $0 = State(limit: $0.limit) }
        oldestTime.store(.max, ordering: .releasing)
        noteRewrite()
    }
}

extension SeriesStore {
    /// One shard's series under its lock (a class: a `Mutex` cannot sit in an array).
    final class Shard: Sendable {
        private let state: Mutex<State>
        init(_ state: consuming State) { self.state = Mutex(state) }
        func withLock<T>(_ body: (inout State) -> T) -> T {
            state.withLock { s in body(&s) }
        }
    }

    /// 72 bytes (the labels' last field and the generation are 32-bit and pack): millions are made at once.
    struct Entry {
        var labels: Labels
        /// Counts the series that used this slot, so a `Reference` to a removed series matches nothing.
        var generation: UInt32 = 0
        var samples: SampleBuffer?
    }

    struct State: ~Copyable {
        /// The most series this shard keeps.
        let limit: Int
        var entries: [Entry] = []
        var free: [UInt32] = []
        var bySlot = SlotsByLabels()
        var byName = NameIndex()
        /// One copy of each label string and array of pairs its series hold.
        var labelTable = LabelTable()
        /// Label name → value → series. Built for a label name the first time a query without a metric
        /// name matches on it, then kept up to date: most label names are never matched on, and indexing
        /// every pair of millions of new series was most of a big cluster's first poll.
        var byLabel: [String: [String: PostingList]] = [:]
        /// Metric name → label name → value → series: the same for the series of one metric name, built
        /// the first time a query of that name matches on the label. It reads that name's series only
        /// (150,000 pods' CPU, not the 2.8 million series of the whole store).
        var byNameLabel: [String: [String: [String: PostingList]]] = [:]
        /// Label → metric name → how many queries of that name walked for want of an index of the label.
        var labelWants: [String: [String: Int]] = [:]

        /// What `append` returns for a new series it did not keep: the shard is full of series as new as it.
        static let notKept = UInt32.max

        /// The series' slot, creating the series if new; `notKept` when the shard is full and no series
        /// in it is older than `sample` (a poll bigger than the store: the first ones in stay, rather
        /// than each new series evicting one just written).
        mutating func append(_ labels: Labels, _ sample: Sample, _ config: Configuration) -> UInt32 {
            let hash = labels.precomputedHash
            defer { noteRecent(sample.value) }
            if let id = bySlot.slot(of: labels, hash: hash, holds: { entries[Int($0)].labels == labels }) {
                appendSample(Int(id), sample, config, divisors: recent)
                return id
            }
            let id = newSlot(for: labels, hash: hash, time: sample.time, config)
            if id != State.notKept { appendSample(Int(id), sample, config, divisors: recent) }
            return id
        }

        /// Counts the series' changes; every append to a kept series comes here.
        var changes: UInt32 = 0
        /// By slot: `changes` when the series last changed: a value unlike the one before, or a sample after a
        /// gap (see `SeriesStore.stamp`). Beside `entries`, not in them: an entry's size is set by its
        /// alignment, and 4 bytes more there took 8.
        var changed: [UInt32] = []

        /// Appends to the series in slot `i`, noting a change when the value's bits differ from its newest
        /// sample's, or the sample comes more than two intervals after it (a series back from a gap).
        @inline(__always)
        mutating func appendSample(
            _ i: Int, _ sample: Sample, _ config: Configuration, divisors: RecentValues = RecentValues()
        ) {
            let same =
                entries[i].samples?.last.map {
                    $0.value.bitPattern == sample.value.bitPattern && sample.time >= $0.time
                        && sample.time - $0.time <= 2 * config.interval
                } ?? false
            if !same {
                changes &+= 1
                if i >= changed.count { changed += repeatElement(0, count: i + 1 - changed.count) }
                changed[i] = changes
            }
            entries[i].samples!.append(sample, tiers: config.tiers, divisors: divisors)
        }

        /// The values appended last: a ratio's denominator among them (see `RecentValues`).
        var recent = RecentValues(count: 32)

        @inline(__always)
        mutating func noteRecent(_ value: Double) { recent.note(value) }

        /// The slot of a series, made empty if new (`notKept` as `append`).
        mutating func slot(for labels: Labels, time: Timestamp, _ config: Configuration) -> UInt32 {
            let hash = labels.precomputedHash
            if let id = bySlot.slot(of: labels, hash: hash, holds: { entries[Int($0)].labels == labels }) { return id }
            return newSlot(for: labels, hash: hash, time: time, config)
        }

        /// A slot for a series not in the shard (looked up already), made empty; `notKept` when the shard is full
        /// of series that are not silent.
        mutating func newSlot(for labels: Labels, hash: Int, time: Timestamp, _ config: Configuration) -> UInt32 {
            if bySlot.count >= limit {
                // A series not yet written at `time` gives its slot: within a poll those come later in its order,
                // which a source over budget sorts busiest first, so each poll keeps its busiest pods.
                guard evictOldest(before: time) else { return State.notKept }
            }
            newestAtLeast = min(newestAtLeast, time)
            let buffer = SampleBuffer(capacity: config.samplesPerSeries, isCounter: SeriesStore.isCounter(labels.name))
            let id = free.last ?? UInt32(entries.count)
            // Stored in the shard's copies of its strings (see `LabelTable`).
            let labels = labelTable.intern(labels, name: byName.insert(id, name: labels.name ?? ""))
            if free.popLast() != nil {
                entries[Int(id)].labels = labels
                entries[Int(id)].samples = buffer
                entries[Int(id)].generation &+= 1
            } else {
                // Grown by a quarter, not doubled: an entry is most of a series' fixed cost, and a doubled
                // array left up to half of them spare (the heap a series costs is measured by `heapUse`).
                if entries.count == entries.capacity { entries.reserveCapacity(entries.count + entries.count / 4 + 16) }
                entries.append(Entry(labels: labels, samples: buffer))
            }
            bySlot.insert(labels, hash: hash, slot: id)
            if !byLabel.isEmpty {
                for pair in labels.unnamedPairs where byLabel[pair.name] != nil {
                    byLabel[pair.name]![pair.value, default: PostingList()].insert(id)
                }
            }
            // The names copied out first, as in `remove`: a view of the keys would make each insert copy the
            // whole index of the label.
            if let name = labels.name, let indexed = byNameLabel[name].map({ Array($0.keys) }) {
                for label in indexed {
                    if let value = labels[label] {
                        byNameLabel[name]![label]![value, default: PostingList()].insert(id)
                    }
                }
            }
            return id
        }

        /// The longest-silent series found by the last scan, most silent last: at the series limit every
        /// new series evicts one, and a scan of all series for each made a big cluster's poll quadratic.
        var evictionQueue: [(slot: UInt32, generation: UInt32, newest: Timestamp)] = []
        /// No series here has a sample older than this (samples only make a series newer): a full shard
        /// refuses series up to this time without scanning again.
        var newestAtLeast: Timestamp = .min

        /// Evicts the longest-silent series if its newest sample is older than `time`; false if none is.
        mutating func evictOldest(before time: Timestamp) -> Bool {
            guard time > newestAtLeast else { return false }
            while let next = evictionQueue.last {
                // Still the series the scan saw, and silent since: evict it. Else it was written to or removed.
                let entry = entries[Int(next.slot)]
                if entry.generation == next.generation, let samples = entry.samples,
                    (samples.newestTime ?? .min) == next.newest
                {
                    // The queue is oldest first: if this one is not older than `time`, none is.
                    guard next.newest < time else { return false }
                    evictionQueue.removeLast()
                    remove(next.slot)
                    return true
                }
                evictionQueue.removeLast()
            }
            var oldest = bySlot.slots.map {
                (
                    slot: $0, generation: entries[Int($0)].generation,
                    newest: entries[Int($0)].samples?.newestTime ?? .min
                )
            }
            guard !oldest.isEmpty else { return true }
            let batch = max(1, oldest.count / 16)
            oldest.sort { $0.newest < $1.newest }
            newestAtLeast = oldest[0].newest
            guard oldest[0].newest < time else { return false }
            evictionQueue = Array(oldest[1..<min(batch, oldest.count)].reversed())
            remove(oldest[0].slot)
            return true
        }

        mutating func remove(_ id: UInt32) {
            let labels = entries[Int(id)].labels
            bySlot.remove(labels, hash: labels.precomputedHash, slot: id)
            let name = labels.name ?? ""
            byName.remove(id, name: name)
            for pair in labels.unnamedPairs where byLabel[pair.name] != nil {
                byLabel[pair.name]![pair.value]?.remove(id)
                if byLabel[pair.name]![pair.value]?.isEmpty == true { byLabel[pair.name]![pair.value] = nil }
            }
            // The names copied out first: a view of the keys would hold the dictionary, and every write below
            // would then copy it whole, with every posting list of the label (a pod name's 15,000).
            if let indexed = byNameLabel[name].map({ Array($0.keys) }) {
                for label in indexed {
                    guard let value = labels[label] else { continue }
                    byNameLabel[name]![label]![value]?.remove(id)
                    if byNameLabel[name]![label]![value]?.isEmpty == true { byNameLabel[name]![label]![value] = nil }
                }
            }
            labelTable.release(labels)
            entries[Int(id)].labels = Labels()
            entries[Int(id)].samples = nil
            free.append(id)
        }

        /// Indexes every series by its value of `name` (in id order, so each insert is an append).
        mutating func indexLabel(_ name: String) {
            var index: [String: PostingList] = [:]
            // The series of one pod sit in a run of slots and share their pairs: their value is looked up,
            // and hashed into the index, once per run.
            var run: [UInt32] = []
            var runLabels: Labels?
            var runValue: String?
            func flush() {
                if let runValue, !run.isEmpty { index[runValue, default: PostingList()].insert(contentsOf: run) }
                run.removeAll(keepingCapacity: true)
            }
            entries.withUnsafeBufferPointer { entries in
                // A label of nearly one value per run (a pod's name) gets room for all runs at once: growing
                // to 150,000 keys rehashed them again and again.
                let step = max(1, entries.count / 64)
                let probe = Set(stride(from: 0, to: entries.count, by: step).compactMap { entries[$0].labels[name] })
                if probe.count >= 48 {
                    var runs = 0
                    var last: UnsafeRawPointer? = nil
                    for id in entries.indices {
                        let pairs = entries[id].labels.pairsIdentity
                        if pairs != last { runs += 1 }
                        last = pairs
                    }
                    index.reserveCapacity(runs)
                }
                for id in entries.indices where entries[id].samples != nil {
                    // Read in place: copying 2.8 million label sets out retained and released each.
                    let entry = entries.baseAddress! + id
                    if let runLabels, entry.pointee.labels.sharesPairs(with: runLabels) {
                        run.append(UInt32(id))
                        continue
                    }
                    flush()
                    runLabels = entry.pointee.labels
                    runValue = entry.pointee.labels[name]
                    run.append(UInt32(id))
                }
            }
            flush()
            byLabel[name] = index
        }

        /// Indexes the series of metric `name` by their value of `label` (in id order: each insert an append).
        mutating func indexLabel(_ label: String, of name: String) {
            var index: [String: PostingList] = [:]
            let ids = byName[name]?.ids ?? []
            entries.withUnsafeBufferPointer { entries in
                for id in ids {
                    // Read in place: a copy of the entry would retain and release its labels.
                    let entry = entries.baseAddress! + Int(id)
                    guard entry.pointee.samples != nil, let value = entry.pointee.labels[label] else { continue }
                    index[value, default: PostingList()].insert(id)
                }
            }
            byNameLabel[name, default: [:]][label] = index
        }

        /// A small superset of the matching series, narrowed by the index on equality matchers and on regexes
        /// that are only literals (each literal's postings, joined: a series has one value per label). The
        /// narrowest is chosen by its size before any list is read; `narrowed` is false when none narrows the
        /// search below every series or the metric name's series.
        mutating func candidates(_ matchers: [LabelMatcher]) -> (ids: [UInt32], narrowed: Bool) {
            // With a metric name, a label's postings come from that name's own index, or from the index of
            // the label over all names (then kept to the name's series here).
            let metric = matchers.first { $0.name == Labels.metricName && $0.kind == .equal && !$0.value.isEmpty }?
                .value
            var best: (matcher: LabelMatcher, values: [String], count: Int, ofName: Bool)?
            for m in matchers {
                let values: [String]
                if m.kind == .equal && !m.value.isEmpty {
                    values = [m.value]
                } else if m.kind == .regex, let literals = m.literals, !literals.contains("") {
                    values = Array(literals)
                } else {
                    continue
                }
                var ofName = true
                if m.name != Labels.metricName {
                    if let metric {
                        if byNameLabel[metric]?[m.name] == nil {
                            if byLabel[m.name] != nil {
                                ofName = false
                            } else {
                                // Only the label that looks the most selective gets an index.
                                guard let chosen = selective(matchers, metric: metric), chosen.name == m.name
                                else { continue }
                                // One value of a label with many (`pod="x"`, not `namespace="x"`).
                                let one = values.count == 1 && chosen.distinct >= 32
                                switch want(m.name, of: metric, one: one) {
                                case .walk: continue
                                case .indexName: indexLabel(m.name, of: metric)
                                case .indexAll:
                                    indexLabel(m.name)
                                    // Each name's own index of the label is now one too many to keep up.
                                    for name in byNameLabel.keys { byNameLabel[name]![m.name] = nil }
                                    ofName = false
                                }
                            }
                        }
                    } else {
                        if byLabel[m.name] == nil { indexLabel(m.name) }
                        ofName = false
                    }
                }
                var count = 0
                for value in values { count += postings(m.name, value, metric: ofName ? metric : nil)?.count ?? 0 }
                if best == nil || count < best!.count { best = (m, values, count, ofName) }
                if count == 0 { return ([], true) }
            }
            guard let best else { return (bySlot.slots, false) }
            let byNameOnly = best.matcher.name == Labels.metricName && best.values.count == 1
            if byNameOnly { return (byName[best.values[0]]?.ids ?? [], false) }
            var ids: [UInt32] = []
            ids.reserveCapacity(best.count)
            for value in best.values {
                ids += postings(best.matcher.name, value, metric: best.ofName ? metric : nil)?.ids ?? []
            }
            if let metric, !best.ofName {
                // The label's index covers every name: keep this name's series (the candidates of a named
                // query are always of that name; see `unchecked`).
                ids.removeAll { entries[Int($0)].labels.name != metric }
            }
            return (ids, true)
        }

        enum Want { case walk, indexName, indexAll }

        /// What a query of `metric` matching on `label`, with no index for it, should do. Building an index
        /// reads every series it covers, as a walk does: a one-off query walks; one asked again indexes the
        /// name's series; a label asked of many names (a pod's dashboard: twenty metrics by `pod`) is indexed
        /// over every name at once.
        mutating func want(_ label: String, of metric: String, one: Bool) -> Want {
            var names = labelWants[label, default: [:]]
            names[metric, default: 0] += 1
            // Asked of several names whose series add up to a good part of the store, an index of every name
            // pays for itself: sooner for one value (`pod="x"`: a pod's dashboard asks twenty metrics about
            // one pod) than for a set of them (a table's three columns restricted to the rows it shows walk).
            // Node metrics (5,000 series each) get their own indexes.
            let walked = names.keys.reduce(0) { $0 + (byName[$1]?.count ?? 0) }
            if (names.count >= 4 && walked * 4 >= bySlot.count)
                || (one && names.count >= 2 && walked * 8 >= bySlot.count)
            {
                labelWants[label] = nil
                return .indexAll
            }
            labelWants[label] = names
            return names[metric]! >= 2 ? .indexName : .walk
        }

        /// Of the label matchers with literal values not indexed yet for `metric`, the label that seems to
        /// narrow its series most, judged on 64 of them spread over its slots: the fewest matching, then the
        /// most distinct values (`pod` over `namespace`), which it also gives. Indexing a label reads all of
        /// the name's series, so a query indexes one label, not every label it names; and none that keeps
        /// many of them.
        func selective(_ matchers: [LabelMatcher], metric: String) -> (name: String, distinct: Int)? {
            let ids = byName[metric]?.ids ?? []
            // A name with few series here is walked: an index would save nothing.
            guard ids.count >= 64 else { return nil }
            let probe = stride(from: 0, to: ids.count, by: ids.count / 64).map { Int(ids[$0]) }
            var best: (name: String, matched: Int, distinct: Int)?
            for m in matchers where m.name != Labels.metricName && byNameLabel[metric]?[m.name] == nil {
                guard (m.kind == .equal && !m.value.isEmpty) || (m.kind == .regex && m.literals != nil) else {
                    continue
                }
                var matched = 0
                var values = Set<String>()
                for id in probe {
                    let value = entries[id].labels[m.name]
                    if m.matches(value) { matched += 1 }
                    if let value { values.insert(value) }
                }
                if best == nil || matched < best!.matched || (matched == best!.matched && values.count > best!.distinct)
                {
                    best = (m.name, matched, values.count)
                }
            }
            // A label that keeps more than one series in sixteen (a namespace of eight) is not worth an index:
            // its postings would be nearly as long as the walk.
            guard let best, best.matched * 16 <= probe.count else { return nil }
            return (best.name, best.distinct)
        }

        /// What a series among `candidates(matchers)` must still be checked against. A query's one metric
        /// name is not: the candidates are that name's series (its postings, or its own label index), and
        /// comparing 150,000 names read a string apart from the labels for each.
        /// The cheapest come first (equalities, then sets of literals, then real regexes): a series
        /// most fail is turned away by a string comparison before any regex runs.
        static func unchecked(_ matchers: [LabelMatcher]) -> [LabelMatcher] {
            var left = matchers
            let named = matchers.filter { $0.name == Labels.metricName }
            if let first = named.first, first.kind == .equal, !first.value.isEmpty,
                named.allSatisfy({ $0.kind == .equal && $0.value == first.value })
            {
                left.removeAll { $0.name == Labels.metricName }
            }
            return cheapestFirst(left)
        }

        /// Equalities, then sets of literals, then real regexes (each kind in the order given).
        static func cheapestFirst(_ matchers: [LabelMatcher]) -> [LabelMatcher] {
            func cost(_ m: LabelMatcher) -> Int {
                switch m.kind {
                case .equal, .notEqual: return 0
                case .regex, .notRegex: return m.literals == nil ? 2 : 1
                }
            }
            return matchers.enumerated().sorted { (cost($0.element), $0.offset) < (cost($1.element), $1.offset) }
                .map(\.element)
        }

        /// The series whose `label` is `value` (and, given a metric name, whose name is that).
        func postings(_ label: String, _ value: String, metric: String?) -> PostingList? {
            if label == Labels.metricName { return byName[value] }
            if let metric { return byNameLabel[metric]?[label]?[value] }
            return byLabel[label]?[value]
        }
    }
}

extension Labels {
    func matchesAll(_ matchers: [LabelMatcher]) -> Bool {
        matchers.withUnsafeBufferPointer { matchers in
            for i in matchers.indices where !matchers[i].matches(self[matchers[i].name]) { return false }
            return true
        }
    }
}
