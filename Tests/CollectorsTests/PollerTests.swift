import Collectors
import DemoCluster
import KubeClient
import KubeglassCore
import Store
import Testing

/// A source that fails on demand and reports whatever series it is told to.
final class ScriptedSource: MetricSource, @unchecked Sendable {
    var id: String { "scripted" }
    var displayName: String { "scripted" }
    var fail = false
    var series: [String] = ["a", "b"]

    func poll(at time: Timestamp) async throws -> SampleBatch {
        struct Down: Error, CustomStringConvertible { var description: String { "connection refused" } }
        if fail { throw Down() }
        var b = SampleBatch(time: time)
        for s in series { b.add("x", ["id": s], Double(time)) }
        return b
    }
}

struct PollerTests {
    @Test func pollsOnScheduleAreStampedWithTheirScheduledTime() async {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000))
        let clock = ManualClock(10_000)
        let poller = Poller(source: ScriptedSource(), store: store, interval: 1000, clock: clock)
        await poller.pollOnce()
        clock.set(11_007) // 7 ms late: within the tolerance, stamped 11,000
        await poller.pollOnce()
        clock.set(12_100) // 100 ms late: its own time
        await poller.pollOnce()
        clock.set(12_600) // early (a refresh key): its own time
        await poller.pollOnce()
        let times = store.select([.equal("id", "a")])[0].samples.map(\.time)
        #expect(times == [10_000, 11_000, 12_100, 12_600])
        #expect(await poller.currentHealth.nextPoll == 13_600, "a fixed rate from the last poll's stamp")
    }

    @Test func writesSamplesAndMarksVanishedSeriesStale() async {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000))
        let clock = ManualClock(10_000)
        let source = ScriptedSource()
        let poller = Poller(source: source, store: store, interval: 1000, clock: clock)
        let h = await poller.pollOnce()
        #expect(h.state == .ok && h.lastSuccess == 10_000)
        source.series = ["a"]
        clock.advance(by: 1000)
        await poller.pollOnce()
        let b = store.select([.equal("id", "b")])[0]
        #expect(b.samples.count == 2)
        #expect(b.samples.last!.isStaleMarker, "b vanished: it gets a staleness marker")
        #expect(store.select([.equal("id", "a")])[0].samples.map(\.value) == [10_000, 11_000])
    }

    @Test func aFullStoreIsAWarningThatNamesTheLimit() async {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000, maxSeries: 1000))
        let source = ScriptedSource()
        source.series = (0..<1500).map { "s\($0)" }
        let poller = Poller(source: source, store: store, interval: 1000, clock: ManualClock(10_000))
        let h = await poller.pollOnce()
        #expect(h.state == .ok)
        #expect(h.warnings == ["store full: 500 of 1500 series not kept (--max-series 1000)"])
        #expect(store.seriesCount == 1000)
    }

    @Test func failuresBackOffKeepDataAndRecover() async {
        let store = SeriesStore(.init(retention: 60_000, interval: 1000))
        let clock = ManualClock(0)
        let source = ScriptedSource()
        let poller = Poller(source: source, store: store, interval: 1000, clock: clock)
        await poller.pollOnce()
        source.fail = true
        var delays: [Int64] = []
        for _ in 0..<9 {
            clock.advance(by: 1000)
            let h = await poller.pollOnce()
            #expect(h.state == .failing && h.lastError == "connection refused" && h.lastSuccess == 0)
            delays.append(h.nextPoll! - clock.now())
        }
        #expect(delays == [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
        #expect(store.select([.equal("id", "a")])[0].samples.count == 1, "the last good data stays")
        let h0 = await poller.currentHealth
        #expect(h0.staleAge(now: clock.now(), interval: 1000) == 9000)
        source.fail = false
        let h = await poller.pollOnce()
        #expect(h.state == .ok && h.consecutiveFailures == 0 && h.nextPoll! - clock.now() == 1000)
    }

    @Test func demoSourceHistoryFillsTheWindow() async throws {
        let cluster = ClusterModel(.init(nodes: 3, pods: 30))
        let source = DemoClusterSource(cluster: cluster)
        let store = SeriesStore(.init(retention: 600_000, interval: 5000))
        let clock = ManualClock(cluster.createdAt)
        let poller = Poller(source: source, store: store, interval: 5000, clock: clock)
        await poller.start(history: 600_000)
        let node = store.select([.equal("__name__", SeriesNames.nodeCPUUsage), .equal("node", "node-01")])[0]
        #expect(node.samples.first!.time == cluster.createdAt - 600_000)
        #expect(node.samples.count > 100)
        #expect(store.select([.equal("__name__", SeriesNames.podInfo)]).count >= 30)
    }

    /// A source with history that notes what it was asked for.
    final class HistorySource: MetricSource, @unchecked Sendable {
        var id: String { "history" }
        var displayName: String { "history" }
        var asked: [(from: Timestamp, to: Timestamp, step: Int64)] = []
        func poll(at time: Timestamp) async throws -> SampleBatch {
            var b = SampleBatch(time: time)
            b.add("x", ["id": "a"], Double(time))
            return b
        }
        func history(from: Timestamp, to: Timestamp, step: Int64) async throws -> [SampleBatch] {
            asked.append((from, to, step))
            return stride(from: from, to: to, by: Int(step)).map { time in
                var b = SampleBatch(time: time)
                b.add("x", ["id": "a"], Double(time))
                return b
            }
        }
    }

    /// The backfill is asked for a few steps at a time, each piece stored before the next is made (the demo's
    /// hour at once was most of the dashboard's peak memory at start), and the pieces add up to the whole
    /// window: every step once, in order, none past now.
    @Test(arguments: [600_000, 3_600_000, 3_599_000]) func historyComesInPiecesThatMakeTheWholeWindow(
        history: Int64
    ) async {
        let source = HistorySource()
        let store = SeriesStore(.init(retention: 3_600_000, interval: 5000))
        let now: Timestamp = 1_000_000_000
        let poller = Poller(source: source, store: store, interval: 5000, clock: ManualClock(now))
        await poller.start(history: history)
        let step = max(5000, history / 240)
        #expect(source.asked.count > 1)
        #expect(source.asked.allSatisfy { $0.step == step && ($0.to - $0.from) <= 16 * step && $0.to <= now })
        let times = store.select([.equal("id", "a")])[0].samples.map(\.time)
        #expect(times == Array(stride(from: now - history, to: now, by: Int(step))) + [now])
    }

    /// The demo's namespace series add up to its pods' series: pods by status, requests and limits.
    @Test func demoNamespaceTotalsAddUpToItsPods() {
        let cluster = ClusterModel(.init(nodes: 12, pods: 300))
        let source = DemoClusterSource(cluster: cluster)
        // Late enough that some pods crash-loop, finish or wait.
        let batch = source.snapshot(at: cluster.createdAt + Milliseconds.hour)
        func series(_ name: String) -> [(labels: Labels, value: Double)] {
            batch.series.filter { $0.labels.name == name }
        }
        func sum(_ name: String) -> Double { series(name).reduce(0) { $0 + $1.value } }
        var byStatus: [String: Double] = [:]
        for s in series(SeriesNames.podInfo) { byStatus[s.labels["status"]!, default: 0] += 1 }
        var namespaceByStatus: [String: Double] = [:]
        for s in series(SeriesNames.namespacePodsByStatus) {
            namespaceByStatus[s.labels["status"]!, default: 0] += s.value
        }
        #expect(byStatus.count > 2, "running, completed and more: \(byStatus)")
        #expect(namespaceByStatus == byStatus)
        for (pods, namespaces) in [
            (SeriesNames.podCPULimits, SeriesNames.namespaceCPULimits),
            (SeriesNames.podMemoryLimits, SeriesNames.namespaceMemoryLimits),
            (SeriesNames.podCPURequests, SeriesNames.namespaceCPURequests),
        ] {
            #expect(sum(pods) > 0 && abs(sum(pods) - sum(namespaces)) <= 1e-9 * sum(pods), "\(namespaces)")
        }
    }
}
