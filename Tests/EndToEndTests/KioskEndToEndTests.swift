import Foundation
import TestSupport
import Testing

/// The kiosk as a wall shows it, in tmux against `kubeglass sim`: the playlist rotates, the editor, `:` and
/// `w` do nothing while locked, a stopped cluster brings up the stale banner, and its return takes it away.
@Suite(.serialized)
struct KioskEndToEndTests {
    func environment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-e2e-kiosk-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"]
    }

    /// The dashboard's title in the header (`kubeglass  ▸ Nodes`).
    static func showing(_ title: String, _ screen: [String]) -> Bool {
        screen.first?.contains("▸ \(title) ") == true
    }

    /// The process whose parent is `parent` (the pane's shell runs kubeglass), from /proc.
    static func child(of parent: Int32) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After the command's name in parentheses: the state, then the parent's pid.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == parent { return pid }
        }
        return nil
    }

    @Test func theWallRotatesIgnoresKeysAndRecoversFromAStoppedCluster() async throws {
        let simArgs = ["--nodes", "3", "--pods", "20", "--seed", "4"]
        let httpPort = try freeLoopbackPort()
        let sim = try SimProcess(simArgs, httpPort: httpPort)
        // The plain-HTTP port: a restarted sim has a new certificate authority, but the same address.
        let kubeconfig = try sim.writeKubeconfig(named: "ops-wall", server: sim.httpURL)
        let stateDir = sim.directory.appendingPathComponent("state").path
        let tmux = try TmuxSession(
            command:
                "\(try kubeglassBinary()) --kiosk --unlock xx --playlist cluster,nodes --rotate 2s --refresh 1s --kubeconfig \(kubeconfig) --state-dir \(stateDir)",
            width: 120, height: 40, environment: try environment())

        // The header names the context and has a clock; the status bar says the kiosk is locked.
        let first = try await tmux.waitFor("the first dashboard with data", timeout: 60) { s in
            s.first?.contains("ops-wall") == true && s.joined().contains("locked") && s.joined().contains(" ok · ")
        }
        #expect(first[0].range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) != nil, "a clock: \(first[0])")
        // It rotates: both dashboards come, and come back.
        try await tmux.waitFor("the Nodes dashboard", timeout: 30) { Self.showing("Nodes", $0) }
        try await tmux.waitFor("the Cluster dashboard again", timeout: 30) { Self.showing("Cluster", $0) }
        try await tmux.waitFor("the Nodes dashboard again", timeout: 30) { Self.showing("Nodes", $0) }

        // Locked: e, : and w leave the screen as it was (no editor, no scratch query, nothing saved).
        for key in ["e", ":", "w"] {
            try tmux.send(key)
            for _ in 0..<5 {
                try await Task.sleep(nanoseconds: 200_000_000)
                let text = try tmux.capture().joined(separator: "\n")
                #expect(!text.contains("Edit query"), "\(key) opened the editor:\n\(text)")
                #expect(!text.contains("Ad-hoc query"), "\(key) opened a query:\n\(text)")
                #expect(!text.contains("saved to") && !text.contains("could not save"), "\(key) saved:\n\(text)")
            }
        }
        let stillLocked = try tmux.capture()
        #expect(stillLocked.joined().contains("locked ("), "still locked:\n\(stillLocked.joined(separator: "\n"))")

        // The cluster goes away: the banner says how old the data is and why.
        sim.stop()
        let banner = try await tmux.waitFor("the stale banner", timeout: 20) { $0.joined().contains("STALE DATA") }
        let bannerText = banner.joined(separator: "\n")
        #expect(bannerText.contains("last error:"), "the error is shown:\n\(bannerText)")
        #expect(bannerText.contains("min:s old"), "the age in large type:\n\(bannerText)")

        // It comes back on the same port: the screen recovers by itself.
        let again = try SimProcess(simArgs, httpPort: httpPort)
        let recovered = try await tmux.waitFor("the banner to go", timeout: 40) { s in
            !s.joined().contains("STALE DATA") && s.joined().contains(" ok · ")
        }
        #expect(recovered.first?.contains("ops-wall") == true)
        // Still rotating after the return.
        let now = Self.showing("Nodes", recovered) ? "Cluster" : "Nodes"
        try await tmux.waitFor("rotation after recovery", timeout: 15) { Self.showing(now, $0) }

        // A hang-up of the terminal redraws; a kiosk keeps running.
        let shell = try #require(Int32(try tmux.format("#{pane_pid}")))
        let pid = try #require(Self.child(of: shell), "kubeglass's pid")
        kill(pid, SIGHUP)
        let next = now == "Nodes" ? "Cluster" : "Nodes"
        try await tmux.waitFor("rotation after SIGHUP", timeout: 15) { Self.showing(next, $0) }
        #expect(try !tmux.capture().contains { $0.contains("KUBEGLASS_EXITED") }, "SIGHUP did not end the kiosk")

        // --unlock xx: q three times does nothing (the status bar, redrawn each second, still says locked);
        // x twice unlocks; then q quits.
        try tmux.send("q", "q", "q")
        let clock = try tmux.capture()[0]
        // A capture can land between a repaint's clear and its text (a blank screen, whose first line differs from
        // the clock too): wait for a drawn screen whose clock moved on.
        let after = try await tmux.waitFor("the clock to move on", timeout: 10) {
            $0[0] != clock && !$0.joined().trimmingCharacters(in: .whitespaces).isEmpty
        }
        #expect(after.joined().contains("locked (x x unlocks)"), "still locked: \(after.last ?? "")")
        #expect(!after.contains { $0.contains("KUBEGLASS_EXITED") })
        try tmux.send("x", "x")
        try await tmux.waitFor("unlocked", timeout: 10) { $0.joined().contains("unlocked") }
        try tmux.send("q")
        try await tmux.waitFor("kubeglass to exit", timeout: 15) { $0.contains { $0.contains("KUBEGLASS_EXITED=0") } }
        again.stop()
    }
}
