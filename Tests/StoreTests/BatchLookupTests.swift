import TestSupport
import Testing

@testable import KubeglassCore
@testable import Store

/// A poll's series that a shard already has are found by their hashes all at once, in the table's order
/// (`SlotTable.slots(of:)`), then checked one by one. Whatever a poll holds (series new and known, a label
/// set twice, two label sets with one hash, more series than the store keeps), the store must end exactly as
/// when each series is looked up alone.
struct BatchLookupTests {
    /// Label set `i`; every 97th has the hash of the one before it (a collision the store must tell apart).
    static func labels(_ i: Int) -> Labels {
        let pairs = [Label("namespace", "ns-\(i % 5)"), Label("pod", "pod-\(i / 2)-with-a-longer-name")]
        let name = i % 2 == 0 ? "cpu_usage_cores_of_a_pod" : "memory_working_set_bytes"
        guard i % 97 == 96 else { return Labels(name: name, sortedPairs: pairs) }
        return Labels(rest: pairs, metric: name, nameIndex: 0, hash: labels(i - 1).precomputedHash)
    }

    static func dump(_ store: SeriesStore) -> [String] {
        store.select([try! LabelMatcher("__name__", .regex, ".+")]).map {
            "\($0.labels) \($0.samples.map { $0.isStaleMarker ? "stale@\($0.time)" : "\($0.time)=\($0.value)" })"
        }.sorted()
    }

    @Test(arguments: [(universe: 6_000, maxSeries: 100_000), (6_000, 4_000), (24_000, SeriesStore.shardingFrom)])
    func aPollAppendsAsItsSamplesOneByOne(universe: Int, maxSeries: Int) {
        var random = SplitMix64(state: UInt64(universe + maxSeries))
        var oneByOne = SeriesStore.Configuration(retention: 3_600_000, interval: 1000, maxSeries: maxSeries)
        oneByOne.looksUpPollsAtOnce = false
        let single = SeriesStore(oneByOne)
        let batched = SeriesStore(.init(retention: 3_600_000, interval: 1000, maxSeries: maxSeries))
        var given: [Labels: [Timestamp: Double]] = [:]
        #expect(
            Self.labels(96) != Self.labels(95) && Self.labels(96).precomputedHash == Self.labels(95).precomputedHash)
        for poll in 1...8 {
            let time = Timestamp(poll * 1000)
            // Most series again, a few gone, new ones from the second poll on, some given twice.
            var numbers: [Int] = []
            for i in 0..<universe where poll == 1 || random.next() % 100 < 90 { numbers.append(i) }
            if poll > 1 { numbers += (0..<universe / 50).map { universe + poll * 1000 + $0 } }
            for _ in 0..<universe / 200 { numbers.append(numbers[Int(random.next() % UInt64(numbers.count))]) }
            if poll == 5 { numbers.shuffle(using: &random) }
            let series = numbers.map { (labels: Self.labels($0), value: Double($0 * 10 + poll)) }
            let references = batched.append(series, at: time)
            for (labels, value) in series { given[labels, default: [:]][time] = value }
            let alone = single.append(series, at: time)
            // A full store evicts among series equally old in the order of its hash tables, which differs from
            // store to store; so there only the counts are compared, and every sample kept is checked.
            if maxSeries > universe * 2, let n = alone.indices.first(where: { alone[$0] != references[$0] }) {
                Issue.record("poll \(poll), series \(n) (\(numbers[n])): \(references[n]), one by one \(alone[n])")
            }
            #expect(references.count == series.count)
            #expect(batched.seriesCount == single.seriesCount, "poll \(poll)")
            // Each kept series' reference finds it: a series given twice has one slot.
            var slots: [Labels: UInt32] = [:]
            for (n, r) in references.enumerated() where r.isKept {
                #expect(slots.updateValue(r.slot, forKey: series[n].labels) ?? r.slot == r.slot)
            }
        }
        let a = Self.dump(batched)
        #expect(a.count == batched.seriesCount && a.count > universe / 2)
        for series in batched.select([try! LabelMatcher("__name__", .regex, ".+")]) {
            let wrong = series.samples.filter { given[series.labels]?[$0.time] != $0.value }
            #expect(wrong.isEmpty, "\(series.labels): \(wrong) is not what the polls gave")
        }
        guard maxSeries > universe * 2 else { return }
        let b = Self.dump(single)
        let same = a == b
        #expect(
            same,
            "only batched: \(Set(a).subtracting(b).sorted().prefix(3)); only one by one: \(Set(b).subtracting(a).sorted().prefix(3))"
        )
    }
}
