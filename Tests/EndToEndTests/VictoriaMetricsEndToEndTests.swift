import Foundation
import TestSupport
import Testing

/// The scale-out path: the real binary with `--prometheus` pointed at a VictoriaMetrics that scrapes
/// `kubeglass sim`'s cAdvisor, kube-state-metrics and node-exporter endpoints every second. The
/// `*-prometheus` dashboards show its data in tmux, and `once` gives what it answers, point for point.
@Suite(.serialized) struct VictoriaMetricsEndToEndTests {
    func environment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-e2e-vm-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"]
    }

    static func nonEmpty(_ screen: [String]) -> String {
        screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
    }

    /// A query's result count at VictoriaMetrics' now (which is 30 s ago: `-search.latencyOffset`).
    static func resultCount(_ server: VictoriaMetricsServer, _ expr: String) async -> Int? {
        guard let body = try? await curl("\(server.url)/api/v1/query?query=\(queryEncoded(expr))"),
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let result = (json["data"] as? [String: Any])?["result"] as? [[String: Any]],
            let value = (result.first?["value"] as? [Any])?.last as? String
        else { return nil }
        return Int(value)
    }

    @Test(.timeLimit(.minutes(4)))
    func prometheusDashboardsShowWhatVictoriaMetricsAnswers() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20", "--seed", "9"])
        let target = sim.httpURL.replacing("http://", with: "")
        let server = try await VictoriaMetricsServer(scrape: [
            ("cadvisor", target, "/metrics/cadvisor"), ("kube-state-metrics", target, "/metrics/kube-state-metrics"),
            ("node-exporter", target, "/metrics/node-exporter"),
        ])
        defer { server.stop() }
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --prometheus \(server.url) --refresh 1s --no-state", width: 120,
            height: 40, environment: try environment())

        // The server answers at once, but its data shows only once it is 30 s old.
        _ = try await tmux.waitFor("VictoriaMetrics to answer", timeout: 60) { Self.nonEmpty($0).contains(" ok · ") }
        let deadline = Date().addingTimeInterval(120)
        // Each job's first samples show 30 s after its first scrape; the jobs' first scrapes are apart.
        while Date() < deadline {
            let pods = await Self.resultCount(server, "count(kube_pod_info)")
            let filesystems = await Self.resultCount(server, "count(node_filesystem_size_bytes)") ?? 0
            if pods == 20 && filesystems > 0 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        await #expect(Self.resultCount(server, "count(kube_pod_info)") == 20)
        await #expect(Self.resultCount(server, "count(node_filesystem_size_bytes)") ?? 0 > 0)

        let screen = try await tmux.waitFor("the Cluster (Prometheus) dashboard with the sim's data", timeout: 60) {
            let text = $0.joined(separator: "\n")
            return text.contains("Cluster (Prometheus)") && text.contains("node-01") && text.contains("Top pods")
                && Self.nonEmpty($0).contains(" ok · ")
        }
        let text = screen.joined(separator: "\n")
        #expect(!text.contains("✖"), "\(text)")
        try tmux.resize(width: 80, height: 24)
        _ = try await tmux.waitFor("the dashboard at 80x24", timeout: 30) { screen in
            screen.first?.count ?? 0 <= 80 && screen.joined().contains("CPU used")
        }
        try tmux.send("q")
        _ = try await tmux.waitFor("kubeglass to exit", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=0") }
        }

        // `once` over the four dashboards, the window ending where VictoriaMetrics' answers are final, with
        // steps fine enough (1 s scrapes, a wide panel) that its last seconds hold several points. Final is
        // 30 s back (`-search.latencyOffset`) on a quiet machine; one CI run, its cores busy with the other
        // end-to-end tests, saw VictoriaMetrics' own answer for a point 31 s back change between `once` and
        // the test's query (a sum 2% higher: samples stored late), so the window ends a minute back, once
        // there is a minute more of data.
        try await Task.sleep(for: .seconds(42))
        let end = Int(Date().timeIntervalSince1970) - 61
        // The Namespace dashboard on a namespace with running containers (the sim's `batch` has none).
        let namespaces = try await #require(
            try curl(
                "\(server.url)/api/v1/label/namespace/values?match[]=\(queryEncoded("container_cpu_usage_seconds_total{container!=\"\"}"))"
            ))
        let namespace = try #require(
            ((try JSONSerialization.jsonObject(with: Data(namespaces.utf8)) as? [String: Any])?["data"] as? [String])?
                .first { $0 != "kube-system" })
        var compared = 0
        for name in ["cluster-prometheus", "nodes-prometheus", "pods-prometheus", "namespace-prometheus"] {
            let run = try await spawn(
                [
                    try kubeglassBinary(), "once", "--prometheus", server.url, "--prometheus-step", "1s", "--width",
                    "400",
                    "--dashboard", name, "--end", "\(end)", "--format", "json",
                ] + (name == "namespace-prometheus" ? ["--var", "namespace=\(namespace)"] : []))
            #expect(run.status == 0, "\(name): \(run.output)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
            let panels = try #require(report["panels"] as? [[String: Any]])
            var empty: [String] = []
            for panel in panels {
                #expect(panel["error"] is NSNull, "\(name) / \(panel["title"] ?? ""): \(panel["error"] ?? "")")
                let targets = panel["targets"] as? [[String: Any]] ?? []
                let rows = (panel["table"] as? [String: Any])?["total"] as? Int ?? 0
                if rows == 0, !targets.contains(where: { !($0["series"] as? [Any] ?? []).isEmpty }) {
                    empty.append(panel["title"] as? String ?? "")
                }
                guard name == "cluster-prometheus" else { continue }
                for target in targets {
                    guard let step = target["step"] as? Double, let start = target["start"] as? Double,
                        let stop = target["end"] as? Double, let query = target["query"] as? String
                    else { continue }
                    let url =
                        "\(server.url)/api/v1/query_range?query=\(queryEncoded(query))&start=\(start)&end=\(stop)&step=\(step)"
                    let body = try await #require(try curl(url))
                    let prefix = "{\"status\":\"success\",\"data\":"
                    #expect(body.hasPrefix(prefix), "\(body.prefix(300))")
                    compared += try PrometheusDashboardTests.compare(
                        ours: target["series"] as? [[String: Any]] ?? [],
                        theirs: String(body.dropFirst(prefix.count).dropLast()), start: start, step: step)
                }
            }
            #expect(empty.count * 5 <= panels.count, "\(name): \(empty) of \(panels.count) panels have no data")
        }
        #expect(compared > 10, "compared \(compared) points")
        withExtendedLifetime(sim) {}
    }
}
