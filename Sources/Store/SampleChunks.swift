import KubeglassCore

/// A series' samples compressed into chunks, Gorilla-style (Pelkonen et al., VLDB 2015), keeping
/// the newest `capacity`.
///
/// - The newest sample is kept as it is, not yet encoded: it is read most often, and a re-poll of
///   the same time replaces it.
/// - Older samples are bits in `words`, in chunks of `chunkSamples`, each starting on a word with
///   its first time and value in full, its length in words (once closed) and its decimals (below).
///   Then per sample:
///   - `0`: the same time step as before and the same value (a constant series polled on time);
///   - otherwise `1`, a time code, a value code.
/// - Time code, by the change of the time step (delta of delta): `0` none; `10` 7 bits; `110`
///   12 bits; `1110` 20 bits; `1111` the time itself in 64 bits (any jump, even past overflow).
/// - Value code: `0` the same bits as before; `10` an integer's residual; `11` the XOR with the
///   previous bits: `0` inside the previous window of meaningful bits, or `1`, 5 bits of leading
///   zeros, 6 bits of length, and the bits.
/// - Integers: the chunk's first value fixes what its values are integers of. A decimal is one of
///   10^-decimals (the counts, bytes and nanocores Kubernetes gives are integers, and a value given in
///   cores has at most nine decimals). A value that is no decimal may be a ratio: a quotient of an
///   integer (bytes, or nanocores in cores) by a divisor, a value written just before it in the same
///   round (its pod's request or limit, its node's allocatable); the head then holds that divisor.
/// - A value within a few units in the last place of such an integer's (a sum of them) counts as that
///   integer, and the offset is written before its residual (`1000000` and 3 bits).
/// - An integer is predicted (the last one, or for a smooth series the last plus its last change: the
///   predictor whose residuals were smaller lately), and the residual, zigzagged, is written in a
///   width that follows the recent residuals' lengths (`0` and that width; or `1`, 6 bits of length
///   and the bits after the leading one). Both sides learn the same from the same integers.
/// - Values are bit patterns throughout: NaNs, staleness markers, -0 and ±Inf round-trip exactly.
/// - Dropping history drops whole chunks from the front; reads skip what lies beyond `capacity`.
struct SampleChunks {
    private var words: [UInt64] = []
    private var writer = BitWriter()
    private var state = CodecState()
    /// Samples encoded in `words` (the kept newest is not among them).
    private var encoded: Int32 = 0
    private var inLastChunk: Int32 = 0
    private var chunkCount: Int32 = 0
    /// Where the open (last) chunk starts.
    private var lastChunkWord: Int32 = 0
    private let storedCapacity: Int32
    /// Samples a chunk holds. Whole chunks are dropped: up to a quarter of a ring may be kept beyond its
    /// capacity, and a chunk's head (its first time and value in full) costs a constant series a tenth of a
    /// byte a sample. At most 240: a read of the newest minutes (every refresh's) decodes its chunk from the
    /// start, and at a 1 s poll a quarter of an hour's ring was 900 samples to decode for the last few.
    /// Computed, not stored: every series' box is a step of malloc's smaller (see `Rollups.previous`).
    private var chunkSamples: Int32 { Int32(min(240, max(16, Int(storedCapacity) / 4))) }
    /// For how long the newest value has been held: ms from the oldest sample of the run of samples with
    /// its bit pattern that ends with it (0 when the sample before differs; at most `UInt32.max`, and never
    /// more than the truth). In the four bytes before `newestTime` that alignment left empty.
    private var heldFor: UInt32 = 0
    private var newestTime: Timestamp
    private var newestBits: UInt64

    /// A ring of two or more: `first` and `second` are its first samples (second later).
    init(capacity: Int, first: Sample, second: Sample, divisors: RecentValues = RecentValues()) {
        storedCapacity = Int32(capacity)
        newestTime = first.time
        newestBits = first.value.bitPattern
        appendKeepingChunks(second, divisors: divisors)
    }

    var capacity: Int { Int(storedCapacity) }
    var count: Int { min(Int(encoded) + 1, capacity) }
    var last: Sample { Sample(time: newestTime, value: Double(bitPattern: newestBits)) }

    /// Bytes of sample data held (for the memory figures).
    var bytes: Int { words.capacity * 8 }

    /// The divisor of the open chunk's quotients (1: none); see `CodecState.startChunk`.
    var divisor: Double { state.divisor }

    /// Bytes its words take on the heap (measured: what `bytes` counts, and the allocator's share).
    var heapBytes: Int { HeapSize.of(words) }

    mutating func append(_ sample: Sample) {
        appendKeepingChunks(sample)
        dropChunks()
    }

    /// Drops the chunks beyond the capacity.
    mutating func dropChunks() {
        while mustDropChunk { dropFirstChunk() }
    }

    /// Appends `sample` without dropping chunks beyond the capacity (see `mustDropChunk`).
    /// `divisors`: values written just before, which a chunk's first value may be a quotient by.
    mutating func appendKeepingChunks(_ sample: Sample, divisors: RecentValues = RecentValues()) {
        if sample.time < newestTime { return }
        if sample.time == newestTime {
            if sample.value.bitPattern != newestBits { heldFor = 0 }
            newestBits = sample.value.bitPattern
            return
        }
        heldFor =
            sample.value.bitPattern == newestBits
            ? UInt32(clamping: Int64(heldFor) + (sample.time - newestTime)) : 0
        encode(time: newestTime, bits: newestBits, divisors: divisors)
        newestTime = sample.time
        newestBits = sample.value.bitPattern
    }

    /// The newest two samples, when they are at least two of the samples in `[from, to]` and every sample
    /// there has the newest one's value (bit for bit): what a window's `rate`, `increase`, `changes` and the
    /// like need of a series that held still through it, read without decoding.
    func heldRun(from: Timestamp, to: Timestamp) -> (Sample, Sample)? {
        guard encoded > 0, newestTime <= to, state.time >= from, newestTime - Int64(heldFor) <= from else {
            return nil
        }
        return (Sample(time: state.time, value: Double(bitPattern: newestBits)), last)
    }

    /// A whole chunk lies beyond the capacity.
    var mustDropChunk: Bool { chunkCount > 1 && Int(encoded) + 1 - Int(chunkSamples) >= capacity }

    /// Drops the chunks beyond the capacity, their samples going to `rollups` first.
    mutating func dropChunks(rollingUpInto rollups: inout Rollups) {
        while mustDropChunk {
            forEachInFirstChunk { rollups.add($0) }
            dropFirstChunk()
        }
    }

    /// Every sample encoded in the first chunk, hidden ones included.
    private func forEachInFirstChunk(_ body: (Sample) -> Void) {
        words.withUnsafeBufferPointer { buffer in
            var reader = BitReader(buffer, word: 0)
            var decoder = CodecState()
            let n = chunkCount == 1 ? Int(inLastChunk) : Int(chunkSamples)
            for k in 0..<n {
                let (time, bits) = k == 0 ? decoder.startChunk(&reader) : decoder.decode(&reader)
                body(Sample(time: time, value: Double(bitPattern: bits)))
            }
        }
    }

    /// Every sample held, including those beyond the capacity whose chunk is not dropped yet, oldest first.
    func forEachHeld(_ body: (Sample) -> Void) {
        var all: [Sample] = []
        appendSamples(from: .min, to: .max, includingHidden: true, into: &all)
        for s in all { body(s) }
    }

    /// Words of the closed chunk starting at `word`, from its head.
    private static func closedLength(_ words: UnsafeBufferPointer<UInt64>, at word: Int) -> Int {
        Int(words[word + 2] >> 40)
    }

    private mutating func dropFirstChunk() {
        let n = words.withUnsafeBufferPointer { SampleChunks.closedLength($0, at: 0) }
        words.removeFirst(n)
        chunkCount -= 1
        lastChunkWord -= Int32(n)
        writer.droppedWords(n)
        encoded -= chunkSamples
    }

    private mutating func encode(time: Timestamp, bits: UInt64, divisors: RecentValues) {
        guard chunkCount == 0 || inLastChunk >= chunkSamples else {
            state.encode(time: time, bits: bits, writer: &writer, words: &words)
            inLastChunk += 1
            encoded += 1
            return
        }
        writer.alignToWord()
        if chunkCount > 0 {
            // Close the last chunk: its length goes in its head, and it keeps only the words it needs
            // (room for one more chunk like it, not what doubling left spare).
            let length = words.count - Int(lastChunkWord)
            words[Int(lastChunkWord) + 2] |= UInt64(length) << 40
            let wanted = words.count + length + 1
            if words.capacity > wanted + wanted / 8 {
                words = Array(unsafeUninitializedCapacity: wanted) { buffer, n in
                    n = words.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
                }
            } else {
                words.reserveCapacity(wanted)
            }
        } else {
            // Room for a constant series' first chunk (a changing one grows as it needs).
            words.reserveCapacity(Int(chunkSamples) / 64 + 4)
        }
        lastChunkWord = Int32(words.count)
        chunkCount += 1
        state.startChunk(time: time, bits: bits, writer: &writer, words: &words, divisors: divisors)
        inLastChunk = 1
        encoded += 1
    }

    /// Appends the samples in `[from, to]` to `out`, oldest first (with `includingHidden`, also those
    /// beyond the capacity whose chunk is not dropped yet: a reader that joins rollups to the ring wants
    /// every sample not rolled up). A chunk wholly older than another sample at or before `seek` is not
    /// decoded: a selector evaluated at times from `seek` on needs no sample older than that one.
    func appendSamples(
        from: Timestamp, to: Timestamp, includingHidden: Bool = false, seek: Timestamp = .min, into out: inout [Sample]
    ) {
        guard from <= to else { return }
        if chunkCount > 0 && newestTime > from {
            // The oldest `hidden` encoded samples lie beyond the capacity.
            var skip = includingHidden ? 0 : Int(encoded) + 1 - count
            words.withUnsafeBufferPointer { buffer in
                var word = 0
                for c in 0..<Int(chunkCount) {
                    let isLast = c == Int(chunkCount) - 1
                    // Chunk c's times all come before chunk c+1's first: skip it whole when that is not after `from`.
                    if !isLast {
                        let next = word + SampleChunks.closedLength(buffer, at: word)
                        if Int64(bitPattern: buffer[next]) <= max(from, seek) {
                            skip -= Int(chunkSamples)
                            word = next
                            continue
                        }
                    }
                    if Int64(bitPattern: buffer[word]) > to { return }
                    var reader = BitReader(buffer, word: word)
                    var decoder = CodecState()
                    let n = isLast ? Int(inLastChunk) : Int(chunkSamples)
                    var k = 0
                    while k < n {
                        // A run of samples that repeat the step and the value (a constant series) is a run of
                        // zero bits: counted a word at a time, not decoded bit by bit.
                        let run = k == 0 ? 0 : reader.zeros(upTo: n - k)
                        if run > 0 {
                            k += run
                            let skipped = min(max(skip, 0), run)
                            skip -= skipped
                            decoder.time = decoder.time &+ Int64(skipped) &* decoder.step
                            let value = Double(bitPattern: decoder.bits)
                            out.reserveCapacity(out.count + run - skipped)
                            for _ in skipped..<run {
                                decoder.time = decoder.time &+ decoder.step
                                if decoder.time > to { return }
                                if decoder.time >= from { out.append(Sample(time: decoder.time, value: value)) }
                            }
                            continue
                        }
                        let (time, bits) = k == 0 ? decoder.startChunk(&reader) : decoder.decode(&reader)
                        k += 1
                        if skip > 0 {
                            skip -= 1
                            continue
                        }
                        if time > to { return }
                        if time >= from { out.append(Sample(time: time, value: Double(bitPattern: bits))) }
                    }
                    if !isLast { word += SampleChunks.closedLength(buffer, at: word) }
                }
            }
        }
        if newestTime >= from && newestTime <= to { out.append(last) }
    }
}

/// What the encoder and the decoder both know after each sample.
struct CodecState {
    var time: Timestamp = 0
    var step: Int64 = 0
    var bits: UInt64 = 0
    /// The last value as an integer (see `integer(_:decimals:divisor:)`), if it is one.
    var integerValue: Int64 = 0
    /// The change between the last two integers coded in a row (valid with `hasDelta`).
    var delta: Int64 = 0
    /// The chunk's divisor: 1, or a value its integers are divided by (a ratio's denominator).
    var divisor: Double = 1
    /// The window of meaningful XOR bits last written (leading zeros, length); length 0: none yet.
    var leading: UInt8 = 0
    var length: UInt8 = 0
    /// Decimals of the chunk's integers (`noDecimals` when its first value is not one).
    var decimals: UInt8 = noDecimals
    var hasInteger = false
    var hasDelta = false
    /// Sixteenths of a bit: the running mean length of the integer residuals (which sets the width
    /// a residual is written in), and of the residuals each predictor would have left (which picks it).
    var residualBits: Int16 = 0
    var firstOrderBits: Int16 = 0
    var secondOrderBits: Int16 = CodecState.unknownBits
    /// Set by a decoder that met bits no encoder writes (a damaged file).
    var damaged = false
    var integer: Int64? {
        get { hasInteger ? integerValue : nil }
        set {
            hasInteger = newValue != nil
            integerValue = newValue ?? 0
        }
    }

    static let noDecimals: UInt8 = 15
    /// In a chunk head's decimals field: a divisor follows (then the decimals themselves).
    static let quotient: UInt8 = 14
    static let unknownBits: Int16 = 64 << 4
    static let powers: [Double] = (0...9).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// The value as an integer `n`: the value is `n / 10^decimals / divisor` (each operation rounded as
    /// a `Double`), or a few units in the last place from it (`offset`): a sum of such values (a pod's
    /// cores, its containers' added up) is one of them but for the rounding of each addition.
    @inline(__always)
    static func integer(_ bits: UInt64, decimals: UInt8, divisor: Double = 1) -> Int64? {
        guard decimals < noDecimals else { return nil }
        let value = Double(bitPattern: bits)
        let scaled = value * powers[Int(decimals)] * divisor
        // Rounded, not required to be whole: 0.1 * 10 is 1 but 0.3 * 10 is 3.0000000000000004.
        guard scaled.magnitude < 9.0e15 else { return nil }
        let n = Int64(scaled.rounded())
        let offset = CodecState.offset(bits, from: n, decimals: decimals, divisor: divisor)
        return offset >= -4 && offset <= 3 ? n : nil
    }

    /// How many units in the last place `bits` lies from the value of `n` (as bit patterns).
    @inline(__always)
    static func offset(_ bits: UInt64, from n: Int64, decimals: UInt8, divisor: Double) -> Int64 {
        Int64(bitPattern: bits) &- Int64(bitPattern: CodecState.value(n, decimals: decimals, divisor: divisor))
    }

    /// The bits of the value an integer stands for (the inverse of `integer`).
    @inline(__always)
    static func value(_ n: Int64, decimals: UInt8, divisor: Double) -> UInt64 {
        let value = Double(n) / powers[Int(min(decimals, 9))]
        return (divisor == 1 ? value : value / divisor).bitPattern
    }

    /// The decimals a chunk's integers get from its first value. Whole numbers stay whole; any other
    /// decimal goes to nine places (nanocores in cores), which also holds every value with fewer
    /// (m / 10^d is m·10^(9-d) / 10^9, rounded the same). The first value must be exactly one, or (a sum
    /// of nanocores) within a few units in the last place of a modest one.
    static func decimals(of bits: UInt64, exactly: Bool = false) -> UInt8 {
        for d: UInt8 in [0, 9, 1, 2, 3, 4, 5, 6, 7, 8] {
            guard let n = CodecState.integer(bits, decimals: d) else { continue }
            let offset = CodecState.offset(bits, from: n, decimals: d, divisor: 1)
            if offset == 0 || (!exactly && n.magnitude < 1 << 46) { return d }
        }
        return CodecState.noDecimals
    }

    /// The decimals of a quotient's numerator (bytes: none; cores: nine) and the numerator, if `bits` is
    /// exactly one by `divisor`, and a modest one: a numerator so big that its quotients lie closer
    /// together than doubles do would fit any value.
    static func quotient(of bits: UInt64, by divisor: Double) -> (decimals: UInt8, numerator: Int64)? {
        guard divisor.isNormal && divisor.isFinite && divisor != 1 else { return nil }
        for d: UInt8 in [0, 9] {
            guard let n = CodecState.integer(bits, decimals: d, divisor: divisor), n.magnitude < 1 << 44,
                CodecState.offset(bits, from: n, decimals: d, divisor: divisor) == 0
            else { continue }
            return (d, n)
        }
        return nil
    }

    // MARK: encoding

    /// Starts a chunk at `time` and `bits`. A value that is no decimal may be a ratio (a pod's usage by
    /// its request, a node's by its allocatable): it is tried as a quotient by the divisor of the chunk
    /// before, then by each of `divisors` (values written just before it, the newest last, among them its
    /// denominator);
    /// the first that gives it exactly is the chunk's, and its values are coded as their numerators.
    mutating func startChunk(
        time: Timestamp, bits: UInt64, writer: inout BitWriter, words: inout [UInt64],
        divisors: RecentValues = RecentValues()
    ) {
        writer.write(UInt64(bitPattern: time), 64, into: &words)
        writer.write(bits, 64, into: &words)
        writer.write(0, 24, into: &words) // the chunk's length in words, written when it closes
        var chosen: (decimals: UInt8, divisor: Double) = (CodecState.noDecimals, 1)
        if let q = CodecState.quotient(of: bits, by: divisor) {
            chosen = (q.decimals, divisor)
        } else {
            // A decimal exactly; else a quotient by one of `divisors`, the newest first (the ratio's own
            // denominator is written just before it, after the values of other pods and containers, whose
            // multiples may fit the first value too); else a decimal but for the last place.
            chosen.decimals = CodecState.decimals(of: bits, exactly: true)
            if chosen.decimals == CodecState.noDecimals {
                if let found = divisors.firstNewestFirst({ c in
                    CodecState.quotient(of: bits, by: c).map { (decimals: $0.decimals, divisor: c) }
                }) {
                    chosen = found
                }
            }
            if chosen.divisor == 1 && chosen.decimals == CodecState.noDecimals {
                chosen.decimals = CodecState.decimals(of: bits)
            }
        }
        (decimals, divisor) = chosen
        if divisor == 1 {
            writer.write(UInt64(decimals), 4, into: &words)
        } else {
            writer.write(UInt64(CodecState.quotient), 4, into: &words)
            writer.write(UInt64(decimals), 4, into: &words)
            writer.write(divisor.bitPattern, 64, into: &words)
        }
        self.time = time
        step = 0
        self.bits = bits
        length = 0
        integer = CodecState.integer(bits, decimals: decimals, divisor: divisor)
        resetPrediction()
    }

    private mutating func resetPrediction() {
        hasDelta = false
        residualBits = 0
        firstOrderBits = 0
        secondOrderBits = CodecState.unknownBits
    }

    mutating func encode(time: Timestamp, bits: UInt64, writer: inout BitWriter, words: inout [UInt64]) {
        let newStep = time &- self.time
        let change = newStep &- step
        if change == 0 && bits == self.bits {
            writer.write(0, 1, into: &words)
            self.time = time
            return
        }
        writer.write(1, 1, into: &words)
        // Time.
        if change == 0 {
            writer.write(0, 1, into: &words)
        } else if change >= -64 && change < 64 {
            writer.write(0b10, 2, into: &words)
            writer.write(UInt64(bitPattern: change), 7, into: &words)
        } else if change >= -2048 && change < 2048 {
            writer.write(0b110, 3, into: &words)
            writer.write(UInt64(bitPattern: change), 12, into: &words)
        } else if change >= -524_288 && change < 524_288 {
            writer.write(0b1110, 4, into: &words)
            writer.write(UInt64(bitPattern: change), 20, into: &words)
        } else {
            writer.write(0b1111, 4, into: &words)
            writer.write(UInt64(bitPattern: time), 64, into: &words)
        }
        self.time = time
        step = newStep
        encodeValue(bits, writer: &writer, words: &words)
    }

    /// What the next integer is predicted to be: the last one, or (for a smooth series, when that has
    /// left smaller residuals lately) the last one plus the last change.
    @inline(__always)
    private var prediction: Int64 {
        hasDelta && secondOrderBits < firstOrderBits ? integerValue &+ delta : integerValue
    }

    /// The width a residual is written in without its length: a bit over the recent mean length.
    @inline(__always)
    private var residualWidth: Int { min(64, Int((residualBits + 15) >> 4) + 1) }

    @inline(__always)
    private static func bitLength(_ z: UInt64) -> Int16 { Int16(64 - z.leadingZeroBitCount) }

    @inline(__always)
    private static func mean(_ average: Int16, _ bits: Int16) -> Int16 { average + ((bits << 4) - average) >> 2 }

    /// After the integer `next` followed the integer before it: the predictors' records and the deltas.
    private mutating func learn(_ next: Int64, residual: UInt64) {
        let change = next &- integerValue
        residualBits = CodecState.mean(residualBits, CodecState.bitLength(residual))
        firstOrderBits = CodecState.mean(firstOrderBits, CodecState.bitLength(change.zigzag))
        if hasDelta {
            let second = CodecState.bitLength((change &- delta).zigzag)
            secondOrderBits =
                secondOrderBits == CodecState.unknownBits ? second << 4 : CodecState.mean(secondOrderBits, second)
        }
        delta = change
        hasDelta = true
        integerValue = next
    }

    /// The value part of a sample: `0` the same bits as before; `10` an integer's residual from its
    /// prediction; `11` an XOR. The residual, zigzagged, is `0` and `residualWidth` bits, or `1`, its
    /// length less one in 6 bits and its bits after the leading one.
    mutating func encodeValue(_ bits: UInt64, writer: inout BitWriter, words: inout [UInt64]) {
        if bits == self.bits {
            writer.write(0, 1, into: &words)
            return
        }
        let next = CodecState.integer(bits, decimals: decimals, divisor: divisor)
        defer { self.bits = bits }
        if hasInteger, let next {
            writer.write(0b10, 2, into: &words)
            let offset = CodecState.offset(bits, from: next, decimals: decimals, divisor: divisor)
            if offset != 0 {
                // A length of 1 is never written (a residual of 1 bit always fits): it marks an offset.
                writer.write(0b1_000000, 7, into: &words)
                writer.write(UInt64(offset + 4), 3, into: &words)
            }
            let z = (next &- prediction).zigzag
            let width = residualWidth
            let n = Int(CodecState.bitLength(z))
            if n <= width {
                writer.write(0, 1, into: &words)
                writer.write(z, width, into: &words)
            } else {
                writer.write(1, 1, into: &words)
                writer.write(UInt64(n - 1), 6, into: &words)
                writer.write(z, n - 1, into: &words)
            }
            learn(next, residual: z)
            return
        }
        integer = next
        hasDelta = false
        writer.write(0b11, 2, into: &words)
        let xor = bits ^ self.bits
        let lead = min(31, xor.leadingZeroBitCount)
        let trail = xor.trailingZeroBitCount
        let (leading, length) = (Int(leading), Int(length))
        if length > 0 && lead >= leading && trail >= 64 - leading - length {
            writer.write(0, 1, into: &words)
            writer.write(xor >> UInt64(64 - leading - length), length, into: &words)
        } else {
            let length = 64 - lead - trail
            self.leading = UInt8(lead)
            self.length = UInt8(length)
            writer.write(1, 1, into: &words)
            writer.write(UInt64(lead), 5, into: &words)
            writer.write(UInt64(length - 1), 6, into: &words)
            writer.write(xor >> UInt64(trail), length, into: &words)
        }
    }

    // MARK: decoding

    mutating func startChunk(_ r: inout BitReader) -> (Timestamp, UInt64) {
        time = Int64(bitPattern: r.read(64))
        bits = r.read(64)
        _ = r.read(24)
        decimals = UInt8(r.read(4))
        divisor = 1
        if decimals == CodecState.quotient {
            decimals = UInt8(r.read(4))
            divisor = Double(bitPattern: r.read(64))
            // The encoder writes only normal divisors other than 1, with 0 or 9 decimals.
            if !(divisor.isNormal && divisor.isFinite && divisor != 1) || decimals > 9 {
                damaged = true
                divisor = 1
                decimals = CodecState.noDecimals
            }
        }
        if decimals > 9 && decimals != CodecState.noDecimals {
            damaged = true
            decimals = CodecState.noDecimals
        }
        step = 0
        length = 0
        integer = CodecState.integer(bits, decimals: decimals, divisor: divisor)
        resetPrediction()
        return (time, bits)
    }

    mutating func decode(_ r: inout BitReader) -> (Timestamp, UInt64) {
        guard r.bit() else {
            time = time &+ step
            return (time, bits)
        }
        switch r.ones(upTo: 4) {
        case 0: time = time &+ step
        case 1: setStep(change: Int64(bitPattern: r.read(7) << 57) >> 57)
        case 2: setStep(change: Int64(bitPattern: r.read(12) << 52) >> 52)
        case 3: setStep(change: Int64(bitPattern: r.read(20) << 44) >> 44)
        default:
            let next = Int64(bitPattern: r.read(64))
            step = next &- time
            time = next
        }
        return (time, decodeValue(&r))
    }

    /// The value part of a sample (`encodeValue`'s).
    mutating func decodeValue(_ r: inout BitReader) -> UInt64 {
        guard r.bit() else { return bits }
        if !r.bit() {
            // Only a damaged file gets here without an integer before (the store writes none such).
            if !hasInteger || decimals >= CodecState.noDecimals { damaged = true }
            var offset: Int64 = 0
            var z: UInt64 = 0
            for k in 0..<2 {
                if !r.bit() {
                    z = r.read(residualWidth)
                    break
                }
                let n = Int(r.read(6)) + 1
                if n > 1 {
                    z = (1 << UInt64(n - 1)) | r.read(n - 1)
                    break
                }
                offset = Int64(r.read(3)) - 4
                if k == 1 || offset == 0 { damaged = true } // one offset, never 0, then the residual
            }
            let next = prediction &+ z.unzigzag
            learn(next, residual: z)
            hasInteger = true
            let value = CodecState.value(next, decimals: decimals, divisor: divisor)
            bits = UInt64(bitPattern: Int64(bitPattern: value) &+ offset)
            return bits
        }
        if r.bit() {
            leading = UInt8(r.read(5))
            length = UInt8(r.read(6) + 1)
        }
        guard length > 0 && Int(leading) + Int(length) <= 64 else {
            damaged = true // no encoder writes a window that is empty or wider than the word
            return bits
        }
        bits ^= r.read(Int(length)) << UInt64(64 - Int(leading) - Int(length))
        integer = CodecState.integer(bits, decimals: decimals, divisor: divisor)
        hasDelta = false
        return bits
    }

    // MARK: value-only streams (a rollup's min, max, sum and counter offset)

    /// Starts a value stream at `bits`, written whole by the encoder and read whole by the decoder;
    /// its decimals follow from the bits, as a chunk's do.
    mutating func startValue(_ bits: UInt64) {
        decimals = CodecState.decimals(of: bits)
        divisor = 1
        self.bits = bits
        length = 0
        integer = CodecState.integer(bits, decimals: decimals)
        resetPrediction()
    }

    /// Takes `bits` as the stream's last value without a code (both sides know it from elsewhere).
    mutating func assume(_ bits: UInt64) {
        guard bits != self.bits else { return }
        self.bits = bits
        integer = CodecState.integer(bits, decimals: decimals, divisor: divisor)
        hasDelta = false
    }

    @inline(__always)
    private mutating func setStep(change: Int64) {
        step = step &+ change
        time = time &+ step
    }
}
