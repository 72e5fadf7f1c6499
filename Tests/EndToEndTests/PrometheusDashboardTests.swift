import Foundation
import TestSupport
import Testing

/// A dashboard over a real Prometheus: what `kubeglass once --format json` shows for each panel
/// equals what Prometheus answers to the same query_range / query, point for point.
@Suite struct PrometheusDashboardTests {
    static let dashboard = """
        title: Prometheus check
        datasource: prometheus
        variables:
          - {name: job, kind: query, query: "label_values(req_total, job)", multi: true, includeAll: true}
          - {name: instance, kind: query, query: "label_values(req_total{job=~\\"$job\\"}, instance)"}
        panels:
          - title: Requests by $job
            type: timeseries
            grid: {x: 0, y: 0, w: 24, h: 8}
            targets:
              - {expr: "sum by (job) (rate(req_total{job=~\\"$job\\"}[$__rate_interval]))", legend: "{{job}}"}
              - {expr: "mem_bytes", legend: "{{instance}}"}
          - title: Memory on $instance
            type: stat
            grid: {x: 0, y: 8, w: 8, h: 4}
            expr: sum(mem_bytes{instance="$instance"})
        """

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"),
            "/usr/bin/prometheus is missing (apt-get install prometheus)"),
        .timeLimit(.minutes(3)))
    func panelsShowWhatPrometheusAnswers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-prom-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data.om")
        try QueryCommandEndToEndTests.openMetrics().write(to: data, atomically: true, encoding: .utf8)
        let board = dir.appendingPathComponent("board.yaml")
        try Self.dashboard.write(to: board, atomically: true, encoding: .utf8)
        let prometheus = try await RealPrometheus(file: data.path, dir: dir)
        defer { prometheus.stop() }

        let end = QueryCommandEndToEndTests.base + 3000
        let run = try await spawn([
            try kubeglassBinary(), "once", "--prometheus", prometheus.api, "--dashboard", board.path,
            "--var", "instance=b", "--end", "\(end)", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.output)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        let panels = try #require(report["panels"] as? [[String: Any]])
        #expect(panels.map { $0["title"] as? String } == ["Requests by All", "Memory on b"])
        var compared = 0
        for panel in panels {
            #expect(panel["error"] is NSNull, "\(panel)")
            for target in try #require(panel["targets"] as? [[String: Any]]) {
                #expect(target["datasource"] as? String == "prometheus")
                let query = try #require(target["query"] as? String)
                #expect(!query.contains("$"), "variables and macros are expanded before sending: \(query)")
                let ours = try #require(target["series"] as? [[String: Any]])
                if let step = target["step"] as? Double {
                    let start = try #require(target["start"] as? Double)
                    let stop = try #require(target["end"] as? Double)
                    let theirs = try await prometheus.data(
                        "/api/v1/query_range",
                        ["query": query, "start": "\(start)", "end": "\(stop)", "step": "\(step)"])
                    compared += try Self.compare(ours: ours, theirs: theirs, start: start, step: step)
                } else {
                    let at = try #require(target["end"] as? Double)
                    let theirs = try await prometheus.data("/api/v1/query", ["query": query, "time": "\(at)"])
                    let result = try #require(
                        (try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [String: Any])?["result"]
                            as? [[String: Any]])
                    #expect(result.count == ours.count)
                    let value = Double(try #require((result.first?["value"] as? [Any])?[1] as? String))
                    let mine = try #require((ours.first?["points"] as? [[Any]])?.first?[1] as? Double)
                    #expect(value == mine)
                    compared += 1
                }
            }
        }
        #expect(compared > 100, "compared \(compared) points")
    }

    /// Our points on the step grid against Prometheus' matrix: same series, same values, null where it has none.
    static func compare(ours: [[String: Any]], theirs: String, start: Double, step: Double) throws -> Int {
        let result = try #require(
            (try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [String: Any])?["result"] as? [[String: Any]]
        )
        #expect(result.count == ours.count)
        var count = 0
        for series in result {
            let labels = series["metric"] as? [String: String] ?? [:]
            let mine = try #require(
                ours.first { ($0["labels"] as? [String: String] ?? [:]) == labels }, "no series \(labels)")
            let points = try #require(mine["points"] as? [[Any]])
            var expected: [Int: Double] = [:]
            for pair in series["values"] as? [[Any]] ?? [] {
                let t = try #require(pair[0] as? Double)
                let v = try #require(Double(pair[1] as? String ?? ""))
                expected[Int(((t - start) / step).rounded())] = v
            }
            for (i, p) in points.enumerated() {
                // Prometheus' sums may differ in the last bit between two evaluations (the order of addition).
                let value = p[1] as? Double
                #expect(
                    (value == nil) == (expected[i] == nil),
                    "\(labels) point \(i): \(String(describing: value)) vs \(String(describing: expected[i]))")
                if let value, let e = expected[i] {
                    #expect(abs(value - e) <= 1e-9 * max(1, abs(e)), "\(labels) point \(i): \(value) vs \(e)")
                    count += 1
                }
            }
        }
        return count
    }
}
