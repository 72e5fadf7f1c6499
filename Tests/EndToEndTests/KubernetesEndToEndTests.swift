import Foundation
import TestSupport
import Testing

/// kubeglass against `kubeglass sim` over the real Kubernetes APIs, with the real kubectl as the
/// independent client that says what the right answer is.
@Suite(.serialized)
struct KubernetesEndToEndTests {
    /// The kubectl on PATH (scripts/test installs Debian's when there is none).
    static let kubectl: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { "\($0)/kubectl" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The status bar (the last line) says the last poll worked: "● … ok · 1s ago".
    static func polledOK(_ screen: [String]) -> Bool {
        screen.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })?.contains(" ok · ") == true
    }

    func environment(_ extra: [String: String] = [:]) throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-e2e-k8s-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"].merging(extra) { _, b in b }
    }

    /// Runs a program and returns its exit status and output, with HOME isolated from the machine's kubeconfig.
    func run(_ args: [String]) async throws -> (Int32, String) {
        let env = try environment()
        return try await spawn(["HOME=\(env["HOME"]!)", "KUBECONFIG="] + args)
    }

    @Test(.enabled(if: kubectl != nil, "needs kubectl"))
    func topPrintsWhatKubectlPrints() async throws {
        let kubectl = try #require(Self.kubectl)
        // kubectl 1.32 (v1.32.4 here) heads the node percentages CPU(%); older ones CPU%.
        let (_, version) = try await run([kubectl, "version", "--client", "-o", "json"])
        let minor =
            version.range(of: #""minor": *"([0-9]+)"#, options: .regularExpression)
            .map { version[$0].filter(\.isNumber) }.flatMap { Int($0) } ?? 32
        let headers = minor >= 32 ? "new" : "old"
        let sim = try SimProcess(["--nodes", "7", "--pods", "60", "--seed", "3", "--freeze"])
        let bin = try kubeglassBinary()
        let cases: [([String], [String])] = [
            (["top", "nodes"], ["top", "nodes", "--headers", headers]),
            (["top", "nodes", "--sort-by", "memory"], ["top", "nodes", "--sort-by", "memory", "--headers", headers]),
            (["top", "pods", "-A"], ["top", "pods", "-A"]),
            // Sorting by usage: kubectl's sort is unstable (Go's pdqsort) past 12 rows, so equal values
            // may come in another order; with fewer rows it is an insertion sort, stable like ours.
            (
                ["top", "pods", "-n", "monitoring", "--sort-by", "cpu"],
                ["top", "pods", "-n", "monitoring", "--sort-by", "cpu"]
            ),
            (
                ["top", "pods", "-n", "kube-system", "--containers"],
                ["top", "pods", "-n", "kube-system", "--containers"]
            ),
            (
                ["top", "pods", "-n", "monitoring", "--no-headers"],
                ["top", "pods", "-n", "monitoring", "--no-headers"]
            ),
        ]
        for (kubectlArgs, ourArgs) in cases {
            let (kStatus, expected) = try await run([kubectl, "--kubeconfig", sim.kubeconfig] + kubectlArgs)
            let (ourStatus, got) = try await run([bin] + ourArgs + ["--kubeconfig", sim.kubeconfig])
            #expect(kStatus == 0, "kubectl \(kubectlArgs.joined(separator: " ")) failed: \(expected)")
            #expect(ourStatus == 0, "kubeglass \(ourArgs.joined(separator: " ")) failed: \(got)")
            #expect(got == expected, "kubeglass \(ourArgs.joined(separator: " ")) differs from kubectl")
            #expect(
                expected.split(separator: "\n").count > 1,
                "kubectl \(kubectlArgs.joined(separator: " ")) printed too little to compare: \(expected)")
        }
    }

    /// A store too small for the cluster (`--max-series 1000` for 1,500 pods): the Cluster dashboard still
    /// counts every pod as `kubectl get pods` does, and the pods kept are `kubectl top`'s busiest.
    @Test(.enabled(if: kubectl != nil, "needs kubectl"))
    func aFullStoreStillCountsEveryPodAndKeepsTheBusiest() async throws {
        let kubectl = try #require(Self.kubectl)
        let sim = try SimProcess(["--nodes", "40", "--pods", "1500", "--seed", "5", "--freeze"])
        let bin = try kubeglassBinary()
        let (getStatus, listed) = try await run([
            kubectl, "--kubeconfig", sim.kubeconfig, "get", "pods", "-A", "--no-headers",
        ])
        #expect(getStatus == 0, "kubectl get pods: \(listed)")
        let statuses = listed.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)[3]
        }
        #expect(statuses.count == 1500)
        /// The single value of a panel of the Cluster dashboard, as `kubeglass once` gives it.
        func panel(_ title: String) async throws -> Double? {
            let (status, output) = try await run([
                bin, "once", "--kubeconfig", sim.kubeconfig, "--max-series", "1000", "--format", "json", "--panel",
                title,
            ])
            #expect(status == 0, "once --panel \(title): \(output)")
            let json = try #require(output.split(separator: "\n").first { $0.hasPrefix("{\"dashboard\"") })
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let target = ((object?["panels"] as? [[String: Any]])?.first?["targets"] as? [[String: Any]])?.first
            let points = (target?["series"] as? [[String: Any]])?.first?["points"] as? [[Any]]
            return points?.last?.last as? Double
        }
        await #expect(try panel("Pods running") == Double(statuses.filter { $0 == "Running" }.count))
        await #expect(
            try panel("Pods not running") == Double(statuses.filter { $0 != "Running" && $0 != "Completed" }.count))
        /// An instant query's single value over the same too-small store.
        func query(_ expr: String) async throws -> Double? {
            let (status, output) = try await run([
                bin, "query", "--kubeconfig", sim.kubeconfig, "--max-series", "1000", "--format", "json", expr,
            ])
            #expect(status == 0, "query \(expr): \(output)")
            let json = try #require(output.split(separator: "\n").first { $0.hasPrefix("{") })
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let value = ((object?["result"] as? [[String: Any]])?.first?["value"] as? [Any])?.last as? String
            return value.flatMap(Double.init)
        }
        let (topStatus, top) = try await run([
            kubectl, "--kubeconfig", sim.kubeconfig, "top", "pods", "-A", "--sort-by", "cpu", "--no-headers",
        ])
        #expect(topStatus == 0, "kubectl top pods: \(top)")
        let busiest = top.split(separator: "\n").compactMap {
            Double($0.split(separator: " ", omittingEmptySubsequences: true)[2].dropLast())
        }
        let kept = try await #require(try query("count(kubeglass_pod_cpu_usage_cores)"))
        #expect(
            kept >= 10 && Int(kept) < busiest.count, "the store keeps some pods, not all: \(kept) of \(busiest.count)")
        await #expect(try query("max(kubeglass_pod_cpu_usage_cores)").map { ($0 * 1000).rounded(.up) } == busiest.first)
        // Every pod kept is at least as busy as kubectl's Nth busiest, N the number kept (1m for rounding).
        let leastKept = try await #require(try query("min(kubeglass_pod_cpu_usage_cores)"))
        #expect(
            leastKept * 1000 >= busiest[Int(kept) - 1] - 1,
            "least busy kept: \(leastKept * 1000)m, kubectl's #\(Int(kept)): \(busiest[Int(kept) - 1])m")
    }

    @Test func dashboardShowsTheSimulatedClusterOverHTTPSWithAClientCertificate() async throws {
        let sim = try SimProcess(["--nodes", "5", "--pods", "40", "--seed", "5"])
        let kubeconfig = try String(contentsOfFile: sim.kubeconfig, encoding: .utf8)
        #expect(
            kubeconfig.contains("client-certificate-data"),
            "the sim's kubeconfig authenticates with a client certificate")
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(sim.kubeconfig) --refresh 1s",
            width: 140, height: 45, environment: try environment())
        let screen = try await tmux.waitFor("the dashboard with the sim's nodes", timeout: 90) { s in
            let t = s.joined(separator: "\n")
            return t.contains("Top pods") && t.contains("kubeglass-sim") && Self.polledOK(s)
        }
        let text = screen.joined(separator: "\n")
        #expect(!screen[0].contains("DEMO"), "a real (simulated-over-HTTP) cluster is not the demo")
        #expect(screen[0].contains(sim.httpsURL) || text.contains("kubeglass-sim"))
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func anUnreachableClusterShowsItsErrorNeverTheDemo() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kg-dead-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let path = dir.appendingPathComponent("kubeconfig").path
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: dead, cluster: {server: "https://127.0.0.1:\(port)", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: not-a-real-token}}]
        contexts: [{name: dead-cluster, context: {cluster: dead, user: u}}]
        current-context: dead-cluster
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(path) --refresh 1s",
            width: 120, height: 40, environment: try environment())
        let screen = try await tmux.waitFor("the connection error", timeout: 60) {
            $0.joined().contains("cannot connect")
        }
        let text = screen.joined(separator: "\n")
        #expect(!text.contains("DEMO"))
        #expect(text.contains("TLS NOT VERIFIED"), "insecure-skip-tls-verify is shown in the header")
        #expect(!text.contains("not-a-real-token"))
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func withoutTheMetricsAPIRequestsStillShowAndTopSaysWhy() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20", "--no-metrics-api"])
        let bin = try kubeglassBinary()
        let (status, output) = try await run([bin, "poll", "--kubeconfig", sim.kubeconfig])
        #expect(status == 0, "\(output)")
        #expect(output.contains("warning: metrics API not available (is metrics-server installed?)"))
        #expect(output.contains("without it, kubeglass --source summary reads usage from the kubelets"))
        #expect(output.contains("kubeglass_pod_cpu_requests_cores"))
        #expect(output.contains("kubeglass_node_cpu_allocatable_cores 3"))
        #expect(!output.contains("kubeglass_node_cpu_usage_cores"))
        let (topStatus, topOutput) = try await run([bin, "top", "nodes", "--kubeconfig", sim.kubeconfig])
        #expect(topStatus == 1)
        #expect(topOutput.contains("metrics API not available (is metrics-server installed?)"))
        #expect(topOutput.contains("--source summary") && topOutput.contains("--source local, on a Linux node"))
    }

    /// `poll --openmetrics` writes what it polled in a file a real promtool turns into a Prometheus TSDB, and
    /// that Prometheus counts the same series as the poll.
    @Test func pollWritesOpenMetricsThatPrometheusLoads() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20"])
        let dir = try TempDirectory("kubeglass-e2e-om")
        defer { dir.remove() }
        let file = dir.path + "/poll.om"
        let (status, output) = try await run([
            try kubeglassBinary(), "poll", "--kubeconfig", sim.kubeconfig, "--openmetrics", file,
        ])
        #expect(status == 0, "\(output)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasSuffix("# EOF\n"))
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("kubeglass_pod_cpu_requests_cores{") }
        #expect(lines.count > 0 && output.contains("kubeglass_pod_cpu_requests_cores \(lines.count)"), "\(output)")
        let at = try #require(lines.first?.split(separator: " ").last)
        let prometheus = try await PrometheusServer(openMetrics: text)
        defer { prometheus.stop() }
        let query = queryEncoded("count(kubeglass_pod_cpu_requests_cores)")
        let answer = try await #require(try curl("\(prometheus.url)/api/v1/query?query=\(query)&time=\(at)"))
        #expect(answer.contains("\"\(lines.count)\"]"), "\(answer)")
    }

    @Test func summarySourceAddsNetworkAndFilesystem() async throws {
        let sim = try SimProcess(["--nodes", "4", "--pods", "30"])
        let (status, output) = try await run([
            try kubeglassBinary(), "poll", "--source", "summary", "--kubeconfig", sim.kubeconfig,
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("kubeglass_node_filesystem_usage_bytes 4"))
        #expect(output.contains("kubeglass_node_memory_usage_bytes 4"))
        #expect(output.contains("kubeglass_pod_cpu_usage_cores"))
    }

    @Test func faultsNeverStopTheDashboard() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20", "--error-rate", "0.15", "--truncate-rate", "0.15"])
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(sim.kubeconfig) --refresh 1s",
            width: 120, height: 40, environment: try environment())
        // Three requests in ten fail; each is asked again within its poll, so polls bring their data (before
        // partial results, four polls in five failed and the status bar mostly showed ✖).
        try await tmux.waitFor("a successful poll", timeout: 90) { Self.polledOK($0) }
        var good = 0
        for _ in 0..<10 {
            try tmux.send("r")
            try await Task.sleep(for: .milliseconds(1500))
            if Self.polledOK(try tmux.capture()) { good += 1 }
        }
        #expect(good >= 6, "only \(good) of 10 looks after a refresh saw ok")
        #expect(!(try tmux.capture()).joined().contains("KUBEGLASS_EXITED"), "kubeglass is still running")
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func aDeadServerTurnsPanelsStaleAndPollingRecoversWhenItReturns() async throws {
        let httpPort = try freeLoopbackPort()
        var sim: SimProcess? = try SimProcess(["--nodes", "3", "--pods", "20", "--seed", "9"], httpPort: httpPort)
        let kubeconfig = try sim!.writeKubeconfig(named: "plain-http", server: "http://127.0.0.1:\(httpPort)")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kg-stale-\(getpid()).yaml").path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: kubeconfig, toPath: copy)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(copy) --refresh 500ms",
            width: 120, height: 40, environment: try environment())
        try await tmux.waitFor("data from the sim", timeout: 90) { Self.polledOK($0) }
        sim?.stop()
        sim = nil
        try await tmux.waitFor("stale panels", timeout: 60) { $0.joined().contains("stale") }
        sim = try SimProcess(["--nodes", "3", "--pods", "20", "--seed", "9"], httpPort: httpPort)
        try await tmux.waitFor("recovery after the server returns", timeout: 90) { s in
            let t = s.joined()
            return Self.polledOK(s) && !t.contains("stale")
        }
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func anExecPluginIsRunAgainWhenItsTokenExpires() async throws {
        let sim = try SimProcess([
            "--nodes", "3", "--pods", "10", "--token", "sim-secret", "--expire-token-after", "2s",
        ])
        let plugin = sim.directory.appendingPathComponent("get-token").path
        let runs = sim.directory.appendingPathComponent("runs").path
        try """
        #!/bin/sh
        echo run >> '\(runs)'
        n=$(wc -l < '\(runs)')
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"sim-secret.%s"}}' "$n"
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let path = try sim.writeExecKubeconfig(plugin: plugin)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(path) --refresh 500ms",
            width: 120, height: 40, environment: try environment())
        try await tmux.waitFor("data through the plugin's token", timeout: 90) { Self.polledOK($0) }
        let deadline = Date().addingTimeInterval(30)
        var count = 0
        while Date() < deadline {
            count = ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").count
            if count >= 2 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(count >= 2, "the plugin ran again after the sim stopped accepting its first token")
        try await tmux.waitFor("polls still succeeding with the new token", timeout: 30) { Self.polledOK($0) }
        #expect(!(try tmux.capture()).joined().contains("sim-secret"))
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }
}
