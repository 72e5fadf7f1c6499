import Foundation
import TestSupport
import Testing

/// `--source cadvisor` in the real binary, reading `kubeglass sim`'s fake cAdvisors (one per node), compared
/// with the same sim read through metrics.k8s.io at the same frozen instant: two paths to one model.
@Suite struct CAdvisorSourceEndToEndTests {
    func run(_ args: [String]) async throws -> (status: Int32, output: String) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-cadvisor-\(getpid())").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return try await spawn(["env", "HOME=\(home)", "KUBECONFIG=", try kubeglassBinary()] + args + ["--no-state"])
    }

    /// The JSON document the command printed (warnings, on stderr, may come first).
    func json(_ output: String) throws -> [String: Any] {
        let start = try #require(output.firstIndex(of: "{"), "\(output)")
        let object = try JSONSerialization.jsonObject(with: Data(output[start...].utf8))
        return try #require(object as? [String: Any], "\(output)")
    }

    func vector(_ output: String) throws -> [String: Double] { try result(output).values }

    /// `namespace/pod/container name` → value, and the nodes seen, from `kubeglass query --format json`.
    func result(_ output: String) throws -> (values: [String: Double], nodes: Set<String>) {
        let object = try json(output)
        let result = try #require(object["result"] as? [[String: Any]], "\(output)")
        var out: [String: Double] = [:]
        var nodes = Set<String>()
        for r in result {
            let m = try #require(r["metric"] as? [String: String])
            if let node = m["node"] { nodes.insert(node) }
            let v = try #require((r["value"] as? [Any])?.last as? String)
            out["\(m["namespace"] ?? "")/\(m["pod"] ?? "")/\(m["container"] ?? "") \(m["__name__"] ?? "")"] = Double(v)
        }
        return (out, nodes)
    }

    @Test func containerSeriesMatchTheMetricsAPIOfTheSameFrozenSim() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "24", "--seed", "5", "--freeze"])
        let query = #"{__name__=~"kubeglass_container_(cpu_usage_cores|memory_working_set_bytes)"}"#
        let (metricsStatus, metricsOutput) = try await run([
            "query", "--kubeconfig", sim.kubeconfig, "--source", "metrics", "--format", "json", query,
        ])
        #expect(metricsStatus == 0, "\(metricsOutput)")
        let (expected, nodes) = try result(metricsOutput)
        #expect(expected.count > 10 && nodes.count == 3, "\(nodes)")
        let flags = nodes.sorted().flatMap { ["--cadvisor", "\($0)=\(sim.httpURL)/cadvisor/\($0)"] }
        let (status, output) = try await run(["query", "--source", "cadvisor"] + flags + ["--format", "json", query])
        #expect(status == 0, "\(output)")
        let got = try vector(output)
        #expect(Set(got.keys) == Set(expected.keys), "the same containers, named from the cAdvisors' labels")
        for (key, want) in expected {
            let value = try #require(got[key], "\(key)")
            // CPU from cumulative nanoseconds 15 s apart; memory as the model gives it (the metrics API in KiB).
            let tolerance = key.contains("memory") ? 1024 : max(1e-6, want * 1e-3)
            #expect(abs(value - want) <= tolerance, "\(key): cAdvisor \(value), metrics API \(want)")
        }

        let (onceStatus, once) = try await run(
            ["once", "--source", "cadvisor"] + flags + ["--format", "json", "--panel", "Nodes ready"])
        #expect(onceStatus == 0, "\(once)")
        let object = try json(once)
        let panel = try #require((object["panels"] as? [[String: Any]])?.first)
        #expect(panel["error"] is NSNull, "\(once)")
        let target = try #require((panel["targets"] as? [[String: Any]])?.first)
        let points = try #require(((target["series"] as? [[String: Any]])?.first?["points"]) as? [[Double]])
        #expect(points.first?[1] == 3, "three nodes ready: \(once)")
    }
}
