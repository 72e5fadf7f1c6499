import Foundation
import TestSupport
import Testing

/// The real program in a real terminal (tmux), as a person would use it.
@Suite(.serialized)
struct DashboardEndToEndTests {
    static let titles = [
        "CPU used", "Memory used", "Nodes ready", "Pods running", "Cluster CPU", "Cluster memory",
        "Network", "Filesystem", "Nodes", "Top pods",
    ]

    /// An isolated HOME, so no kubeconfig is found and the demo opens by default.
    func cleanEnvironment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-e2e-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"]
    }

    @Test func opensTheClusterDashboardAndQuitsCleanly() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(
            command: "\(bin) --refresh 1s", width: 120, height: 40, environment: try cleanEnvironment())

        let first = try await tmux.waitFor("every panel title and data", timeout: 90) { screen in
            let text = screen.joined(separator: "\n")
            return DashboardEndToEndTests.titles.allSatisfy { text.contains($0) } && text.contains("node-01")
                && text.contains("ok")
        }
        let text = first.joined(separator: "\n")
        #expect(first[0].contains("Cluster"))
        #expect(first[0].contains("DEMO"), "the header must say the data is simulated")
        #expect(text.contains("GiB"), "memory is shown in IEC bytes")
        #expect(try tmux.format("#{alternate_on}") == "1", "the dashboard runs on the alternate screen")

        // Values move between polls: compare the panels, leaving out the header clock and the status bar's age.
        let body = { (s: [String]) in Array(s.dropFirst().dropLast(2)) }
        try await tmux.waitFor("the values to change on a later poll", timeout: 30) { body($0) != body(first) }

        try tmux.send("q")
        let after = try await tmux.waitFor("kubeglass to exit", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(after.contains { $0.contains("KUBEGLASS_EXITED=0") })
        #expect(try tmux.format("#{alternate_on}") == "0", "the terminal is back on the normal screen")
        #expect(!after.joined().contains("Top pods"), "the dashboard is gone from the restored screen")
        #expect(try tmux.format("#{cursor_flag}") == "1", "the cursor is visible again")
    }

    @Test func keysMoveFocusZoomAndShowHelp() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 120, height: 40, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) {
            $0.joined().contains("Top pods") && $0.joined().contains("node-01")
        }

        try tmux.send("?")
        try await tmux.waitFor("the help overlay") { $0.joined().contains("full screen for the focused panel") }
        try tmux.send("Escape")
        try await tmux.waitFor("help to close") { !$0.joined().contains("full screen for the focused panel") }

        // Focus the Nodes table (Tab through the panels), then zoom it with f: only it remains.
        for _ in 0..<10 { try tmux.send("Tab") }
        try tmux.send("f")
        let zoomed = try await tmux.waitFor("the Nodes panel full screen") { s in
            let t = s.joined(separator: "\n")
            return t.contains("Nodes") && !t.contains("Cluster CPU") && t.contains("node-12")
        }
        #expect(zoomed.joined().contains("Esc back"))
        try tmux.send("Escape")
        try await tmux.waitFor("the whole dashboard again") { $0.joined().contains("Cluster CPU") }

        // Enter on a node row drills down to the Node dashboard with $node set; Backspace comes back.
        try tmux.send("Enter")
        // The whole frame, not one half-flushed: the Node dashboard's own panels, none of Cluster's.
        try await tmux.waitFor("the Node dashboard") { s in
            s.first?.contains("▸ Node") == true && s.first?.contains("node=node-") == true
                && s.joined().contains("Conditions") && !s.joined().contains("Cluster CPU")
        }
        try tmux.send("BSpace")
        try await tmux.waitFor("the Cluster dashboard again") {
            $0.first?.contains("▸ Cluster") == true && $0.joined().contains("Cluster CPU")
        }
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func editAQueryInPlace() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 120, height: 40, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("node-01") }
        for _ in 0..<6 { try tmux.send("Tab") } // the Cluster CPU chart
        try tmux.send("e")
        try await tmux.waitFor("the editor with the panel's query") {
            $0.joined().contains("sum(kubeglass_node_cpu_usage_cores)")
                && $0.joined().contains("Edit query · Cluster CPU")
        }
        try tmux.send("C-u")
        try tmux.send("-l", "max by (node) (kubeglass_node_cpu_usage_c")
        try await tmux.waitFor("the parse error at the caret") { $0.joined().contains("^ unclosed left parenthesis") }
        try tmux.send("Tab")
        try tmux.send("-l", ")")
        try await tmux.waitFor("a clean query") { s in
            s.joined().contains("max by (node) (kubeglass_node_cpu_usage_cores)") && !s.joined().contains("unclosed")
        }
        try tmux.send("Enter")
        let applied = try await tmux.waitFor("the editor to close") { !$0.joined().contains("Edit query") }
        // One series per node now, 15 lines in all: the top ones by max and the rest folded into "others". The
        // legend `usage` names no label of theirs, so each is named by its labels, not "usage" for all (issue 18).
        let cpuPanel = applied.prefix(16).joined(separator: "\n")
        #expect(
            cpuPanel.components(separatedBy: "● {node=\"node-").count - 1 >= 2 && cpuPanel.contains("● others ("),
            "\(cpuPanel)")
        // (Cluster memory, to the right, keeps its one "usage".)
        let leftHalf = applied.prefix(16).map { String($0.prefix(60)) }.joined(separator: "\n")
        #expect(!leftHalf.contains("● usage"), "\(leftHalf)")
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func tinyTerminalShowsAMessageAndResizesBack() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 100, height: 30, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        try tmux.resize(width: 30, height: 10)
        try await tmux.waitFor("the too-small message") { $0.joined(separator: " ").contains("terminal too small") }
        try tmux.resize(width: 1, height: 1)
        usleep(300_000)
        try tmux.resize(width: 120, height: 40)
        try await tmux.waitFor("the dashboard after growing back") {
            $0.joined().contains("Top pods") && !$0.joined().contains("too small")
        }
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }

    @Test func ctrlCQuitsAndRestoresTheTerminal() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 100, height: 30, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        try tmux.send("C-c")
        try await tmux.waitFor("kubeglass to exit on Ctrl-C", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(try tmux.format("#{alternate_on}") == "0")
        #expect(try tmux.format("#{cursor_flag}") == "1")
    }

    @Test func aTerminalThatGoesAwayEndsKubeglass() async throws {
        // As when an ssh connection drops or a tmux session is killed: the program must end, not spin
        // on a terminal that reads as always ready and always empty (it did, at a full core, for hours).
        let tmux = try TmuxSession(
            command: try kubeglassBinary(), width: 100, height: 30, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        let pane = try tmux.format("#{pane_pid}")
        let child = try await TmuxSession.run("pgrep", "-P", pane, "kubeglass").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let pid = try #require(Int32(child))
        try tmux.tmux(["kill-session", "-t", tmux.name])
        func gone() -> Bool {
            // Exited, or exited and not yet reaped by whoever inherited it.
            guard kill(pid, 0) == 0 else { return errno == ESRCH }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
        let deadline = Date().addingTimeInterval(15)
        while !gone() && Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
        let ended = gone()
        if !ended { kill(pid, SIGKILL) }
        #expect(ended, "kubeglass (pid \(pid)) still runs 15 s after its terminal went away")
    }

    @Test func unknownTerminalTypeIsAClearError() async throws {
        var env = try cleanEnvironment()
        env["TERM"] = "no-such-term"
        let tmux = try TmuxSession(command: try kubeglassBinary(), width: 120, height: 20, environment: env)
        let screen = try await tmux.waitFor("kubeglass to exit", timeout: 30) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        let text = screen.joined(separator: " ")
        #expect(text.contains("cannot use this terminal (TERM=\"no-such-term\")"))
        #expect(text.contains("KUBEGLASS_EXITED=1"))
    }

    @Test func sigtermRestoresTheTerminal() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 120, height: 40, environment: try cleanEnvironment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        let pid = try tmux.format("#{pane_pid}")
        // The pane runs `sh -c`; kubeglass is its child.
        let child = try await TmuxSession.run("pgrep", "-P", pid, "kubeglass").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(!child.isEmpty)
        _ = try await TmuxSession.run("kill", "-TERM", child)
        let after = try await tmux.waitFor("kubeglass to exit on SIGTERM", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(try tmux.format("#{alternate_on}") == "0")
        #expect(!after.joined().contains("Top pods"))
    }
}

extension TmuxSession {
    static func run(_ args: String...) async throws -> String { try await spawn(args).output }
}
