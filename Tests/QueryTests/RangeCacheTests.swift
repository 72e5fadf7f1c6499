import KubeglassCore
import Synchronization
import Testing

@testable import Query

/// RangeCache over a fake server whose series are pure functions of time, so every answer can be
/// checked against a full query, and each fetch's range is recorded.
@Suite struct RangeCacheTests {
    final class FakeServer: Sendable {
        let fetches = Mutex<[(Int64, Int64)]>([])
        let clock = Mutex<Int64>(0)
        /// Series "a" always exists; "b" only before `bEndsAt`.
        let bEndsAt = Mutex<Int64>(.max)

        func answer(_ start: Int64, _ end: Int64, _ step: Int64) -> QueryValue {
            fetches.withLock { $0.append((start, end)) }
            let now = clock.withLock { $0 }
            let bEnd = bEndsAt.withLock { $0 }
            var a: [Sample] = []
            var b: [Sample] = []
            for t in stride(from: start, through: end, by: Int(step)) {
                // The newest point is still moving: its value depends on when it is asked.
                a.append(Sample(time: t, value: t > now - step ? Double(t) + Double(now % 7) : Double(t)))
                if t < bEnd { b.append(Sample(time: t, value: 1)) }
            }
            var series = [Series(labels: Labels(name: "a"), samples: a)]
            if !b.isEmpty { series.append(Series(labels: Labels(name: "b"), samples: b)) }
            return .matrix(series)
        }
    }

    func points(_ value: QueryValue) -> [String: [Sample]] {
        guard case .matrix(let series) = value else { return [:] }
        return Dictionary(uniqueKeysWithValues: series.map { ($0.labels.name ?? "", $0.samples) })
    }

    @Test func refreshesFetchFromTheLastCompleteStepAndMatchAFullQuery() async throws {
        let server = FakeServer()
        let step: Int64 = 10_000
        var now: Int64 = 1_000_000
        server.clock.withLock { $0 = now }
        let cache = RangeCache(now: { server.clock.withLock { $0 } }) { _, s, e, st in server.answer(s, e, st) }
        _ = try await cache.queryRange("q", start: now - 300_000, end: now, step: step)
        #expect(server.fetches.withLock { $0.last! } == (700_000, 1_000_000))

        for _ in 0..<5 {
            now += 7_000
            server.clock.withLock { $0 = now }
            let cached = try await cache.queryRange("q", start: now - 300_000, end: now, step: step)
            let (s, e) = RangeStep.align(start: now - 300_000, end: now, step: step)
            let (from, to) = server.fetches.withLock { $0.last! }
            #expect(to == e)
            #expect(e - from <= 3 * step, "a refresh asks for a few steps, not \((e - from) / step)")
            #expect(points(cached) == points(server.answer(s, e, step)))
        }
    }

    /// The local store's cache (`finalThroughNow`): a point at or before `now` never changes again, one after it
    /// may. A chart's range, whose end lies just ahead of `now`, is refreshed by its newest step alone; a
    /// sparkline's, whose end is behind `now`, by nothing until a new step is due. Every answer equals a full one.
    @Test func withFinalStepsARefreshFetchesOnlyTheStepsAfterThem() async throws {
        let fetches = Mutex<[(Int64, Int64)]>([])
        let clock = Mutex<Int64>(1_000_000)
        let step: Int64 = 10_000
        @Sendable func answer(_ start: Int64, _ end: Int64) -> QueryValue {
            let now = clock.withLock { $0 }
            let samples = stride(from: start, through: end, by: Int(step)).map { t in
                Sample(time: t, value: t <= now ? Double(t) : Double(t) + Double(now % 97))
            }
            return .matrix([Series(labels: Labels(name: "a"), samples: samples)])
        }
        let cache = RangeCache(finalThroughNow: true, now: { clock.withLock { $0 } }) { _, s, e, _ in
            fetches.withLock { $0.append((s, e)) }
            return answer(s, e)
        }
        var now: Int64 = 1_000_000
        for _ in 0..<25 {
            now += 1_000
            clock.withLock { $0 = now }
            // A chart: the step after now is the newest, and moves.
            let before = fetches.withLock { $0.count }
            let chart = try await cache.queryRange("chart", start: now - 300_000, end: now, step: step)
            let (start, end) = RangeStep.align(start: now - 300_000, end: now, step: step)
            #expect(points(chart) == points(answer(start, end)))
            let chartFetches = fetches.withLock { Array($0[before...]) }
            #expect(chartFetches.count == 1)
            if now > 1_001_000 { #expect(chartFetches.first.map { $0 == (end, end) } ?? false, "\(chartFetches)") }
            // A sparkline: its steps end at or before now.
            let floored = now / step * step
            let sparkBefore = fetches.withLock { $0.count }
            let spark = try await cache.queryRange("spark", start: floored - 300_000, end: floored, step: step)
            #expect(points(spark) == points(answer(floored - 300_000, floored)))
            let sparkFetches = fetches.withLock { $0.count } - sparkBefore
            if now > 1_001_000 { #expect(sparkFetches == (now % step == 0 ? 1 : 0), "at \(now)") }
        }
    }

    /// A server that answers its last 30 s with the value of 30 s before (VictoriaMetrics' latency offset):
    /// without `settle` the cache keeps those copies; with it, every refresh equals a full query.
    @Test func provisionalPointsWithinSettleAreFetchedAgain() async throws {
        let clock = Mutex<Int64>(1_000_000)
        @Sendable func answer(_ start: Int64, _ end: Int64, _ step: Int64) -> QueryValue {
            let edge = clock.withLock { $0 } - 30_000
            let samples = stride(from: start, through: end, by: Int(step)).map {
                Sample(time: $0, value: Double(min($0, edge)))
            }
            return .matrix([Series(labels: Labels(name: "a"), samples: samples)])
        }
        for settle: Int64 in [0, 30_000] {
            clock.withLock { $0 = 1_000_000 }
            let cache = RangeCache(settle: settle, now: { clock.withLock { $0 } }) { _, s, e, st in answer(s, e, st) }
            _ = try await cache.queryRange("q", start: 700_000, end: 1_000_000, step: 5_000)
            var equal = true
            for _ in 0..<6 {
                let now = clock.withLock {
                    $0 += 10_000
                    return $0
                }
                let cached = try await cache.queryRange("q", start: now - 300_000, end: now, step: 5_000)
                let (s, e) = RangeStep.align(start: now - 300_000, end: now, step: 5_000)
                equal = equal && points(cached) == points(answer(s, e, 5_000))
            }
            #expect(equal == (settle > 0), "settle \(settle)")
        }
    }

    @Test func seriesThatEndAndRangesThatJumpBack() async throws {
        let server = FakeServer()
        let step: Int64 = 10_000
        let cache = RangeCache(now: { server.clock.withLock { $0 } }) { _, s, e, st in server.answer(s, e, st) }
        server.clock.withLock { $0 = 1_000_000 }
        server.bEndsAt.withLock { $0 = 760_000 }
        _ = try await cache.queryRange("q", start: 700_000, end: 1_000_000, step: step)
        // The range moves past b's last point: b is gone from the answer, not left empty.
        server.clock.withLock { $0 = 1_070_000 }
        let later = try await cache.queryRange("q", start: 770_000, end: 1_070_000, step: step)
        #expect(points(later).keys.sorted() == ["a"])
        // A range before what the cache holds is a full fetch.
        let earlier = try await cache.queryRange("q", start: 100_000, end: 400_000, step: step)
        #expect(server.fetches.withLock { $0.last! } == (100_000, 400_000))
        #expect(points(earlier) == points(server.answer(100_000, 400_000, step)))
        // Another step is another entry.
        _ = try await cache.queryRange("q", start: 100_000, end: 400_000, step: 20_000)
        #expect(await cache.count == 2)
    }

    @Test func errorsAndNonMatrixAnswersPassThrough() async throws {
        struct Refused: Error {}
        let fail = Mutex(false)
        let cache = RangeCache(now: { 0 }) { _, s, _, _ in
            if fail.withLock({ $0 }) { throw Refused() }
            return .scalar(s, 1)
        }
        guard case .scalar = try await cache.queryRange("1", start: 0, end: 60_000, step: 15_000) else {
            Issue.record("a scalar did not pass through")
            return
        }
        #expect(await cache.count == 0)
        fail.withLock { $0 = true }
        await #expect(throws: Refused.self) { try await cache.queryRange("1", start: 0, end: 60_000, step: 15_000) }
    }

    @Test func theLeastRecentlyUsedGoesFirst() async throws {
        let server = FakeServer()
        let cache = RangeCache(capacity: 2, now: { 1_000_000 }) { _, s, e, st in server.answer(s, e, st) }
        for q in ["x", "y", "x", "z"] { _ = try await cache.queryRange(q, start: 0, end: 60_000, step: 15_000) }
        #expect(await cache.count == 2)
        let before = server.fetches.withLock { $0.count }
        _ = try await cache.queryRange("x", start: 0, end: 60_000, step: 15_000)
        #expect(server.fetches.withLock { $0.count } == before + 1, "x was kept and only refreshed")
        #expect(server.fetches.withLock { $0.last! } != (0, 60_000), "a refresh, not a full fetch")
    }

    @Test func aNewVersionFetchesWhole() async throws {
        let server = FakeServer()
        let version = Mutex<UInt64>(0)
        let cache = RangeCache(now: { 1_000_000 }, version: { version.withLock { $0 } }) { _, s, e, st in
            server.answer(s, e, st)
        }
        _ = try await cache.queryRange("q", start: 700_000, end: 1_000_000, step: 10_000)
        _ = try await cache.queryRange("q", start: 700_000, end: 1_000_000, step: 10_000)
        #expect(server.fetches.withLock { $0.last! } != (700_000, 1_000_000), "the same version refreshes")
        version.withLock { $0 += 1 }
        _ = try await cache.queryRange("q", start: 700_000, end: 1_000_000, step: 10_000)
        #expect(server.fetches.withLock { $0.last! } == (700_000, 1_000_000), "a new version fetches whole")
    }

    @Test func answersBiggerThanThePointBudgetAreNotKept() async throws {
        let server = FakeServer()
        let cache = RangeCache(maximumPoints: 40, now: { 1_000_000 }) { _, s, e, st in server.answer(s, e, st) }
        // 31 points of a and of b: 62, over the budget.
        _ = try await cache.queryRange("big", start: 700_000, end: 1_000_000, step: 10_000)
        #expect(await cache.count == 0)
        // 11 points each: kept; a second such entry would pass the budget, so the older one goes.
        _ = try await cache.queryRange("x", start: 900_000, end: 1_000_000, step: 10_000)
        _ = try await cache.queryRange("y", start: 900_000, end: 1_000_000, step: 10_000)
        #expect(await cache.count == 1)
    }

    /// A table's sparklines name the rows in view: when the top rows change, the old query is never asked
    /// again. It goes once it has been idle for `maximumIdle` of the cache's clock, not at `capacity`.
    @Test func anEntryIdleLongerThanMaximumIdleIsDropped() async throws {
        let server = FakeServer()
        let clock = Mutex<Timestamp>(1_000_000)
        let cache = RangeCache(maximumIdle: 60_000, now: { clock.withLock { $0 } }) { _, s, e, st in
            server.answer(s, e, st)
        }
        for q in ["kept", "dropped"] { _ = try await cache.queryRange(q, start: 700_000, end: 1_000_000, step: 10_000) }
        #expect(await cache.count == 2)
        clock.withLock { $0 = 1_040_000 }
        _ = try await cache.queryRange("kept", start: 740_000, end: 1_040_000, step: 10_000)
        #expect(await cache.count == 2, "40 s idle is within the minute")
        clock.withLock { $0 = 1_080_000 }
        let kept = try await cache.queryRange("kept", start: 780_000, end: 1_080_000, step: 10_000)
        #expect(await cache.count == 1, "80 s idle is past it")
        guard case .matrix(let series) = kept else {
            Issue.record("not a matrix")
            return
        }
        #expect(
            await cache.pointCount == series.reduce(0) { $0 + $1.samples.count },
            "the dropped entry's points are no longer counted")
        let before = server.fetches.withLock { $0.count }
        _ = try await cache.queryRange("dropped", start: 780_000, end: 1_080_000, step: 10_000)
        #expect(server.fetches.withLock { $0.last! } == (780_000, 1_080_000), "asked again, it is fetched whole")
        #expect(server.fetches.withLock { $0.count } == before + 1)
    }
}
