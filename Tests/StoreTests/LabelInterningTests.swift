import KubeglassCore
import Testing

@testable import Store

/// Label strings are stored once per shard (`LabelTable`): a pod's name for its series, a node's name
/// for its pods, whichever poll made them; and each copy goes with the last series that holds it.
struct LabelInterningTests {
    /// A string built at run time (its own heap copy each call), longer than Swift keeps inline.
    static func fresh(_ s: String) -> String { String(decoding: Array(s.utf8), as: UTF8.self) }

    static func pod(_ name: String, node: String, metric: String) -> Labels {
        Labels(name: metric, ["pod": fresh(name), "node": fresh(node), "namespace": fresh("monitoring-system-x")])
    }

    static func storage(_ s: String) -> UnsafeRawPointer? {
        var s = s
        return s.withUTF8 { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test func aPodsStringsAndPairsAreStoredOnceWhicheverPollMadeThem() throws {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, tiers: []))
        // Each series made apart, in separate polls: no array or string shared on the way in.
        store.append(
            Self.pod("web-7d9f8c6b5-abcde", node: "gke-pool-1-node-0001", metric: "cpu"), Sample(time: 0, value: 1))
        store.append([(Self.pod("web-7d9f8c6b5-abcde", node: "gke-pool-1-node-0001", metric: "memory"), 2)], at: 1000)
        store.append([(Self.pod("api-5f6d7e8f9-vwxyz", node: "gke-pool-1-node-0001", metric: "cpu"), 3)], at: 2000)
        let sets = store.labelSets()
        #expect(sets.count == 3)
        let web = sets.filter { $0["pod"] == "web-7d9f8c6b5-abcde" }
        #expect(web.count == 2)
        #expect(web[0].sharesPairs(with: web[1]), "a pod's series share one array of pairs")
        let api = try #require(sets.first { $0["pod"] == "api-5f6d7e8f9-vwxyz" })
        #expect(!api.sharesPairs(with: web[0]))
        #expect(Self.storage(api["node"]!) == Self.storage(web[0]["node"]!), "a node's name is stored once")
        #expect(Self.storage(api["namespace"]!) == Self.storage(web[1]["namespace"]!))
        #expect(store.shards[0].withLock { ($0.labelTable.distinctPairs, $0.labelTable.distinctStrings) } == (2, 4))
        // Reads see the same label sets as before interning.
        #expect(store.select([.equal("pod", "web-7d9f8c6b5-abcde")]).map(\.labels.name) == ["cpu", "memory"])
        #expect(store.select([.equal("node", "gke-pool-1-node-0001")]).count == 3)
        #expect(
            store.select([.equal("__name__", "cpu")]).map(\.labels)
                == [
                    Self.pod("api-5f6d7e8f9-vwxyz", node: "gke-pool-1-node-0001", metric: "cpu"),
                    Self.pod("web-7d9f8c6b5-abcde", node: "gke-pool-1-node-0001", metric: "cpu"),
                ])
    }

    @Test func copiesGoWithTheirLastSeries() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        // 100 pods of 20 series: a first poll this big is appended all at once (`appendToEmpty`).
        let first = (0..<2_000).map {
            (
                labels: Self.pod(
                    "batch-job-\($0 / 20)-abcdefgh", node: "gke-pool-1-node-\($0 / 20 % 3)", metric: "m\($0 % 20)"),
                value: 1.0
            )
        }
        store.append(first, at: 0)
        #expect(store.shards[0].withLock { $0.labelTable.distinctPairs } == 100)
        store.append([(Self.pod("late-pod-1234567890", node: "gke-pool-1-node-9", metric: "cpu"), 1)], at: 20_000)
        store.prune(now: 20_000) // the first poll's series are silent past retention: they go
        #expect(store.seriesCount == 1)
        let (pairs, strings) = store.shards[0].withLock { ($0.labelTable.distinctPairs, $0.labelTable.distinctStrings) }
        #expect(pairs == 1 && strings == 3, "only the late pod's pod, node and namespace are left")
        // A series that comes back gets stored copies again.
        store.append(first, at: 21_000)
        #expect(store.seriesCount == 2_001)
        #expect(store.shards[0].withLock { $0.labelTable.distinctPairs } == 101)
        store.removeAll()
        #expect(store.shards[0].withLock { $0.labelTable.distinctPairs } == 0)
    }

    @Test func theShardedStoreInternsInEachShard() {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: SeriesStore.shardingFrom))
        let batch = (0..<4_000).map {
            (
                labels: Self.pod(
                    "deployment-pod-\($0 / 20)", node: "gke-pool-1-node-\($0 / 20 % 7)", metric: "metric_\($0 % 20)"),
                value: Double($0)
            )
        }
        store.append(batch, at: 0)
        store.append(
            batch.map {
                (Self.pod($0.labels["pod"]!, node: $0.labels["node"]!, metric: $0.labels.name!), $0.value + 1)
            }, at: 1000)
        #expect(store.seriesCount == 4_000)
        let pairs = store.shards.reduce(0) { total, shard in total + shard.withLock { $0.labelTable.distinctPairs } }
        #expect(pairs == 200, "one array of pairs a pod")
        let use = store.heapUse
        #expect(use.series == 4_000)
        #expect(use.labelPairs > 0 && use.labelStrings > 0 && use.entries > 0 && use.slotTable > 0)
        for series in store.select([.equal("pod", "deployment-pod-7")]) {
            #expect(
                series.samples.map(\.value) == [
                    Double(7 * 20 + Int(series.labels.name!.dropFirst(7))!),
                    Double(7 * 20 + Int(series.labels.name!.dropFirst(7))!) + 1,
                ])
        }
    }
}
