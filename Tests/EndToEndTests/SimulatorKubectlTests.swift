import Foundation
import TestSupport
import Testing

/// The real kubectl (an independent client) against `kubeglass sim`: it must take the sim for a cluster.
@Suite(.serialized) struct SimulatorKubectlTests {
    /// A running `kubeglass sim` and the kubeconfig it wrote.
    struct Sim {
        let process: ChildProcess
        let kubeconfig: String
        let httpURL: String
        let log: String
    }

    func startSim(_ extra: [String] = []) throws -> Sim {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-sim-e2e-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let kubeconfig = dir + "/kubeconfig"
        let log = dir + "/sim.log"
        let process = try ChildProcess(
            try kubeglassBinary(),
            [
                "sim", "--port", "0", "--http-port", "0", "--nodes", "8", "--pods", "200",
                "--kubeconfig-out", kubeconfig,
            ] + extra, logPath: log)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("kubeglass sim:") }),
                let http = line.split(separator: " ").first(where: { $0.hasPrefix("http://") })
            {
                return Sim(process: process, kubeconfig: kubeconfig, httpURL: String(http), log: log)
            }
            guard process.isRunning else { throw SpawnError(message: "kubeglass sim exited early: \(text)") }
            usleep(50_000)
        }
        process.stop()
        throw SpawnError(message: "kubeglass sim printed no start line within 60 s")
    }

    func kubectl(_ sim: Sim, _ args: String...) async throws -> String {
        let (status, output) = try await spawn(
            ["kubectl", "--kubeconfig", sim.kubeconfig, "--request-timeout", "30s"] + args)
        #expect(status == 0, "kubectl \(args.joined(separator: " ")) failed: \(output)")
        return output
    }

    func checkKubectl(_ sim: Sim) async throws {
        let nodes = try await kubectl(sim, "get", "nodes")
        #expect(nodes.hasPrefix("NAME"))
        #expect(nodes.contains("STATUS") && nodes.contains("ROLES") && nodes.contains("VERSION"))
        for n in 1...8 { #expect(nodes.contains("node-0\(n) ")) }
        #expect(nodes.contains("Ready,MemoryPressure"))
        #expect(nodes.contains("v1.32.4"))

        let pods = try await kubectl(sim, "get", "pods", "-A")
        let podLines = pods.split(separator: "\n")
        #expect(podLines.first?.hasPrefix("NAMESPACE") == true && podLines.first?.contains("RESTARTS") == true)
        #expect(podLines.count == 201, "a header and the 200 pods")
        #expect(pods.contains("Running") && pods.contains("Completed") && pods.contains("Pending"))
        #expect(pods.contains("payments-worker"))

        let events = try await kubectl(sim, "get", "events", "-A")
        #expect(events.contains("BackOff") && events.contains("Warning"))

        let topNodes = try await kubectl(sim, "top", "nodes")
        #expect(topNodes.contains("CPU(cores)") && topNodes.contains("node-01"))
        let topPods = try await kubectl(sim, "top", "pods", "-A")
        #expect(topPods.contains("MEMORY(bytes)"))
        #expect(topPods.split(separator: "\n").count > 150, "every running pod")
    }

    @Test func kubectlWithTheClientCertificate() async throws {
        let sim = try startSim()
        defer { sim.process.stop() }
        try await checkKubectl(sim)
        let config = try String(contentsOfFile: sim.kubeconfig, encoding: .utf8)
        #expect(config.contains("client-certificate-data:") && config.contains("current-context: kubeglass-sim"))
    }

    @Test func kubectlWithTheToken() async throws {
        let sim = try startSim(["--auth", "token"])
        defer { sim.process.stop() }
        try await checkKubectl(sim)
        let config = try String(contentsOfFile: sim.kubeconfig, encoding: .utf8)
        #expect(config.contains("token:") && !config.contains("client-key-data"))
        let log = try String(contentsOfFile: sim.log, encoding: .utf8)
        let token = config.split(separator: "\n").first { $0.contains("token:") }!.split(separator: ":").last!
            .trimmingCharacters(in: .whitespaces)
        #expect(!log.contains(token), "the token is never printed")
    }

    @Test func kubectlWatchSeesPodsCreatedStartAndGo() async throws {
        let sim = try startSim(["--churn", "1200/min"])
        defer { sim.process.stop() }
        // kubectl lists, then watches from the list's resourceVersion until its request timeout ends it.
        let (_, output) = try await spawn(
            [
                "timeout", "30", "kubectl", "--kubeconfig", sim.kubeconfig, "--request-timeout", "6s", "get", "pods",
                "-A", "-w",
            ])
        let rows = output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.first?.first == "NAMESPACE", "\(output.prefix(300))")
        #expect(rows.count > 230, "the 200 listed pods and then the changes: \(rows.count) lines")
        // A pod churn created shows up ContainerCreating, then Running two seconds later.
        let created = Set(rows.filter { $0.count > 3 && $0[3] == "ContainerCreating" }.map { $0[1] })
        let started = Set(rows.filter { $0.count > 3 && $0[3] == "Running" && created.contains($0[1]) }.map { $0[1] })
        #expect(!created.isEmpty && !started.isEmpty, "\(output.suffix(1500))")
        #expect(!output.contains("too old resource version"), "kubectl watched from its own list's version")
    }

    @Test func stopsCleanlyOnSIGTERM() async throws {
        // A shell starts it, waits for its start line, sends SIGTERM at once (the sim watches for it before it
        // prints that line) and reports its exit status, or that it was still running 30 s later.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-sim-term-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            '\(try kubeglassBinary())' sim --port 0 --http-port 0 --nodes 3 --pods 20 > '\(dir)/log' 2>&1 &
            pid=$!
            for i in $(seq 1 600); do grep -q '^kubeglass sim:' '\(dir)/log' && break; sleep 0.05; done
            kill -TERM $pid
            for i in $(seq 1 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
            if kill -0 $pid 2>/dev/null; then echo "still running 30 s after SIGTERM"; kill -KILL $pid; fi
            wait $pid
            echo "exit=$?"
            """
        let (_, output) = try await offThePool { try spawn(["sh", "-c", script], timeout: 120) }
        #expect(output.contains("exit=0"), "\(output)")
    }
}
