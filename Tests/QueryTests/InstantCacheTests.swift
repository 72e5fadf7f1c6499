import KubeglassCore
import Store
import TestSupport
import Testing

@testable import Query

/// The local backend's instant cache: over random polls (values that hold, flip or move every poll,
/// series that fall silent and come back, appear, go stale, are evicted or pruned) and random live times
/// between them, every answer equals the engine's, while unchanged queries are answered without evaluating.
@Suite struct InstantCacheTests {
    static let interval: Int64 = 5_000
    static let lookback: Int64 = 60_000
    static let start: Timestamp = 1_700_000_000_000 / 60_000 * 60_000

    static let queries = [
        "steady", "sum(steady)", "flip", "count(flip)", "flip + on (pod) steady", "sum by (pod) (flip) > 1",
        "moving", "max(moving)", "absent(nothing)", "scalar(sum(steady))", "steady{pod=~\"p1|p3\"}",
        "label_replace(flip, \"x\", \"$1\", \"pod\", \"(.*)\")", "flip * 0 + 1", "count(steady) - count(flip)",
        // Not cacheable: must still be right.
        "sum(increase(flip[1m]))", "timestamp(steady)", "steady offset 30s", "vector(time())",
    ]

    /// Bits of an answer, NaNs included.
    static func bits(_ value: QueryValue) -> [String] {
        switch value {
        case .scalar(let t, let v): return ["scalar \(t) \(v.bitPattern)"]
        case .string(let t, let s): return ["string \(t) \(s)"]
        case .vector(let samples): return samples.map { "\($0.labels) \($0.time) \($0.value.bitPattern)" }
        case .matrix(let series): return series.map { "\($0.labels) \($0.samples)" }
        }
    }

    @Test(arguments: [1, 2, 3, 4])
    func answersEqualTheEngines(seed: UInt64) async throws {
        var random = SplitMix64(state: seed)
        let store = SeriesStore(
            .init(retention: 3 * Milliseconds.minute, interval: Self.interval, maxSeries: 40, tiers: []))
        let engine = PromQLEngine(store: store, lookbackDelta: Self.lookback)
        let backend = LocalBackend(engine: engine, minimumStep: Self.interval)
        var flips: [String: Double] = [:]
        var silentUntil: [String: Timestamp] = [:]
        var lastRound: [SeriesStore.Reference] = []
        var t = Self.start
        var hitsBefore = 0
        for round in 0..<180 {
            // A poll, unless the source is down this round.
            if Int.random(in: 0..<10, using: &random) > 0 {
                var series: [(labels: Labels, value: Double)] = []
                for k in 0..<Int.random(in: 4...8, using: &random) {
                    let pod = "p\(k)"
                    if let until = silentUntil[pod], t < until { continue }
                    if Int.random(in: 0..<60, using: &random) == 0 {
                        silentUntil[pod] = t + Int64.random(in: 1...30, using: &random) * Self.interval
                    }
                    if Int.random(in: 0..<8, using: &random) == 0 {
                        flips[pod] = Double(Int.random(in: 0...3, using: &random))
                    }
                    series.append((Labels(["__name__": "steady", "pod": pod]), 1))
                    series.append((Labels(["__name__": "flip", "pod": pod]), flips[pod] ?? 0))
                    series.append((Labels(["__name__": "moving", "pod": pod]), Double(round * (k + 1))))
                }
                // Now and then a pod's series of a new name, and many pods at once (evicting the silent).
                if round % 37 == 5 {
                    for k in 0..<30 { series.append((Labels(["__name__": "burst", "pod": "b\(k)"]), 2)) }
                }
                let references = store.append(series, at: t, publishing: false)
                // Series of the last round missing from this one are marked stale, as the poller does.
                let now = Set(references)
                if Int.random(in: 0..<3, using: &random) == 0 {
                    store.appendStaleMarkers(lastRound.filter { !now.contains($0) }, at: t, publishing: false)
                }
                store.publish(t)
                lastRound = references
            }
            if round % 20 == 19 { store.prune(now: t) }
            // Several refreshes between polls, at the live edge.
            var at = t
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                for query in Self.queries {
                    for ordered in [true, false] {
                        let cached = try await backend.instantQuery(query, at: at, ordered: ordered)
                        let whole = try engine.instantQuery(query, at: at, ordered: ordered)
                        #expect(Self.bits(cached) == Self.bits(whole), "seed \(seed) round \(round) \(query) at \(at)")
                    }
                }
                at += Int64.random(in: 0...Self.interval, using: &random)
            }
            t += Self.interval * Int64.random(in: 1...3, using: &random)
            if round == 90 { hitsBefore = backend.instantHits }
        }
        // The cache is used, in both halves of the run.
        #expect(hitsBefore > 100)
        #expect(backend.instantHits > hitsBefore + 100)
    }

    @Test func onlyInstantSelectorsOfNamedMetricsAreCached() throws {
        func cacheable(_ query: String) throws -> Bool { try PromQL.parse(query).instantSelectors != nil }
        #expect(try cacheable("sum(a) / sum(b{x=\"y\"})"))
        #expect(try cacheable("a and on (pod) b"))
        #expect(try !cacheable("rate(a[5m])"))
        #expect(try !cacheable("a offset 1m"))
        #expect(try !cacheable("a @ 100"))
        #expect(try !cacheable("max_over_time(a[5m:1m])"))
        #expect(try !cacheable("timestamp(a)"))
        #expect(try !cacheable("{pod=\"x\"}"))
    }
}
