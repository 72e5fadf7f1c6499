import KubeglassCore
import Store
import Testing

@testable import Query

/// A table reads its columns unordered (`ordered: false`); aggregations read unordered always. The
/// answers must be the same series and values as ordered reads give, only in another order.
@Suite struct UnorderedReadsTests {
    static let engine: PromQLEngine = {
        var series: [(Labels, [(Double, Double)])] = []
        for p in 0..<40 {
            let labels = Labels(name: "mem", ["pod": "p\(p)", "ns": "n\(p % 4)"])
            // Some pods stop early (older than the lookback later on), some end with a staleness marker.
            let end = p % 5 == 0 ? 300.0 : 1200
            var samples = stride(from: 0.0, through: end, by: 15).map { ($0, Double(p) * 100 + $0) }
            if p % 7 == 0 { samples.append((end + 15, Sample.staleNaN)) }
            series.append((labels, samples))
        }
        return PromQLEngine(store: makeStore(series))
    }()

    static func byLabels(_ v: QueryValue) -> [Labels: Double] {
        guard case .vector(let samples) = v else { return [:] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels, $0.value) })
    }

    @Test(arguments: [
        "mem", "mem{ns=\"n1\"}", "mem{pod=~\"p1|p2|p14\"}", "sum by (ns) (mem)", "count(mem)",
        "100 * sum(mem) / count(mem)", "mem > 3000",
    ])
    func unorderedAnswersAreTheOrderedOnes(query: String) throws {
        for at in [100.0, 310, 600, 1205, 1300, 1600] {
            let ordered = try Self.engine.instantQuery(query, at: ms(at))
            let unordered = try Self.engine.instantQuery(query, at: ms(at), ordered: false)
            #expect(Self.byLabels(unordered) == Self.byLabels(ordered), "\(query) at \(at)")
            if case .vector(let v) = ordered {
                #expect(v.map(\.labels) == v.map(\.labels).sorted(), "ordered answers stay sorted")
            }
        }
        #expect(!Self.byLabels(try Self.engine.instantQuery(query, at: ms(600), ordered: false)).isEmpty)
    }

    @Test func topkAndBottomkKeepTheBestWithTiesToTheFirstSeries() throws {
        // 60 series over a few values (ties everywhere) and NaN, in two groups.
        var series: [(Labels, [(Double, Double)])] = []
        var seed: UInt64 = 7
        for i in 0..<60 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let pick = Int(seed >> 33) % 6
            let value = pick == 5 ? Double.nan : Double(pick)
            series.append((Labels(name: "x", ["i": String(format: "%02d", i), "g": "g\(i % 2)"]), [(100, value)]))
        }
        let engine = PromQLEngine(store: makeStore(series))
        guard case .vector(let all) = try engine.instantQuery("x", at: ms(100)) else { return }
        for k in [1, 3, 7, 29, 30, 31, 100] {
            for (op, top) in [("topk", true), ("bottomk", false)] {
                for grouping in ["", " by (g)"] {
                    guard case .vector(let got) = try engine.instantQuery("\(op)\(grouping) (\(k), x)", at: ms(100))
                    else {
                        Issue.record("no vector")
                        continue
                    }
                    // The naive answer: each group's series (label order), stably sorted, the first k.
                    var expected: [String] = []
                    let groups = grouping.isEmpty ? [""] : ["g0", "g1"]
                    for g in groups {
                        let members = all.filter { g.isEmpty || $0.labels["g"] == g }
                        let sorted = members.enumerated().sorted { a, b in
                            let (x, y) = (a.element.value, b.element.value)
                            if x.isNaN != y.isNaN { return y.isNaN }
                            if !x.isNaN && x != y { return top ? x > y : x < y }
                            return a.offset < b.offset
                        }
                        expected += sorted.prefix(k).map { $0.element.labels["i"]! }
                    }
                    #expect(got.map { $0.labels["i"]! } == expected, "\(op)\(grouping) (\(k), x)")
                }
            }
        }
    }
}
