import KubeglassCore
import Store
import TestSupport
import Testing

@testable import Query

/// PromQL over days of history: the engine reads the rollup tiers a chart's step prefers, each function
/// the aggregate it needs, and widens lookback and windows to whole buckets.
@Suite struct RollupQueryTests {
    static let start: Timestamp = 1_700_000_000_000 / 600_000 * 600_000
    static let end = start + 3 * Milliseconds.day
    static let spikeAt = start + Milliseconds.day + 7 * 60_000 + 15_000

    /// Three days at 15 s: a counter at 3 per second that resets every two hours, and a gauge cycling
    /// 0…39 with one spike to 1000.
    static let store: SeriesStore = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 15_000))
        var t = start
        var counter = 0.0
        while t < end {
            counter = (t - start) % (2 * Milliseconds.hour) == 0 ? 0 : counter + 45
            store.append(Labels(["__name__": "c_total", "pod": "a"]), Sample(time: t, value: counter))
            let gauge = t == spikeAt ? 1000 : Double((t / 15_000) % 40)
            store.append(Labels(["__name__": "g", "pod": "a"]), Sample(time: t, value: gauge))
            t += 15_000
        }
        return store
    }()

    /// The store, built off the cooperative pool the first time.
    static func built() async throws -> SeriesStore { try await offThePool { store } }

    func range(_ query: String, step: Int64 = 600_000) async throws -> [Sample] {
        let engine = PromQLEngine(store: try await Self.built())
        guard
            case .matrix(let series) = try engine.rangeQuery(
                query, start: Self.start + Milliseconds.hour,
                end: Self.end - 15_000, step: step)
        else { return [] }
        return series.first?.samples ?? []
    }

    var steps: Int { Int((Self.end - 15_000 - Self.start - Milliseconds.hour) / 600_000) + 1 }

    @Test func rateIsTrueAcrossDaysAndResets() async throws {
        let rate = try await range("rate(c_total[5m])")
        #expect(rate.count >= steps - 2, "a value at every 10-minute step")
        // 3 per second; a window with a reset loses the one poll where the counter restarted at 0 (as
        // Prometheus over raw samples does): 39 × 45 in 600 s.
        #expect(
            rate.allSatisfy { abs($0.value - 3) < 1e-9 || abs($0.value - 2.925) < 1e-9 },
            "\(rate.filter { abs($0.value - 3) > 0.1 }.map { (($0.time - Self.start) / 60_000, $0.value) })")
        #expect(rate.filter { abs($0.value - 3) > 1e-9 }.count <= rate.count / 12 + 1)
        // Extrapolated to the window's edges as Prometheus does (less where the counter nears zero).
        let increase = try await range("increase(c_total[1h])")
        let near = increase.filter { abs($0.value - 10_800) <= 60 }
        #expect(near.count >= increase.count * 9 / 10, "\(Set(increase.map(\.value)))")
    }

    @Test func aChartOfAGaugeReadsBucketMeansAtEveryStep() async throws {
        let values = try await range("g")
        #expect(values.count >= steps - 1)
        // Every ten-minute bucket holds 40 polls, one of each value 0…39: mean 19.5 (but the spike's).
        let spikeBucket = Self.spikeAt / 600_000
        let plain = values.filter { $0.time / 600_000 != spikeBucket && $0.time / 600_000 != spikeBucket + 1 }
        #expect(plain.filter { $0.time < Self.end - Milliseconds.day }.allSatisfy { $0.value == 19.5 })
    }

    @Test func maxMinSumAndCountReadTheirAggregates() async throws {
        let max = try await range("max_over_time(g[10m])")
        #expect(max.contains { $0.value == 1000 }, "a spike of one sample two days ago still shows")
        #expect(max.allSatisfy { $0.value == 39 || $0.value == 1000 })
        let min = try await range("min_over_time(g[10m])")
        #expect(min.allSatisfy { $0.value == 0 })
        let count = try await range("count_over_time(g[1h])")
        // To a bucket's precision: a window's edge takes or leaves a bucket's samples whole.
        #expect(count.allSatisfy { $0.value == 240 || $0.value == 241 }, "\(Set(count.map(\.value)))")
        let sum = try await range("sum_over_time(g[1h])")
        let spikeBucket = Self.spikeAt / 600_000
        #expect(sum.filter { abs($0.time / 600_000 - spikeBucket) > 7 }.allSatisfy { $0.value == 6 * 780 })
    }

    @Test func anHourChartStillReadsRawSamples() async throws {
        let engine = PromQLEngine(store: try await Self.built())
        guard
            case .matrix(let series) = try engine.rangeQuery(
                "g", start: Self.end - Milliseconds.hour, end: Self.end - 15_000, step: 15_000)
        else {
            Issue.record("no matrix")
            return
        }
        let values = series[0].samples.map(\.value)
        #expect(values.count == 240 && Set(values).count == 40, "every raw value, not means")
    }
}
