import Foundation
import KubeglassCore

/// The store saved to a file and loaded back: what a restarted wall screen keeps.
///
/// Layout (little-endian): the magic line `KUBEGLASS-STORE\n`, a version, the identity of the cluster
/// it was saved for, the save time; a table of strings and one of label sets without their name
/// (a pod's twenty series share one); the rollup tiers' widths; then each series as its name, its label
/// set, its samples in the chunk codec's bits and its closed buckets of each tier in the rollup codec's;
/// last, a checksum of everything before it.
///
/// A save writes a temporary file beside the target, syncs it and renames it over the target, so a
/// crash at any moment leaves the previous file or the new one, whole. A load checks the size, the
/// checksum, the version and the identity before it believes a byte, and refuses the file in one
/// sentence otherwise.
public enum StoreFile {
    public static let version: UInt32 = 3
    static let magic = Array("KUBEGLASS-STORE\n".utf8)

    public struct Saved: Sendable, Equatable {
        public var series: Int
        public var samples: Int
        public var buckets = 0
        public var bytes: Int
    }

    public struct Loaded: Sendable, Equatable {
        public var series: Int
        public var samples: Int
        /// Rollup buckets loaded (those of tiers this store does not have are left out).
        public var buckets = 0
        /// When the file was written.
        public var savedAt: Timestamp
        /// The newest sample's time (`.min` for none).
        public var newest: Timestamp = .min
    }

    public struct Refused: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason); starting without it" }
    }

    /// The file for a cluster (its context name, or "demo") under a state directory.
    public static func path(directory: String, cluster: String) -> String {
        let safe = String(cluster.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        return (directory as NSString).appendingPathComponent((safe.isEmpty ? "default" : safe) + ".store")
    }

    /// `$XDG_STATE_HOME/kubeglass`, or `~/.local/state/kubeglass`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("kubeglass")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/kubeglass")
    }

    // MARK: saving

    /// Writes every series of `store` to `path`, atomically.
    @discardableResult
    public static func save(_ store: SeriesStore, identity: String, to path: String, now: Timestamp) throws -> Saved {
        let snapshot = store.snapshotSeries()
        var strings: [String: UInt32] = [:]
        var stringList: [String] = []
        func intern(_ s: String) -> UInt32 {
            if let i = strings[s] { return i }
            let i = UInt32(stringList.count)
            strings[s] = i
            stringList.append(s)
            return i
        }
        var rests: [[UInt32]: UInt32] = [:]
        var restList: [[UInt32]] = []
        var records: [(name: UInt32, rest: UInt32)] = []
        records.reserveCapacity(snapshot.count)
        for (labels, _) in snapshot {
            var pairs: [UInt32] = []
            for pair in labels.unnamedPairs {
                pairs.append(intern(pair.name))
                pairs.append(intern(pair.value))
            }
            let rest: UInt32
            if let r = rests[pairs] {
                rest = r
            } else {
                rest = UInt32(restList.count)
                rests[pairs] = rest
                restList.append(pairs)
            }
            records.append((intern(labels.name ?? ""), rest))
        }

        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        removeAbandonedTemporaries(of: path)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Refused(path: temporary, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        var out = FileOutput(fd: fd)
        var saved = Saved(series: snapshot.count, samples: 0, bytes: 0)
        do {
            out.bytes(magic)
            out.u32(version)
            out.string(identity)
            out.i64(now)
            out.u32(UInt32(stringList.count))
            for s in stringList { out.string(s) }
            out.u32(UInt32(restList.count))
            for pairs in restList {
                out.u32(UInt32(pairs.count / 2))
                for i in pairs { out.u32(i) }
            }
            let tiers = store.configuration.tiers
            out.u32(UInt32(tiers.count))
            for tier in tiers { out.i64(tier.width) }
            out.u64(UInt64(snapshot.count))
            var samples: [Sample] = []
            for (k, (_, buffer)) in snapshot.enumerated() {
                samples.removeAll(keepingCapacity: true)
                // Those beyond the capacity too, not rolled up yet: loaded into a ring of the same
                // capacity, they leave it as it was.
                buffer.appendSamples(from: .min, to: .max, includingHidden: true, into: &samples)
                let words = SampleStream.encode(samples, divisor: buffer.divisor)
                out.u32(records[k].name)
                out.u32(records[k].rest)
                out.u32(UInt32(samples.count))
                out.u32(UInt32(words.count))
                for w in words { out.u64(w) }
                saved.samples += samples.count
                for t in tiers.indices {
                    let buckets = buffer.rollups.map { t < $0.tiers.count ? $0.tiers[t].buckets : [] } ?? []
                    let words = RollupStream.encode(buckets, isCounter: buffer.isCounter)
                    out.u32(UInt32(buckets.count))
                    out.u32(UInt32(words.count))
                    for w in words { out.u64(w) }
                    saved.buckets += buckets.count
                }
            }
            out.checksum()
            try out.finish()
            guard fsync(fd) == 0 else { throw Refused(path: temporary, reason: String(cString: strerror(errno))) }
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Refused(path: path, reason: "cannot replace: \(reason)")
        }
        // The rename itself is durable once the directory is synced.
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            close(dirFD)
        }
        saved.bytes = out.written
        return saved
    }

    /// Temporary files of saves whose process is gone (killed mid-save) are removed.
    static func removeAbandonedTemporaries(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + ".tmp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix)
        {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                unlink((directory as NSString).appendingPathComponent(name))
            }
        }
    }

    // MARK: loading

    /// Reads `path` into `store`. Throws `Refused` for a file that is missing, cut short, corrupt, from
    /// another version or saved for another cluster; nothing is added to the store then.
    @discardableResult
    public static func load(_ path: String, identity: String?, into store: SeriesStore) throws(Refused) -> Loaded {
        let bytes: [UInt8]
        do {
            switch FileContents.read(path) {
            case .success(let data): bytes = [UInt8](data)
            case .failure(let failure): throw Refused(path: path, reason: "cannot be read (\(failure.reason))")
            }
        }
        // Checked whole first, so that nothing is added from a file that is refused; then read again a series
        // at a time into the store. Every series' samples decoded at once took five times the memory the
        // store takes for them (an hour of the demo: 76 MB of samples, held at once, for a store of 13 MB).
        let header = try parse(bytes, path: path, identity: identity) { _, _, _ in }
        var loaded = Loaded(series: header.series, samples: 0, savedAt: header.savedAt)
        // Buckets of a tier this store has too (by position and width); the rest are left out.
        let tiers = store.configuration.tiers
        let usable = header.tierWidths.indices.filter { $0 < tiers.count && tiers[$0].width == header.tierWidths[$0] }
        _ = try parse(bytes, path: path, identity: identity) { labels, samples, rollups in
            let kept = usable.count == rollups.count ? rollups : usable.map { rollups[$0] }
            store.restore(labels, samples, rollups: kept)
            loaded.samples += samples.count
            loaded.buckets += kept.reduce(0) { $0 + $1.count }
            loaded.newest = max(loaded.newest, samples.last?.time ?? .min)
            for buckets in kept { loaded.newest = max(loaded.newest, buckets.last?.time ?? .min) }
        }
        return loaded
    }

    struct Parsed {
        var identity: String
        var savedAt: Timestamp
        var tierWidths: [Milliseconds]
        var series: Int
    }

    /// The header and every series of a file, collected (`load` takes them one at a time instead).
    struct Collected {
        var header: Parsed
        var series: [(Labels, [Sample], [[RollupBucket]])]
    }

    static func parse(_ bytes: [UInt8], path: String, identity: String?) throws(Refused) -> Collected {
        var series: [(Labels, [Sample], [[RollupBucket]])] = []
        let header = try parse(bytes, path: path, identity: identity) { series.append(($0, $1, $2)) }
        return Collected(header: header, series: series)
    }

    /// Checks the file and gives `each` every series in it, in order (all of them only if none is damaged:
    /// the caller that must not act on a refused file parses it once before acting).
    static func parse(
        _ bytes: [UInt8], path: String, identity: String?, each: (Labels, [Sample], [[RollupBucket]]) -> Void
    ) throws(Refused) -> Parsed {
        func refuse(_ reason: String) -> Refused { Refused(path: path, reason: reason) }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw refuse("not a kubeglass store file")
        }
        guard bytes.count >= magic.count + 4 + 8 else { throw refuse("cut short") }
        var input = ByteInput(bytes: bytes, position: magic.count, end: bytes.count - 8)
        let fileVersion = input.u32() ?? 0
        guard fileVersion == version else {
            throw refuse("saved by another version of kubeglass (format \(fileVersion), this one reads \(version))")
        }
        let stored = bytes.withUnsafeBufferPointer { ByteInput.readU64($0, at: bytes.count - 8) }
        guard Checksum.of(bytes, count: bytes.count - 8) == stored else {
            throw refuse("damaged or cut short (its checksum does not match)")
        }
        guard let savedFor = input.string(), let savedAt = input.i64() else { throw refuse("damaged header") }
        if let identity, savedFor != identity {
            throw refuse("saved for another cluster (\(savedFor)), not \(identity)")
        }
        guard let stringCount = input.count(minimumBytesEach: 4) else { throw refuse("damaged string table") }
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            guard let s = input.string() else { throw refuse("damaged string table") }
            strings.append(s)
        }
        guard let restCount = input.count(minimumBytesEach: 4) else { throw refuse("damaged label sets") }
        var rests: [SharedLabels] = []
        rests.reserveCapacity(restCount)
        for _ in 0..<restCount {
            guard let n = input.count(minimumBytesEach: 8) else { throw refuse("damaged label sets") }
            var pairs: [Label] = []
            for _ in 0..<n {
                guard let a = input.u32(), let b = input.u32(), Int(a) < strings.count, Int(b) < strings.count else {
                    throw refuse("damaged label sets")
                }
                pairs.append(Label(strings[Int(a)], strings[Int(b)]))
            }
            rests.append(SharedLabels(Labels(pairs)))
        }
        guard let tierCount = input.count(minimumBytesEach: 8) else { throw refuse("damaged tiers") }
        var tierWidths: [Milliseconds] = []
        for _ in 0..<tierCount {
            guard let width = input.i64(), width > 0 else { throw refuse("damaged tiers") }
            tierWidths.append(width)
        }
        guard let seriesCount = input.count64(minimumBytesEach: 16 + 8 * tierCount) else {
            throw refuse("damaged series")
        }
        for _ in 0..<seriesCount {
            guard let name = input.u32(), let rest = input.u32(), let sampleCount = input.u32(),
                let wordCount = input.u32(), Int(name) < strings.count, Int(rest) < rests.count,
                let words = input.words(Int(wordCount)),
                let samples = SampleStream.decode(words, count: Int(sampleCount))
            else { throw refuse("damaged series") }
            let isCounter = SeriesStore.isCounter(strings[Int(name)])
            var rollups: [[RollupBucket]] = []
            for _ in 0..<tierCount {
                guard let bucketCount = input.u32(), let wordCount = input.u32(),
                    let words = input.words(Int(wordCount)),
                    let buckets = RollupStream.decode(words, count: Int(bucketCount), isCounter: isCounter)
                else { throw refuse("damaged rollups") }
                rollups.append(buckets)
            }
            each(rests[Int(rest)].labels(name: strings[Int(name)]), samples, rollups)
        }
        guard input.position == input.end else { throw refuse("damaged: bytes after the last series") }
        return Parsed(identity: savedFor, savedAt: savedAt, tierWidths: tierWidths, series: seriesCount)
    }
}

/// One series' samples as one chunk of the codec's bits.
enum SampleStream {
    /// `divisor`: the series' ratio denominator, if it has one (see `CodecState.startChunk`).
    static func encode(_ samples: [Sample], divisor: Double = 1) -> [UInt64] {
        var words: [UInt64] = []
        guard let first = samples.first else { return words }
        var writer = BitWriter()
        var state = CodecState()
        state.startChunk(
            time: first.time, bits: first.value.bitPattern, writer: &writer, words: &words,
            divisors: RecentValues([divisor]))
        for s in samples.dropFirst() {
            state.encode(time: s.time, bits: s.value.bitPattern, writer: &writer, words: &words)
        }
        return words
    }

    /// nil when the bits run out before `count` samples, are not what the encoder writes, or the
    /// times do not increase.
    static func decode(_ words: [UInt64], count: Int) -> [Sample]? {
        guard count > 0 else { return words.isEmpty ? [] : nil }
        let bits = words.count * 64
        // No sample's code is longer than its chunk head (224 bits with a divisor): with four words of
        // zeros after the end, a reader checked before each sample never reads past the buffer.
        let padded = words + [0, 0, 0, 0]
        var out: [Sample] = []
        out.reserveCapacity(min(count, bits))
        let ok = padded.withUnsafeBufferPointer { buffer -> Bool in
            var reader = BitReader(buffer, word: 0)
            var state = CodecState()
            for k in 0..<count {
                guard reader.position < bits else { return false }
                let (time, value) = k == 0 ? state.startChunk(&reader) : state.decode(&reader)
                if state.damaged { return false }
                if let last = out.last, time <= last.time { return false }
                out.append(Sample(time: time, value: Double(bitPattern: value)))
            }
            return reader.position <= bits
        }
        return ok ? out : nil
    }
}

/// FNV-1a over 64-bit words (then the last bytes one by one): a checksum against damage, not an attacker.
enum Checksum {
    static func of(_ bytes: [UInt8], count: Int) -> UInt64 {
        var state = ChecksumState()
        state.add(bytes, count: count / 8 * 8)
        return state.finish(tail: Array(bytes[(count / 8 * 8)..<count]))
    }
}

/// Bytes written through a buffer to a file descriptor, with a running checksum.
private struct FileOutput {
    let fd: Int32
    var buffer: [UInt8] = []
    private(set) var written = 0
    var failure: Int32 = 0

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    mutating func bytes(_ b: [UInt8]) { buffer.append(contentsOf: b) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 20 { flush() }
    }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes(utf8)
    }

    /// The checksum covers everything written so far; it must be the last thing written.
    private var hash = ChecksumState()

    mutating func flush() {
        // Keep whole words for the checksum: a partial word waits for the next flush.
        let whole = buffer.count / 8 * 8
        hash.add(buffer, count: whole)
        write(buffer, count: whole)
        buffer.removeFirst(whole)
    }

    mutating func checksum() {
        hash.add(buffer, count: buffer.count / 8 * 8)
        let tail = buffer.count / 8 * 8
        let h = hash.finish(tail: Array(buffer[tail...]))
        write(buffer, count: buffer.count)
        buffer.removeAll()
        withUnsafeBytes(of: h.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func write(_ bytes: [UInt8], count: Int) {
        guard failure == 0, count > 0 else { return }
        var done = 0
        bytes.withUnsafeBytes { raw in
            while done < count {
                let n = Foundation.write(fd, raw.baseAddress! + done, count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        written += done
    }

    mutating func finish() throws {
        write(buffer, count: buffer.count)
        buffer.removeAll()
        if failure != 0 {
            throw StoreFile.Refused(path: "store file", reason: "cannot write: \(String(cString: strerror(failure)))")
        }
    }
}

/// `Checksum.of`, fed in pieces of whole words (a save checksums as it writes).
private struct ChecksumState {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    let prime: UInt64 = 0x0000_0100_0000_01b3

    mutating func add(_ bytes: [UInt8], count: Int) {
        bytes.withUnsafeBytes { raw in
            for i in 0..<(count / 8) { h = (h ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime }
        }
    }

    func finish(tail: [UInt8]) -> UInt64 {
        var h = h
        for b in tail { h = (h ^ UInt64(b)) &* prime }
        return h
    }
}

/// Bounds-checked little-endian reads: nil past the end, never a trap.
private struct ByteInput {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    static func readU64(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawBufferPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    mutating func u32() -> UInt32? {
        guard position + 4 <= end else { return nil }
        defer { position += 4 }
        return bytes.withUnsafeBytes {
            UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        }
    }

    mutating func u64() -> UInt64? {
        guard position + 8 <= end else { return nil }
        defer { position += 8 }
        return bytes.withUnsafeBufferPointer { ByteInput.readU64($0, at: position) }
    }

    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }

    /// A count whose items take at least `minimumBytesEach`: nil when that many could not fit.
    mutating func count(minimumBytesEach: Int) -> Int? {
        guard let n = u32(), Int(n) <= (end - position) / max(1, minimumBytesEach) else { return nil }
        return Int(n)
    }

    mutating func count64(minimumBytesEach: Int) -> Int? {
        guard let n = u64(), n <= UInt64((end - position) / max(1, minimumBytesEach)) else { return nil }
        return Int(n)
    }

    mutating func string() -> String? {
        guard let n = u32(), Int(n) <= end - position else { return nil }
        defer { position += Int(n) }
        return String(decoding: bytes[position..<position + Int(n)], as: UTF8.self)
    }

    mutating func words(_ n: Int) -> [UInt64]? {
        guard n >= 0, n <= (end - position) / 8 else { return nil }
        var out = [UInt64](repeating: 0, count: n)
        bytes.withUnsafeBytes { raw in
            for i in 0..<n {
                out[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position + i * 8, as: UInt64.self))
            }
        }
        position += n * 8
        return out
    }
}
