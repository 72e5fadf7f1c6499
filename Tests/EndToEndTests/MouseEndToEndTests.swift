import Foundation
import TestSupport
import Testing

/// The mouse in a real terminal (issue 18). tmux cannot click for us (`send-keys -M` only replays a mouse event
/// tmux itself received), so the test types what a terminal sends for a click in the mode kubeglass asked for:
/// under TERM=tmux-256color ncurses asks for X10 reports, `ESC [ M` then button, column and row, each plus 32.
@Suite(.serialized)
struct MouseEndToEndTests {
    func environment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-mouse-e2e-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"]
    }

    /// An X10 mouse report for `button` (0 left press, 3 release, 64 wheel up, 65 wheel down) at 0-based `x`, `y`.
    func report(_ button: Int, x: Int, y: Int, into tmux: TmuxSession) throws {
        let bytes = [0x1b, 0x5b, 0x4d, 32 + button, 33 + x, 33 + y]
        try tmux.tmux(["send-keys", "-t", tmux.name, "-H"] + bytes.map { String(format: "%02x", $0) })
    }

    @Test func aClickSelectsANodeRowAndTheWheelZoomsAChart() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin)", width: 120, height: 40, environment: try environment())
        let screen = try await tmux.waitFor("the dashboard with its nodes", timeout: 90) {
            $0.joined().contains("Top pods") && $0.joined().contains("node-01")
        }
        #expect(try tmux.format("#{mouse_any_flag}") == "1", "kubeglass asked the terminal for mouse reports")

        // The Nodes table: its title row, then the header, then rows; click the third row.
        let title = try #require(
            screen.firstIndex { $0.contains("Nodes") && $0.contains("╭") && !$0.contains("ready") })
        let row = title + 4
        let node = try #require(
            screen[row].range(of: #"node-\d+"#, options: .regularExpression).map { String(screen[row][$0]) })
        try report(0, x: 4, y: row, into: tmux)
        try report(3, x: 4, y: row, into: tmux)
        try tmux.send("Enter")
        try await tmux.waitFor("the Node dashboard of the node clicked (\(node))") {
            $0.first?.contains("▸ Node") == true && $0.first?.contains("node=\(node)") == true
        }
        try tmux.send("BSpace")
        try await tmux.waitFor("the Cluster dashboard again") { $0.first?.contains("last 1h") == true }

        // The wheel up over Cluster CPU zooms in: the header says so.
        let chart = try #require(screen.firstIndex { $0.contains("Cluster CPU") })
        try report(64, x: 10, y: chart + 3, into: tmux)
        try await tmux.waitFor("the time range zoomed in") { $0.first?.contains("last 30m") == true }
        try report(65, x: 10, y: chart + 3, into: tmux)
        try report(65, x: 10, y: chart + 3, into: tmux)
        try await tmux.waitFor("the time range zoomed out") { $0.first?.contains("last 2h") == true }
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
        #expect(try tmux.format("#{mouse_any_flag}") == "0", "the terminal's mouse is given back")
    }

    @Test func noMouseLeavesTheMouseToTheTerminal() async throws {
        let bin = try kubeglassBinary()
        let tmux = try TmuxSession(command: "\(bin) --no-mouse", width: 120, height: 40, environment: try environment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        #expect(try tmux.format("#{mouse_any_flag}") == "0", "no mouse reports asked for: select and paste work")
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }
}
