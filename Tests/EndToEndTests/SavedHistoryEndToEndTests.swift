import Foundation
import TestSupport
import Testing

/// History kept between runs, with the real program in tmux: saved on quit and every few seconds,
/// restored at start, read back by `query --state-dir`, and whole after kill -9 at any moment.
@Suite(.serialized)
struct SavedHistoryEndToEndTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-state-\(getpid())").path
    var stateDir: String { home + "/state" }
    var environment: [String: String] { ["HOME": home, "KUBECONFIG": "", "TERM": "tmux-256color"] }

    func start(_ bin: String) throws -> TmuxSession {
        try TmuxSession(
            command: "\(bin) --demo-pods 100 --refresh 1s --state-dir \(stateDir) --save-every 1s", width: 120,
            height: 40,
            environment: environment)
    }

    /// `kubeglass query` over the saved file: the number of pods with CPU series.
    func savedPodCount(_ bin: String) async throws -> (status: Int32, output: String) {
        try await spawn([
            "env", "HOME=\(home)", "KUBECONFIG=", bin, "query", "count(kubeglass_pod_cpu_usage_cores)",
            "--state-dir", stateDir, "--demo-pods", "100",
        ])
    }

    @Test func historySurvivesQuitAndKillNine() async throws {
        let bin = try kubeglassBinary()
        try? FileManager.default.removeItem(atPath: home)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = stateDir + "/demo.store"

        // Kill -9 while it saves every second (a save of the demo's hour takes a part of that):
        // whatever moment the kill lands, the file left is whole.
        var rng = SplitMix64(state: 11)
        for round in 0..<4 {
            let tmux = try start(bin)
            try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("node-01") }
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: file) && Date() < deadline { usleep(100_000) }
            usleep(UInt32(200_000 + rng.next() % 1_500_000))
            let shell = try tmux.format("#{pane_pid}")
            let child = try await spawn(["pgrep", "-P", shell]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(Int32(child.split(separator: "\n").first ?? ""), "kubeglass's pid (round \(round))")
            #expect(kill(pid, SIGKILL) == 0)
            // Not from the screen: a kill in the middle of an escape sequence may swallow what the shell prints next.
            let gone = Date().addingTimeInterval(30)
            while kill(pid, 0) == 0 && Date() < gone { usleep(50_000) }
            #expect(kill(pid, 0) != 0, "round \(round): kubeglass is gone after kill -9")
            let (status, output) = try await savedPodCount(bin)
            #expect(status == 0, "round \(round): \(output)")
            #expect(output.contains("value"), "round \(round): \(output)")
        }

        // A clean run restores it, says so, and saves on q.
        let tmux = try start(bin)
        let screen = try await tmux.waitFor("history restored", timeout: 90) {
            $0.joined().contains("history restored:")
        }
        #expect(screen.joined().contains("series"))
        let saved = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as! Date
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 30) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
        let after = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as! Date
        #expect(after >= saved, "saved again on quit")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: stateDir).filter { $0 != "demo.store" }
        #expect(leftovers.isEmpty, "killed saves' temporary files are cleaned up: \(leftovers)")
        let (status, output) = try await savedPodCount(bin)
        let count = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }.first ?? 0
        #expect(status == 0 && count > 80, "most of the demo's 100 pods run: \(output)")

        // A file for another cluster is not trusted: the dashboard says so and starts without it.
        let other = try TmuxSession(
            command: "\(bin) --demo-pods 30 --state-dir \(stateDir) --save-every 1h", width: 200, height: 40,
            environment: environment)
        let notice = try await other.waitFor("the refusal", timeout: 90) { $0.joined().contains("not restored") }
        #expect(notice.joined().contains("saved for another cluster"))
        try other.send("q")
        try await other.waitFor("kubeglass to exit", timeout: 30) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }
}
