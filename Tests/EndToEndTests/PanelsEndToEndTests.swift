import Foundation
import TestSupport
import Testing

/// Issue 18 in the real program: a range longer than the history held says where the history starts, Enter on
/// "Pods not running" lists those pods, and `w` asks before writing only the edited query into the built-in's
/// own text (its comments kept).
@Suite(.serialized)
struct PanelsEndToEndTests {
    @Test func historyHintStatDrillDownAndWriteThatAsksAndKeepsComments() async throws {
        let bin = try kubeglassBinary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-panels-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let tmux = try TmuxSession(
            command: "\(bin) --retention 1h", width: 120, height: 40,
            environment: [
                "HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "XDG_STATE_HOME": home.path + "/state",
                "KUBECONFIG": "", "TERM": "tmux-256color",
            ])
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("node-12") }
        #expect(try tmux.capture()[0].contains("last 1h · every 5s"), "an hour of history covers the hour")
        try tmux.send("t")
        try tmux.send("-l", "6h")
        try tmux.send("Enter")
        try await tmux.waitFor("the history's start in the header") {
            $0.first?.contains(#/last 6h · history from \d\d:\d\d · every 5s/#) == true
        }

        for _ in 0..<4 { try tmux.send("Tab") }
        try tmux.send("Enter")
        let pods = try await tmux.waitFor("the pods that are not running") {
            $0.first?.contains("Cluster ▸ Pods not running") == true && $0.joined().contains("CrashLoopBackOff")
        }
        #expect(!pods.joined().contains("Running "), "only the pods the stat counts")
        try tmux.send("BSpace")
        try await tmux.waitFor("back on Cluster") { $0.first?.contains("▸ Cluster ") == true }

        try tmux.send("w")
        try await tmux.waitFor("nothing to write") { $0.joined().contains("no changes to write") }
        try tmux.send("Tab")
        try tmux.send("Tab")
        try tmux.send("e")
        try tmux.send("C-u")
        try tmux.send("-l", "2 * sum(kubeglass_node_cpu_usage_cores)")
        try tmux.send("Enter")
        try tmux.send("w")
        try await tmux.waitFor("the question") { $0.joined().contains("write 1 changed query to ") }
        let written = home.path + "/config/kubeglass/dashboards/cluster.yaml"
        #expect(!FileManager.default.fileExists(atPath: written), "nothing is written before y")
        try tmux.send("y")
        try await tmux.waitFor("written") { $0.joined().contains("wrote 1 changed query") }
        let builtin = try String(contentsOf: RepositoryFiles.url("dashboards/cluster.yaml"), encoding: .utf8)
        let text = try String(contentsOfFile: written, encoding: .utf8)
        #expect(
            text
                == builtin.replacingOccurrences(
                    of: "{expr: sum(kubeglass_node_cpu_usage_cores), legend: usage}",
                    with: "{expr: 2 * sum(kubeglass_node_cpu_usage_cores), legend: usage}"))
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }
}
