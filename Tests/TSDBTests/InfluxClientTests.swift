import DemoCluster
import Foundation
import KubeglassCore
import Query
import Simulator
import TestSupport
import Testing

@testable import TSDB

/// The InfluxDB client and the sim's Heapster sink against a real InfluxDB 1.6 (Debian's influxdb).
@Suite(.serialized) struct InfluxClientTests {
    /// Every measurement Heapster's dashboards query, plus the rest of Heapster's schema the sink writes.
    static let measurements = [
        "cpu/limit", "cpu/node_allocatable", "cpu/node_capacity", "cpu/request", "cpu/usage", "cpu/usage_rate",
        "filesystem/limit", "filesystem/usage", "memory/limit", "memory/node_allocatable", "memory/request",
        "memory/usage",
        "memory/working_set", "network/rx", "network/rx_rate", "network/tx", "network/tx_rate", "restart_count",
        "uptime",
    ]

    @Test(.timeLimit(.minutes(10)))
    func heapsterDashboardsShowTheSinksData() async throws {
        let server = try await InfluxServer()
        defer { server.stop() }
        let now: Int64 = (Int64(Date().timeIntervalSince1970 * 1000) / 10_000) * 10_000
        let cluster = ClusterModel(.init(nodes: 4, pods: 40, seed: 3), createdAt: now)
        var configuration = HeapsterSink.Configuration(url: server.url)
        configuration.backfill = 900_000
        let sink = HeapsterSink(cluster: cluster, configuration: configuration)
        try await sink.createDatabase()
        let clock = ContinuousClock.now
        let lines = try await sink.backfill(until: now)
        print("Heapster sink: 15 min of a 4-node/40-pod cluster, \(lines) lines in \(ContinuousClock.now - clock)")
        await sink.shutdown()

        let client = try InfluxClient(baseURL: server.url, database: "k8s", limits: patient)
        defer { Task { await client.shutdown() } }
        #expect(try await client.ping().hasPrefix("1.6"))
        let measurements = try await client.measurements()
        #expect(
            Set(Self.measurements).isSubset(of: Set(measurements)),
            "missing \(Set(Self.measurements).subtracting(measurements))")
        let nodes = try await client.tagValues(measurement: "uptime", key: "nodename")
        #expect(nodes == cluster.nodes.map(\.name).sorted())
        #expect(try await client.tagKeys(measurement: "cpu/usage_rate").contains("container_name"))

        // Each target of Heapster's own dashboards, built as Grafana builds it, returns data.
        let pod = try #require(cluster.pods.first { $0.phase == .running && $0.nodeIndex != nil && !$0.crashLoops })
        let podNames = try await client.tagValues(
            measurement: "uptime", key: "pod_name", where: #""namespace_name" =~ /^\#(pod.namespace)$/"#)
        #expect(podNames.contains(pod.name))
        let variables = ["nodename": [cluster.nodes[1].name], "namespace": [pod.namespace], "podname": [pod.name]]
        let start = now - 900_000
        let interval = InfluxMacros.interval(start: start, end: now, cells: 100)
        let clock2 = ContinuousClock.now
        let bytesBefore = client.bytesFetched
        for target in try InfluxQueryBuilderTests.heapsterTargets() {
            let text = InfluxMacros.expand(
                try InfluxQueryBuilder.build(target), start: start, end: now, interval: interval, variables: variables)
            let results = try await client.checkedQuery(text)
            guard case .matrix(let series) = try #require(results.first).matrix else {
                Issue.record("\(text): not a matrix")
                continue
            }
            #expect(!series.isEmpty && series.allSatisfy { !$0.samples.isEmpty }, "\(text) returned no data")
            #expect(series.allSatisfy { $0.labels.name == target.measurement! + ".sum" })
        }
        print(
            "Heapster's 44 dashboard queries over 15 min at \(interval / 1000)s: \(ContinuousClock.now - clock2), \(client.bytesFetched - bytesBefore) bytes"
        )

        // The one call a panel makes: build, choose the interval, expand, run.
        let cpu = try #require(try InfluxQueryBuilderTests.heapsterTargets().first)
        let panelQuery = try InfluxQueryBuilder.query(for: cpu, start: start, end: now, cells: 60)
        #expect(panelQuery.contains("GROUP BY time(10s) fill(null)"), "\(panelQuery)")
        guard case .matrix(let total) = try await client.matrix(panelQuery) else {
            Issue.record("not a matrix")
            return
        }
        #expect(total.count == 1 && total[0].samples.count >= 80, "\(total)")

        // A value read back equals the model's (millicores).
        let t = now - 600_000
        let node = cluster.nodes[0].name
        let exact = try await client.checkedQuery(
            #"SELECT "value" FROM "cpu/usage_rate" WHERE "type" = 'node' AND "nodename" = '\#(node)' AND time = \#(t)ms"#
        )
        let read = try #require(exact.first?.series.first?.values.first?[1].number)
        #expect(read == (cluster.usage(ofNode: 0, at: t).cpuCores * 1000).rounded())
        // Counters only grow.
        let counter = try await client.checkedQuery(
            #"SELECT "value" FROM "network/rx" WHERE "type" = 'node' AND "nodename" = '\#(node)' AND time > \#(start)ms"#
        )
        let values = try #require(counter.first?.series.first).values.compactMap { $0[1].number }
        #expect(values.count > 80 && zip(values, values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test(.timeLimit(.minutes(10)))
    func statementErrorsParseErrorsEmptyAnswersAndNulls() async throws {
        let server = try await InfluxServer()
        defer { server.stop() }
        let client = try InfluxClient(
            baseURL: server.url, database: "k8s", placement: .queryParameters, limits: patient)
        defer { Task { await client.shutdown() } }
        // The client only reads; the database is made the way an operator would.
        await #expect(
            try spawn(["curl", "-sS", "-XPOST", "\(server.url)/query", "--data-urlencode", "q=CREATE DATABASE k8s"])
                .status == 0)
        // Two points 30 s apart, so 10 s buckets in between are null.
        let sink = try await spawn([
            "curl", "-sS", "-XPOST", "\(server.url)/write?db=k8s&precision=ms", "--data-binary",
            "m,host=a value=1 1700000000000\nm,host=a value=4 1700000030000\n",
        ])
        #expect(sink.status == 0, "\(sink.output)")

        // The second statement fails on its own (HTTP 200); the first still answers.
        let results = try await client.query(#"SELECT "value" FROM "m"; SELECT "value" FROM "nope"."autogen"."m""#)
        #expect(results.count == 2)
        #expect(results[0].series.first?.values.count == 2)
        #expect(results[1].error == "database not found: nope")
        do {
            _ = try await client.checkedQuery(#"SELECT "value" FROM "nope"."autogen"."m""#)
            Issue.record("a failed statement did not throw")
        } catch {
            #expect(error.error == "database not found: nope")
            #expect(
                error.description
                    == "InfluxDB at \(server.url) could not run statement 1 of the query: database not found: nope")
        }

        // A query that does not parse: HTTP 400 and InfluxDB's own text.
        let theirs = try await #require(try curl("\(server.url)/query?db=k8s&q=\(queryEncoded("SELECT FROM m"))"))
        let theirError = try #require(
            (try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [String: Any])?["error"] as? String)
        do {
            _ = try await client.query("SELECT FROM m")
            Issue.record("a parse error did not throw")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.error == theirError)
            #expect(error.description == "InfluxDB at \(server.url) could not parse the query: \(theirError)")
        }

        // No data: no `series` key.
        let empty = try await client.query(#"SELECT mean("value") FROM "m" WHERE time > 1800000000000ms"#)
        #expect(empty.count == 1 && empty[0].series.isEmpty && empty[0].error == nil)
        guard case .matrix(let nothing) = empty[0].matrix else {
            Issue.record("not a matrix")
            return
        }
        #expect(nothing.isEmpty)

        // fill(null): nulls in the answer, gaps in the series.
        let filled = try await client.query(
            InfluxMacros.expand(
                #"SELECT mean("value") FROM "m" WHERE $timeFilter GROUP BY time($__interval), "host" fill(null)"#,
                start: 1_700_000_000_000, end: 1_700_000_039_999, interval: 10_000))
        let rows = try #require(filled.first?.series.first).values
        #expect(rows.map { $0[1] } == [.number(1), .null, .null, .number(4)])
        guard case .matrix(let series) = try #require(filled.first).matrix else {
            Issue.record("not a matrix")
            return
        }
        #expect(series.count == 1 && series[0].labels == Labels(name: "m.mean", ["host": "a"]))
        #expect(
            series[0].samples == [Sample(time: 1_700_000_000_000, value: 1), Sample(time: 1_700_000_030_000, value: 4)])
    }

    @Test func unreachableAndUnauthorized() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} } // refusing until the test ends
        let port = refusing.port
        let client = try InfluxClient(baseURL: "http://127.0.0.1:\(port)", database: "k8s")
        do {
            try await client.ping()
            Issue.record("a closed port answered")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(
                error.description.hasPrefix(
                    "cannot connect to InfluxDB at http://127.0.0.1:\(port): connection refused"))
        }
        await client.shutdown()

        let stub = try await StubServer { _ in .init(status: .unauthorized, body: #"{"error":"authorization failed"}"#)
        }
        defer { Task { await stub.stop() } }
        let guarded = try InfluxClient(baseURL: stub.url, database: "k8s", user: "ada", password: "pw")
        do {
            _ = try await guarded.query("SHOW DATABASES")
            Issue.record("401 did not throw")
        } catch {
            #expect(error.kind == .unauthorized)
            #expect(!error.description.contains("pw"), "never show the password")
        }
        await guarded.shutdown()
        #expect(stub.requests.first?.authorization == "Basic " + Data("ada:pw".utf8).base64EncodedString())
        #expect(stub.requests.first?.uri.contains("epoch=ms") == true)
    }
}
