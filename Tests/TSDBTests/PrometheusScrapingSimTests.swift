import DemoCluster
import Foundation
import KubeglassCore
import Query
import Simulator
import TestSupport
import Testing

@testable import TSDB

/// The client against a real Prometheus scraping `kubeglass sim` (metadata exists only for scraped series).
@Suite struct PrometheusScrapingSimTests {
    @Test(.timeLimit(.minutes(10)))
    func metadataAndLabelsOfAScrapedSim() async throws {
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: 3, pods: 30, seed: 9)
        config.port = 0
        config.httpPort = 0
        let sim = try SimulatorServer(config)
        try await sim.start()
        let target = try #require(sim.httpURL).replacing("http://", with: "")
        let server = try await PrometheusServer(scrape: [
            ("kube-state-metrics", target, "/metrics/kube-state-metrics"), ("cadvisor", target, "/metrics/cadvisor"),
        ])
        defer { server.stop() }
        let client = try PrometheusClient(baseURL: server.url, limits: patient)

        // Wait for five scrapes, so the range below has points.
        let deadline = Date().addingTimeInterval(240)
        var pods = 0
        while Date() < deadline {
            if case .vector(let v)? = try? await client.query("count(kube_pod_info)"), let n = v.first?.value {
                pods = Int(n)
            }
            var scrapes = 0.0
            if case .vector(let v)? = try? await client.query("min(count_over_time(up[1m]))"), let n = v.first?.value {
                scrapes = n
            }
            if pods > 0, scrapes >= 5, let m = try? await client.metadata(),
                m["container_cpu_usage_seconds_total"] != nil
            {
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(pods == 30)

        let metadata = try await client.metadata()
        let body = try await #require(try curl(server.url + "/api/v1/metadata"))
        let theirs = try #require(
            (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["data"]
                as? [String: [[String: String]]])
        #expect(Set(metadata.keys) == Set(theirs.keys))
        for (metric, entries) in theirs {
            #expect(
                metadata[metric]?.type == entries.first?["type"] && metadata[metric]?.help == entries.first?["help"],
                "\(metric)")
        }
        #expect(metadata["container_cpu_usage_seconds_total"]?.type == "counter")

        let namespaces = try await client.labelValues("namespace", match: ["kube_pod_info"])
        #expect(namespaces == Array(Set(sim.api.cluster.pods.map(\.namespace))).sorted())
        let names = try await client.metricNames()
        let namesBody = try await #require(try curl(server.url + "/api/v1/label/__name__/values"))
        let theirNames = try #require(
            (try JSONSerialization.jsonObject(with: Data(namesBody.utf8)) as? [String: Any])?["data"] as? [String])
        #expect(names == theirNames)

        // A range over the last minute at 1 s: the same points the server's JSON has.
        let now = Int64(Date().timeIntervalSince1970 * 1000) / 1000 * 1000
        let value = try await client.queryRange(
            "sum(kube_pod_container_resource_requests)", start: now - 30_000, end: now, step: 1000)
        let raw = try await #require(
            try curl(
                "\(server.url)/api/v1/query_range?query=\(queryEncoded("sum(kube_pod_container_resource_requests)"))&start=\(now / 1000 - 30)&end=\(now / 1000)&step=1"
            ))
        let result = try #require(
            ((try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])?["data"] as? [String: Any])?[
                "result"] as? [[String: Any]])
        let theirPoints = (result.first?["values"] as? [[Any]] ?? []).map {
            "\(Int64(((($0[0] as? NSNumber)?.doubleValue ?? 0) * 1000))):\($0[1])"
        }
        guard case .matrix(let series) = value else {
            Issue.record("not a matrix")
            return
        }
        #expect(theirPoints.count >= 3)
        #expect(series.first?.samples.map { "\($0.time):\(PromQLNumber.format($0.value))" } == theirPoints)
        await client.shutdown()
        await sim.stop()
    }
}
