import KubeglassCore

/// Which slot holds the series with these labels, found by the labels' hash.
///
/// A dictionary keyed by `Labels` compares label sets at every probe, retaining and releasing their
/// pairs each time: at millions of series that was a tenth of a poll. Keyed by hash, probes compare
/// integers and only a hit compares labels. Label sets whose hash another one already has (rare)
/// are kept in a small dictionary by full label set.
struct SlotsByLabels {
    private var byHash = SlotTable()
    /// With the hash each was inserted under, to promote one when the label set found by that hash goes.
    private var collided: [Labels: (slot: UInt32, hash: Int)] = [:]
    private(set) var count = 0

    mutating func reserveCapacity(_ n: Int) { byHash.reserveCapacity(n) }

    /// The slot of `labels`, if any. `holds(slot)` tells whether the series in `slot` has `labels`, compared
    /// where they are stored: a copy of them out of the store retained and released their strings, for every
    /// series of every poll.
    func slot(of labels: Labels, hash: Int, holds: (UInt32) -> Bool) -> UInt32? {
        guard let slot = byHash[hash] else { return nil }
        if holds(slot) { return slot }
        return collided.isEmpty ? nil : collided[labels]?.slot
    }

    /// The slot each hash's label set would have if it is the one found by hash (`UInt32.max`: no series has
    /// the hash), for many at once (`SlotTable.slots(of:)`). A candidate still needs its labels compared;
    /// those that do not match are looked up one by one (`slot(of:hash:holds:)`), which also finds a label
    /// set that shares its hash with another.
    func candidates(_ hashes: [Int]) -> [UInt32] { byHash.slots(of: hashes) }

    /// Adds labels that have no slot yet.
    mutating func insert(_ labels: Labels, hash: Int, slot: UInt32) {
        if byHash[hash] == nil { byHash.set(hash, slot) } else { collided[labels] = (slot, hash) }
        count += 1
    }

    /// Adds label sets that have no slot yet, many at once (`SlotTable.add`): `items[i]` the hash of
    /// slot `items[i].slot`'s labels. Returns the slots whose labels an earlier slot (in the table or in
    /// `items`) already has, each with that slot: a label set given twice.
    mutating func insertAll(_ items: [(hash: Int, slot: UInt32)], labelsAt: (UInt32) -> Labels) -> [(
        repeated: UInt32, first: UInt32
    )] {
        var repeated: [(repeated: UInt32, first: UInt32)] = []
        var clashes: [(hash: Int, slot: UInt32)] = []
        byHash.add(items) { hash, existing, new in
            if labelsAt(existing) == labelsAt(new) {
                repeated.append((new, existing))
            } else {
                clashes.append((hash, new))
            }
        }
        count += items.count - repeated.count
        // Another label set with the same hash (rare): kept by labels, as `insert` keeps it.
        for (hash, slot) in clashes {
            let labels = labelsAt(slot)
            if let first = collided[labels] {
                repeated.append((slot, first.slot))
                count -= 1
            } else {
                collided[labels] = (slot, hash)
            }
        }
        return repeated
    }

    mutating func remove(_ labels: Labels, hash: Int, slot: UInt32) {
        if byHash[hash] == slot {
            // A label set that collided with this one now takes its place, so lookups by hash still find it.
            if let other = collided.first(where: { $0.value.hash == hash }) {
                byHash.set(hash, other.value.slot)
                collided[other.key] = nil
            } else {
                byHash.remove(hash)
            }
        } else if collided[labels]?.slot == slot {
            collided[labels] = nil
        } else {
            return
        }
        count -= 1
    }

    /// Bytes its table takes on the heap (measured; the rare collided label sets left out).
    var heapBytes: Int { byHash.heapBytes }

    var slots: [UInt32] { Array(byHash.values) + collided.values.map(\.slot) }
}
