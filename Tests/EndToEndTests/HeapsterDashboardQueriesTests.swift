import Dashboards
import Foundation
import Query
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The Heapster-InfluxDB flavours of the built-in dashboards run on a real InfluxDB 1.6 holding
/// Heapster-schema points: every query and variable query is valid InfluxQL and finds data.
struct HeapsterDashboardQueriesTests {
    /// An hour of one-minute points for two nodes, two pods and three containers, as Heapster wrote them.
    static func heapsterPoints(now: Int) -> String {
        var lines: [String] = []
        let pods = [("shop", "web-1", "node-01", ["web", "sidecar"]), ("kube-system", "dns-1", "node-02", ["dns"])]
        let usage: [(String, Double)] = [
            ("cpu/usage_rate", 150), ("cpu/request", 200), ("cpu/limit", 400), ("memory/usage", 3e8),
            ("memory/working_set", 2e8), ("memory/request", 1e8), ("memory/limit", 4e8), ("uptime", 1e5),
        ]
        for t in stride(from: now - 3600, to: now, by: 60) {
            let ns = "\(t)000000000"
            for node in ["node-01", "node-02"] {
                for (m, v) in usage + [
                    ("cpu/node_allocatable", 3900), ("cpu/node_utilization", 0.4), ("memory/node_allocatable", 7e9),
                    ("memory/node_utilization", 0.3), ("network/rx_rate", 1e5), ("network/tx_rate", 2e5),
                ] {
                    lines.append("\(m),type=node,nodename=\(node) value=\(v) \(ns)")
                }
                for (m, v) in [("filesystem/usage", 1e10), ("filesystem/limit", 1e11)] {
                    lines.append("\(m),type=node,nodename=\(node),resource_id=/dev/sda1 value=\(v) \(ns)")
                }
            }
            for (namespace, pod, node, containers) in pods {
                for (m, v) in usage + [
                    ("network/rx_rate", 1e4), ("network/tx_rate", 2e4), ("filesystem/usage", 1e6),
                    ("filesystem/limit", 1e9),
                ] {
                    lines.append(
                        "\(m),type=pod,namespace_name=\(namespace),pod_name=\(pod),nodename=\(node) value=\(v) \(ns)")
                }
                for c in containers {
                    for (m, v) in usage + [("restart_count", 1)] {
                        lines.append(
                            "\(m),type=pod_container,namespace_name=\(namespace),pod_name=\(pod),nodename=\(node),container_name=\(c) value=\(v) \(ns)"
                        )
                    }
                }
                for (m, v) in usage {
                    lines.append("\(m),type=ns,namespace_name=\(namespace) value=\(v) \(ns)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Grafana's macros and the variables, as the InfluxDB backend fills them in for a one-hour range.
    static func expand(_ query: String, variables: [Variable]) -> String {
        var values: [String: [String]] = [
            "timeFilter": ["time > now() - 1h"], "__interval": ["1m"], "interval": ["1m"],
        ]
        for v in variables {
            values[v.name] = [["namespace": "shop", "pod": "web-1", "nodename": "(node-01|node-02)"][v.name] ?? "x"]
        }
        return VariableValues(values: values).expand(query, format: .text)
    }

    @Test func everyInfluxQueryRunsAndFindsData() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/influxd") else {
            Issue.record("InfluxDB is not installed: scripts/test installs the Debian package influxdb")
            return
        }
        // The shared test server: a full config and a patient start (the whole suite runs at once on 2 cores).
        let influx = try await InfluxServer()
        defer { influx.stop() }
        let base = influx.url
        let http = RealPrometheus.http
        func post(_ path: String, _ body: String) async throws {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = "POST"
            request.httpBody = Data(body.utf8)
            if path.hasPrefix("/query") {
                request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            }
            let (data, r) = try await http.data(for: request)
            #expect(
                ((r as? HTTPURLResponse)?.statusCode ?? 0) / 100 == 2,
                "\(path): \(String(decoding: data, as: UTF8.self))")
        }
        try await post("/query", "q=CREATE%20DATABASE%20k8s")
        try await post("/write?db=k8s", Self.heapsterPoints(now: Int(Date().timeIntervalSince1970)))

        /// One statement's result: its error, and whether it has series.
        func run(_ q: String) async throws -> (error: String?, hasSeries: Bool) {
            var c = URLComponents(string: base + "/query")!
            c.queryItems = [
                URLQueryItem(name: "db", value: "k8s"), URLQueryItem(name: "epoch", value: "ms"),
                URLQueryItem(name: "q", value: q),
            ]
            let (data, _) = try await http.data(from: c.url!)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            if let e = object?["error"] as? String { return (e, false) }
            let result = (object?["results"] as? [[String: Any]])?.first
            return (result?["error"] as? String, !((result?["series"] as? [Any])?.isEmpty ?? true))
        }

        var count = 0
        for d in try BuiltinDashboards.all() where d.datasource == .influxdb {
            for v in d.variables {
                let (error, hasSeries) = try await run(Self.expand(v.query, variables: d.variables))
                #expect(error == nil && hasSeries, "\(d.name): variable \(v.name): \(error ?? "no values")")
            }
            for p in d.panels {
                for q in p.targets.map(\.expr) + p.columns.compactMap(\.expr) {
                    let text = Self.expand(q, variables: d.variables)
                    let (error, hasSeries) = try await run(text)
                    #expect(error == nil, "\(d.name) / \(p.title): \(error ?? "") in \(text)")
                    #expect(hasSeries, "\(d.name) / \(p.title): no series from \(text)")
                    count += 1
                }
            }
        }
        #expect(count > 80)
    }
}
