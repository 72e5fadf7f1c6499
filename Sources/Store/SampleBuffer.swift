import KubeglassCore

/// One series' samples: the newest `capacity` of them, refusing out-of-order samples, compressed
/// (`SampleChunks`), and its rollups (`Rollups`): buckets of a minute and of ten minutes that outlive
/// the raw samples.
///
/// A series' first sample sits in the buffer itself and the chunks and rollups are made when the second
/// arrives: a big cluster's first poll makes millions of series at once, and a store entry's size
/// (times millions) was most of that poll's memory and page faults. The chunks sit behind a
/// reference, copied on write, so that an entry is a few words while the chunks hold the rest.
struct SampleBuffer {
    private var soloTime: Int64 = 0
    private var soloBits: UInt64 = 0
    fileprivate var box: Box?
    private let ringCapacity: Int32
    private var hasSolo = false
    /// Named as a counter (`_total`, `_count`, `_bucket`, `_sum`): its rollups keep what resets took away.
    let isCounter: Bool

    /// Mutated only while uniquely referenced (copied on write), so sharing one between threads is safe.
    fileprivate final class Box: @unchecked Sendable {
        /// nil while the buffer holds one raw sample (or none: a series retired to its rollups).
        var ring: SampleChunks?
        var rollups: Rollups?
        init(ring: SampleChunks?, rollups: Rollups?) {
            self.ring = ring
            self.rollups = rollups
        }
    }

    init(capacity: Int, isCounter: Bool = false) {
        precondition(
            capacity > 0 && capacity <= Int(Int32.max), "a sample buffer needs room for 1 to Int32.max samples")
        ringCapacity = Int32(capacity)
        self.isCounter = isCounter
    }

    var capacity: Int { Int(ringCapacity) }
    var count: Int { box?.ring?.count ?? (hasSolo ? 1 : 0) }

    /// The newest raw sample.
    var last: Sample? {
        if let ring = box?.ring { return ring.last }
        return hasSolo ? Sample(time: soloTime, value: Double(bitPattern: soloBits)) : nil
    }

    /// The newest time the series had a sample, raw or rolled up.
    var newestTime: Timestamp? { last?.time ?? box?.rollups?.newestTime }

    var rollups: Rollups? { box?.rollups }

    private mutating func makeUnique() {
        if box != nil && !isKnownUniquelyReferenced(&box!) {
            box = Box(ring: box!.ring, rollups: box!.rollups)
        }
    }

    /// Appends a sample; samples the ring drops go to the rollups of `tiers` (made then). `divisors`: values
    /// written just before it, which may be its denominator if it is a ratio (see `CodecState.startChunk`).
    mutating func append(_ sample: Sample, tiers: [SeriesStore.Tier] = [], divisors: RecentValues = RecentValues()) {
        if box?.ring == nil {
            guard hasSolo else {
                soloTime = sample.time
                soloBits = sample.value.bitPattern
                hasSolo = true
                return
            }
            if sample.time <= soloTime {
                if sample.time == soloTime { soloBits = sample.value.bitPattern }
                return
            }
            if capacity == 1 {
                let dropped = Sample(time: soloTime, value: Double(bitPattern: soloBits))
                soloTime = sample.time
                soloBits = sample.value.bitPattern
                if !tiers.isEmpty {
                    makeUnique()
                    if box == nil { box = Box(ring: nil, rollups: nil) }
                    if box!.rollups == nil { box!.rollups = Rollups(tiers, isCounter: isCounter) }
                    box!.rollups!.add(dropped)
                }
                return
            }
            let first = Sample(time: soloTime, value: Double(bitPattern: soloBits))
            makeUnique()
            hasSolo = false
            let ring = SampleChunks(capacity: capacity, first: first, second: sample, divisors: divisors)
            if box == nil { box = Box(ring: ring, rollups: nil) } else { box!.ring = ring }
            return
        }
        makeUnique()
        let box = box!
        box.ring!.appendKeepingChunks(sample, divisors: divisors)
        guard box.ring!.mustDropChunk else { return }
        guard !tiers.isEmpty else {
            box.ring!.dropChunks()
            return
        }
        // Out of the box while it changes, so that its arrays are not copied.
        var rollups = box.rollups ?? Rollups(tiers, isCounter: isCounter)
        box.rollups = nil
        box.ring!.dropChunks(rollingUpInto: &rollups)
        box.rollups = rollups
    }

    /// Rolls up every raw sample and keeps only the rollups: for a series silent longer than the raw
    /// retention. False when there are no tiers, and so nothing is left.
    mutating func retire(tiers: [SeriesStore.Tier]) -> Bool {
        guard !tiers.isEmpty else { return false }
        makeUnique()
        if box == nil { box = Box(ring: nil, rollups: nil) }
        if box!.rollups == nil { box!.rollups = Rollups(tiers, isCounter: isCounter) }
        if let ring = box!.ring {
            ring.forEachHeld { box!.rollups!.add($0) }
        } else if hasSolo {
            box!.rollups!.add(Sample(time: soloTime, value: Double(bitPattern: soloBits)))
        }
        box!.ring = nil
        hasSolo = false
        return box!.rollups!.newestTime != nil
    }

    /// Buckets from a saved file, before the raw samples are appended.
    mutating func restore(_ buckets: [[RollupBucket]], tiers: [SeriesStore.Tier]) {
        guard !tiers.isEmpty, buckets.contains(where: { !$0.isEmpty }) else { return }
        makeUnique()
        if box == nil { box = Box(ring: nil, rollups: nil) }
        if box!.rollups == nil { box!.rollups = Rollups(tiers, isCounter: isCounter) }
        box!.rollups!.restore(buckets)
    }

    func samples(from: Timestamp, to: Timestamp) -> [Sample] {
        var out: [Sample] = []
        appendSamples(from: from, to: to, into: &out)
        return out
    }

    /// Appends the raw samples in `[from, to]` to `out`, so a reader can reuse one array for many series
    /// (with `includingHidden`, also those beyond the capacity not yet rolled up; `seek`: see
    /// `SampleChunks.appendSamples`).
    func appendSamples(
        from: Timestamp, to: Timestamp, includingHidden: Bool = false, seek: Timestamp = .min, into out: inout [Sample]
    ) {
        if let ring = box?.ring {
            ring.appendSamples(from: from, to: to, includingHidden: includingHidden, seek: seek, into: &out)
        } else if hasSolo && soloTime >= from && soloTime <= to {
            out.append(Sample(time: soloTime, value: Double(bitPattern: soloBits)))
        }
    }
}

extension SampleBuffer {
    /// `SampleChunks.heldRun` of its raw samples, when no rollup bucket lies in `[from, to]` (a read at level
    /// 0 joins the coarser tiers' buckets before the raw samples).
    func heldRun(from: Timestamp, to: Timestamp) -> (Sample, Sample)? {
        guard let box, let ring = box.ring else { return nil }
        if let rollups = box.rollups, let newest = rollups.newestTime, newest >= from { return nil }
        return ring.heldRun(from: from, to: to)
    }

    /// Bytes of compressed samples behind this buffer (its chunks' words and index).
    var sampleBytes: Int { box?.ring?.bytes ?? 0 }
    /// The divisor of its newest chunk's quotients (1: none).
    var divisor: Double { box?.ring?.divisor ?? 1 }
    /// Bytes of its rollups' buckets.
    var rollupBytes: Int { box?.rollups?.bytes ?? 0 }

    /// Measured heap bytes: its box (the object holding its chunks' and rollups' state), the chunks' words,
    /// the rollups' tiers (their state) and their words.
    var heapBytes: (box: Int, words: Int, rollupState: Int, rollupWords: Int) {
        guard let box else { return (0, 0, 0, 0) }
        return (
            HeapSize.of(box), box.ring?.heapBytes ?? 0, box.rollups?.stateHeapBytes ?? 0,
            box.rollups?.wordsHeapBytes ?? 0
        )
    }
}

extension SampleBuffer {
    /// Appends the series' samples in `[from, to]` to `out`, oldest first, from raw samples and rollups.
    ///
    /// Each level (0: raw samples; 1…: the tiers, finest first) holds times the finer ones dropped, so:
    /// - at `level` 0, the raw samples, and before them each coarser tier's buckets;
    /// - at a higher level, that tier's buckets; before them the coarser tiers'; after them what the
    ///   finer levels hold, merged into buckets as wide as the level's, so that a chart reads one width
    ///   of bucket to its right edge.
    ///
    /// A bucket reads as a sample at its last sample's time, valued by `reading`; raw samples read as
    /// themselves (`count`: 1 each; `counter`: resets taken out, when buckets come before them).
    ///
    /// `levelWidth`: the width of `level`'s buckets. A series too young to have rollups reads at a level
    /// above 0 as one that has them: its raw samples merged into buckets of that width. Else its past
    /// would change when its first samples rolled up, and a range cache keeping that past would differ
    /// from the whole range evaluated again.
    ///
    /// `seek` (raw samples at level 0 only): samples older than another at or before it may be left out.
    func appendSamples(
        from: Timestamp, to: Timestamp, reading: RollupReading, level: Int, levelWidth: Milliseconds = 0,
        seek: Timestamp = .min, into out: inout [Sample]
    ) {
        if level > 0, levelWidth > 0, from <= to, box?.rollups == nil {
            var raw: [Sample] = []
            appendSamples(from: from, to: to, includingHidden: true, into: &raw)
            var buckets: [RollupBucket] = []
            var index = Int64.min
            Self.merge(raw, width: levelWidth, isCounter: isCounter, after: nil, into: &buckets, index: &index)
            for b in buckets { out.append(Sample(time: b.time, value: b.value(reading))) }
            return
        }
        guard let tiers = box?.rollups?.tiers, !tiers.isEmpty, from <= to else {
            let start = out.count
            appendSamples(from: from, to: to, seek: level == 0 ? seek : .min, into: &out)
            if reading == .count { SampleBuffer.countEach(&out, from: start) }
            return
        }
        let level = min(max(0, level), tiers.count)
        // The level itself, then the finer ones after it.
        var recent: [RollupBucket] = []
        var raw: [Sample] = []
        if level > 0 {
            let width = tiers[level - 1].width
            var index = Int64.min
            func take(_ b: RollupBucket, merging: Bool) {
                let i = floorDiv(b.time, width)
                if merging && i == index && !recent.isEmpty {
                    recent[recent.count - 1].merge(b)
                } else {
                    recent.append(b)
                    index = i
                }
            }
            tiers[level - 1].forEach(from: from, to: to) { take($0, merging: false) }
            for t in stride(from: level - 2, through: 0, by: -1) {
                let after = recent.last.map { $0.time + 1 } ?? from
                tiers[t].forEach(from: after, to: to) { take($0, merging: true) }
            }
            let after = recent.last.map { $0.time + 1 } ?? from
            if after <= to {
                appendSamples(from: after, to: to, includingHidden: true, into: &raw)
                Self.merge(raw, width: width, isCounter: isCounter, after: recent.last, into: &recent, index: &index)
                raw = []
            }
        } else {
            appendSamples(from: from, to: to, includingHidden: true, seek: seek, into: &raw)
        }
        // The coarser levels (tiers from index `level`), each before the oldest time of the finer ones,
        // newest part first.
        var older: [[RollupBucket]] = []
        var end = to
        if let first = recent.first?.time ?? raw.first?.time { end = first == .min ? .min : first - 1 }
        for t in level..<tiers.count {
            guard end >= from else { break }
            var part: [RollupBucket] = []
            tiers[t].forEach(from: from, to: end) { part.append($0) }
            if let first = part.first {
                older.append(part)
                guard first.time > .min else { break }
                end = first.time - 1
            }
        }
        for part in older.reversed() {
            for b in part { out.append(Sample(time: b.time, value: b.value(reading))) }
        }
        for b in recent { out.append(Sample(time: b.time, value: b.value(reading))) }
        let base = out.count
        out.append(contentsOf: raw)
        switch reading {
        case .count: SampleBuffer.countEach(&out, from: base)
        case .counter:
            // Raw samples after buckets continue the buckets' count of resets.
            guard isCounter, let bucket = older.first?.last else { break }
            var previous = bucket.last
            var offset = bucket.offset
            for i in base..<out.count where !out[i].isStaleMarker {
                let v = out[i].value
                if v < previous { offset += previous }
                previous = v
                out[i].value = v + offset
            }
        default: break
        }
    }

    /// Raw samples read by count: each is one sample (staleness markers stay markers).
    private static func countEach(_ out: inout [Sample], from start: Int) {
        for i in start..<out.count where !out[i].isStaleMarker { out[i].value = 1 }
    }
}

extension SampleBuffer {
    /// Drops rollup buckets before `time` (whole chunks), copying the box first if shared.
    mutating func dropRollups(before time: Timestamp) {
        guard box?.rollups != nil else { return }
        makeUnique()
        box!.rollups!.drop(before: time)
    }

    var oldestRollupTime: Timestamp? { box?.rollups?.oldestTime }
}

extension SampleBuffer {
    /// Merges raw samples (oldest first, after the bucket `after` if any) into `buckets` of `width`: a sample in
    /// the same bucket as the last one (`index`) joins it. Stale markers are skipped, as rolling up does; a
    /// counter's resets are taken out into the buckets' offsets.
    static func merge(
        _ raw: [Sample], width: Milliseconds, isCounter: Bool, after: RollupBucket?, into buckets: inout [RollupBucket],
        index: inout Int64
    ) {
        var previous = after?.last
        var offset = after?.offset ?? 0
        for sample in raw where !sample.isStaleMarker {
            if isCounter, let p = previous, sample.value < p { offset += p }
            previous = sample.value
            let b = RollupBucket(sample, offset: offset)
            let i = floorDiv(b.time, width)
            if i == index && !buckets.isEmpty {
                buckets[buckets.count - 1].merge(b)
            } else {
                buckets.append(b)
                index = i
            }
        }
    }
}
