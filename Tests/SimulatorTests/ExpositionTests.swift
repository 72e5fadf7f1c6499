import DemoCluster
import Foundation
import NIOCore
import TestSupport
import Testing

@testable import Simulator

/// `/metrics`: valid exposition (promtool agrees), the exporters' series and labels, counters that only grow.
@Suite struct ExpositionTests {
    static let start: Int64 = 1_795_000_000_000
    let api = SimulatedAPI(
        catalog: ClusterCatalog(cluster: ClusterModel(.init(nodes: 6, pods: 120, seed: 3), createdAt: start)),
        startedAt: start)

    func scrape(_ path: String = "/metrics", at t: Int64) -> (response: APIResponse, text: String) {
        let response = api.respond(to: APIRequest(uri: path), at: t)
        return (response, String(buffer: response.collectBody()))
    }

    /// `name{labels} value` → value, for every sample of `metric`.
    func samples(_ text: String, _ metric: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") {
            guard let space = line.lastIndex(of: " ") else { continue }
            out[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return out
    }

    @Test func promtoolAcceptsTheExposition() throws {
        let (response, text) = scrape(at: ExpositionTests.start + 30_000)
        #expect(response.contentType.hasPrefix("text/plain; version=0.0.4"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-sim-metrics-\(getpid()).txt"
        ).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try spawn(["sh", "-c", "promtool check metrics < \(path)"])
        // promtool exits 3 for lint problems, 1 when the text does not parse. The only lint it may
        // raise is node-exporter's own camelCase names (node_memory_MemTotal_bytes…), which are real.
        #expect(status == 0 || status == 3, "promtool: \(output.prefix(2000))")
        let problems = output.split(separator: "\n").filter {
            !$0.contains("should be written in 'snake_case' not 'camelCase'")
        }
        #expect(problems.isEmpty, "promtool: \(problems.prefix(20))")
    }

    @Test func seriesOfTheThreeExporters() {
        let (_, text) = scrape(at: ExpositionTests.start + 30_000)
        for name in [
            "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_memory_usage_bytes",
            "container_memory_rss",
            "container_network_receive_bytes_total", "container_network_transmit_bytes_total",
            "container_fs_usage_bytes",
            "kube_pod_info", "kube_pod_owner", "kube_pod_status_phase", "kube_pod_container_resource_requests",
            "kube_pod_container_resource_limits",
            "kube_pod_container_status_restarts_total", "kube_node_info", "kube_node_status_allocatable",
            "kube_node_status_capacity",
            "kube_node_status_condition", "kube_namespace_created", "node_cpu_seconds_total",
            "node_memory_MemTotal_bytes",
            "node_memory_MemAvailable_bytes", "node_filesystem_size_bytes", "node_filesystem_avail_bytes",
            "node_network_receive_bytes_total", "node_load1",
        ] {
            #expect(text.contains("\n# TYPE \(name) ") || text.hasPrefix("# HELP \(name) "), "\(name)")
        }
        let cpu = samples(text, "container_cpu_usage_seconds_total")
        #expect(
            cpu.keys.allSatisfy { k in
                ["namespace=", "pod=", "container=", "image=", "id=", "name=", "node=", "instance="].allSatisfy {
                    k.contains($0)
                }
            })
        #expect(
            samples(text, "kube_pod_container_resource_requests").keys.contains {
                $0.contains("resource=\"cpu\",unit=\"core\"")
            })
        #expect(
            samples(text, "node_cpu_seconds_total").keys.allSatisfy {
                $0.contains("instance=\"node-") && $0.contains(":9100\"") && $0.contains("mode=")
            })
        let pressured = api.cluster.nodes.first { $0.underMemoryPressure }!.name
        #expect(
            samples(text, "kube_node_status_condition")[
                "kube_node_status_condition{node=\"\(pressured)\",condition=\"MemoryPressure\",status=\"true\"}"] == 1)
    }

    @Test func splitEndpointsHoldOneExporterEach() {
        let ksm = scrape("/metrics/kube-state-metrics", at: ExpositionTests.start).text
        #expect(ksm.contains("kube_pod_info{") && !ksm.contains("container_cpu") && !ksm.contains("node_cpu"))
        let ne = scrape("/metrics/node-exporter", at: ExpositionTests.start).text
        #expect(ne.contains("node_cpu_seconds_total{") && !ne.contains("kube_"))
        let ca = scrape("/metrics/cadvisor", at: ExpositionTests.start).text
        #expect(ca.contains("container_cpu_usage_seconds_total{") && !ca.contains("kube_"))
        #expect(api.respond(to: APIRequest(uri: "/metrics/nope"), at: 0).status == 404)
    }

    @Test func countersOnlyGrowAtTheModelsRate() {
        let names = [
            "container_cpu_usage_seconds_total", "container_network_receive_bytes_total",
            "container_network_transmit_bytes_total",
            "node_cpu_seconds_total", "node_network_receive_bytes_total",
        ]
        var previous: [String: Double] = [:]
        var t = ExpositionTests.start + 1000
        let cpuBefore = api.counters.node(0, at: t).cpuSeconds
        for step in [1000, 15_000, 15_000, 600_000, 5000] as [Int64] {
            let text = scrape(at: t).text
            for name in names {
                for (series, value) in samples(text, name) {
                    if let before = previous[series] {
                        #expect(value >= before, "\(series) went from \(before) to \(value)")
                    }
                    previous[series] = value
                }
            }
            t += step
        }
        // Over a 10 s window, the node CPU counter's rate is the model's mean usage.
        let a = api.counters.node(0, at: t)
        let b = api.counters.node(0, at: t + 10_000)
        let mean =
            stride(from: t, to: t + 10_000, by: 500).map { api.cluster.usage(ofNode: 0, at: $0 + 250).cpuCores }.reduce(
                0, +) / 20
        #expect(abs((b.cpuSeconds - a.cpuSeconds) / 10 - mean) / mean < 0.05)
        #expect(a.cpuSeconds > cpuBefore)
    }
}
