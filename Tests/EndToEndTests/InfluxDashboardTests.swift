import Foundation
import TestSupport
import Testing

/// The Heapster-InfluxDB dashboards over a real InfluxDB 1.6 that `kubeglass sim --influxdb-sink` filled:
/// every panel draws without an error, and every series kubeglass shows holds exactly the values
/// InfluxDB answers to the query text it sent.
@Suite struct InfluxDashboardTests {
    static func influx(_ url: String, _ query: String) async throws -> [[String: Any]] {
        guard let body = try await curl("\(url)/query?db=k8s&epoch=ms&q=\(queryEncoded(query))"),
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let results = json["results"] as? [[String: Any]]
        else { return [] }
        return results.flatMap { $0["series"] as? [[String: Any]] ?? [] }
    }

    @Test(.timeLimit(.minutes(10)))
    func heapsterDashboardsShowWhatInfluxDBAnswers() async throws {
        let influx = try await InfluxServer()
        defer { influx.stop() }
        let sim = try SimProcess([
            "--nodes", "3", "--pods", "20", "--influxdb-sink", influx.url,
            "--influxdb-backfill", "15m", "--sink-interval", "10s",
        ])
        defer { sim.stop() }
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            let rows = try await Self.influx(
                influx.url, #"SELECT count("value") FROM "cpu/usage_rate" WHERE "type" = 'node'"#)
            if let n = ((rows.first?["values"] as? [[Any]])?.first?.last as? NSNumber)?.intValue, n >= 3 * 80 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        // No more writes: both sides then read the same rows.
        sim.stop()

        var compared = 0
        for board in ["cluster-influxdb", "nodes-influxdb", "pods-influxdb", "namespace-influxdb"] {
            let run = try await spawn([
                try kubeglassBinary(), "once", "--influxdb", influx.url, "--dashboard", board, "--format", "json",
            ])
            #expect(run.status == 0, "\(board): \(run.output)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any],
                "\(board): \(run.output)")
            for panel in try #require(report["panels"] as? [[String: Any]]) {
                let title = panel["title"] as? String ?? "?"
                #expect(panel["error"] is NSNull, "\(board) · \(title): \(panel["error"] ?? "")")
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    #expect(target["datasource"] as? String == "influxdb")
                    let query = try #require(target["query"] as? String)
                    #expect(
                        query.range(of: #"\$[A-Za-z_{]|\[\["#, options: .regularExpression) == nil,
                        "macros and variables are expanded: \(query)")
                    guard target["step"] is Double else { continue }
                    // The same text straight to InfluxDB: each of our points is one of its rows.
                    var theirs: [Double: Double] = [:]
                    for s in try await Self.influx(influx.url, query) {
                        for row in s["values"] as? [[Any]] ?? [] {
                            guard let t = (row.first as? NSNumber)?.doubleValue else { continue }
                            for v in row.dropFirst() {
                                if let n = v as? NSNumber { theirs[t / 1000, default: 0] += n.doubleValue }
                            }
                        }
                    }
                    var ours: [Double: Double] = [:]
                    for s in target["series"] as? [[String: Any]] ?? [] {
                        for p in s["points"] as? [[Any]] ?? [] {
                            if let t = p[0] as? Double, let v = p[1] as? Double { ours[t, default: 0] += v }
                        }
                    }
                    #expect(!ours.isEmpty, "\(board) · \(title): no points for \(query)")
                    for (t, v) in ours {
                        let e = try #require(theirs[t], "\(board) · \(title): InfluxDB has no row at \(t) for \(query)")
                        #expect(abs(v - e) <= 1e-9 * max(1, abs(e)), "\(board) · \(title) at \(t): \(v) vs \(e)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 200, "compared \(compared) points")
    }
}
