import KubeglassCore
import Testing

@testable import Store

/// A store for a million series or more is sharded; it must answer exactly as a one-shard store does.
struct ShardedStoreTests {
    static func labels(_ i: Int) -> Labels {
        Labels(
            name: i % 3 == 0 ? "cpu" : i % 3 == 1 ? "memory" : "restarts",
            ["pod": "pod-\(i / 3)", "namespace": "ns-\(i % 7)"])
    }

    static func samples(_ store: SeriesStore, _ matchers: [LabelMatcher]) -> [String] {
        store.select(matchers).map {
            "\($0.labels) \($0.samples.map { $0.isStaleMarker ? "stale" : "\($0.time)=\($0.value)" })"
        }
    }

    @Test func answersAsOneShardDoes() throws {
        let sharded = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: SeriesStore.shardingFrom))
        let single = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: SeriesStore.shardingFrom - 1))
        let first = (0..<30_000).map { (labels: Self.labels($0), value: Double($0)) }
        let second = (0..<30_000).filter { $0 % 5 != 0 }.map { (labels: Self.labels($0), value: Double($0) * 2) }
        var references: [(SeriesStore, [SeriesStore.Reference])] = []
        for store in [sharded, single] {
            let refs = store.append(first, at: 1000)
            #expect(refs.count == first.count)
            #expect(Set(refs.map(\.slot)).count == first.count, "every series its own slot")
            references.append((store, refs))
            let again = store.append(second, at: 2000)
            // The series the second poll left out go stale, through the first poll's references.
            let kept = Set(again.map(\.slot))
            store.appendStaleMarkers(refs.filter { !kept.contains($0.slot) }, at: 2000)
        }
        #expect(sharded.shardBits > 0 && single.shardBits == 0)
        #expect(sharded.seriesCount == 30_000 && single.seriesCount == 30_000)
        #expect(sharded.metricNames() == single.metricNames())
        #expect(sharded.seriesCount(metric: "cpu") == single.seriesCount(metric: "cpu"))
        #expect(sharded.labelSets(metric: "memory") == single.labelSets(metric: "memory"))
        #expect(sharded.labelSets() == single.labelSets())
        for matchers in [
            [LabelMatcher.equal("__name__", "cpu")], [.equal("namespace", "ns-3")],
            [try LabelMatcher("pod", .regex, "pod-1[0-9]"), .equal("__name__", "restarts")],
        ] {
            #expect(Self.samples(sharded, matchers) == Self.samples(single, matchers))
        }
        var a: [String] = []
        var b: [String] = []
        sharded.scan([.equal("namespace", "ns-1")], from: 0, to: 5000) { l, s in a.append("\(l) \(s.count)") }
        single.scan([.equal("namespace", "ns-1")], from: 0, to: 5000) { l, s in b.append("\(l) \(s.count)") }
        #expect(a == b && a.count > 4000)
        let stale = Self.samples(sharded, [.equal("pod", "pod-0")])
        #expect(stale.contains { $0.contains("stale") }, "series 0 was left out of the second poll")
        sharded.prune(now: 1000 + 60_000 + 1500)
        single.prune(now: 1000 + 60_000 + 1500)
        #expect(sharded.seriesCount == single.seriesCount)
        sharded.removeAll()
        #expect(sharded.seriesCount == 0 && sharded.metricNames().isEmpty)
    }

    @Test func seriesThatDifferOnlyInNameShareAShard() {
        let store = SeriesStore(.init(maxSeries: SeriesStore.shardingFrom))
        var shardsOfPods: Set<Int> = []
        for pod in 0..<200 {
            let shared = SharedLabels(Labels(["namespace": "ns", "pod": "pod-\(pod)"]))
            let shards = Set(
                ["cpu", "memory", "restarts", "kube_pod_info"].map { store.shard(shared.labels(name: $0)) })
            #expect(shards.count == 1, "pod-\(pod)'s series went to shards \(shards)")
            // However the set is made: sorted pairs, a dictionary, or shared pairs.
            #expect(store.shard(Labels(name: "cpu", ["pod": "pod-\(pod)", "namespace": "ns"])) == shards.first)
            shardsOfPods.formUnion(shards)
        }
        #expect(shardsOfPods.count == 8, "200 pods spread over every shard")
    }

    @Test func anEntryIsSmall() {
        // Millions of series are made at once by a big cluster's first poll: every byte here is megabytes.
        #expect(MemoryLayout<SeriesStore.Entry>.stride <= 72)
        // And each series' ring, made at its second sample (the second poll makes millions at once). Its
        // codec's divisor and predictor (16 bytes) save about 500 bytes of samples a series in an hour.
        #expect(MemoryLayout<SampleChunks>.size <= 120)
    }

    @Test func eachShardHasRoomForMoreThanItsEighth() {
        let store = SeriesStore(.init(maxSeries: 1_000_000))
        #expect(
            store.eachShard { $0.limit } == Array(repeating: 125_000 + 4096, count: 8),
            "a replay store sized for its series must not evict the few a shard gets over its eighth")
        #expect(SeriesStore(.init(maxSeries: 999_999)).eachShard { $0.limit } == [999_999])
    }
}

/// A first poll into an empty store indexes its series all at once (`SlotTable.add`); it must end
/// exactly as appending them one by one does.
struct FirstPollTests {
    static func batch(_ n: Int, repeating: [Int] = [], value: (Int) -> Double = { Double($0) }) -> [(
        labels: Labels, value: Double
    )] {
        var series = (0..<n).map { (labels: ShardedStoreTests.labels($0), value: value($0)) }
        for r in repeating { series.append((ShardedStoreTests.labels(r), -Double(r) - 1)) }
        return series
    }

    @Test(arguments: [SeriesStore.shardingFrom, 100_000])
    func aRepeatedLabelSetKeepsOneSlotAndTheLaterValue(maxSeries: Int) {
        let store = SeriesStore(.init(maxSeries: maxSeries))
        let series = Self.batch(20_000, repeating: [7, 12_345])
        let refs = store.append(series, at: 1000)
        #expect(store.seriesCount == 20_000)
        #expect(refs.count == 20_002)
        #expect(refs[20_000] == refs[7] && refs[20_001] == refs[12_345])
        #expect(Set(refs.map(\.slot)).count == 20_000)
        let seven = store.select([.equal("__name__", "memory"), .equal("pod", "pod-2")])
        #expect(seven.map { $0.samples.map(\.value) } == [[-8]], "the later value of series 7")
        // A second poll finds every series in its slot.
        let again = store.append(Self.batch(20_000, value: { Double($0) * 2 }), at: 2000)
        #expect(again == Array(refs.prefix(20_000)))
        #expect(
            store.select([.equal("__name__", "memory"), .equal("pod", "pod-2")]).map { $0.samples.map(\.value) } == [
                [-8, 14]
            ])
    }

    @Test func aLabelIndexMadeBeforeTheFirstPollCoversIt() {
        let store = SeriesStore(.init(maxSeries: SeriesStore.shardingFrom))
        #expect(store.select([.equal("namespace", "ns-3")]).isEmpty) // indexes `namespace` over no series
        store.append(Self.batch(30_000), at: 1000)
        let found = store.select([.equal("namespace", "ns-3")])
        #expect(found.count == (0..<30_000).filter { $0 % 7 == 3 }.count)
        #expect(found.allSatisfy { $0.labels["namespace"] == "ns-3" })
    }
}
