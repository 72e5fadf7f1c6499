import KubeglassCore
import Store
import Testing

@testable import Query

/// The local backend's range cache: refresh after refresh, with polls arriving in between, its answers
/// equal the engine's over the whole range, while it evaluates only the newest steps.
@Suite struct LocalRangeCacheTests {
    static let interval: Int64 = 5_000
    static let start: Timestamp = 1_700_000_000_000 / 60_000 * 60_000

    /// One poll: every pod's counter and gauge at `t` (pod "c" only after its first half hour).
    static func poll(_ store: SeriesStore, at t: Timestamp) {
        var series: [(labels: Labels, value: Double)] = []
        for pod in ["a", "b", "c"] where pod != "c" || t >= start + 30 * Milliseconds.minute {
            let k = Double(pod.unicodeScalars.first!.value)
            series.append((Labels(["__name__": "c_total", "pod": pod]), Double((t - start) / 1000) * k))
            series.append(
                (Labels(["__name__": "g", "pod": pod]), (Double(t / interval) * k).truncatingRemainder(dividingBy: 97)))
        }
        store.append(series, at: t)
    }

    /// A store polled every interval from `fromMinute` to `toMinute` after `start`, and the next poll's time.
    static func polled(fromMinute: Int64, toMinute: Int64) -> (SeriesStore, Timestamp) {
        let store = SeriesStore(.init(retention: 2 * Milliseconds.hour, interval: interval))
        var t = start + fromMinute * Milliseconds.minute
        while t < start + toMinute * Milliseconds.minute {
            poll(store, at: t)
            t += interval
        }
        return (store, t)
    }

    /// What a panel asks: an hour ending at the next step boundary (as `PanelEvaluator` does).
    static func window(now: Timestamp, step: Int64) -> (Timestamp, Timestamp) {
        let end = (now + step - 1) / step * step
        return (end - Milliseconds.hour / step * step, end)
    }

    static func points(_ value: QueryValue) -> [Labels: [Sample]] {
        guard case .matrix(let series) = value else { return [:] }
        return Dictionary(uniqueKeysWithValues: series.map { ($0.labels, $0.samples) })
    }

    static let queries = [
        "sum(rate(c_total[1m]))", "g", "max by (pod) (g) * 2", "sum(g) / count(g)", "max_over_time(g[3m])",
    ]

    @Test func refreshesAnswerAsTheWholeRangeDoes() async throws {
        let (store, next) = Self.polled(fromMinute: 0, toMinute: 40)
        var t = next
        let engine = PromQLEngine(store: store)
        let backend = LocalBackend(engine: engine, minimumStep: Self.interval)
        let uncached = LocalBackend(engine: engine, minimumStep: Self.interval, caching: false)
        let step: Int64 = 20_000
        for round in 0..<30 {
            for query in Self.queries {
                let (s, e) = Self.window(now: t, step: step)
                let cached = try await backend.rangeQuery(query, start: s, end: e, step: step, ordered: false)
                let whole = try await uncached.rangeQuery(query, start: s, end: e, step: step, ordered: false)
                #expect(Self.points(cached) == Self.points(whole), "\(query) at round \(round)")
                #expect(!Self.points(whole).isEmpty)
            }
            Self.poll(store, at: t)
            t += Self.interval
        }
        #expect(await backend.caches[0].count == Self.queries.count)
    }

    @Test func refreshesEvaluateOnlyTheNewestSteps() async throws {
        let (store, next) = Self.polled(fromMinute: 0, toMinute: 20)
        var t = next
        let engine = PromQLEngine(store: store)
        let asked = Asked()
        let cache = RangeCache(
            now: { store.newestVisibleTime - Self.interval }, version: { store.rewrites },
            fetch: { query, start, end, step in
                await asked.note(start, end, step)
                return try engine.rangeQuery(query, start: start, end: end, step: step)
            })
        let step: Int64 = 20_000
        for round in 0..<10 {
            let (s, e) = Self.window(now: t, step: step)
            _ = try await cache.queryRange("g", start: s, end: e, step: step)
            let steps = await asked.lastSteps
            if round == 0 {
                #expect(steps == Int(Milliseconds.hour / step) + 1)
            } else {
                #expect(steps <= 4, "round \(round) evaluated \(steps) steps")
            }
            Self.poll(store, at: t)
            t += Self.interval
        }
    }

    /// History written into the past (a backfill, saved history) changes points the cache took as final.
    @Test func writesIntoThePastAreNotHiddenByTheCache() async throws {
        let (store, t) = Self.polled(fromMinute: 30, toMinute: 50)
        let engine = PromQLEngine(store: store)
        let backend = LocalBackend(engine: engine, minimumStep: Self.interval)
        let uncached = LocalBackend(engine: engine, minimumStep: Self.interval, caching: false)
        let step: Int64 = 20_000
        let (s, e) = Self.window(now: t, step: step)
        let before = try await backend.rangeQuery("sum(g)", start: s, end: e, step: step)
        let rewrites = store.rewrites
        // Another series' older half hour arrives late.
        var old = Self.start
        while old < Self.start + 30 * Milliseconds.minute {
            store.append(Labels(["__name__": "g", "pod": "late"]), Sample(time: old, value: 1000))
            old += Self.interval
        }
        #expect(store.rewrites > rewrites)
        let after = try await backend.rangeQuery("sum(g)", start: s, end: e, step: step)
        let whole = try await uncached.rangeQuery("sum(g)", start: s, end: e, step: step)
        #expect(Self.points(after) == Self.points(whole))
        #expect(Self.points(after) != Self.points(before))
    }

    /// A window reaching back into the rollups is read at their level over its whole range: its newest steps,
    /// evaluated alone on each refresh, must be read at that level too, or they differ from the whole's. And
    /// the past it keeps must not change as raw samples roll up: pod "c" is born at minute 30, with 10 minutes
    /// of raw retention, so its first samples roll up during these rounds (a young series read raw at level
    /// 1, then as buckets, changed its past until it read as buckets from the start).
    @Test func aWindowIntoTheRollupsRefreshesAtItsLevel() async throws {
        let store = SeriesStore(.init(retention: 10 * Milliseconds.minute, interval: Self.interval))
        var t = Self.start
        while t < Self.start + 40 * Milliseconds.minute {
            Self.poll(store, at: t)
            t += Self.interval
        }
        let engine = PromQLEngine(store: store)
        let backend = LocalBackend(engine: engine, minimumStep: Self.interval)
        let uncached = LocalBackend(engine: engine, minimumStep: Self.interval, caching: false)
        let step = Milliseconds.minute
        for round in 0..<12 {
            let (s, e) = Self.window(now: t, step: step)
            #expect(engine.level(start: s, end: e, step: step) == 1, "the hour reaches past the raw 10 minutes")
            for query in Self.queries {
                let cached = try await backend.rangeQuery(query, start: s, end: e, step: step, ordered: false)
                let whole = try await uncached.rangeQuery(query, start: s, end: e, step: step, ordered: false)
                let a = Self.points(cached)
                let b = Self.points(whole)
                var diff: [String] = []
                for (labels, samples) in b {
                    for x in samples
                    where !(a[labels] ?? []).contains(where: {
                        $0.time == x.time && $0.value.bitPattern == x.value.bitPattern
                    }) {
                        diff.append(
                            "\(labels) t-\((e - x.time) / 1000)s whole \(x.value) cached \((a[labels] ?? []).first { $0.time == x.time }?.value ?? .nan)"
                        )
                    }
                }
                #expect(a == b, "\(query) at round \(round): \(diff.prefix(4))")
            }
            Self.poll(store, at: t)
            t += Self.interval
        }
        #expect(await backend.caches[1].count == Self.queries.count)
    }

    @Test func nothingIsKeptBeforeTheFirstPoll() async throws {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: Self.interval))
        let backend = LocalBackend(engine: PromQLEngine(store: store), minimumStep: Self.interval)
        _ = try await backend.rangeQuery("g", start: Self.start, end: Self.start + 60_000, step: 10_000)
        #expect(await backend.caches[0].count == 0)
        Self.poll(store, at: Self.start)
        _ = try await backend.rangeQuery("g", start: Self.start, end: Self.start + 60_000, step: 10_000)
        #expect(await backend.caches[0].count == 1)
        // A query pinned with `@` is evaluated whole, never kept.
        _ = try await backend.rangeQuery(
            "g @ \(Self.start / 1000)", start: Self.start, end: Self.start + 60_000, step: 10_000)
        #expect(await backend.caches[0].count == 1)
    }

    actor Asked {
        var lastSteps = 0
        func note(_ start: Timestamp, _ end: Timestamp, _ step: Int64) { lastSteps = Int((end - start) / step) + 1 }
    }
}
