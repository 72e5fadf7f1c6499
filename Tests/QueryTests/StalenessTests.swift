import KubeglassCore
import Query
import Store
import Testing

/// Staleness markers (written by the poller when a series vanishes) end a series at once.
struct StalenessTests {
    @Test func markerHidesTheSeriesFromInstantQueriesAndRanges() throws {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 1000))
        let up = Labels(name: "up", ["pod": "a"])
        store.append(up, Sample(time: 10_000, value: 1))
        store.append(up, Sample(time: 20_000, value: 2))
        store.append(up, .staleMarker(at: 30_000))
        let engine = PromQLEngine(store: store)
        guard case .vector(let before) = try engine.instantQuery("up", at: 25_000) else {
            Issue.record("not a vector")
            return
        }
        #expect(before.map(\.value) == [2])
        guard case .vector(let after) = try engine.instantQuery("up", at: 35_000) else {
            Issue.record("not a vector")
            return
        }
        #expect(after.isEmpty, "without the marker the lookback would still return 2")
        guard case .vector(let counted) = try engine.instantQuery("count_over_time(up[1m])", at: 40_000) else {
            Issue.record("not a vector")
            return
        }
        #expect(counted.map(\.value) == [2])
    }
}
