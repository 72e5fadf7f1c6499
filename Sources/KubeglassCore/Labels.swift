/// A set of label pairs, kept sorted by name so that equal sets compare and hash equal.
/// The metric name, as in Prometheus, is the label `__name__`.
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible {
    public private(set) var pairs: [Label]
    /// Computed once: label sets are built once per series but hashed on every poll and lookup.
    private let hash: Int

    public static let metricName = "__name__"

    public init(_ pairs: [Label] = []) {
        // Sorting a handful of pairs beats building a dictionary: label sets are made by the million
        // on a big cluster's first poll. An empty value means no label; a repeated name keeps its last value.
        var kept = pairs.enumerated().filter { !$0.element.value.isEmpty }
        kept.sort { $0.element.name != $1.element.name ? $0.element.name < $1.element.name : $0.offset < $1.offset }
        var unique: [Label] = []
        unique.reserveCapacity(kept.count)
        for (_, pair) in kept {
            if let last = unique.last, last.name == pair.name { unique[unique.count - 1] = pair } else { unique.append(pair) }
        }
        self.pairs = unique
        var hasher = Labels.hasher(unnamed: unique)
        hasher.combine(unique.first { $0.name == Labels.metricName }?.value ?? "")
        hash = hasher.finalize()
    }

    /// Pairs already sorted, unique and non-empty, with their hash (see `SharedLabels`).
    init(sorted pairs: [Label], hash: Int) {
        self.pairs = pairs
        self.hash = hash
    }

    /// The hash is the pairs other than the name, then the name: so the series of one pod, which differ
    /// only in name, hash their shared pairs once (`SharedLabels`). Every initializer must agree on it.
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
        lhs.hash == rhs.hash && lhs.pairs == rhs.pairs
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

    public var name: String? { self[Labels.metricName] }
    public var isEmpty: Bool { pairs.isEmpty }
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.value) })
    }

    public subscript(name: String) -> String? {
        // Label sets are small; a linear scan beats hashing here.
        for pair in pairs where pair.name == name { return pair.value }
        return nil
    }

    /// A copy with `name` set to `value` (an empty value removes the label, as in Prometheus).
    public func setting(_ name: String, to value: String) -> Labels {
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

    public func droppingName() -> Labels { removing([Labels.metricName]) }

    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (l, r) in zip(lhs.pairs, rhs.pairs) {
            if l.name != r.name { return l.name < r.name }
            if l.value != r.value { return l.value < r.value }
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// Prometheus' notation: `name{a="1", b="2"}`.
    public var description: String {
        let inner = pairs.filter { $0.name != Labels.metricName }
            .map { "\($0.name)=\"\(escape($0.value))\"" }.joined(separator: ", ")
        let name = self.name ?? ""
        if inner.isEmpty { return name.isEmpty ? "{}" : name }
        return "\(name){\(inner)}"
    }

    private func escape(_ value: String) -> String {
        // Most values need no escaping; Foundation's search is slow enough to show in a profile.
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) else { return value }
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
