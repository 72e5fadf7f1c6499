import KubeglassCore
import Store
import TestSupport
import Testing

@testable import Query

/// At a single step, `rate`, `increase`, `delta`, `irate`, `idelta`, `changes` and `resets` read a series that
/// held one value through the window as its newest two samples (`SeriesStore.scan(heldRuns:)`). Their answers
/// must be those of the whole window: the last step of a two-step range query (which reads every sample) is
/// the reference.
@Suite struct HeldRunEvaluationTests {
    static let engine: PromQLEngine = {
        // No tiers: a range query's read that reaches back to a rollup bucket carries the bucket's count of
        // resets into the raw samples after it, which an instant query's narrower read does not, so the two
        // would differ by rounding (and for a counter that once held NaN, NaN). `HeldRunScanTests` reads
        // windows over rollups.
        let store = SeriesStore(.init(retention: 300_000, interval: 1000, maxSeries: 10_000, tiers: []))
        var rng = SplitMix64(state: 11)
        var values = [Double](repeating: 10, count: 40)
        for t in stride(from: Int64(1000), through: 600_000, by: 1000) {
            var batch: [(Labels, Sample)] = []
            for i in values.indices {
                if i % 5 == 1 && (t / 1000) % 150 > 100 { continue }
                if rng.next() % (i % 3 == 0 ? 4 : 120) == 0 {
                    switch rng.next() % 12 {
                    case 0: values[i] = .nan
                    case 1: values[i] = Sample.staleNaN
                    case 2: values[i] = .infinity
                    case 3, 4: values[i] = 0 // a counter's reset
                    default: values[i] = (values[i].isFinite ? values[i] : 0) + Double(rng.next() % 7)
                    }
                }
                batch.append((Labels(name: "restarts_total", ["pod": "p-\(i)"]), Sample(time: t, value: values[i])))
            }
            store.append(batch)
        }
        return PromQLEngine(store: store)
    }()

    @Test(arguments: Array(Evaluator.heldRunFunctions).sorted())
    func anAnswerOverAHeldWindowIsTheWholeWindows(function: String) throws {
        var rng = SplitMix64(state: UInt64(function.utf8.count))
        var compared = 0
        for window in ["30s", "2m", "4m"] {
            let query = "\(function)(restarts_total[\(window)])"
            for _ in 0..<40 {
                let t = Int64(200_000 + rng.next() % 400_000)
                guard case .vector(let instant) = try Self.engine.instantQuery(query, at: t),
                    case .matrix(let range) = try Self.engine.rangeQuery(query, start: t - 1000, end: t, step: 1000)
                else {
                    Issue.record("\(query) at \(t): not a vector and a matrix")
                    continue
                }
                var whole: [Labels: UInt64] = [:]
                for s in range {
                    if let last = s.samples.last, last.time == t { whole[s.labels] = Self.bits(last.value) }
                }
                let single = Dictionary(uniqueKeysWithValues: instant.map { ($0.labels, Self.bits($0.value)) })
                for labels in Set(single.keys).union(whole.keys) where single[labels] != whole[labels] {
                    Issue.record(
                        "\(query) at \(t), \(labels): \(single[labels].map { Double(bitPattern: $0) } as Any) against \(whole[labels].map { Double(bitPattern: $0) } as Any)"
                    )
                }
                compared += whole.count
            }
        }
        #expect(compared > 1000)
    }

    /// Bit for bit, but any NaN as any other (a NaN's payload is the arithmetic's, not the answer's).
    static func bits(_ value: Double) -> UInt64 { value.isNaN ? .max : value.bitPattern }
}
