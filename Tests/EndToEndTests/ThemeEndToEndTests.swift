import Foundation
import TestSupport
import Testing

/// Themes in the real program: run from outside the repository (the built-ins are compiled in), a user
/// theme's mistake shown in the status bar while running, and `T` changing the theme.
@Suite(.serialized)
struct ThemeEndToEndTests {
    @Test func aUserThemesMistakeShowsWhileRunningAndTPicksABuiltInTheme() async throws {
        let bin = try kubeglassBinary()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-theme-e2e-\(getpid())")
        let themes = home.appendingPathComponent(".config/kubeglass/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "name: wall\nborder: {fg: tealish}\ncritical: {fg: red, bold: true}\n".write(
            to: themes.appendingPathComponent("wall.yaml"), atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            command: "sh -c 'cd / && exec \(bin) --demo --no-state --theme wall'", width: 120, height: 40,
            // The test runner's own NO_COLOR or COLORTERM must not reach the program (empty is as if unset).
            environment: [
                "HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color", "NO_COLOR": "", "COLORTERM": "",
            ])

        let first = try await tmux.waitFor("the dashboard with the theme's mistake in the status bar", timeout: 90) {
            $0.joined().contains("Top pods")
                && ($0.last { !$0.isEmpty } ?? "").contains("~/.config/kubeglass/themes/wall.yaml:2: border.fg")
        }
        #expect(first.joined().contains("DEMO"))

        try tmux.send("T")
        try await tmux.waitFor("the theme picker") {
            let text = $0.joined(separator: "\n")
            return text.contains("Theme") && text.contains("solarized-light") && text.contains("wall")
        }
        try tmux.send("solarized-l")
        try tmux.send("Enter")
        // Solarized light's base3 (#fdf6e3) is xterm-256 colour 230: the panels are drawn on it now.
        let painted = try await tmux.waitFor("the panels in solarized light", timeout: 20) { _ in
            let colours = (try? tmux.tmux(["capture-pane", "-p", "-e", "-t", tmux.name])) ?? ""
            return colours.contains("48;5;230")
        }
        #expect(!painted.joined().contains("Enter choose"), "the picker closed")
        #expect(!(painted.last { !$0.isEmpty } ?? "").contains("wall.yaml"), "the notice went with the keys")

        try tmux.send("q")
        let after = try await tmux.waitFor("kubeglass to exit", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(after.contains { $0.contains("KUBEGLASS_EXITED=0") })
    }
}
