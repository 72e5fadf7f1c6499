import KubeglassCore
import Testing

@testable import Store

/// Queries read series in label order. The order of a metric name's series is kept between queries and
/// sorted again when its series change; a regex of literals reads only its values' series.
@Suite struct LabelOrderTests {
    static func labels(_ name: String, _ i: Int) -> Labels {
        Labels(name: name, ["namespace": "ns-\(i % 5)", "pod": "pod-\((i * 7919) % 1000)"])
    }

    func scanned(_ store: SeriesStore, _ matchers: [LabelMatcher]) -> [Labels] {
        var out: [Labels] = []
        store.scan(matchers) { labels, _ in out.append(labels) }
        return out
    }

    @Test(arguments: [10_000, 1_000_000]) func theKeptOrderFollowsSeriesThatComeAndGo(maxSeries: Int) {
        // A million series' room shards the store in eight: the order runs across shards.
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: maxSeries, tiers: []))
        var expected: Set<Labels> = []
        var t: Int64 = 0
        func add(_ range: Range<Int>, _ name: String = "cpu") {
            t += 1000
            store.append(range.map { (Self.labels(name, $0), Sample(time: t, value: Double($0))) })
            if name == "cpu" { expected.formUnion(range.map { Self.labels(name, $0) }) }
        }
        add(0..<600)
        add(0..<50, "mem")
        let byName = [LabelMatcher.equal(Labels.metricName, "cpu")]
        #expect(scanned(store, byName) == expected.sorted())
        #expect(scanned(store, byName) == expected.sorted(), "asked again, from the kept order")
        // New series of the name, and of another name: the order takes in the first, not the second.
        add(600..<900)
        add(50..<100, "mem")
        #expect(scanned(store, byName) == expected.sorted())
        // Series go: only the ones written recently stay after a prune.
        t += 120_000
        store.append((0..<200).map { (Self.labels("cpu", $0), Sample(time: t, value: 1)) })
        store.prune(now: t)
        expected = Set((0..<200).map { Self.labels("cpu", $0) })
        #expect(scanned(store, byName) == expected.sorted())
        // With more matchers the order is filtered, not rebuilt.
        let inNamespace = byName + [.equal("namespace", "ns-3")]
        #expect(scanned(store, inNamespace) == expected.filter { $0["namespace"] == "ns-3" }.sorted())
        // A regex of literals narrows to its values' series, sorted.
        let pods = ["pod-0", "pod-7919", "pod-838", "pod-nope"].map { $0 == "pod-7919" ? "pod-919" : $0 }
        let some = byName + [LabelMatcher.oneOf("pod", pods)]
        let wanted = expected.filter { pods.contains($0["pod"]!) }.sorted()
        #expect(!wanted.isEmpty)
        #expect(scanned(store, some) == wanted)
        #expect(store.select(some).map(\.labels) == wanted)
    }

    @Test func anIndexBuiltFromRunsOfSharedPairsFindsEverySeries() {
        // As a source writes them: each pod's series share one array of pairs, in a run of slots.
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: 10_000, tiers: []))
        var batch: [(Labels, Sample)] = []
        for p in 0..<50 {
            let pairs = [Label("namespace", "ns-\(p % 3)"), Label("pod", "pod-\(p)")]
            for name in ["a", "b", "c"] {
                batch.append((Labels(name: name, sortedPairs: pairs), Sample(time: 1000, value: Double(p))))
            }
        }
        store.append(batch)
        #expect(Labels(name: "a", sortedPairs: batch[0].0.unnamedPairs).sharesPairs(with: batch[0].0))
        #expect(batch[0].0.sharesPairs(with: batch[1].0) && !batch[0].0.sharesPairs(with: batch[3].0))
        // The index of a label is built on its third use; every answer before and after is the same.
        for round in 0..<5 {
            for p in [0, 7, 49] {
                let found = scanned(store, [.equal(Labels.metricName, "b"), .equal("pod", "pod-\(p)")])
                #expect(
                    found == [Labels(name: "b", ["namespace": "ns-\(p % 3)", "pod": "pod-\(p)"])], "round \(round)")
            }
            let some = scanned(store, [LabelMatcher.oneOf("pod", ["pod-1", "pod-2"])])
            #expect(some.count == 6 && some == some.sorted())
            #expect(scanned(store, [.equal("namespace", "ns-1")]).count == 17 * 3)
        }
    }
}
