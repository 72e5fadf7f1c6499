/// Slots by label-set hash: open addressing with linear probing over one flat array.
///
/// The hashes are already SipHash values (computed once per label set), so they index the table
/// as they are; a `[Int: UInt32]` hashed each of them again, which was a tenth of a big cluster's
/// first poll. A hash and its slot sit side by side, so a probe touches one cache line. Deletion
/// shifts the following entries back, so there are no tombstones.
struct SlotTable {
    private struct Bucket {
        var hash: Int
        var slot: UInt32
    }

    private var buckets: [Bucket] = []
    private(set) var count = 0
    private static let empty = UInt32.max
    /// Grow past 7/10 full: linear probing stays short with well-mixed hashes.
    private static func fits(_ n: Int, in capacity: Int) -> Bool { 10 * n <= 7 * capacity }

    init() {}

    private var mask: Int { buckets.count - 1 }

    /// Room for `n` entries without growing.
    mutating func reserveCapacity(_ n: Int) {
        var capacity = 16
        while !SlotTable.fits(n, in: capacity) { capacity *= 2 }
        if capacity > buckets.count { rehash(to: capacity) }
    }

    subscript(hash: Int) -> UInt32? {
        guard count > 0 else { return nil }
        var i = hash & mask
        while buckets[i].slot != SlotTable.empty {
            if buckets[i].hash == hash { return buckets[i].slot }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The slot of each hash (`UInt32.max` for none), looked up in the order of their home buckets, as `add`
    /// writes: a later poll's millions of series each missed the cache once at its random bucket, the most
    /// time of appending a sample to a known series. In bucket order the table is read front to back.
    func slots(of hashes: [Int]) -> [UInt32] {
        var result = [UInt32](repeating: SlotTable.empty, count: hashes.count)
        guard count > 0, !hashes.isEmpty else { return result }
        // Each hash with its place in `hashes`, in bucket order.
        let ordered = inBucketOrder(hashes.enumerated().map { (hash: $0.element, slot: UInt32($0.offset)) })
        buckets.withUnsafeBufferPointer { buckets in
            let mask = buckets.count - 1
            for (hash, n) in ordered {
                var i = hash & mask
                while buckets[i].slot != SlotTable.empty {
                    if buckets[i].hash == hash {
                        result[Int(n)] = buckets[i].slot
                        break
                    }
                    i = (i + 1) & mask
                }
            }
        }
        return result
    }

    /// Adds many hashes at once, in the order of their home buckets, so that the table is written front
    /// to back rather than at random: a first poll's millions of new series each missed the cache once
    /// here, most of the time of appending them. A hash already present (given twice, or in the table
    /// before) is not added: `present(hash, its slot, the slot given now)` is called instead.
    mutating func add(_ items: [(hash: Int, slot: UInt32)], present: (Int, UInt32, UInt32) -> Void) {
        reserveCapacity(count + items.count)
        for item in inBucketOrder(items) {
            precondition(item.slot != SlotTable.empty, "slot UInt32.max is the empty marker")
            var i = item.hash & mask
            var found = false
            while buckets[i].slot != SlotTable.empty {
                if buckets[i].hash == item.hash {
                    present(item.hash, buckets[i].slot, item.slot)
                    found = true
                    break
                }
                i = (i + 1) & mask
            }
            if !found {
                buckets[i] = Bucket(hash: item.hash, slot: item.slot)
                count += 1
            }
        }
    }

    /// `items` by the top bits of their home buckets, in one counting-sort pass: a group's share of the table
    /// is a few kilobytes, in cache while its hashes are read or written.
    private func inBucketOrder(_ items: [(hash: Int, slot: UInt32)]) -> [(hash: Int, slot: UInt32)] {
        let bucketBits = buckets.count.trailingZeroBitCount
        let groupBits = min(8, bucketBits)
        let shift = bucketBits - groupBits
        var starts = [Int](repeating: 0, count: (1 << groupBits) + 1)
        for item in items { starts[((item.hash & mask) >> shift) + 1] += 1 }
        for g in 0..<(1 << groupBits) { starts[g + 1] += starts[g] }
        var sorted = [(hash: Int, slot: UInt32)](repeating: (0, 0), count: items.count)
        for item in items {
            let g = (item.hash & mask) >> shift
            sorted[starts[g]] = item
            starts[g] += 1
        }
        return sorted
    }

    /// Sets the slot of `hash`, adding it when absent. `slot` must not be `UInt32.max`.
    mutating func set(_ hash: Int, _ slot: UInt32) {
        precondition(slot != SlotTable.empty, "slot UInt32.max is the empty marker")
        if !SlotTable.fits(count + 1, in: buckets.count) { rehash(to: max(16, buckets.count * 2)) }
        var i = hash & mask
        while buckets[i].slot != SlotTable.empty {
            if buckets[i].hash == hash {
                buckets[i].slot = slot
                return
            }
            i = (i + 1) & mask
        }
        buckets[i] = Bucket(hash: hash, slot: slot)
        count += 1
    }

    mutating func remove(_ hash: Int) {
        guard count > 0 else { return }
        var i = hash & mask
        while buckets[i].slot != SlotTable.empty && buckets[i].hash != hash { i = (i + 1) & mask }
        guard buckets[i].slot != SlotTable.empty else { return }
        // Backward-shift deletion: move up each following entry whose home is at or before the hole.
        var hole = i
        var j = (i + 1) & mask
        while buckets[j].slot != SlotTable.empty {
            let home = buckets[j].hash & mask
            // Distance from home to j, and from the hole to j, going forward around the table.
            if (j - home) & mask >= (j - hole) & mask {
                buckets[hole] = buckets[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        buckets[hole].slot = SlotTable.empty
        count -= 1
    }

    /// Bytes its buckets take on the heap (measured).
    var heapBytes: Int { HeapSize.of(buckets) }

    /// Every slot, in no order.
    var values: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        for b in buckets where b.slot != SlotTable.empty { out.append(b.slot) }
        return out
    }

    private mutating func rehash(to capacity: Int) {
        let old = buckets
        buckets = Array(repeating: Bucket(hash: 0, slot: SlotTable.empty), count: capacity)
        let m = capacity - 1
        for b in old where b.slot != SlotTable.empty {
            var i = b.hash & m
            while buckets[i].slot != SlotTable.empty { i = (i + 1) & m }
            buckets[i] = b
        }
    }
}
