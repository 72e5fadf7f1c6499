/// A set of label pairs, kept sorted by name so that equal sets compare and hash equal.
/// The metric name, as in Prometheus, is the label `__name__`.
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The pairs other than `__name__`, sorted by name. The series of one pod differ only in their
    /// name, so they share this array (one allocation for a pod's twenty series, not twenty).
    private let rest: [Label]
    /// The value of `__name__`; empty when the set has no name.
    private let metric: String
    /// Computed once: label sets are built once per series but hashed on every poll and lookup.
    private let hash: Int
    /// Where `__name__` sorts among `rest` (32 bits, last: a store entry of millions packs tighter).
    private let nameIndex: Int32

    public static let metricName = "__name__"

    public init(_ pairs: [Label] = []) {
        // Sorting a handful of pairs beats building a dictionary: label sets are made by the million
        // on a big cluster's first poll. An empty value means no label; a repeated name keeps its last value.
        var kept = pairs.enumerated().filter { !$0.element.value.isEmpty }
        kept.sort { $0.element.name != $1.element.name ? $0.element.name < $1.element.name : $0.offset < $1.offset }
        var unique: [Label] = []
        unique.reserveCapacity(kept.count)
        var metric = ""
        for (_, pair) in kept {
            if pair.name == Labels.metricName {
                metric = pair.value
            } else if let last = unique.last, last.name == pair.name {
                unique[unique.count - 1] = pair
            } else {
                unique.append(pair)
            }
        }
        self.init(rest: unique, metric: metric)
    }

    /// `name` and `pairs` already sorted by name, each name once, without `__name__`: no sorting, as
    /// for the info series a source writes for each of 150,000 pods. Pairs with empty values are dropped.
    public init(name: String, sortedPairs pairs: [Label]) {
        assert(
            zip(pairs, pairs.dropFirst()).allSatisfy { $0.name < $1.name }
                && !pairs.contains { $0.name == Labels.metricName })
        self.init(rest: pairs.contains { $0.value.isEmpty } ? pairs.filter { !$0.value.isEmpty } : pairs, metric: name)
    }

    /// `rest` sorted, unique, non-empty and without `__name__`.
    init(rest: [Label], metric: String) {
        self.init(
            rest: rest, metric: metric, nameIndex: Labels.nameIndex(in: rest),
            hash: Labels.hash(restHash: Labels.hasher(unnamed: rest).finalize(), nameHash: MetricName.hash(metric)))
    }

    /// All parts given (see `SharedLabels`): `hash` must be what `init(rest:metric:)` would compute.
    init(rest: [Label], metric: String, nameIndex: Int, hash: Int) {
        self.rest = rest
        self.metric = metric
        self.nameIndex = Int32(nameIndex)
        self.hash = hash
    }

    /// The top byte of a set's hash that comes from its pairs other than the name alone: the series of
    /// one pod (which differ only in name) share it, so a store sharded by it keeps them together.
    public static let unnamedHashBits = 8

    /// The hash of a set from the hash of its pairs other than the name (`restHash`) and the hash of
    /// its name (`MetricName.hash`): its top `unnamedHashBits` bits are `restHash`'s, the rest mixes
    /// both. The name's hash is its own so that a name hashed once serves millions of sets.
    static func hash(restHash: Int, nameHash: Int) -> Int {
        // Both are SipHash values; a multiply-xorshift keeps the mix well spread (MurmurHash3's finalizer).
        var x = UInt64(bitPattern: Int64(restHash)) ^ (UInt64(bitPattern: Int64(nameHash)) &* 0x9E37_79B9_7F4A_7C15)
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        let low = Int(bitPattern: UInt(bitPattern: -1) >> UInt(unnamedHashBits))
        return (restHash & ~low) | (Int(bitPattern: UInt(x)) & low)
    }

    /// Where `__name__` sorts among sorted pairs without it.
    static func nameIndex(in rest: [Label]) -> Int {
        rest.firstIndex { $0.name > Labels.metricName } ?? rest.count
    }

    /// The same set stored in `pairs` and `name`, which must equal its own pairs other than `__name__` and
    /// its name: an interning table's copies, each string and array stored once for many series. Nothing
    /// is sorted or hashed again.
    public func sharingStorage(pairs: [Label], name: String) -> Labels {
        assert(pairs == rest && name == metric)
        return Labels(rest: pairs, metric: name, nameIndex: Int(nameIndex), hash: hash)
    }

    /// The pairs other than `__name__` (shared by the sets that differ only in their name).
    public var unnamedPairs: [Label] { rest }

    /// Where the pairs other than the name are stored: equal for label sets that share them.
    public var pairsIdentity: UnsafeRawPointer? {
        rest.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    /// Whether both sets hold the very same array of pairs other than the name (the series of one pod
    /// do): then every label but `__name__` is the same, known without comparing a string.
    public func sharesPairs(with other: Labels) -> Bool {
        !rest.isEmpty && pairsIdentity == other.pairsIdentity
    }

    /// Every pair, `__name__` included, sorted by name.
    public var pairs: [Label] {
        guard !metric.isEmpty else { return rest }
        var out: [Label] = []
        out.reserveCapacity(rest.count + 1)
        out.append(contentsOf: rest[..<Int(nameIndex)])
        out.append(Label(Labels.metricName, metric))
        out.append(contentsOf: rest[Int(nameIndex)...])
        return out
    }

    /// How many pairs, `__name__` included.
    public var count: Int { rest.count + (metric.isEmpty ? 0 : 1) }

    /// Pair `k` of `pairs`, without building the array.
    private func pair(_ k: Int) -> Label {
        let n = Int(nameIndex)
        if metric.isEmpty || k < n { return rest[k] }
        return k == n ? Label(Labels.metricName, metric) : rest[k - 1]
    }

    /// The hash of the pairs other than the name, which `hash(restHash:nameHash:)` combines with the
    /// name's: so the series of one pod, which differ only in name, hash their shared pairs once
    /// (`SharedLabels`). Every initializer must agree on it.
    static func hasher(unnamed pairs: [Label]) -> Hasher {
        var hasher = Hasher()
        for pair in pairs where pair.name != Labels.metricName {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
        return hasher
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    /// The hash computed when the set was made, already well mixed: a table keyed by it need not
    /// hash it again (as `hashValue` would). Equal sets have equal ones within a process.
    public var precomputedHash: Int { hash }

    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.hash == rhs.hash && lhs.metric == rhs.metric && lhs.rest == rhs.rest
    }

    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// `Labels(name: "up", ["job": "x"])`
    public init(name: String, _ dictionary: [String: String] = [:]) {
        var pairs = dictionary.compactMap { $0.key == Labels.metricName ? nil : Label($0.key, $0.value) }
        pairs.append(Label(Labels.metricName, name))
        self.init(pairs)
    }

    public var name: String? { metric.isEmpty ? nil : metric }
    public var isEmpty: Bool { rest.isEmpty && metric.isEmpty }
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.value) })
    }

    public subscript(name: String) -> String? {
        if name == Labels.metricName { return self.name }
        // Label sets are small; a linear scan beats hashing here. The pairs are read in place: iterating
        // copies of them retained and released two strings per pair, on the hottest path of every query.
        return rest.withUnsafeBufferPointer { pairs in
            for i in pairs.indices where pairs[i].name == name { return pairs[i].value }
            return nil
        }
    }

    /// A copy with `name` set to `value` (an empty value removes the label, as in Prometheus).
    public func setting(_ name: String, to value: String) -> Labels {
        if name == Labels.metricName { return Labels(rest: rest, metric: value) }
        var rest = pairs.filter { $0.name != name }
        if !value.isEmpty { rest.append(Label(name, value)) }
        return Labels(rest)
    }

    public func removing(_ names: Set<String>) -> Labels {
        Labels(pairs.filter { !names.contains($0.name) })
    }

    public func keeping(_ names: Set<String>) -> Labels {
        Labels(pairs.filter { names.contains($0.name) })
    }

    /// The same pairs without `__name__` (sharing their storage).
    public func droppingName() -> Labels {
        metric.isEmpty ? self : Labels(rest: rest, metric: "")
    }

    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        let (m, n) = (lhs.count, rhs.count)
        for k in 0..<min(m, n) {
            let (l, r) = (lhs.pair(k), rhs.pair(k))
            if l.name != r.name { return l.name < r.name }
            if l.value != r.value { return l.value < r.value }
        }
        return m < n
    }

    /// Prometheus' notation: `name{a="1", b="2"}`.
    public var description: String {
        let inner = rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ")
        if inner.isEmpty { return metric.isEmpty ? "{}" : metric }
        return "\(metric){\(inner)}"
    }

    /// A label value as Prometheus' text formats quote it: `\`, `"` and newlines escaped.
    public static func escape(_ value: String) -> String {
        // Most values need no escaping; Foundation's search is slow enough to show in a profile.
        guard
            value.utf8.contains(where: {
                $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n")
            })
        else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

public struct Label: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
