import Foundation
import TestSupport
import Testing

@testable import Simulator

/// A real Prometheus scrapes the sim's three exporter endpoints, one job each with honor_labels.
@Suite struct PrometheusScrapeTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")

    /// The value of an instant query's first sample, or nil while Prometheus has none.
    func query(_ api: String, _ promql: String) throws -> Double? {
        let q = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promql
        let (status, output) = try spawn(["curl", "-sS", "--max-time", "5", "\(api)/api/v1/query?query=\(q)"])
        guard status == 0, let json = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let result = (json["data"] as? [String: Any])?["result"] as? [[String: Any]],
            let value = result.first?["value"] as? [Any], let text = value.last as? String
        else { return nil }
        return Double(text)
    }

    @Test(.enabled(if: available, "prometheus not found in /usr/bin (apt-get install prometheus)"))
    func prometheusScrapesEveryExporter() async throws {
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: 4, pods: 60, seed: 5)
        config.port = 0
        config.httpPort = 0
        let sim = try SimulatorServer(config)
        try await sim.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-sim-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let target = sim.httpURL!.replacing("http://", with: "")
        var yaml = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
        for job in ["cadvisor", "kube-state-metrics", "node-exporter"] {
            yaml +=
                "- job_name: \(job)\n  honor_labels: true\n  metrics_path: /metrics/\(job)\n  static_configs:\n  - targets: ['\(target)']\n"
        }
        try yaml.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let port = try freeLoopbackPort()
        let server = try ChildProcess(
            "/usr/bin/prometheus",
            [
                "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/tsdb",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], logPath: dir.path + "/prometheus.log")
        let api = "http://127.0.0.1:\(port)"

        // Poll until three targets are up and a rate over two scrapes exists.
        var up: Double?
        var rate: Double?
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            up = try query(api, "sum(up)")
            rate = try query(api, "sum(rate(container_cpu_usage_seconds_total[10s]))")
            // A few good scrapes in the window before the rate means anything.
            let scrapes = try query(api, "min(count_over_time(up[10s]))")
            if up == 3, rate != nil, (scrapes ?? 0) >= 4 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(
            up == 3,
            "all three jobs scraped: \((try? String(contentsOfFile: dir.path + "/prometheus.log", encoding: .utf8)) ?? "")"
        )
        #expect(try query(api, "count(kube_pod_info)") == 60)
        #expect(
            try query(api, "count(count by (instance) (node_cpu_seconds_total))") == 4,
            "honor_labels keeps the node-exporter instances")
        let cores = try #require(rate)
        let model = sim.api.cluster.pods.indices.map {
            sim.api.cluster.usage(of: sim.api.cluster.pods[$0], at: Int64(Date().timeIntervalSince1970 * 1000)).cpuCores
        }.reduce(0, +)
        // Loose bounds: scrape start times (Prometheus' timestamps) jitter against the sim's read times
        // on a loaded machine; the exact rate is checked in process by ExpositionTests.
        #expect(cores > 0.25 * model, "Prometheus rate \(cores) vs the model's \(model) cores")
        #expect(cores < 2 * model, "Prometheus' rate \(cores) vs the model's \(model) cores")
        server.stop()
        await sim.stop()
        try? FileManager.default.removeItem(at: dir)
    }
}
