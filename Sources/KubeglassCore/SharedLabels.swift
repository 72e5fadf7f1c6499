/// The labels that many series share and that differ only in metric name, like the series of one pod.
/// Sorted and hashed once, so each `labels(name:)` costs one short hash and shares the pairs.
public struct SharedLabels: Sendable {
    public let labels: Labels
    /// Where the name pair goes among the sorted pairs.
    private let nameIndex: Int
    /// The hash state after the shared pairs (the name comes last in `Labels`' hash).
    private let hasher: Hasher

    public init(_ dictionary: [String: String]) {
        self.init(Labels(dictionary.map { Label($0.key, $0.value) }))
    }

    /// `labels` without a name (a name it has is dropped).
    public init(_ labels: Labels) {
        let unnamed = labels.droppingName()
        self.labels = unnamed
        nameIndex = Labels.nameIndex(in: unnamed.unnamedPairs)
        hasher = Labels.hasher(unnamed: unnamed.unnamedPairs)
    }

    /// The shared labels plus `__name__`; the same value (and hash) as `Labels(name:_:)` would make.
    public func labels(name: String) -> Labels {
        guard !name.isEmpty else { return labels }
        var h = hasher
        h.combine(name)
        // No new array: every name shares the pairs.
        return Labels(rest: labels.unnamedPairs, metric: name, nameIndex: nameIndex, hash: h.finalize())
    }
}
