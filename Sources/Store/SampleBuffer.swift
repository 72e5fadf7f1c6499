import KubeglassCore

/// One series' samples: a fixed-capacity ring that refuses out-of-order samples, stored compactly.
///
/// A series' first sample sits in the buffer itself and the ring is made when the second arrives:
/// a big cluster's first poll makes millions of series at once, and a store entry's size (times
/// millions) was most of that poll's memory and page faults. The ring sits behind a reference, copied
/// on write, so that an entry is a few words while the ring holds the rest.
struct SampleBuffer {
    private var soloTime: Int64 = 0
    private var soloBits: UInt64 = 0
    private var box: RingBox?
    private let ringCapacity: Int32
    private var hasSolo = false

    /// Mutated only while uniquely referenced (copied on write), so sharing one between threads is safe.
    private final class RingBox: @unchecked Sendable {
        var ring: SampleRing
        init(_ ring: SampleRing) { self.ring = ring }
    }

    init(capacity: Int) {
        precondition(
            capacity > 0 && capacity <= Int(Int32.max), "a sample buffer needs room for 1 to Int32.max samples")
        ringCapacity = Int32(capacity)
    }

    var capacity: Int { Int(ringCapacity) }
    var count: Int { box?.ring.count ?? (hasSolo ? 1 : 0) }

    var last: Sample? {
        if let box { return box.ring.last }
        return hasSolo ? Sample(time: soloTime, value: Double(bitPattern: soloBits)) : nil
    }

    mutating func append(_ sample: Sample) {
        if box == nil {
            guard hasSolo else {
                soloTime = sample.time
                soloBits = sample.value.bitPattern
                hasSolo = true
                return
            }
            var ring = SampleRing(capacity: capacity)
            ring.append(Sample(time: soloTime, value: Double(bitPattern: soloBits)))
            hasSolo = false
            box = RingBox(ring)
        } else if !isKnownUniquelyReferenced(&box!) {
            box = RingBox(box!.ring)
        }
        box!.ring.append(sample)
    }

    func samples(from: Timestamp, to: Timestamp) -> [Sample] {
        var out: [Sample] = []
        appendSamples(from: from, to: to, into: &out)
        return out
    }

    /// Appends the samples in `[from, to]` to `out`, so a reader can reuse one array for many series.
    func appendSamples(from: Timestamp, to: Timestamp, into out: inout [Sample]) {
        if let box {
            box.ring.appendSamples(from: from, to: to, into: &out)
        } else if hasSolo && soloTime >= from && soloTime <= to {
            out.append(Sample(time: soloTime, value: Double(bitPattern: soloBits)))
        }
    }
}

/// The ring behind a `SampleBuffer` of two or more samples.
///
/// - Times are Int32 offsets from a per-buffer base (4 bytes a sample instead of 8); when a ring spans
///   more than the offsets can reach it falls back to plain Int64 times ("wide").
/// - Values are kept as their bit patterns (so NaNs, staleness markers and ±Inf round-trip exactly) in
///   one of two ways: as runs, one (first sample, bits) per run of identical values, which costs next to
///   nothing for the many constant series; or, once a series has too many runs for that to pay, as
///   plain 8-byte values in a ring parallel to the times. A plain buffer whose values settle down turns
///   back into runs (checked once per `capacity` appends, so appends stay O(1) amortised).
///
/// Every sample has a sequence number that only grows; the oldest kept is `firstSeq`, and sample `i`
/// (0 oldest) is `firstSeq + i` and lives in slot `(head + i) % capacity` of the time and plain arrays.
///
/// Positions and counts are stored in 32 bits (a ring holds at most `Int32.max` samples) and the flags
/// last: a big cluster's second poll makes millions of rings at once, and every word is megabytes.
struct SampleRing {
    private var firstSeq = 0

    // Times.
    private var base: Int64 = 0
    private var offsets: [Int32] = []
    private var wideTimes: [Int64] = []

    // Values.
    private struct Run {
        var start: Int // sequence number of the run's first sample
        var bits: UInt64
    }
    private var runs: [Run] = [] // live runs are runs[runHead...]; the first may start before firstSeq
    private var plain: [UInt64] = []

    private let storedCapacity: Int32
    private var storedCount: Int32 = 0
    private var storedHead: Int32 = 0
    private var storedRunHead: Int32 = 0
    private var storedAppendsSinceCheck: Int32 = 0
    private var isWide = false
    private var isPlain = false

    var capacity: Int { Int(storedCapacity) }
    private(set) var count: Int {
        get { Int(storedCount) }
        set { storedCount = Int32(newValue) }
    }
    private var head: Int {
        get { Int(storedHead) }
        set { storedHead = Int32(newValue) }
    }
    private var runHead: Int {
        get { Int(storedRunHead) }
        set { storedRunHead = Int32(newValue) }
    }
    private var appendsSinceCheck: Int {
        get { Int(storedAppendsSinceCheck) }
        set { storedAppendsSinceCheck = Int32(newValue) }
    }

    init(capacity: Int) {
        precondition(
            capacity > 0 && capacity <= Int(Int32.max), "a sample buffer needs room for 1 to Int32.max samples")
        storedCapacity = Int32(capacity)
        // Grown as samples arrive: a store of millions of series must not pay for a full hour each up front.
        offsets.reserveCapacity(min(capacity, 8))
    }

    /// More runs than this and plain values take less room (a run costs two values).
    private var maxRuns: Int { max(2, capacity / 4) }
    /// At most this many runs and a plain buffer goes back to runs.
    private var fewRuns: Int { max(1, capacity / 16) }

    private func slot(_ i: Int) -> Int { (head + i) % capacity }

    private func time(_ i: Int) -> Timestamp {
        let p = slot(i)
        return isWide ? wideTimes[p] : base &+ Int64(offsets[p])
    }

    /// The index in `runs` of the run holding sequence number `seq` (runs mode).
    private func runIndex(_ seq: Int) -> Int {
        var lo = runHead
        var hi = runs.count // first run starting after seq
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].start <= seq { lo = mid + 1 } else { hi = mid }
        }
        return max(runHead, lo - 1)
    }

    private func bits(_ i: Int) -> UInt64 {
        isPlain ? plain[slot(i)] : runs[runIndex(firstSeq + i)].bits
    }

    var last: Sample? {
        count == 0 ? nil : Sample(time: time(count - 1), value: Double(bitPattern: bits(count - 1)))
    }

    mutating func append(_ sample: Sample) {
        let bits = sample.value.bitPattern
        if count > 0 {
            let lastTime = time(count - 1)
            if sample.time <= lastTime {
                // Same timestamp again: keep the newer value (a re-poll); older: ignore.
                if sample.time == lastTime { replaceLast(bits) }
                return
            }
        }
        if count == capacity { dropOldest() }
        let seq = firstSeq + count
        let p = slot(count)
        storeTime(sample.time, at: p)
        if isPlain {
            if p == plain.count { plain.append(bits) } else { plain[p] = bits }
        } else if runs.count == runHead || runs[runs.count - 1].bits != bits {
            runs.append(Run(start: seq, bits: bits))
        }
        count += 1
        if isPlain {
            appendsSinceCheck += 1
            if appendsSinceCheck >= capacity {
                appendsSinceCheck = 0
                convertToRunsIfFew()
            }
        } else if runs.count - runHead > maxRuns {
            convertToPlain()
        }
    }

    private mutating func dropOldest() {
        firstSeq += 1
        head = (head + 1) % capacity
        count -= 1
        if !isPlain {
            while runHead + 1 < runs.count && runs[runHead + 1].start <= firstSeq { runHead += 1 }
            if runHead > 16 && runHead * 2 > runs.count {
                runs.removeFirst(runHead)
                runHead = 0
            }
        }
    }

    /// Writes the time of the sample going into slot `p` (the newest, later than every kept time).
    private mutating func storeTime(_ t: Timestamp, at p: Int) {
        if !isWide {
            if count == 0 { base = t }
            var (d, overflow) = t.subtractingReportingOverflow(base)
            if overflow || d > Int64(Int32.max) {
                // Rebase on the oldest kept time, if that leaves room to grow; otherwise go wide.
                let oldest = time(0)
                let (span, spanOverflow) = t.subtractingReportingOverflow(oldest)
                if !spanOverflow && span <= Int64(Int32.max / 2) {
                    for i in 0..<count { offsets[slot(i)] = Int32(time(i) - oldest) }
                    base = oldest
                    d = span
                } else {
                    wideTimes = offsets.map { base &+ Int64($0) }
                    wideTimes.reserveCapacity(capacity)
                    offsets = []
                    isWide = true
                }
            }
            if !isWide {
                if p == offsets.count { offsets.append(Int32(d)) } else { offsets[p] = Int32(d) }
                return
            }
        }
        if p == wideTimes.count { wideTimes.append(t) } else { wideTimes[p] = t }
    }

    private mutating func replaceLast(_ bits: UInt64) {
        if isPlain {
            plain[slot(count - 1)] = bits
            return
        }
        let lastSeq = firstSeq + count - 1
        let r = runs.count - 1
        if runs[r].bits == bits { return }
        if runs[r].start == lastSeq {
            // The last run is just this sample: rewrite it, merging into the run before if now equal.
            if r > runHead && runs[r - 1].bits == bits { runs.removeLast() } else { runs[r].bits = bits }
        } else {
            runs.append(Run(start: lastSeq, bits: bits))
            if runs.count - runHead > maxRuns { convertToPlain() }
        }
    }

    private mutating func convertToPlain() {
        let slots = isWide ? wideTimes.count : offsets.count
        var values = [UInt64](repeating: 0, count: slots)
        values.reserveCapacity(capacity)
        var r = runIndex(firstSeq)
        for i in 0..<count {
            let seq = firstSeq + i
            while r + 1 < runs.count && runs[r + 1].start <= seq { r += 1 }
            values[slot(i)] = runs[r].bits
        }
        plain = values
        runs = []
        runHead = 0
        isPlain = true
        appendsSinceCheck = 0
    }

    private mutating func convertToRunsIfFew() {
        var n = 0
        var previous: UInt64?
        for i in 0..<count {
            let b = plain[slot(i)]
            if b != previous {
                n += 1
                if n > fewRuns { return }
                previous = b
            }
        }
        var newRuns: [Run] = []
        previous = nil
        for i in 0..<count {
            let b = plain[slot(i)]
            if b != previous {
                newRuns.append(Run(start: firstSeq + i, bits: b))
                previous = b
            }
        }
        runs = newRuns
        runHead = 0
        plain = []
        isPlain = false
    }

    func appendSamples(from: Timestamp, to: Timestamp, into out: inout [Sample]) {
        // Binary search for the first sample at or after `from`.
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if time(mid) < from { lo = mid + 1 } else { hi = mid }
        }
        var i = lo
        var r = isPlain || i >= count ? 0 : runIndex(firstSeq + i)
        while i < count {
            let t = time(i)
            if t > to { break }
            let b: UInt64
            if isPlain {
                b = plain[slot(i)]
            } else {
                while r + 1 < runs.count && runs[r + 1].start <= firstSeq + i { r += 1 }
                b = runs[r].bits
            }
            out.append(Sample(time: t, value: Double(bitPattern: b)))
            i += 1
        }
    }
}
