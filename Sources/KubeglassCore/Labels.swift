/// A set of label pairs, kept sorted by name so that equal sets compare and hash equal.
/// The metric name, as in Prometheus, is the label `__name__`.
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible {
    public private(set) var pairs: [Label]
    /// Computed once: label sets are built once per series but hashed on every poll and lookup.
    private let hash: Int

    public static let metricName = "__name__"

    public init(_ pairs: [Label] = []) {
        var seen: [String: String] = [:]
        for pair in pairs where !pair.value.isEmpty { seen[pair.name] = pair.value }
        self.pairs = seen.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name }
        var hasher = Hasher()
        hasher.combine(self.pairs)
        hash = hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }

    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.hash == rhs.hash && lhs.pairs == rhs.pairs
    }

    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// `Labels(name: "up", ["job": "x"])`
    public init(name: String, _ dictionary: [String: String] = [:]) {
        var all = dictionary
        all[Labels.metricName] = name
        self.init(all)
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
