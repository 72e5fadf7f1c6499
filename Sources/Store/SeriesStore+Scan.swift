import KubeglassCore

extension SeriesStore {
    /// Calls `body` with each series whose labels satisfy every matcher, in label order (as `select`),
    /// and its samples in `[from, to]`. The samples' array is reused from one series to the next, so a
    /// query over 300,000 series holds one series' samples at a time, not all of them; `body` must not
    /// keep it. The lock is taken per series, so writers are not held up for a whole query.
    public func scan(
        _ matchers: [LabelMatcher], from: Timestamp = .min, to: Timestamp = .max, reading: RollupReading = .last,
        level: Int = 0, _ body: (Labels, [Sample]) throws -> Void
    ) rethrows {
        let to = visible(to)
        let matching: [(labels: Labels, shard: Int, id: Int)] = shards.indices.flatMap { k in
            shards[k].withLock { s in
                s.candidates(matchers).compactMap { id -> (Labels, Int, Int)? in
                    let entry = s.entries[Int(id)]
                    guard entry.samples != nil, entry.labels.matchesAll(matchers) else { return nil }
                    return (entry.labels, k, Int(id))
                }
            }
        }.sorted { $0.labels < $1.labels }
        var scratch: [Sample] = []
        for (labels, shard, id) in matching {
            scratch.removeAll(keepingCapacity: true)
            let found = shards[shard].withLock { s -> Bool in
                // The series may have been evicted (and its slot reused) since the list was taken.
                guard id < s.entries.count, s.entries[id].labels == labels, let buffer = s.entries[id].samples else {
                    return false
                }
                buffer.appendSamples(from: from, to: to, reading: reading, level: level, into: &scratch)
                return true
            }
            if found && !scratch.isEmpty { try body(labels, scratch) }
        }
    }
}
