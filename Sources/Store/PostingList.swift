/// The ids of the series that have one label pair (or one metric name), kept sorted.
///
/// New series get the next id, so nearly every insert is an append; a reused slot (after a prune)
/// goes to its place by binary search. Four bytes a series, one array per pair: a `Set<Int>` per pair
/// cost a hash and up to 16 bytes per series, and the store inserts millions on a big cluster's first poll.
struct PostingList: Sendable {
    private(set) var ids: [UInt32] = []

    var count: Int { ids.count }
    var isEmpty: Bool { ids.isEmpty }

    mutating func insert(_ id: UInt32) {
        guard let last = ids.last, id <= last else {
            ids.append(id)
            return
        }
        let at = position(of: id)
        if at < ids.count && ids[at] == id { return }
        ids.insert(id, at: at)
    }

    mutating func remove(_ id: UInt32) {
        let at = position(of: id)
        if at < ids.count && ids[at] == id { ids.remove(at: at) }
    }

    func contains(_ id: UInt32) -> Bool {
        let at = position(of: id)
        return at < ids.count && ids[at] == id
    }

    /// The first index whose id is not less than `id`.
    private func position(of id: UInt32) -> Int {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
