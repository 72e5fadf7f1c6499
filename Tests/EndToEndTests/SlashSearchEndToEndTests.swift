import Foundation
import TestSupport
import Testing

/// `/` in the real program (issue 18): it finds the Nodes panel by title, then filters its rows; the typed
/// `node-0` no longer fires `d` (dashboards) and `0` (live), and Enter opens a row the filter kept.
@Suite(.serialized)
struct SlashSearchEndToEndTests {
    @Test func slashFindsThePanelThenFiltersItsRows() async throws {
        let bin = try kubeglassBinary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-slash-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let tmux = try TmuxSession(
            command: "\(bin)", width: 120, height: 40,
            environment: ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"])
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("node-12") }
        try tmux.send("/")
        try tmux.send("-l", "nodes")
        try await tmux.waitFor("the panel search in the status bar") {
            $0.joined().contains("/nodes▏  2 panels  Enter keep")
        }
        try tmux.send("Enter")
        try tmux.send("/")
        try tmux.send("-l", "node-0")
        let filtered = try await tmux.waitFor("the Nodes table filtered") {
            $0.joined().contains("/node-0▏  (9 of 12)")
        }
        let text = filtered.joined(separator: "\n")
        #expect(!text.contains("node-10") && !text.contains("node-12"), "only the matching rows")
        #expect(!text.contains("Dashboards"), "d did not open the dashboard picker")
        try tmux.send("Enter")
        try tmux.send("Enter")
        try await tmux.waitFor("the Node dashboard of a node the filter kept") { s in
            s.first?.contains("▸ Node") == true && s.first?.contains("node=node-0") == true
        }
        try tmux.send("q")
        try await tmux.waitFor("exit") { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
    }
}
