import KubeglassCore
import Testing

@testable import Store

struct PostingListTests {
    @Test func staysSortedAndUniqueWhateverTheOrder() {
        var list = PostingList()
        var model = Set<UInt32>()
        var random = SystemRandomNumberGenerator()
        for step in 0..<2000 {
            // Mostly appends of growing ids, as new series get; sometimes an old id, as a reused slot.
            let id = step % 5 == 0 ? UInt32.random(in: 0...UInt32(step), using: &random) : UInt32(step)
            if step % 7 == 3 {
                list.remove(id)
                model.remove(id)
            } else {
                list.insert(id)
                model.insert(id)
            }
            #expect(list.count == model.count)
        }
        #expect(list.ids == model.sorted())
        for id in UInt32(0)..<2000 { #expect(list.contains(id) == model.contains(id)) }
    }

    @Test func removingWhatIsAbsentChangesNothing() {
        var list = PostingList()
        for id: UInt32 in [1, 3, 5] { list.insert(id) }
        list.insert(3)
        list.remove(4)
        list.remove(0)
        list.remove(9)
        #expect(list.ids == [1, 3, 5])
        list.insert(0)
        list.insert(4)
        #expect(list.ids == [0, 1, 3, 4, 5])
        for id: UInt32 in [0, 1, 3, 4, 5] { list.remove(id) }
        #expect(list.isEmpty)
    }
}

/// Label sets that share a hash must still find their own slots.
struct SlotsByLabelsTests {
    @Test func labelSetsSharingAHashKeepTheirOwnSlots() {
        let a = Labels(["pod": "a"])
        let b = Labels(["pod": "b"])
        let c = Labels(["pod": "c"])
        var labelsOf: [UInt32: Labels] = [1: a, 2: b, 3: c]
        var index = SlotsByLabels()
        let shared = 42 // as if a, b and c all hashed to it
        index.insert(a, hash: shared, slot: 1)
        index.insert(b, hash: shared, slot: 2)
        index.insert(c, hash: 7, slot: 3)
        func find(_ l: Labels, _ h: Int) -> UInt32? { index.slot(of: l, hash: h) { labelsOf[$0]! == l } }
        #expect(find(a, shared) == 1 && find(b, shared) == 2 && find(c, 7) == 3)
        #expect(find(Labels(["pod": "d"]), shared) == nil)
        #expect(index.count == 3 && Set(index.slots) == [1, 2, 3])

        index.remove(a, hash: shared, slot: 1) // the one found by hash goes: b must still be found
        labelsOf[1] = nil
        #expect(find(b, shared) == 2)
        #expect(index.count == 2)
        index.remove(a, hash: shared, slot: 1) // already gone: nothing changes
        #expect(index.count == 2 && Set(index.slots) == [2, 3])
        index.remove(b, hash: shared, slot: 2)
        #expect(find(b, shared) == nil && index.count == 1)
    }
}
