import KubeglassCore

extension SeriesStore {
    /// One series as the store holds it: its slot and which series has used the slot, so a reference
    /// kept past the series' removal (prune, eviction) matches nothing.
    public struct Reference: Hashable, Sendable {
        public let slot: UInt32
        public let generation: UInt32
    }

    /// A poll's samples, all at `time`, under one lock: what a poller writes. Returns each series'
    /// reference, in order, for `appendStaleMarkers` after a later poll no longer reports it.
    @discardableResult
    public func append(_ series: [(labels: Labels, value: Double)], at time: Timestamp) -> [Reference] {
        state.withLock { s in
            var references: [Reference] = []
            references.reserveCapacity(series.count)
            if s.bySlot.count == 0 {
                // The first poll brings every series: size the slots and index once, not by doubling.
                s.entries.reserveCapacity(series.count)
                s.bySlot.reserveCapacity(series.count)
            }
            for (labels, value) in series {
                let slot = s.append(labels, Sample(time: time, value: value), configuration)
                references.append(Reference(slot: slot, generation: s.entries[Int(slot)].generation))
            }
            return references
        }
    }

    /// Marks these series stale at `time` (Prometheus' staleness marker); removed ones are skipped.
    public func appendStaleMarkers(_ references: [Reference], at time: Timestamp) {
        state.withLock { s in
            for r in references where Int(r.slot) < s.entries.count && s.entries[Int(r.slot)].generation == r.generation {
                s.entries[Int(r.slot)].samples?.append(.staleMarker(at: time))
            }
        }
    }
}
