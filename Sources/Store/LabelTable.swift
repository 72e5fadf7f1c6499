import KubeglassCore

/// One copy of each label string and of each array of label pairs a shard's series hold: a pod's name,
/// its namespace and its node are stored once for the pod's twenty series (and a node's name once for
/// its pods), whichever poll or source made them. Each copy counts its holders and goes with the last.
/// (Metric names are stored once by `NameIndex`.)
///
/// Strings of up to 15 UTF-8 bytes are kept inline by Swift and are not interned.
///
/// Keys carry their hash, computed once: a miss (most of a first poll) is looked up and then inserted, and
/// a growing table moves every key, so a key that hashed its strings each time hashed them three times or
/// more (a fifth of a 150,000-pod first poll went to it).
struct LabelTable {
    /// A stored string or array of pairs with its hash.
    struct Key<Value: Hashable & Sendable>: Hashable, Sendable {
        let value: Value
        let hash: Int
        static func == (a: Self, b: Self) -> Bool { a.hash == b.hash && a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    static func key(_ s: String) -> Key<String> { Key(value: s, hash: Int(bitPattern: UInt(mix(seed, s)))) }

    static func key(_ pairs: [Label]) -> Key<[Label]> {
        var h = seed ^ UInt64(pairs.count)
        for pair in pairs { h = mix(mix(h, pair.name), pair.value) }
        return Key(value: pairs, hash: Int(bitPattern: UInt(h)))
    }

    /// A key's hash reads the bytes of its strings eight at a time, with a multiply-xorshift a word: several
    /// times cheaper than `Hasher` (SipHash) string by string, and the tables add their own seeded hashing of
    /// it. Keys compare their hash first, so two strings equal only by Unicode equivalence are two keys (they
    /// are not shared, which is all that costs). `seed` differs from process to process.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    private static func mix(_ h: UInt64, _ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var h = (h ^ UInt64(raw.count)) &* 0x9E37_79B9_7F4A_7C15
            var i = 0
            while i + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
            if i < raw.count {
                var word: UInt64 = 0
                for k in i..<raw.count { word |= UInt64(raw[k]) << UInt64(8 * (k - i)) }
                h = (h ^ word) &* 0x94D0_49BB_1331_11EB
                h ^= h >> 29
            }
            return h
        }
    }

    /// Each interned string (the key is the stored copy) and how many arrays of pairs hold it.
    private var strings: [Key<String>: Int] = [:]
    /// Each array of pairs (the key is the stored copy) and how many series hold it.
    private var pairs: [Key<[Label]>: Int] = [:]
    /// The last array of pairs given (held, so its address is not reused while it is compared by address),
    /// where it is stored, and the holders of the stored array not yet counted in `pairs`: the series of one
    /// pod come one after another and share one array of pairs, found here without hashing it (a big
    /// cluster's first poll brings millions of series). Separate fields, so a hit copies nothing.
    private var lastGiven: [Label] = []
    private var lastGivenAddress: UInt?
    private var lastStored: [Label] = []
    private var lastHash = 0
    private var lastUncounted = 0
    var distinctStrings: Int { strings.count }
    var distinctPairs: Int { pairs.count }

    /// `labels` stored in the table's copies (which now count one more holder), with `name`, its metric
    /// name's stored copy (`NameIndex` keeps one of each).
    mutating func intern(_ labels: Labels, name: String) -> Labels {
        if lastGivenAddress != nil, Self.address(labels) == lastGivenAddress {
            lastUncounted += 1
            return labels.sharingStorage(pairs: lastStored, name: name)
        }
        settle()
        let rest: [Label]
        var hash = 0
        if labels.unnamedPairs.isEmpty {
            rest = labels.unnamedPairs
        } else {
            let key = Self.key(labels.unnamedPairs)
            hash = key.hash
            if let i = pairs.index(forKey: key) {
                rest = pairs.keys[i].value
                pairs.values[i] += 1
            } else {
                let given = labels.unnamedPairs
                let interned = given.map { Label(string($0.name), string($0.value)) }
                // The given array itself when it holds the stored strings already (a new pod's own): no copy.
                rest =
                    zip(given, interned).allSatisfy {
                        sameStorage($0.name, $1.name) && sameStorage($0.value, $1.value)
                    }
                    ? given : interned
                // Equal arrays hash equal, so the given array's hash serves the stored copy.
                pairs[Key(value: rest, hash: key.hash)] = 1
            }
        }
        if rest.isEmpty {
            forgetLast()
        } else {
            lastGiven = labels.unnamedPairs
            lastGivenAddress = Self.address(labels)
            lastStored = rest
            lastHash = hash
        }
        return labels.sharingStorage(pairs: rest, name: name)
    }

    /// Counts the holders `last` took without hashing.
    private mutating func settle() {
        guard lastUncounted > 0 else { return }
        pairs[Key(value: lastStored, hash: lastHash), default: 0] += lastUncounted
        lastUncounted = 0
    }

    /// Where a set's pairs other than the name are stored (a number, so that the table stays `Sendable`).
    private static func address(_ labels: Labels) -> UInt? { labels.pairsIdentity.map { UInt(bitPattern: $0) } }

    private mutating func forgetLast() {
        settle()
        lastGiven = []
        lastGivenAddress = nil
        lastStored = []
    }

    /// The holder of `labels` (given by `intern`) went.
    mutating func release(_ labels: Labels) {
        settle()
        let rest = labels.unnamedPairs
        guard !rest.isEmpty, let i = pairs.index(forKey: Self.key(rest)) else { return }
        if pairs.values[i] > 1 {
            pairs.values[i] -= 1
            return
        }
        pairs.remove(at: i)
        for pair in rest {
            release(string: pair.name)
            release(string: pair.value)
        }
        if Self.address(labels) == lastStored.withUnsafeBufferPointer({ $0.baseAddress.map { UInt(bitPattern: $0) } }) {
            forgetLast()
        }
    }

    /// Whether two equal strings are one copy (short ones are inline: nothing to share).
    private func sameStorage(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count > 15 else { return true }
        var (a, b) = (a, b)
        return a.withUTF8 { x in b.withUTF8 { y in x.baseAddress == y.baseAddress } }
    }

    private mutating func string(_ s: String) -> String {
        guard s.utf8.count > 15 else { return s }
        let key = Self.key(s)
        if let i = strings.index(forKey: key) {
            strings.values[i] += 1
            return strings.keys[i].value
        }
        strings[key] = 1
        return s
    }

    private mutating func release(string s: String) {
        guard s.utf8.count > 15, let i = strings.index(forKey: Self.key(s)) else { return }
        if strings.values[i] > 1 {
            strings.values[i] -= 1
        } else {
            strings.remove(at: i)
        }
    }

    /// Bytes of the two hash tables (by their capacity: a Swift dictionary's buckets and bitmap), besides the
    /// strings and arrays they hold.
    var heapBytes: Int {
        func table<K, V>(_ d: [K: V]) -> Int {
            guard d.capacity > 0 else { return 0 }
            var buckets = 1
            while buckets * 3 < d.capacity * 4 { buckets *= 2 }
            return 64 + buckets * (MemoryLayout<K>.stride + MemoryLayout<V>.stride) + buckets / 8
        }
        return table(strings) + table(pairs)
    }
}
