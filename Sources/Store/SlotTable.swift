/// Slots by label-set hash: open addressing with linear probing over two flat arrays.
///
/// The hashes are already SipHash values (computed once per label set), so they index the table
/// as they are; a `[Int: UInt32]` hashed each of them again, which was a tenth of a big cluster's
/// first poll. Deletion shifts the following entries back, so there are no tombstones.
struct SlotTable {
    private var hashes: [Int] = []
    private var slots: [UInt32] = []
    private(set) var count = 0
    private static let empty = UInt32.max

    init() {}

    private var mask: Int { hashes.count - 1 }

    /// Room for `n` entries without growing (the table stays at most half full).
    mutating func reserveCapacity(_ n: Int) {
        var capacity = 16
        while capacity < 2 * n { capacity *= 2 }
        if capacity > hashes.count { rehash(to: capacity) }
    }

    subscript(hash: Int) -> UInt32? {
        guard count > 0 else { return nil }
        var i = hash & mask
        while slots[i] != SlotTable.empty {
            if hashes[i] == hash { return slots[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Sets the slot of `hash`, adding it when absent. `slot` must not be `UInt32.max`.
    mutating func set(_ hash: Int, _ slot: UInt32) {
        precondition(slot != SlotTable.empty, "slot UInt32.max is the empty marker")
        if 2 * (count + 1) > hashes.count { rehash(to: max(16, hashes.count * 2)) }
        var i = hash & mask
        while slots[i] != SlotTable.empty {
            if hashes[i] == hash {
                slots[i] = slot
                return
            }
            i = (i + 1) & mask
        }
        hashes[i] = hash
        slots[i] = slot
        count += 1
    }

    mutating func remove(_ hash: Int) {
        guard count > 0 else { return }
        var i = hash & mask
        while slots[i] != SlotTable.empty && hashes[i] != hash { i = (i + 1) & mask }
        guard slots[i] != SlotTable.empty else { return }
        // Backward-shift deletion: move up each following entry whose home is at or before the hole.
        var hole = i
        var j = (i + 1) & mask
        while slots[j] != SlotTable.empty {
            let home = hashes[j] & mask
            // Distance from home to j, and from home to the hole, going forward around the table.
            if (j - home) & mask >= (j - hole) & mask {
                hashes[hole] = hashes[j]
                slots[hole] = slots[j]
                hole = j
            }
            j = (j + 1) & mask
        }
        slots[hole] = SlotTable.empty
        count -= 1
    }

    /// Every slot, in no order.
    var values: [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        for s in slots where s != SlotTable.empty { out.append(s) }
        return out
    }

    private mutating func rehash(to capacity: Int) {
        let (oldHashes, oldSlots) = (hashes, slots)
        hashes = Array(repeating: 0, count: capacity)
        slots = Array(repeating: SlotTable.empty, count: capacity)
        let m = capacity - 1
        for k in oldSlots.indices where oldSlots[k] != SlotTable.empty {
            var i = oldHashes[k] & m
            while slots[i] != SlotTable.empty { i = (i + 1) & m }
            hashes[i] = oldHashes[k]
            slots[i] = oldSlots[k]
        }
    }
}
