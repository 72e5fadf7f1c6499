import KubeglassCore
import Store
import Testing

struct SeriesStoreTests {
    func cpu(_ pod: String, ns: String = "default") -> Labels {
        Labels(name: "cpu", ["pod": pod, "namespace": ns])
    }

    @Test func selectsByNameAndMatchers() throws {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, tiers: []))
        store.append(cpu("a"), Sample(time: 1000, value: 1))
        store.append(cpu("b"), Sample(time: 1000, value: 2))
        store.append(cpu("c", ns: "kube-system"), Sample(time: 1000, value: 3))
        store.append(Labels(name: "mem", ["pod": "a"]), Sample(time: 1000, value: 9))

        let all = store.select([.equal("__name__", "cpu")])
        #expect(all.map { $0.labels["pod"] } == ["a", "b", "c"])
        let ks = store.select([.equal("__name__", "cpu"), try LabelMatcher("namespace", .notEqual, "default")])
        #expect(ks.map { $0.labels["pod"] } == ["c"])
        let re = store.select([try LabelMatcher("pod", .regex, "a|c")])
        #expect(re.count == 3) // cpu a, cpu c, mem a
        #expect(store.metricNames() == ["cpu", "mem"])
    }

    @Test func theOldestHeldTimeFollowsWhatIsWrittenAndWhatAgesOut() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        #expect(store.oldestHeldTime == nil)
        store.append([(cpu("a"), 5)], at: 50_000)
        #expect(store.oldestHeldTime == 50_000)
        store.append(cpu("b"), Sample(time: 42_000, value: 1))
        #expect(store.oldestHeldTime == 42_000, "an older sample (a backfill) moves it back")
        store.append([(cpu("a"), 5)], at: 70_000)
        #expect(store.oldestHeldTime == 60_000, "past the store's history (10 s), the samples aged out")
        store.removeAll()
        #expect(store.oldestHeldTime == nil)
        // Rollups keep history longer than the raw samples.
        let rolled = SeriesStore(
            .init(retention: 10_000, interval: 1000, tiers: [.init(width: 60_000, span: 3_600_000)]))
        rolled.append([(cpu("a"), 5)], at: 0)
        rolled.append([(cpu("a"), 5)], at: 600_000)
        #expect(rolled.oldestHeldTime == 0)
    }

    @Test func boundedPerSeriesAndOrdered() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        #expect(store.configuration.samplesPerSeries == 11)
        for t in stride(from: Int64(0), to: 100_000, by: 1000) {
            store.append(cpu("a"), Sample(time: t, value: Double(t)))
        }
        let s = store.select([.equal("pod", "a")])[0]
        #expect(s.samples.count == 11)
        #expect(s.samples.first?.time == 89_000 && s.samples.last?.time == 99_000)
        // Out of order: ignored. Same time: replaced.
        store.append(cpu("a"), Sample(time: 50_000, value: -1))
        store.append(cpu("a"), Sample(time: 99_000, value: 7))
        let again = store.select([.equal("pod", "a")])[0]
        #expect(again.samples.count == 11 && again.samples.last?.value == 7)
    }

    @Test func timeWindow() {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, tiers: []))
        for t in stride(from: Int64(0), through: 10_000, by: 1000) { store.append(cpu("a"), Sample(time: t, value: 1)) }
        let s = store.select([.equal("pod", "a")], from: 3000, to: 5000)[0]
        #expect(s.samples.map(\.time) == [3000, 4000, 5000])
        #expect(store.select([.equal("pod", "a")], from: 20_000, to: 30_000)[0].samples.isEmpty)
    }

    @Test func seriesCountIsBounded() {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: 100, tiers: []))
        for i in 0..<1000 { store.append(cpu("p\(i)"), Sample(time: Int64(i), value: 1)) }
        #expect(store.seriesCount == 100)
        // The most recently written survive.
        #expect(store.select([.equal("pod", "p999")]).count == 1)
        #expect(store.select([.equal("pod", "p0")]).isEmpty)
    }

    @Test func aPollBiggerThanTheStoreKeepsItsFirstSeriesAndEvictsOnlyOlderOnes() {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: 1000, tiers: []))
        let poll = { (n: Int) in (0..<n).map { (labels: cpu("p\($0)"), value: Double($0)) } }
        // 3,000 series at one time into room for 1,000: the first 1,000 stay; the rest are not kept,
        // rather than each evicting one written a moment before (which also churned for seconds).
        let refs = store.append(poll(3000), at: 1000)
        #expect(store.seriesCount == 1000)
        #expect(refs.prefix(1000).allSatisfy(\.isKept) && refs.dropFirst(1000).allSatisfy { !$0.isKept })
        #expect(store.select([.equal("pod", "p0")]).count == 1 && store.select([.equal("pod", "p2999")]).isEmpty)
        // A later poll of other series evicts the now older ones; stale markers skip what was not kept.
        store.appendStaleMarkers(refs, at: 1500)
        let later = store.append((5000..<5500).map { (labels: cpu("p\($0)"), value: 1) }, at: 2000)
        #expect(later.allSatisfy(\.isKept) && store.seriesCount == 1000)
        #expect(store.select([.equal("pod", "p5499")]).count == 1)
        #expect(store.select([.equal("__name__", "cpu")]).count == 1000)
    }

    @Test func pruneDropsSilentSeriesAndReusesSlots() {
        let store = SeriesStore(.init(retention: 10_000, interval: 1000, tiers: []))
        store.append(cpu("old"), Sample(time: 0, value: 1))
        store.append(cpu("new"), Sample(time: 50_000, value: 1))
        store.prune(now: 55_000)
        #expect(store.seriesCount == 1)
        #expect(store.select([.equal("__name__", "cpu")]).map { $0.labels["pod"] } == ["new"])
        store.append(cpu("again"), Sample(time: 56_000, value: 2))
        #expect(store.seriesCount == 2)
        #expect(store.select([.equal("pod", "again")])[0].samples.map(\.value) == [2])
        #expect(store.labelSets(metric: "cpu").count == 2)
    }
}
