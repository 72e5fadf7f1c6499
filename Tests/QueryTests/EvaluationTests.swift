import KubeglassCore
import Testing

@testable import Query

@Suite struct EvaluationTests {
    /// Two nodes' CPU counters and memory gauges, sampled every 15 s from 0 to 600 s.
    let engine: PromQLEngine = {
        var series: [(Labels, [(Double, Double)])] = []
        for (node, speed) in [("a", 1.0), ("b", 3.0)] {
            let times = stride(from: 0.0, through: 600, by: 15)
            series.append(
                (Labels(name: "cpu_seconds_total", ["node": node, "mode": "user"]), times.map { ($0, $0 * speed) }))
            series.append(
                (
                    Labels(name: "cpu_seconds_total", ["node": node, "mode": "idle"]),
                    times.map { ($0, $0 * (4 - speed)) }
                ))
            series.append((Labels(name: "memory_bytes", ["node": node]), times.map { ($0, 1000 * speed) }))
            series.append((Labels(name: "memory_limit_bytes", ["node": node]), times.map { ($0, 4000) }))
        }
        series.append(
            (Labels(name: "node_info", ["node": "a", "zone": "z1"]), [(0, 1), (200, 1), (400, 1), (600, 1)]))
        series.append(
            (Labels(name: "node_info", ["node": "b", "zone": "z2"]), [(0, 1), (200, 1), (400, 1), (600, 1)]))
        return PromQLEngine(store: makeStore(series))
    }()

    @Test func instantSelectorLooksBackFiveMinutes() throws {
        let e = PromQLEngine(store: makeStore([(Labels(name: "x"), [(100, 1)])]))
        #expect(try vector(e, "x", at: 100) == ["x": 1])
        #expect(try vector(e, "x", at: 399.999) == ["x": 1])
        #expect(try vector(e, "x", at: 400).isEmpty) // (t - 5m, t] excludes the sample at t - 5m
        #expect(try vector(e, "x", at: 99.999).isEmpty)
        let short = PromQLEngine(store: e.store, lookbackDelta: 10_000)
        #expect(try vector(short, "x", at: 111).isEmpty)
    }

    @Test func allFourMatchers() throws {
        #expect(try vector(engine, #"memory_bytes{node="a"}"#, at: 300) == [#"memory_bytes{node="a"}"#: 1000])
        #expect(try vector(engine, #"memory_bytes{node!="a"}"#, at: 300) == [#"memory_bytes{node="b"}"#: 3000])
        #expect(try vector(engine, #"memory_bytes{node=~"a|b"}"#, at: 300).count == 2)
        #expect(try vector(engine, #"memory_bytes{node=~"a.+"}"#, at: 300).isEmpty) // anchored
        #expect(try vector(engine, #"memory_bytes{node!~"b"}"#, at: 300) == [#"memory_bytes{node="a"}"#: 1000])
        #expect(
            try vector(engine, #"{__name__=~"memory_.*", node="b"}"#, at: 300) == [
                #"memory_bytes{node="b"}"#: 3000, #"memory_limit_bytes{node="b"}"#: 4000,
            ])
    }

    @Test func aggregations() throws {
        let rate = #"rate(cpu_seconds_total[1m])"#
        #expect(isClose(try vector(engine, "sum(\(rate))", at: 300), ["{}": 8]))
        #expect(
            isClose(try vector(engine, "sum by (node) (\(rate))", at: 300), [#"{node="a"}"#: 4, #"{node="b"}"#: 4]))
        #expect(
            isClose(
                try vector(engine, "sum(\(rate)) by (mode)", at: 300), [#"{mode="idle"}"#: 4, #"{mode="user"}"#: 4]))
        #expect(
            isClose(
                try vector(engine, "sum without (node) (\(rate))", at: 300),
                [#"{mode="idle"}"#: 4, #"{mode="user"}"#: 4]))
        #expect(try vector(engine, "avg(memory_bytes)", at: 300) == ["{}": 2000])
        #expect(try vector(engine, "min(memory_bytes)", at: 300) == ["{}": 1000])
        #expect(try vector(engine, "max(memory_bytes)", at: 300) == ["{}": 3000])
        #expect(try vector(engine, "count(cpu_seconds_total)", at: 300) == ["{}": 4])
        #expect(
            try vector(engine, "count by (__name__) ({__name__=~\"memory.*\"})", at: 300) == [
                "memory_bytes": 2, "memory_limit_bytes": 2,
            ])
        #expect(
            try vector(engine, "group by (node) (memory_bytes)", at: 300) == [#"{node="a"}"#: 1, #"{node="b"}"#: 1])
        #expect(try vector(engine, "stddev(memory_bytes)", at: 300) == ["{}": 1000])
        #expect(try vector(engine, "stdvar(memory_bytes)", at: 300) == ["{}": 1_000_000])
        #expect(try vector(engine, "quantile(0.5, memory_bytes)", at: 300) == ["{}": 2000])
        #expect(
            try vector(engine, "count_values(\"bytes\", memory_bytes)", at: 300) == [
                #"{bytes="1000"}"#: 1, #"{bytes="3000"}"#: 1,
            ])
    }

    @Test func topkKeepsSeriesAndOrdersThem() throws {
        let result = try engine.instantQuery("topk(3, cpu_seconds_total)", at: ms(300))
        guard case .vector(let samples) = result else {
            Issue.record("not a vector")
            return
        }
        #expect(samples.map(\.value) == [900, 900, 300])
        #expect(samples.allSatisfy { $0.labels.name == "cpu_seconds_total" })
        #expect(try vector(engine, "bottomk(1, memory_bytes)", at: 300) == [#"memory_bytes{node="a"}"#: 1000])
        #expect(
            try vector(engine, "topk by (node) (1, cpu_seconds_total)", at: 300) == [
                #"cpu_seconds_total{mode="idle", node="a"}"#: 900, #"cpu_seconds_total{mode="user", node="b"}"#: 900,
            ])
    }

    @Test func scalarArithmetic() throws {
        #expect(try scalar(engine, "2 ^ 3 ^ 2") == 512)
        #expect(try scalar(engine, "-2 ^ 2") == -4)
        #expect(try scalar(engine, "10 - 2 - 3") == 5)
        #expect(try scalar(engine, "7 % 4 * 2") == 6)
        #expect(try scalar(engine, "1 > bool 2") == 0)
        #expect(try scalar(engine, "2 >= bool 2") == 1)
        #expect(try scalar(engine, "1 / 0") == .infinity)
        #expect(try scalar(engine, "0 / 0").isNaN)
        #expect(try scalar(engine, "-7 % 4") == -3)
        #expect(try scalar(engine, "1 atan2 1") == .pi / 4)
        #expect(try scalar(engine, "time()", at: 1234.5) == 1234.5)
        #expect(try scalar(engine, "scalar(memory_bytes{node=\"b\"}) * 2", at: 300) == 6000)
        #expect(try scalar(engine, "scalar(memory_bytes)", at: 300).isNaN)
    }

    @Test func vectorScalarArithmeticDropsTheName() throws {
        #expect(try vector(engine, "memory_bytes / 1000", at: 300) == [#"{node="a"}"#: 1, #"{node="b"}"#: 3])
        #expect(try vector(engine, "2 * memory_bytes{node=\"a\"}", at: 300) == [#"{node="a"}"#: 2000])
        #expect(try vector(engine, "-memory_bytes{node=\"a\"}", at: 300) == [#"{node="a"}"#: -1000])
        // Filtering comparisons keep the name and the vector's own value, on either side.
        #expect(try vector(engine, "memory_bytes > 2000", at: 300) == [#"memory_bytes{node="b"}"#: 3000])
        #expect(try vector(engine, "2000 < memory_bytes", at: 300) == [#"memory_bytes{node="b"}"#: 3000])
        #expect(try vector(engine, "memory_bytes > bool 2000", at: 300) == [#"{node="a"}"#: 0, #"{node="b"}"#: 1])
    }

    @Test func vectorVectorMatching() throws {
        #expect(
            try vector(engine, "memory_bytes / memory_limit_bytes", at: 300) == [
                #"{node="a"}"#: 0.25, #"{node="b"}"#: 0.75,
            ])
        #expect(
            try vector(engine, "memory_bytes > memory_limit_bytes / 2", at: 300) == [#"memory_bytes{node="b"}"#: 3000])
        #expect(
            try vector(engine, "memory_bytes >= bool memory_limit_bytes / 2", at: 300) == [
                #"{node="a"}"#: 0, #"{node="b"}"#: 1,
            ])
        // One-to-one on a subset of labels: the result keeps only those labels.
        #expect(
            try vector(engine, #"cpu_seconds_total{mode="user"} + on (node) memory_bytes"#, at: 300) == [
                #"{node="a"}"#: 1300, #"{node="b"}"#: 3900,
            ])
        #expect(
            try vector(engine, #"cpu_seconds_total{mode="user"} - ignoring (mode) memory_bytes"#, at: 300) == [
                #"{node="a"}"#: -700, #"{node="b"}"#: -2100,
            ])
        // Unmatched label sets give nothing.
        #expect(try vector(engine, "cpu_seconds_total + memory_bytes", at: 300).isEmpty)
    }

    @Test func groupLeftCopiesLabelsFromTheOneSide() throws {
        let result = try vector(engine, "memory_bytes * on (node) group_left (zone) node_info", at: 300)
        #expect(result == [#"{node="a", zone="z1"}"#: 1000, #"{node="b", zone="z2"}"#: 3000])
        let many = try vector(engine, "cpu_seconds_total * on (node) group_left (zone) node_info", at: 300)
        #expect(many.count == 4)
        #expect(many[#"{mode="user", node="b", zone="z2"}"#] == 900)
        let right = try vector(engine, "node_info * on (node) group_right (zone) cpu_seconds_total", at: 300)
        #expect(right == many)
    }

    @Test func matchingErrorsAsPrometheusGivesThem() {
        #expect(
            throws: QueryError(
                execution:
                    #"found duplicate series for the match group {node="a"} on the right hand-side of the operation: [{__name__="cpu_seconds_total", mode="user", node="a"}, {__name__="cpu_seconds_total", mode="idle", node="a"}];many-to-many matching not allowed: matching labels must be unique on one side"#
            )
        ) {
            _ = try engine.instantQuery("memory_bytes + on (node) cpu_seconds_total", at: ms(300))
        }.map { _ in () }
        #expect(
            throws: QueryError(
                execution: "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
            )
        ) {
            _ = try engine.instantQuery("cpu_seconds_total + on (node) memory_bytes", at: ms(300))
        }.map { _ in () }
        #expect(throws: QueryError(execution: "vector cannot contain metrics with the same labelset")) {
            _ = try engine.instantQuery(#"rate({__name__=~"memory_.*"}[1m])"#, at: ms(300))
        }.map { _ in () }
    }

    @Test func setOperators() throws {
        #expect(
            try vector(engine, #"memory_bytes and memory_bytes > 2000"#, at: 300) == [#"memory_bytes{node="b"}"#: 3000])
        #expect(
            try vector(engine, #"memory_bytes unless memory_bytes > 2000"#, at: 300) == [
                #"memory_bytes{node="a"}"#: 1000
            ])
        #expect(
            try vector(engine, #"memory_bytes{node="a"} or memory_limit_bytes"#, at: 300) == [
                #"memory_bytes{node="a"}"#: 1000, #"memory_limit_bytes{node="b"}"#: 4000,
            ])
        #expect(try vector(engine, #"memory_bytes and on () vector(1)"#, at: 300).count == 2)
        #expect(try vector(engine, #"absent(nothing{job="x", a=~"y"})"#, at: 300) == [#"{job="x"}"#: 1])
        #expect(try vector(engine, "absent(memory_bytes)", at: 300).isEmpty)
    }

    @Test func instantFunctions() throws {
        let e = PromQLEngine(
            store: makeStore([
                (Labels(name: "g", ["i": "1"]), [(0, -1.5)]), (Labels(name: "g", ["i": "2"]), [(0, 2.5)]),
                (Labels(name: "g", ["i": "3"]), [(0, 7.25)]),
            ]))
        #expect(try vector(e, "abs(g)", at: 10) == [#"{i="1"}"#: 1.5, #"{i="2"}"#: 2.5, #"{i="3"}"#: 7.25])
        #expect(try vector(e, "ceil(g)", at: 10) == [#"{i="1"}"#: -1, #"{i="2"}"#: 3, #"{i="3"}"#: 8])
        #expect(try vector(e, "floor(g)", at: 10) == [#"{i="1"}"#: -2, #"{i="2"}"#: 2, #"{i="3"}"#: 7])
        #expect(try vector(e, "round(g)", at: 10) == [#"{i="1"}"#: -1, #"{i="2"}"#: 3, #"{i="3"}"#: 7])
        #expect(try vector(e, "round(g, 5)", at: 10) == [#"{i="1"}"#: 0, #"{i="2"}"#: 5, #"{i="3"}"#: 5])
        #expect(try vector(e, "clamp_min(g, 0)", at: 10) == [#"{i="1"}"#: 0, #"{i="2"}"#: 2.5, #"{i="3"}"#: 7.25])
        #expect(try vector(e, "clamp_max(g, 3)", at: 10) == [#"{i="1"}"#: -1.5, #"{i="2"}"#: 2.5, #"{i="3"}"#: 3])
        #expect(try vector(e, "clamp(g, 0, 3)", at: 10) == [#"{i="1"}"#: 0, #"{i="2"}"#: 2.5, #"{i="3"}"#: 3])
        #expect(try vector(e, "clamp(g, 3, 0)", at: 10).isEmpty)
        #expect(try vector(e, "timestamp(g)", at: 10) == [#"{i="1"}"#: 0, #"{i="2"}"#: 0, #"{i="3"}"#: 0])
        #expect(try vector(e, "vector(2)", at: 10) == ["{}": 2])
        guard case .vector(let sorted) = try e.instantQuery("sort_desc(g)", at: ms(10)) else {
            Issue.record("sort")
            return
        }
        #expect(sorted.map(\.value) == [7.25, 2.5, -1.5])
        guard case .vector(let ascending) = try e.instantQuery("sort(g)", at: ms(10)) else {
            Issue.record("sort")
            return
        }
        #expect(ascending.map(\.value) == [-1.5, 2.5, 7.25])
    }

    @Test func labelReplaceAndJoin() throws {
        #expect(
            try vector(engine, #"label_replace(memory_bytes, "host", "node-$1", "node", "(.*)")"#, at: 300) == [
                #"memory_bytes{host="node-a", node="a"}"#: 1000, #"memory_bytes{host="node-b", node="b"}"#: 3000,
            ])
        #expect(
            try vector(engine, #"label_replace(memory_bytes, "node", "", "node", "a")"#, at: 300) == [
                #"memory_bytes"#: 1000, #"memory_bytes{node="b"}"#: 3000,
            ])
        #expect(
            try vector(engine, #"label_replace(memory_bytes{node="a"}, "x", "${1}y$$", "node", "(?P<n>.)")"#, at: 300)
                == [#"memory_bytes{node="a", x="ay$"}"#: 1000])
        #expect(
            try vector(engine, #"label_join(node_info, "nz", "/", "node", "zone")"#, at: 300) == [
                #"node_info{node="a", nz="a/z1", zone="z1"}"#: 1, #"node_info{node="b", nz="b/z2", zone="z2"}"#: 1,
            ])
    }

    @Test func rangeQueryEvaluatesEveryStep() throws {
        let result = try engine.rangeQuery(
            #"sum by (node) (rate(cpu_seconds_total{mode="user"}[1m]))"#, start: ms(120), end: ms(180), step: 30_000)
        guard case .matrix(let series) = result else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.map(\.labels.description) == [#"{node="a"}"#, #"{node="b"}"#])
        #expect(series[0].samples.map(\.time) == [120_000, 150_000, 180_000])
        #expect(zip(series[0].samples, [1.0, 1, 1]).allSatisfy { isClose($0.value, $1) })
        #expect(zip(series[1].samples, [3.0, 3, 3]).allSatisfy { isClose($0.value, $1) })
        // A scalar becomes one series without labels; steps stop at or before the end.
        guard case .matrix(let time) = try engine.rangeQuery("time()", start: 0, end: 25_000, step: 10_000) else {
            Issue.record("time")
            return
        }
        #expect(
            time == [
                Series(
                    labels: Labels(),
                    samples: [
                        Sample(time: 0, value: 0), Sample(time: 10_000, value: 10), Sample(time: 20_000, value: 20),
                    ])
            ])
    }

    @Test func rangeQueryMatchesInstantQueriesAtEachStep() throws {
        let queries = [
            "sum by (node) (rate(cpu_seconds_total[1m]))", "memory_bytes / on (node) memory_limit_bytes",
            "topk(1, cpu_seconds_total)", "max_over_time(memory_bytes[2m]) > 1000", "memory_bytes offset 1m",
            "increase(cpu_seconds_total[45s])", "count(memory_bytes) - 1",
        ]
        for q in queries {
            guard case .matrix(let series) = try engine.rangeQuery(q, start: ms(0), end: ms(900), step: 45_000) else {
                Issue.record("\(q) did not give a matrix")
                continue
            }
            for t in stride(from: 0.0, through: 900, by: 45) {
                let expected = try vector(engine, q, at: t)
                var got: [String: Double] = [:]
                for s in series { for p in s.samples where p.time == ms(t) { got[s.labels.description] = p.value } }
                #expect(got == expected, "\(q) at \(t)")
            }
        }
    }

    @Test func instantQueryOfARangeSelectorGivesRawSamples() throws {
        guard case .matrix(let series) = try engine.instantQuery(#"memory_bytes{node="a"}[30s]"#, at: ms(300)) else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.count == 1)
        #expect(series[0].samples.map(\.time) == [285_000, 300_000])
    }

    @Test func atModifierAndSubqueries() throws {
        #expect(try vector(engine, #"memory_bytes{node="a"} @ 100"#, at: 10_000) == [#"memory_bytes{node="a"}"#: 1000])
        #expect(
            try vector(engine, #"cpu_seconds_total{node="a", mode="user"} @ 100"#, at: 10_000) == [
                #"cpu_seconds_total{mode="user", node="a"}"#: 90
            ])
        guard
            case .matrix(let start) = try engine.rangeQuery(
                #"cpu_seconds_total{node="a", mode="user"} @ start()"#, start: ms(60), end: ms(120), step: 30_000)
        else {
            Issue.record("matrix")
            return
        }
        #expect(start.first?.samples.map(\.value) == [60, 60, 60])
        // A subquery: max of the 1m rate over the last 5 minutes at 1m resolution.
        #expect(
            isClose(
                try vector(engine, #"max_over_time(rate(cpu_seconds_total{mode="user"}[1m])[5m:1m])"#, at: 300),
                [#"{mode="user", node="a"}"#: 1, #"{mode="user", node="b"}"#: 3]))
        #expect(try vector(engine, #"count_over_time(memory_bytes{node="a"}[5m:1m])"#, at: 300) == [#"{node="a"}"#: 5])
    }

    @Test func rangeQueryArgumentsAreChecked() {
        #expect(throws: QueryError.self) { try engine.rangeQuery("x", start: 0, end: 10, step: 0) }
        #expect(throws: QueryError.self) { try engine.rangeQuery("x", start: 10, end: 0, step: 1) }
        #expect(throws: QueryError.self) { try engine.rangeQuery("x[5m]", start: 0, end: 10, step: 1) }
        #expect(throws: QueryError.self) { try engine.rangeQuery("x", start: 0, end: 100_000_000, step: 1) }
    }
}
