import KubeglassCore

/// What a rollup keeps of one series' samples in one bucket of time (a minute, ten minutes).
public struct RollupBucket: Sendable, Equatable {
    /// The time of the bucket's last sample (so a bucket reads as a sample at a time the series had one).
    public var time: Timestamp
    public var last: Double
    public var min: Double
    public var max: Double
    public var sum: Double
    public var count: Int
    /// Counters only: what resets took away up to `last`, so `last + offset` never goes down (0 for gauges).
    public var offset: Double

    public init(
        time: Timestamp, last: Double, min: Double, max: Double, sum: Double, count: Int, offset: Double = 0
    ) {
        self.time = time
        self.last = last
        self.min = min
        self.max = max
        self.sum = sum
        self.count = count
        self.offset = offset
    }

    /// Equal bit for bit (NaNs included).
    public static func == (a: RollupBucket, b: RollupBucket) -> Bool {
        a.time == b.time && a.count == b.count && a.last.bitPattern == b.last.bitPattern
            && a.min.bitPattern == b.min.bitPattern && a.max.bitPattern == b.max.bitPattern
            && a.sum.bitPattern == b.sum.bitPattern && a.offset.bitPattern == b.offset.bitPattern
    }

    /// A bucket of one sample.
    init(_ sample: Sample, offset: Double) {
        self.init(
            time: sample.time, last: sample.value, min: sample.value, max: sample.value, sum: sample.value, count: 1,
            offset: offset)
    }

    /// Takes in a later bucket of the same span (or a one-sample bucket).
    mutating func merge(_ b: RollupBucket) {
        time = b.time
        last = b.last
        if b.min < min { min = b.min }
        if b.max > max { max = b.max }
        sum += b.sum
        count = Swift.min(RollupCodec.maxCount, count + b.count)
        offset = b.offset
    }

    /// The value a read gives for this bucket.
    public func value(_ reading: RollupReading) -> Double {
        switch reading {
        case .last: return last
        case .average: return count > 0 ? sum / Double(count) : last
        case .min: return min
        case .max: return max
        case .sum: return sum
        case .count: return Double(count)
        case .counter: return last + offset
        }
    }

    /// Every sample the bucket took had one value (then min, max and sum follow from `last` and `count`).
    var isFlat: Bool {
        min.bitPattern == last.bitPattern && max.bitPattern == last.bitPattern
            && sum.bitPattern == RollupBucket.flatSum(last, count).bitPattern
    }

    static func flatSum(_ value: Double, _ count: Int) -> Double { value * Double(count) }
}

/// Which aggregate of a bucket a read gives as its samples' values. Raw samples read as themselves,
/// except for `count` (each is 1) and `counter` (resets taken out when the read also covers buckets).
public enum RollupReading: Sendable, Hashable {
    /// The bucket's last sample: what an instant selector would have seen at its time.
    case last
    /// The mean of the bucket's samples (instant selectors in a chart: no spike or dip is lost by picking).
    case average
    case min, max, sum
    /// How many samples the bucket took (`count_over_time` sums these).
    case count
    /// A counter with its resets taken out (`rate`, `increase`, `irate`, `resets`).
    case counter
}

/// A series' closed buckets of one width, compressed with the sample codec, keeping the newest `capacity`;
/// the bucket being filled is kept whole until a later bucket closes it. A tier is fed the samples (or
/// the finer tier's buckets) that its finer neighbour drops, so each time is held by one level only.
struct RollupTier {
    let width: Milliseconds
    let capacity: Int32
    let isCounter: Bool
    private(set) var open: RollupBucket?
    private var openIndex: Int64 = 0
    private var words: [UInt64] = []
    private var writer = BitWriter()
    private var codec = RollupCodec()
    /// Where each chunk starts, and how many buckets the last holds.
    private var chunkStarts: [Int32] = []
    private var inLastChunk: Int32 = 0
    /// Closed buckets held (up to a chunk beyond `capacity`: whole chunks are dropped).
    private(set) var count: Int32 = 0
    /// The newest closed bucket, decoded.
    private(set) var newest: RollupBucket?

    init(width: Milliseconds, capacity: Int, isCounter: Bool) {
        precondition(width > 0 && capacity > 0)
        self.width = width
        self.capacity = Int32(min(capacity, Int(Int32.max / 2)))
        self.isCounter = isCounter
    }

    var chunkBuckets: Int32 { Swift.max(16, Swift.min(256, capacity / 8)) }

    /// Bytes the tier takes: its encoded buckets, the two arrays they are in (a heap block's header each), and
    /// the tier itself (its open and newest buckets and codec state: 512 bytes, more than a day of a steady
    /// gauge's buckets). Counting only the buckets left about 1 KB a series out of `--memory-budget`: at
    /// 200,000 series the soak's store counted 117 MB while its heap held about 400 MB.
    var bytes: Int {
        MemoryLayout<RollupTier>.stride + (words.capacity > 0 ? words.capacity * 8 + RollupTier.blockHeader : 0)
            + (chunkStarts.capacity > 0 ? chunkStarts.capacity * 4 + RollupTier.blockHeader : 0)
    }

    /// What a Swift array's heap block takes besides its elements (its header and malloc's own).
    static let blockHeader = 48

    /// Bytes its arrays take on the heap (measured).
    var heapBytes: Int { HeapSize.of(words) + HeapSize.of(chunkStarts) }

    /// The oldest closed bucket's time.
    var oldestTime: Timestamp? { chunkStarts.first.map { Int64(bitPattern: words[Int($0)]) } }

    /// Takes a sample's bucket, or a finer tier's (newer than every one before): into the open bucket,
    /// or closing it first; returns the buckets dropped to stay within the capacity, oldest first.
    mutating func add(_ bucket: RollupBucket) -> [RollupBucket] {
        let index = floorDiv(bucket.time, width)
        if open != nil && index == openIndex {
            open!.merge(bucket)
            return []
        }
        let dropped = closeOpen()
        open = bucket
        openIndex = index
        return dropped
    }

    /// Closes the open bucket (the series went away, or a later bucket began).
    mutating func closeOpen() -> [RollupBucket] {
        guard let bucket = open else { return [] }
        open = nil
        return append(bucket)
    }

    /// Adds a closed bucket (newer than the newest); returns the buckets dropped, oldest first.
    /// (`keepingAll`: none are dropped, as when loading what a tier held.)
    @discardableResult
    mutating func append(_ bucket: RollupBucket, keepingAll: Bool = false) -> [RollupBucket] {
        if let newest, bucket.time <= newest.time { return [] }
        if chunkStarts.isEmpty || inLastChunk >= chunkBuckets {
            writer.alignToWord()
            if chunkStarts.count > 1 {
                // The chunk before keeps only the words it needs.
                let wanted = words.count + (words.count - Int(chunkStarts.last!)) + 1
                if words.capacity > wanted + wanted / 8 {
                    words = Array(unsafeUninitializedCapacity: wanted) { buffer, n in
                        n = words.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
                    }
                }
            }
            chunkStarts.append(Int32(words.count))
            codec.start(bucket, isCounter: isCounter, writer: &writer, words: &words)
            inLastChunk = 1
        } else {
            codec.encode(bucket, isCounter: isCounter, writer: &writer, words: &words)
            inLastChunk += 1
        }
        count += 1
        newest = bucket
        var dropped: [RollupBucket] = []
        while !keepingAll && chunkStarts.count > 1 && count - chunkBuckets >= capacity { dropped += dropFirstChunk() }
        return dropped
    }

    /// Drops the oldest chunk, returning its buckets (none when there is only the open chunk).
    @discardableResult
    mutating func dropFirstChunk() -> [RollupBucket] {
        guard chunkStarts.count > 1 else { return [] }
        var out: [RollupBucket] = []
        forEach(from: .min, to: Int64(bitPattern: words[Int(chunkStarts[1])]) - 1, includingOpen: false) {
            out.append($0)
        }
        let n = Int(chunkStarts[1])
        words.removeFirst(n)
        chunkStarts.removeFirst()
        for i in chunkStarts.indices { chunkStarts[i] -= Int32(n) }
        writer.droppedWords(n)
        count -= chunkBuckets
        return out
    }

    /// The newest time the tier holds (its open bucket's, else its newest closed one's).
    var newestTime: Timestamp? { open?.time ?? newest?.time }

    /// Drops the closed buckets before `time`: whole chunks, and the chunk it falls in written anew.
    mutating func drop(before time: Timestamp) {
        guard let oldest = oldestTime ?? open?.time, oldest < time else { return }
        var kept: [RollupBucket] = []
        forEach(from: time, to: .max, includingOpen: false) { kept.append($0) }
        let open = self.open.flatMap { $0.time >= time ? $0 : nil }
        let index = openIndex
        self = RollupTier(width: width, capacity: Int(capacity), isCounter: isCounter)
        for b in kept { append(b, keepingAll: true) }
        self.open = open
        openIndex = index
    }

    /// Calls `body` with each bucket whose time is in `[from, to]`, oldest first: the closed ones, then
    /// (with `includingOpen`) the open one, which holds samples no other level holds.
    func forEach(
        from: Timestamp, to: Timestamp, includingOpen: Bool = true, _ body: (RollupBucket) -> Void
    ) {
        guard from <= to else { return }
        defer {
            if includingOpen, var open, open.time >= from && open.time <= to {
                // As a closed one reads back: a counter keeps only last, count and offset.
                if isCounter { (open.min, open.max, open.sum) = (open.last, open.last, open.last) }
                body(open)
            }
        }
        guard let newest, newest.time >= from else { return }
        words.withUnsafeBufferPointer { buffer in
            for c in chunkStarts.indices {
                let isLast = c == chunkStarts.count - 1
                if !isLast && Int64(bitPattern: buffer[Int(chunkStarts[c + 1])]) <= from { continue }
                if Int64(bitPattern: buffer[Int(chunkStarts[c])]) > to { return }
                var reader = BitReader(buffer, word: Int(chunkStarts[c]))
                var decoder = RollupCodec()
                let n = isLast ? inLastChunk : chunkBuckets
                for k in 0..<n {
                    let bucket =
                        k == 0
                        ? decoder.start(&reader, isCounter: isCounter) : decoder.decode(&reader, isCounter: isCounter)
                    if bucket.time > to { return }
                    if bucket.time >= from { body(bucket) }
                }
            }
        }
    }

    /// Every bucket, the open one last, oldest first (for saving: a saved open bucket loads as closed).
    var buckets: [RollupBucket] {
        var out: [RollupBucket] = []
        out.reserveCapacity(Int(count))
        forEach(from: .min, to: .max) { out.append($0) }
        return out
    }
}

/// The bits of a rollup's buckets: the time and last value as a sample's (`CodecState`), then the count
/// (`0` the same as before, else `1` and 20 bits), then
/// - for a counter, its offset as a value stream;
/// - for a gauge, `0` when the bucket is flat (min, max and sum follow from last and count), else `1`
///   and min, max and sum, each as a value stream.
/// A chunk's first bucket has its time, last value, count and the streams' values written whole.
struct RollupCodec {
    static let countBits = 20
    static let maxCount = (1 << countBits) - 1
    var main = CodecState()
    var low = CodecState()
    var high = CodecState()
    var total = CodecState()
    var offset = CodecState()
    var count = 0

    var damaged: Bool { main.damaged || low.damaged || high.damaged || total.damaged || offset.damaged }

    mutating func start(_ b: RollupBucket, isCounter: Bool, writer: inout BitWriter, words: inout [UInt64]) {
        main.startChunk(time: b.time, bits: b.last.bitPattern, writer: &writer, words: &words)
        count = b.count
        writer.write(UInt64(b.count), RollupCodec.countBits, into: &words)
        if isCounter {
            writer.write(b.offset.bitPattern, 64, into: &words)
            offset.startValue(b.offset.bitPattern)
            return
        }
        let flat = b.isFlat
        writer.write(flat ? 0 : 1, 1, into: &words)
        for (k, bits) in [b.min.bitPattern, b.max.bitPattern, b.sum.bitPattern].enumerated() {
            if !flat { writer.write(bits, 64, into: &words) }
            switch k {
            case 0: low.startValue(bits)
            case 1: high.startValue(bits)
            default: total.startValue(bits)
            }
        }
    }

    mutating func encode(_ b: RollupBucket, isCounter: Bool, writer: inout BitWriter, words: inout [UInt64]) {
        main.encode(time: b.time, bits: b.last.bitPattern, writer: &writer, words: &words)
        if b.count == count {
            writer.write(0, 1, into: &words)
        } else {
            writer.write(1, 1, into: &words)
            writer.write(UInt64(b.count), RollupCodec.countBits, into: &words)
            count = b.count
        }
        if isCounter {
            offset.encodeValue(b.offset.bitPattern, writer: &writer, words: &words)
            return
        }
        if b.isFlat {
            writer.write(0, 1, into: &words)
            low.assume(b.min.bitPattern)
            high.assume(b.max.bitPattern)
            total.assume(b.sum.bitPattern)
        } else {
            writer.write(1, 1, into: &words)
            low.encodeValue(b.min.bitPattern, writer: &writer, words: &words)
            high.encodeValue(b.max.bitPattern, writer: &writer, words: &words)
            total.encodeValue(b.sum.bitPattern, writer: &writer, words: &words)
        }
    }

    mutating func start(_ r: inout BitReader, isCounter: Bool) -> RollupBucket {
        let (time, lastBits) = main.startChunk(&r)
        let last = Double(bitPattern: lastBits)
        count = Int(r.read(RollupCodec.countBits))
        if isCounter {
            let bits = r.read(64)
            offset.startValue(bits)
            return RollupBucket(
                time: time, last: last, min: last, max: last, sum: last, count: count,
                offset: Double(bitPattern: bits))
        }
        let flat = !r.bit()
        let sum = RollupBucket.flatSum(last, count).bitPattern
        let bits = flat ? [lastBits, lastBits, sum] : [r.read(64), r.read(64), r.read(64)]
        low.startValue(bits[0])
        high.startValue(bits[1])
        total.startValue(bits[2])
        return RollupBucket(
            time: time, last: last, min: Double(bitPattern: bits[0]), max: Double(bitPattern: bits[1]),
            sum: Double(bitPattern: bits[2]), count: count)
    }

    mutating func decode(_ r: inout BitReader, isCounter: Bool) -> RollupBucket {
        let (time, lastBits) = main.decode(&r)
        let last = Double(bitPattern: lastBits)
        if r.bit() { count = Int(r.read(RollupCodec.countBits)) }
        if isCounter {
            let bits = offset.decodeValue(&r)
            return RollupBucket(
                time: time, last: last, min: last, max: last, sum: last, count: count,
                offset: Double(bitPattern: bits))
        }
        if !r.bit() {
            let sum = RollupBucket.flatSum(last, count).bitPattern
            low.assume(lastBits)
            high.assume(lastBits)
            total.assume(sum)
            return RollupBucket(
                time: time, last: last, min: last, max: last, sum: Double(bitPattern: sum), count: count)
        }
        let min = low.decodeValue(&r)
        let max = high.decodeValue(&r)
        let sum = total.decodeValue(&r)
        return RollupBucket(
            time: time, last: last, min: Double(bitPattern: min), max: Double(bitPattern: max),
            sum: Double(bitPattern: sum), count: count)
    }
}

/// One series' buckets in every tier as a flat list of words and back (for the store file).
enum RollupStream {
    static func encode(_ buckets: [RollupBucket], isCounter: Bool) -> [UInt64] {
        var words: [UInt64] = []
        guard let first = buckets.first else { return words }
        var writer = BitWriter()
        var codec = RollupCodec()
        codec.start(first, isCounter: isCounter, writer: &writer, words: &words)
        for b in buckets.dropFirst() { codec.encode(b, isCounter: isCounter, writer: &writer, words: &words) }
        return words
    }

    /// nil when the bits run out, are not what the encoder writes, or the times do not increase.
    static func decode(_ words: [UInt64], count: Int, isCounter: Bool) -> [RollupBucket]? {
        guard count > 0 else { return words.isEmpty ? [] : nil }
        let bits = words.count * 64
        // A bucket's code is at most its chunk head (369 bits): eight words of zeros after the end keep
        // a reader checked before each bucket inside the buffer.
        let padded = words + [UInt64](repeating: 0, count: 8)
        var out: [RollupBucket] = []
        out.reserveCapacity(min(count, bits))
        let ok = padded.withUnsafeBufferPointer { buffer -> Bool in
            var reader = BitReader(buffer, word: 0)
            var codec = RollupCodec()
            for k in 0..<count {
                guard reader.position < bits else { return false }
                let b =
                    k == 0 ? codec.start(&reader, isCounter: isCounter) : codec.decode(&reader, isCounter: isCounter)
                if codec.damaged { return false }
                if let last = out.last, b.time <= last.time { return false }
                out.append(b)
            }
            return reader.position <= bits
        }
        return ok ? out : nil
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

extension SeriesStore {
    /// A rollup tier: buckets `width` wide, kept for `span`.
    public struct Tier: Sendable, Hashable {
        public var width: Milliseconds
        public var span: Milliseconds
        public init(width: Milliseconds, span: Milliseconds) {
            self.width = width
            self.span = span
        }
        var capacity: Int { max(1, Int(span / max(1, width))) }

        /// One-minute buckets for a day, then ten-minute buckets for a week.
        public static let standard = [
            Tier(width: Milliseconds.minute, span: Milliseconds.day),
            Tier(width: 10 * Milliseconds.minute, span: Milliseconds.week),
        ]
    }

    /// Counters by Prometheus' naming conventions: their rollups keep what resets took away.
    static func isCounter(_ name: String?) -> Bool {
        guard let name else { return false }
        return name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_bucket")
            || name.hasSuffix("_sum")
    }
}

/// A series' rollup tiers, fed every raw sample as it arrives (staleness markers close the open buckets).
struct Rollups {
    var tiers: [RollupTier]
    /// Counters: what resets have taken away so far, and the last value seen (once `latest` is set: an
    /// optional took a word more, which with `SampleChunks.chunkSamples` stored took every series' box
    /// from 176 to 192 bytes as malloc rounds them).
    private var offset = 0.0
    private var previous = 0.0

    init(_ plan: [SeriesStore.Tier], isCounter: Bool) {
        tiers = plan.map { RollupTier(width: $0.width, capacity: $0.capacity, isCounter: isCounter) }
    }

    var isCounter: Bool { tiers.first?.isCounter ?? false }

    /// The newest sample taken (`.min`: none).
    private var latest: Timestamp = .min
    var newestTime: Timestamp? { latest == .min ? nil : latest }

    /// The tiers' bytes and their array's block.
    var bytes: Int { tiers.reduce(RollupTier.blockHeader) { $0 + $1.bytes } }

    /// Bytes on the heap of the array of tiers (their codecs, open buckets and newest buckets): a series'
    /// fixed cost once it has rollups, about a kilobyte with the standard tiers.
    var stateHeapBytes: Int { HeapSize.of(tiers) }

    /// Bytes on the heap of the tiers' words.
    var wordsHeapBytes: Int { tiers.reduce(0) { $0 + $1.heapBytes } }

    /// Takes a raw sample the ring dropped (newer than every one before) into the finest tier; what a
    /// tier drops goes on to the next.
    mutating func add(_ sample: Sample) {
        if sample.isStaleMarker {
            closeOpen()
            return
        }
        if sample.time <= latest { return }
        let hadSample = latest != .min
        latest = sample.time
        if isCounter {
            if hadSample, sample.value < previous { offset += previous }
            previous = sample.value
        }
        cascade(tiers[0].add(RollupBucket(sample, offset: offset)), from: 0)
    }

    /// Buckets tier `t` dropped, into tier `t + 1` (and on).
    private mutating func cascade(_ dropped: [RollupBucket], from t: Int) {
        guard !dropped.isEmpty, t + 1 < tiers.count else { return }
        var next: [RollupBucket] = []
        for b in dropped { next += tiers[t + 1].add(b) }
        cascade(next, from: t + 1)
    }

    /// Drops the buckets of every tier before `time` (whole chunks).
    mutating func drop(before time: Timestamp) {
        for i in tiers.indices { tiers[i].drop(before: time) }
    }

    /// The oldest time a tier holds.
    var oldestTime: Timestamp? { tiers.compactMap { $0.oldestTime ?? $0.open?.time }.min() }

    /// Closes the finest tier's open bucket (a staleness marker: the series went away).
    mutating func closeOpen() {
        cascade(tiers[0].closeOpen(), from: 0)
    }

    /// Saved buckets (per tier, oldest first); counting resumes from the newest.
    mutating func restore(_ buckets: [[RollupBucket]]) {
        for (i, list) in buckets.enumerated() where i < tiers.count {
            for b in list { tiers[i].append(b, keepingAll: true) }
        }
        if let newest = tiers.compactMap(\.newest).max(by: { $0.time < $1.time }) {
            offset = newest.offset
            previous = newest.last
            latest = max(latest, newest.time)
        }
    }
}
