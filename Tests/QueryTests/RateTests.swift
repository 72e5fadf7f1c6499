import KubeglassCore
import Testing

@testable import Query

/// rate, increase, delta and irate against values worked out by hand from Prometheus' extrapolatedRate.
@Suite struct RateTests {
    /// Samples every 15 s starting at 10 s.
    func engine(_ values: [Double], name: String = "c") -> PromQLEngine {
        let samples = values.enumerated().map { (10 + 15 * Double($0.offset), $0.element) }
        return PromQLEngine(store: makeStore([(Labels(name: name, ["job": "j"]), samples)]))
    }

    @Test func extrapolatesToBothEdgesWhenSamplesAreClose() throws {
        // Window (0, 60]: samples at 10, 25, 40, 55. 10 s to the start and 5 s to the end are both
        // under 1.1 × the 15 s average interval, so the 45 s of data extrapolate to the full 60 s.
        let e = engine([100, 115, 130, 145])
        #expect(try vector(e, "increase(c[1m])", at: 60) == [#"{job="j"}"#: 60])
        #expect(isClose(try vector(e, "rate(c[1m])", at: 60), [#"{job="j"}"#: 1]))
        #expect(try vector(e, "delta(c[1m])", at: 60) == [#"{job="j"}"#: 60])
    }

    @Test func counterExtrapolationStopsAtZero() throws {
        // The counter would reach zero 5 s before the first sample (5 per 15 s from 5), which is
        // nearer than the window start 10 s back: the start is extrapolated by 5 s only.
        let e = engine([5, 20, 35, 50])
        #expect(isClose(try vector(e, "increase(c[1m])", at: 60), [#"{job="j"}"#: 55]))
        let rate = try vector(e, "rate(c[1m])", at: 60)[#"{job="j"}"#]!
        #expect(isClose(rate, 55.0 / 60))
        // delta is not a counter: extrapolated the whole way, (45 + 10 + 5) / 45.
        #expect(try vector(e, "delta(c[1m])", at: 60) == [#"{job="j"}"#: 60])
    }

    @Test func samplesFarFromTheEdgeExtrapolateByHalfAnInterval() throws {
        // Window (0, 120]: the last sample (55 s) is 65 s from the end, beyond 16.5 s: only 7.5 s added.
        let e = engine([100, 115, 130, 145])
        let increase = try vector(e, "increase(c[2m])", at: 120)[#"{job="j"}"#]!
        #expect(isClose(increase, 45 * (45 + 10 + 7.5) / 45))
        let rate = try vector(e, "rate(c[2m])", at: 120)[#"{job="j"}"#]!
        #expect(isClose(rate, 62.5 / 120))
    }

    @Test func counterResetsAreAddedBack() throws {
        // 100 → 115 → reset → 5 → 20: the increase seen is 15 + 5 + 15 = 35, extrapolated by 60/45.
        let e = engine([100, 115, 5, 20])
        let increase = try vector(e, "increase(c[1m])", at: 60)[#"{job="j"}"#]!
        #expect(isClose(increase, 35 * 60 / 45))
        // delta ignores resets: (20 - 100) × 60/45.
        let delta = try vector(e, "delta(c[1m])", at: 60)[#"{job="j"}"#]!
        #expect(isClose(delta, -80 * 60 / 45))
    }

    @Test func irateUsesTheLastTwoSamples() throws {
        #expect(try vector(engine([100, 115, 130, 160]), "irate(c[1m])", at: 60) == [#"{job="j"}"#: 2])
        // After a reset the last value is the increase: 5 over 15 s.
        let afterReset = try vector(engine([100, 115, 130, 5]), "irate(c[1m])", at: 60)[#"{job="j"}"#]!
        #expect(isClose(afterReset, 5.0 / 15))
        #expect(try vector(engine([100, 115, 130, 5]), "idelta(c[1m])", at: 60) == [#"{job="j"}"#: -125])
    }

    @Test func oneSampleGivesNothing() throws {
        #expect(try vector(engine([100]), "rate(c[1m])", at: 60).isEmpty)
        #expect(try vector(engine([100]), "irate(c[1m])", at: 60).isEmpty)
    }

    @Test func windowsExcludeTheirStart() throws {
        // At t = 70 the window (10, 70] no longer holds the sample at 10 s: 3 samples remain.
        let e = engine([100, 115, 130, 145])
        #expect(try vector(e, "count_over_time(c[1m])", at: 70) == [#"{job="j"}"#: 3])
        #expect(try vector(e, "count_over_time(c[1m])", at: 69.999) == [#"{job="j"}"#: 4])
    }

    @Test func offsetShiftsTheWindow() throws {
        let e = engine([100, 115, 130, 145, 175, 205])
        // At 120 with offset 1m the window is (0, 60], as in the first test.
        #expect(try vector(e, "increase(c[1m] offset 1m)", at: 120) == [#"{job="j"}"#: 60])
        #expect(try vector(e, "c offset 1m", at: 120) == [#"c{job="j"}"#: 145])
    }

    @Test func overTimeFunctions() throws {
        let e = engine([3, 1, 4, 1, 5]) // at 10, 25, 40, 55, 70
        let at = 70.0
        let job = #"{job="j"}"#
        #expect(try vector(e, "avg_over_time(c[1m30s])", at: at)[job] == 14.0 / 5)
        #expect(try vector(e, "sum_over_time(c[1m30s])", at: at)[job] == 14)
        #expect(try vector(e, "min_over_time(c[1m30s])", at: at)[job] == 1)
        #expect(try vector(e, "max_over_time(c[1m30s])", at: at)[job] == 5)
        #expect(try vector(e, "count_over_time(c[1m30s])", at: at)[job] == 5)
        #expect(try vector(e, "last_over_time(c[1m30s])", at: at) == [#"c{job="j"}"#: 5])
        #expect(try vector(e, "quantile_over_time(0.5, c[1m30s])", at: at)[job] == 3)
        #expect(try vector(e, "quantile_over_time(0.25, c[1m30s])", at: at)[job] == 1)
        let sd = try vector(e, "stddev_over_time(c[1m30s])", at: at)[job]!
        let meanOfSquares: Double = (9 + 1 + 16 + 1 + 25) / 5
        let expected: Double = (meanOfSquares - 2.8 * 2.8).squareRoot()
        #expect(isClose(sd, expected))
        #expect(try vector(e, "changes(c[1m30s])", at: at)[job] == 4)
        #expect(try vector(e, "resets(c[1m30s])", at: at)[job] == 2)
    }
}
