import Testing

@testable import Store

struct SlotTableTests {
    /// Random sets and removals against a dictionary, with hashes that share their low bits so that
    /// probing runs long and wraps around the table's end, and deletions must shift entries back.
    @Test func agreesWithADictionaryUnderChurn() {
        var rng = SystemRandomNumberGenerator()
        var table = SlotTable()
        var reference: [Int: UInt32] = [:]
        // 40 distinct hashes that all land in a handful of buckets (low bits 0…3, or near the top).
        let hashes = (0..<40).map { i in (i << 20) | (i % 4 == 0 ? 1023 : i % 4) }
        for step in 0..<20_000 {
            let h = hashes[Int.random(in: 0..<hashes.count, using: &rng)]
            if Bool.random(using: &rng) {
                let slot = UInt32(step)
                table.set(h, slot)
                reference[h] = slot
            } else {
                table.remove(h)
                reference[h] = nil
            }
            if step % 97 == 0 {
                #expect(table.count == reference.count)
                for h in hashes { #expect(table[h] == reference[h], "hash \(h) at step \(step)") }
            }
        }
        #expect(Set(table.values) == Set(reference.values))
    }

    @Test func growsAndKeepsEverything() {
        var table = SlotTable()
        let mix = 0x1E37_79B9_7F4A_7C15
        for i in 0..<100_000 { table.set(i &* mix, UInt32(i)) }
        #expect(table.count == 100_000)
        #expect((0..<100_000).allSatisfy { table[$0 &* mix] == UInt32($0) })
        #expect(table[12345] == nil)
        table.reserveCapacity(10) // never shrinks
        #expect(table[7 &* mix] == 7)
        var empty = SlotTable()
        empty.remove(3)
        #expect(empty[3] == nil && empty.count == 0 && empty.values.isEmpty)
    }
}

struct NameIndexTests {
    @Test func namesKeepTheirSeriesAndEmptyOnesDisappear() {
        var index = NameIndex()
        index.insert(1, name: "up")
        index.insert(2, name: "kubeglass_pod_cpu_usage_cores")
        index.insert(3, name: "up")
        index.insert(4, name: "")
        #expect(index["up"]?.ids == [1, 3])
        #expect(index["kubeglass_pod_cpu_usage_cores"]?.ids == [2])
        #expect(index["down"] == nil)
        #expect(Set(index.keys) == ["up", "kubeglass_pod_cpu_usage_cores", ""])
        index.remove(2, name: "kubeglass_pod_cpu_usage_cores")
        index.remove(9, name: "never")
        #expect(index["kubeglass_pod_cpu_usage_cores"] == nil)
        #expect(Set(index.keys) == ["up", ""])
        index.insert(5, name: "kubeglass_pod_cpu_usage_cores")
        #expect(index["kubeglass_pod_cpu_usage_cores"]?.ids == [5])
    }

    @Test func manyNamesInTheSameBuckets() {
        var index = NameIndex()
        let names = (0..<5000).map { "metric_\($0)" }
        for (i, n) in names.enumerated() { index.insert(UInt32(i), name: n) }
        #expect(names.enumerated().allSatisfy { index[$0.element]?.ids == [UInt32($0.offset)] })
        #expect(index.keys.count == 5000)
    }
}
