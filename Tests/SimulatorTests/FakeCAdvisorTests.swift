import DemoCluster
import Foundation
import NIOCore
import Testing

@testable import Simulator

/// The simulator's fake cAdvisor (`/cadvisor/<node>/api/v1.3/…`): shaped as cAdvisor's REST API v1.3, its
/// numbers the model's, its cumulative counters growing at the model's rates.
@Suite struct FakeCAdvisorTests {
    static let start: Int64 = 1_795_000_000_000
    let t = FakeCAdvisorTests.start + 600_000

    static func api() -> SimulatedAPI {
        SimulatedAPI(
            catalog: ClusterCatalog(cluster: ClusterModel(.init(nodes: 4, pods: 60, seed: 11), createdAt: start)),
            startedAt: start)
    }

    func get(_ api: SimulatedAPI, _ uri: String, at time: Int64, method: String = "GET") throws -> (Int, Any?) {
        let response = api.respond(to: APIRequest(method: method, uri: uri), at: time)
        var body = response.collectBody()
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        return (response.status, try? JSONSerialization.jsonObject(with: Data(bytes)))
    }

    /// Nanoseconds of CPU of every pod container (not the sandbox) by `namespace/pod/container`, and of the
    /// machine by `/`, at each stat.
    func cpu(_ containers: [[String: Any]]) -> [String: [(time: String, total: Double)]] {
        var out: [String: [(String, Double)]] = [:]
        for c in containers {
            let labels = (c["spec"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
            var key = c["name"] as? String ?? ""
            if let name = labels["io.kubernetes.container.name"] {
                guard name != "POD" else { continue }
                key = "\(labels["io.kubernetes.pod.namespace"]!)/\(labels["io.kubernetes.pod.name"]!)/\(name)"
            }
            out[key] = (c["stats"] as? [[String: Any]] ?? []).map { s in
                let usage = (s["cpu"] as? [String: Any])?["usage"] as? [String: Any]
                return (s["timestamp"] as? String ?? "", (usage?["total"] as? NSNumber)?.doubleValue ?? -1)
            }
        }
        return out
    }

    @Test func machineIsTheNodesCapacity() throws {
        let api = Self.api()
        let node = api.cluster.nodes[1]
        let (status, json) = try get(api, "/cadvisor/\(node.name)/api/v1.3/machine", at: t)
        #expect(status == 200)
        let machine = try #require(json as? [String: Any])
        #expect((machine["num_cores"] as? Int).map(Int64.init) == node.cpuCapacity / 1000)
        #expect((machine["memory_capacity"] as? NSNumber)?.int64Value == node.memoryCapacity)
        let fs = try #require((machine["filesystems"] as? [[String: Any]])?.first)
        #expect((fs["capacity"] as? NSNumber)?.int64Value == node.filesystemCapacity)
        #expect(try get(api, "/cadvisor/no-such-node/api/v1.3/machine", at: t).0 == 404)
        #expect(try get(api, "/cadvisor/\(node.name)/api/v1.3/machine", at: t, method: "POST").0 == 405)
    }

    @Test func countersGrowAtTheModelsRates() throws {
        let api = Self.api()
        let n = 2
        let node = api.cluster.nodes[n]
        let uri = "/cadvisor/\(node.name)/api/v1.3/subcontainers/"
        let (status, first) = try get(api, uri, at: t)
        #expect(status == 200)
        let before = try #require(first as? [[String: Any]])
        #expect(before.first?["name"] as? String == "/")
        let memoryLimits = before.compactMap { (($0["spec"] as? [String: Any])?["memory"] as? [String: Any])?["limit"] }
        #expect(
            memoryLimits.contains { "\($0)" == "18446744073709551615" || ($0 as? NSNumber)?.doubleValue ?? 0 > 1.8e19 })
        let later = try #require(try get(api, uri, at: t + 30_000).1 as? [[String: Any]])
        let a = cpu(before)
        let b = cpu(later)
        let sampled = MetricsAPI.sampleTime(t)
        let running = api.catalog.podsByNode[n].filter { api.cluster.isRunning(api.cluster.pods[$0], at: sampled) }
        #expect(a.count == 1 + running.reduce(0) { $0 + api.cluster.pods[$1].containers.count })
        #expect(!a.isEmpty)
        for p in running {
            let pod = api.cluster.pods[p]
            // A crash-looping pod's containers come and go within the 30 s.
            guard !pod.crashLoops else { continue }
            for c in pod.containers {
                let key = "\(pod.namespace)/\(pod.name)/\(c.name)"
                let s0 = try #require(a[key])
                let s1 = try #require(b[key])
                #expect(s0.count == 2 && s1.count == 2)
                // Within one answer: the model's rate at the newest stat's time.
                let model = api.cluster.usage(of: c, in: pod, at: MetricsAPI.sampleTime(t)).cpuCores
                let rate = (s0[1].total - s0[0].total) / 1e9 / (Double(FakeCAdvisor.statsGap) / 1000)
                #expect(abs(rate - model) <= max(1e-6, model * 1e-3), "\(key): \(rate) vs \(model)")
                // Across answers: the counter only grows.
                #expect(s1[1].total >= s0[1].total)
            }
        }
        // The machine's counter grows at the model's mean usage of the node over the 30 s between the answers
        // (the whole node: one container's bursts start and stop faster than the ledger's integration steps).
        let root0 = try #require(a["/"]?.last?.total)
        let root1 = try #require(b["/"]?.last?.total)
        let mean =
            stride(from: sampled, to: sampled + 30_000, by: 500).reduce(0.0) {
                $0 + api.cluster.usage(ofNode: n, at: $1 + 250).cpuCores
            } / 60
        let between = (root1 - root0) / 30e9
        #expect(abs(between - mean) / mean < 0.05, "node \(node.name): \(between) vs \(mean)")
    }
}
