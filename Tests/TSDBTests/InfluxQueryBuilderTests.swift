import Foundation
import Query
import TestSupport
import Testing

@testable import TSDB

/// The InfluxQL Grafana builds from its query builder's fields (influx_query_model.ts, query_part.ts).
@Suite struct InfluxQueryBuilderTests {
    static let reference = RepositoryFiles.fixture("grafana/heapster")

    /// Every target of Heapster's cluster.json then pods.json, in order. Written from Grafana's rules:
    /// SELECT parts rendered inside out (field → "value", sum → sum(...)), tags joined in parentheses
    /// before `AND $timeFilter`, regex values unquoted, GROUP BY parts joined by ", " except fill.
    static let expected = [
        #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "cpu/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "cpu/request" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/request" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/limit" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/request" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/usage" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "memory/working_set" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "memory/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "memory/request" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "memory/usage" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/working_set" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/request" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/usage" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/working_set" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/limit" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "memory/request" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "network/tx_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "network/rx_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "network/tx_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "network/rx_rate" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "network/tx_rate" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "network/rx_rate" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/usage" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/usage" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/limit" WHERE ("type" = 'node') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/usage" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/limit" WHERE ("type" = 'node' AND "nodename" =~ /$nodename$/) AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/limit" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "cpu/request" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "memory/usage" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "memory/limit" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "memory/request" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "memory/working_set" WHERE ("type" = 'pod_container' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval), "container_name" fill(null)"#,
        #"SELECT sum("value") FROM "network/tx_rate" WHERE ("type" = 'pod' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "network/rx_rate" WHERE ("type" = 'pod' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/usage" WHERE ("type" = 'pod' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval) fill(null)"#,
        #"SELECT sum("value") FROM "filesystem/limit" WHERE ("type" = 'pod' AND "namespace_name" =~ /$namespace$/ AND "pod_name" =~ /$podname$/) AND $timeFilter GROUP BY time($interval) fill(null)"#,
    ]

    struct File: Decodable {
        struct Dashboard: Decodable { var rows: [Row] }
        struct Row: Decodable { var panels: [Panel] }
        struct Panel: Decodable { var targets: [InfluxBuilderTarget]? }
        var dashboard: Dashboard
    }

    static func heapsterTargets() throws -> [InfluxBuilderTarget] {
        try ["cluster.json", "pods.json"].flatMap { name in
            let data = try Data(contentsOf: reference.appendingPathComponent(name))
            return try JSONDecoder().decode(File.self, from: data).dashboard.rows.flatMap {
                $0.panels.flatMap { $0.targets ?? [] }
            }
        }
    }

    @Test func heapsterDashboardsBuildAsGrafanaBuildsThem() throws {
        let targets = try Self.heapsterTargets()
        #expect(targets.count == Self.expected.count)
        for (target, expected) in zip(targets, Self.expected) {
            #expect(try InfluxQueryBuilder.build(target) == expected)
        }
        // The stored `query` strings say mean(); the builder fields say sum(), and Grafana runs those.
        #expect(targets.allSatisfy { $0.query?.contains("mean(") == true && $0.rawQuery != true })
    }

    @Test func defaultsOfAnEmptyTarget() throws {
        #expect(
            try InfluxQueryBuilder.build(InfluxBuilderTarget())
                == #"SELECT mean("value") FROM "measurement" WHERE $timeFilter GROUP BY time($__interval) fill(null)"#)
    }

    @Test func everyKindOfPart() throws {
        let json = #"""
            {"measurement": "cpu", "policy": "autogen", "orderByTime": "DESC", "limit": 10, "slimit": "5", "tz": "Europe/Paris",
             "select": [[{"type": "field", "params": ["value"]}, {"type": "mean", "params": []}, {"type": "non_negative_derivative", "params": ["1s"]},
                         {"type": "math", "params": ["* 8"]}, {"type": "alias", "params": ["bits"]}],
                        [{"type": "field", "params": ["other"]}, {"type": "percentile", "params": [90]}, {"type": "moving_average"}]],
             "tags": [{"key": "host", "value": "it's"}, {"key": "n::field", "operator": ">", "value": "5", "condition": "OR"},
                      {"key": "dc::tag", "value": "/^e.*/"}],
             "groupBy": [{"type": "time", "params": ["auto"]}, {"type": "tag", "params": ["host"]}, {"type": "fill", "params": ["none"]}]}
            """#
        let target = try JSONDecoder().decode(InfluxBuilderTarget.self, from: Data(json.utf8))
        #expect(
            try InfluxQueryBuilder.build(target)
                == #"SELECT non_negative_derivative(mean("value"), 1s) * 8 AS "bits", moving_average(percentile("other", 90), 10) FROM "autogen"."cpu" WHERE ("host" = 'it\'s' OR "n"::field > 5 AND "dc"::tag =~ /^e.*/) AND $timeFilter GROUP BY time($__interval), "host" fill(none) ORDER BY time DESC LIMIT 10 SLIMIT 5 tz('Europe/Paris')"#
        )
    }

    @Test func rawQueriesStayAsWritten() throws {
        let target = InfluxBuilderTarget(
            measurement: "x", rawQuery: true, query: #"SELECT last("value") FROM "uptime" WHERE $timeFilter"#)
        #expect(try InfluxQueryBuilder.build(target) == #"SELECT last("value") FROM "uptime" WHERE $timeFilter"#)
        #expect(throws: InfluxQueryBuilder.UnknownPart.self) {
            try InfluxQueryBuilder.build(
                InfluxBuilderTarget(select: [[.init(type: "field", params: ["v"]), .init(type: "nonsense")]]))
        }
    }

    @Test func macrosAndVariables() {
        let start: Int64 = 1_700_000_000_000
        let end: Int64 = 1_700_003_600_000
        let q =
            #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node' AND "nodename" =~ /^$nodename$/ AND "ns" = '$namespace') AND $timeFilter GROUP BY time($interval), "nodename" fill(null)"#
        let expanded = InfluxMacros.expand(
            q, start: start, end: end, interval: 30_000,
            variables: ["nodename": ["node-1.a", "node/2"], "namespace": ["kube-system"]])
        #expect(
            expanded
                == #"SELECT sum("value") FROM "cpu/usage_rate" WHERE ("type" = 'node' AND "nodename" =~ /^(node-1\.a|node\/2)$/ AND "ns" = 'kube-system') AND time >= 1700000000000ms and time <= 1700003600000ms GROUP BY time(30s), "nodename" fill(null)"#
        )
        // One value in a regex is escaped; outside a regex it goes in as it is.
        #expect(
            InfluxMacros.expand(
                #""p" =~ /^$pod$/ AND "q" = '$pod'"#, start: 0, end: 1, interval: 1000, variables: ["pod": ["a.b"]])
                == #""p" =~ /^a\.b$/ AND "q" = 'a.b'"#)
        #expect(
            InfluxMacros.expand(
                "${pod} [[pod]] ${pod:regex} $podx $__interval_ms $__interval $__rate_interval $__range", start: 0,
                end: 3_600_000, interval: 15_000,
                variables: ["pod": ["a.b"]], minimumInterval: 10_000) == #"a.b a.b a\.b $podx 15000 15s 40s 1h"#)
        #expect(
            InfluxMacros.expand(
                #"SELECT * FROM /^$m$/ WHERE "a" =~ /x\/$v/"#, start: 0, end: 1, interval: 1000,
                variables: ["m": ["cpu.x"], "v": ["1+1"]])
                == #"SELECT * FROM /^cpu\.x$/ WHERE "a" =~ /x\/1\+1/"#)
        #expect(InfluxMacros.escapeRegex(#"a\^$*+?.()|[]{}/b-c"#) == #"a\\\^\$\*\+\?\.\(\)\|\[\]\{\}\/b-c"#)
    }

    @Test func intervalsAndTheBucketCap() {
        #expect(InfluxMacros.intervalText(30_000) == "30s")
        #expect(InfluxMacros.intervalText(90_000) == "90s")
        #expect(InfluxMacros.intervalText(3_600_000) == "1h")
        #expect(InfluxMacros.intervalText(250) == "250ms")
        // 1 h over 100 cells: 18 s a point, rounded up to 30 s.
        #expect(InfluxMacros.interval(start: 0, end: 3_600_000, cells: 100) == 30_000)
        // 24 h over 2,000 cells would be 30 s and 2,880 buckets: raised to 1 m (1,440).
        #expect(InfluxMacros.interval(start: 0, end: 86_400_000, cells: 2_000) == 60_000)
        #expect(InfluxMacros.interval(start: 0, end: 600_000, cells: 200, minimum: 10_000) == 10_000)
        #expect(
            InfluxMacros.capBuckets(
                "SELECT mean(v) FROM m WHERE $timeFilter GROUP BY time(1s), host", start: 0, end: 3_600_000)
                == "SELECT mean(v) FROM m WHERE $timeFilter GROUP BY time(2s), host")
        #expect(InfluxMacros.capBuckets("GROUP BY time(1m)", start: 0, end: 3_600_000) == "GROUP BY time(1m)")
    }

    @Test func rangeSteps() {
        #expect(RangeStep.choose(range: 3_600_000, cells: 100) == 30_000)
        #expect(RangeStep.choose(range: 3_600_000, cells: 100, minimum: 60_000) == 60_000)
        #expect(RangeStep.choose(range: 300_000, cells: 500) == 1_000)
        // A day over a huge panel: 11,000 points at most, so 10 s rather than 1 s.
        #expect(RangeStep.choose(range: 86_400_000, cells: 100_000) == 10_000)
        #expect(RangeStep.choose(range: 30 * 86_400_000, cells: 0) == 2_592_000_000)
        for (range, cells) in [(3_600_000, 80), (86_400_000 * 7, 300), (60_000, 1000), (86_400_000 * 400, 5000)]
            as [(Int64, Int)]
        {
            let step = RangeStep.choose(range: range, cells: cells)
            #expect(range / step + 1 <= RangeStep.prometheusMaximumPoints)
            #expect(step >= range / Int64(cells * 2) || step == 1000)
        }
        #expect(RangeStep.align(start: 1_001, end: 59_999, step: 15_000) == (0, 60_000))
        #expect(RangeStep.align(start: -1, end: 30_000, step: 15_000) == (-15_000, 30_000))
    }

    @Test func resultsParseAndBecomeSeries() throws {
        let body = #"""
            {"results":[{"statement_id":0,"series":[{"name":"cpu/usage_rate","tags":{"nodename":"n1"},"columns":["time","sum"],"values":[[1000,5],[2000,null],[3000,7.5]]},
                                                    {"name":"m","columns":["time","value","max"],"values":[[1000,1,2]]}]},
                        {"statement_id":1,"error":"database not found: nope"},
                        {"statement_id":2}]}
            """#
        let results = try #require(InfluxResponse.results(Array(body.utf8)).results)
        #expect(results.count == 3)
        #expect(results[1].error == "database not found: nope")
        #expect(results[2].series.isEmpty && results[2].error == nil)
        #expect(results[0].series[0].values[1][1] == .null)
        guard case .matrix(let series) = results[0].matrix else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.map { $0.labels.description } == [#"cpu/usage_rate.sum{nodename="n1"}"#, "m", "m.max"])
        #expect(series[0].samples.map(\.time) == [1000, 3000], "the null of fill(null) is a gap")
        #expect(series[0].samples.map(\.value) == [5, 7.5])
        #expect(
            InfluxResponse.results(Array(#"{"error":"error parsing query: found EOF"}"#.utf8)).error
                == "error parsing query: found EOF")
        let s = results[0].series[0]
        #expect(
            s.legend(alias: "Usage $tag_nodename [[m]] $col $0 $tag_nope $")
                == "Usage n1 cpu/usage_rate sum cpu/usage_rate $tag_nope $")
    }
}
