import Collectors
import KubeglassCore
import Query
import Store
import Synchronization
import Testing

/// A scrape target that drops a series: the series leaves instant queries at the next scrape,
/// as in Prometheus, not five minutes later when the lookback runs out.
struct ScrapeStalenessTests {
    final class Exposition: Sendable {
        let text = Mutex("")
    }

    @Test func aDroppedSeriesVanishesFromInstantQueriesAtOnce() async throws {
        let served = Exposition()
        served.text.withLock { $0 = "jobs{queue=\"a\"} 1\njobs{queue=\"b\"} 2\n" }
        let target = ScrapeTarget(labels: ["job": "worker", "instance": "w:9000"], name: "w") {
            ScrapeBody(bytes: Array(served.text.withLock { $0 }.utf8), format: .prometheusText)
        }
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000))
        let clock = ManualClock(1_700_000_000_000)
        let poller = Poller(
            source: ScrapeSource(id: "scrape", displayName: "t") { [target] }, store: store, interval: 15_000,
            clock: clock)
        await poller.pollOnce()
        let engine = PromQLEngine(store: store)
        guard case .vector(let before) = try engine.instantQuery("sum by (job, instance) (jobs)", at: clock.now())
        else {
            Issue.record("not a vector")
            return
        }
        #expect(before.map(\.value) == [3])

        served.text.withLock { $0 = "jobs{queue=\"a\"} 1\n" }
        clock.advance(by: 15_000)
        await poller.pollOnce()
        guard case .vector(let after) = try engine.instantQuery("jobs", at: clock.now() + 1) else {
            Issue.record("not a vector")
            return
        }
        #expect(after.map { $0.labels["queue"] } == ["a"], "queue b is gone 1 ms after the scrape that dropped it")
        guard case .vector(let up) = try engine.instantQuery("up", at: clock.now()) else {
            Issue.record("not a vector")
            return
        }
        #expect(up.map(\.value) == [1])
    }
}
