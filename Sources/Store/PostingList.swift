/// The ids of the series that have one label pair (or one metric name), kept sorted.
///
/// New series get the next id, so nearly every insert is an append. Removals and inserts of reused
/// (lower) ids are held aside and merged once they reach an eighth of the list: done one by one in a
/// sorted array each moved the whole tail, and evicting series at the store's limit made that quadratic.
/// Four bytes a series, one array per pair: a `Set<Int>` per pair cost a hash and up to 16 bytes a series.
struct PostingList: Sendable {
    private var sorted: [UInt32] = []
    /// In `sorted`, but removed.
    private var removed: Set<UInt32> = []
    /// Not in `sorted`, in no order.
    private var added: [UInt32] = []

    var count: Int { sorted.count - removed.count + added.count }
    var isEmpty: Bool { count == 0 }

    /// Sorted, each once.
    var ids: [UInt32] {
        if removed.isEmpty && added.isEmpty { return sorted }
        return merged()
    }

    mutating func insert(_ id: UInt32) {
        if !removed.isEmpty, removed.remove(id) != nil { return }
        guard let last = sorted.last, id <= last else {
            if added.isEmpty {
                sorted.append(id)
            } else if !added.contains(id) {
                added.append(id)
                settleIfMany()
            }
            return
        }
        if inSorted(id) || added.contains(id) { return }
        added.append(id)
        settleIfMany()
    }

    /// Each of `ids`, in one access (ascending ids append).
    mutating func insert(contentsOf ids: [UInt32]) {
        for id in ids { insert(id) }
    }

    mutating func remove(_ id: UInt32) {
        if let at = added.firstIndex(of: id) {
            added.swapAt(at, added.count - 1)
            added.removeLast()
            return
        }
        guard inSorted(id), !removed.contains(id) else { return }
        if id == sorted.last && removed.isEmpty {
            sorted.removeLast()
            return
        }
        removed.insert(id)
        settleIfMany()
    }

    /// Bytes its arrays take on the heap (measured; the set of removed ids by its capacity).
    var heapBytes: Int { HeapSize.of(sorted) + HeapSize.of(added) + removed.capacity * 8 }

    func contains(_ id: UInt32) -> Bool {
        (inSorted(id) && !removed.contains(id)) || added.contains(id)
    }

    private mutating func settleIfMany() {
        if removed.count + added.count > max(32, sorted.count / 8) {
            sorted = merged()
            removed = []
            added = []
        }
    }

    private func merged() -> [UInt32] {
        let extra = added.sorted()
        var out: [UInt32] = []
        out.reserveCapacity(count)
        var j = 0
        for id in sorted where !removed.contains(id) {
            while j < extra.count && extra[j] < id {
                out.append(extra[j])
                j += 1
            }
            out.append(id)
        }
        out.append(contentsOf: extra[j...])
        return out
    }

    private func inSorted(_ id: UInt32) -> Bool {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo] == id
    }
}
