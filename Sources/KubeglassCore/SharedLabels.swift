/// The labels that many series share and that differ only in metric name, like the series of one pod.
/// Sorted and hashed once, so each `labels(name:)` costs one short hash and shares the pairs.
public struct SharedLabels: Sendable {
    public let labels: Labels
    /// Where the name pair goes among the sorted pairs.
    private let nameIndex: Int
    /// The hash of the shared pairs (`Labels.hash(restHash:nameHash:)` adds the name's).
    private let restHash: Int

    public init(_ dictionary: [String: String]) {
        self.init(Labels(dictionary.map { Label($0.key, $0.value) }))
    }

    /// `labels` without a name (a name it has is dropped).
    public init(_ labels: Labels) {
        let unnamed = labels.droppingName()
        self.labels = unnamed
        nameIndex = Labels.nameIndex(in: unnamed.unnamedPairs)
        restHash = Labels.hasher(unnamed: unnamed.unnamedPairs).finalize()
    }

    /// Pairs already sorted by name, each name once, without `__name__` (as `Labels(name:sortedPairs:)`):
    /// no sorting, and the pairs hashed once, as for the series of each of 150,000 pods.
    public init(sortedPairs pairs: [Label]) {
        assert(
            zip(pairs, pairs.dropFirst()).allSatisfy { $0.name < $1.name }
                && !pairs.contains { $0.name == Labels.metricName })
        let rest = pairs.contains { $0.value.isEmpty } ? pairs.filter { !$0.value.isEmpty } : pairs
        restHash = Labels.hasher(unnamed: rest).finalize()
        nameIndex = Labels.nameIndex(in: rest)
        labels = Labels(
            rest: rest, metric: "", nameIndex: nameIndex,
            hash: Labels.hash(restHash: restHash, nameHash: MetricName.hash("")))
    }

    /// The shared labels plus `__name__`; the same value (and hash) as `Labels(name:_:)` would make.
    public func labels(name: String) -> Labels {
        labels(MetricName(name))
    }

    /// The same, the name hashed beforehand: a source that makes the same few names for every pod.
    public func labels(_ name: MetricName) -> Labels {
        guard !name.name.isEmpty else { return labels }
        // No new array: every name shares the pairs.
        return Labels(
            rest: labels.unnamedPairs, metric: name.name, nameIndex: nameIndex,
            hash: Labels.hash(restHash: restHash, nameHash: name.hash))
    }
}

/// A metric name and its hash, computed once: `SharedLabels.labels(_:)` then makes a label set without
/// hashing any string (150,000 pods × twenty series on a big cluster's first poll).
public struct MetricName: Sendable {
    public let name: String
    let hash: Int

    public init(_ name: String) {
        self.name = name
        hash = MetricName.hash(name)
    }

    static func hash(_ name: String) -> Int {
        var hasher = Hasher()
        hasher.combine(name)
        return hasher.finalize()
    }
}
