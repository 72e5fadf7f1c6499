import Foundation
import TestSupport
import Testing

/// `kubeglass sim --influxdb-sink` against a real InfluxDB 1.6: history first, then a point every interval.
@Suite struct SimInfluxSinkEndToEndTests {
    func count(_ influx: String, _ query: String) async throws -> Int {
        guard let body = try await curl("\(influx)/query?db=k8s&q=\(queryEncoded(query))"),
            let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let results = json["results"] as? [[String: Any]],
            let series = results.first?["series"] as? [[String: Any]],
            let values = series.first?["values"] as? [[Any]],
            let n = values.first?.last as? NSNumber
        else { return 0 }
        return n.intValue
    }

    @Test(.timeLimit(.minutes(10)))
    func simWritesHistoryThenLivePoints() async throws {
        let influx = try await InfluxServer()
        defer { influx.stop() }
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let sim = try SimProcess([
            "--nodes", "2", "--pods", "10", "--influxdb-sink", influx.url,
            "--influxdb-backfill", "2m", "--sink-interval", "1s",
        ])
        defer { sim.stop() }

        var history = 0
        var live = 0
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            history = try await count(
                influx.url,
                #"SELECT count("value") FROM "cpu/usage_rate" WHERE "type" = 'cluster' AND time < \#(started)ms"#)
            live = try await count(
                influx.url,
                #"SELECT count("value") FROM "cpu/usage_rate" WHERE "type" = 'cluster' AND time > \#(started)ms"#)
            if history >= 100 && live >= 3 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let log = (try? String(contentsOfFile: sim.log, encoding: .utf8)) ?? ""
        #expect(history >= 100, "two minutes of history at 1 s: \(log)")
        #expect(live >= 3, "points after start: \(log)")
        #expect(log.contains("influxdb sink: wrote "), "\(log)")
        let nodes = try await count(
            influx.url,
            #"SELECT count("value") FROM "uptime" WHERE "type" = 'node' AND time > \#(started)ms GROUP BY "nodename""#)
        #expect(nodes > 0)
    }
}
