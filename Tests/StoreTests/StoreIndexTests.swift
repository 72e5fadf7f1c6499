import KubeglassCore
import Store
import Testing

/// The label index is built on the first query that matches on a label and kept up to date after.
struct StoreIndexTests {
    func cpu(_ pod: String, ns: String) -> Labels { Labels(name: "cpu", ["pod": pod, "namespace": ns]) }

    func pods(_ store: SeriesStore, ns: String) -> [String] {
        store.select([.equal("namespace", ns)]).compactMap { $0.labels["pod"] }
    }

    @Test func indexFollowsAppendsRemovalsAndReusedSlots() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        store.append(cpu("a", ns: "x"), Sample(time: 0, value: 1))
        store.append(cpu("b", ns: "y"), Sample(time: 5_000, value: 1))
        #expect(pods(store, ns: "x") == ["a"]) // builds the namespace index
        store.append(cpu("c", ns: "x"), Sample(time: 6_000, value: 1))
        #expect(pods(store, ns: "x") == ["a", "c"]) // kept up to date
        store.prune(now: 12_000) // drops a (silent since 0)
        #expect(pods(store, ns: "x") == ["c"])
        store.append(cpu("d", ns: "y"), Sample(time: 13_000, value: 1)) // takes a's slot
        #expect(pods(store, ns: "x") == ["c"])
        #expect(pods(store, ns: "y") == ["b", "d"])
        #expect(store.select([.equal("pod", "d")]).count == 1) // a second index, built late
        #expect(store.select([.equal("pod", "a")]).isEmpty)
        #expect(store.select([.equal("__name__", "cpu"), .equal("pod", "d"), .equal("namespace", "x")]).isEmpty)
        #expect(store.seriesCount == 3 && store.seriesCount(metric: "cpu") == 3)
    }

    @Test func batchReferencesFindTheirSeriesUntilItIsRemoved() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        let series: [(labels: Labels, value: Double)] = [(cpu("a", ns: "x"), 1), (cpu("b", ns: "x"), 2)]
        let first = store.append(series, at: 1_000)
        let again = store.append(series, at: 2_000)
        #expect(first == again, "the same series keep their references")
        #expect(first[0] != first[1])
        store.appendStaleMarkers([first[1]], at: 3_000)
        #expect(store.select([.equal("pod", "b")])[0].samples.last!.isStaleMarker)
        #expect(!store.select([.equal("pod", "a")])[0].samples.last!.isStaleMarker)

        store.append([(cpu("c", ns: "x"), 3)], at: 20_000)
        store.prune(now: 20_000) // a and b go; c stays
        let reused = store.append([(cpu("e", ns: "x"), 4)], at: 20_000)
        #expect(reused[0].slot == first[0].slot || reused[0].slot == first[1].slot, "a freed slot is reused")
        store.appendStaleMarkers(first, at: 21_000) // both refer to removed series: nothing happens
        #expect(store.select([.equal("pod", "e")])[0].samples.map(\.value) == [4])
        #expect(store.seriesCount == 2)
    }

    @Test func theLimitEvictsTheLongestSilentEvenAfterWritesSinceTheLastScan() {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: 32, tiers: []))
        for i in 0..<32 { store.append(cpu("p\(i)", ns: "x"), Sample(time: Int64(i), value: 1)) }
        store.append(cpu("new0", ns: "x"), Sample(time: 100, value: 1)) // evicts p0, remembers the next oldest
        store.append(cpu("p1", ns: "x"), Sample(time: 101, value: 1)) // p1 speaks again: it must stay
        store.append(cpu("new1", ns: "x"), Sample(time: 102, value: 1))
        store.append(cpu("new2", ns: "x"), Sample(time: 103, value: 1))
        #expect(store.seriesCount == 32)
        let kept = Set(store.select([.equal("__name__", "cpu")]).compactMap { $0.labels["pod"] })
        #expect(kept.contains("p1") && !kept.contains("p0") && !kept.contains("p2") && !kept.contains("p3"))
        #expect(kept.contains("p4") && kept.contains("new2"))
    }
}
