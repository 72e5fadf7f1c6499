import Foundation
import TestSupport
import Testing

/// The fault matrix of issue 20 (RELIABILITY.md has the table): the real program in tmux against
/// `kubeglass sim` with its fault flags, a server restarted on the same port, resizes, signals, and
/// inputs too large to take. Each row checks four things: a key is answered within a second while the
/// fault holds, the panels say stale or error, data comes back when the fault ends, and the terminal is
/// restored at exit.
@Suite(.serialized)
struct FaultMatrixEndToEndTests {
    func environment() throws -> [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-e2e-faults-\(getpid())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return ["HOME": home.path, "KUBECONFIG": "", "TERM": "tmux-256color"]
    }

    static let cluster = ["--nodes", "4", "--pods", "40", "--seed", "9"]

    /// The status bar says the latest poll brought data.
    static func fresh(_ screen: [String]) -> Bool {
        let last = screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        return last.contains(" ok · ") && screen.joined().contains("node-01")
    }

    /// `?` opens the help within a second (then Esc closes it): the loop answers keys whatever the source does.
    func keyIsAnsweredWithinASecond(_ tmux: TmuxSession, _ row: String) async throws {
        let started = ContinuousClock.now
        try tmux.send("?")
        try await tmux.waitFor("the help (\(row))", timeout: 10) { $0.joined().contains("show or hide this help") }
        let took = ContinuousClock.now - started
        #expect(took < .seconds(1), "\(row): the help took \(took)")
        try tmux.send("Escape")
        try await tmux.waitFor("the help to close (\(row))", timeout: 10) {
            !$0.joined().contains("show or hide this help")
        }
    }

    /// `q` ends kubeglass with status 0 and the terminal back on its normal screen, cursor shown.
    func quitRestoresTheTerminal(_ tmux: TmuxSession, _ row: String) async throws {
        try tmux.send("q")
        let after = try await tmux.waitFor("kubeglass to exit (\(row))", timeout: 20) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(after.contains { $0.contains("KUBEGLASS_EXITED=0") }, "\(row)")
        #expect(try tmux.format("#{alternate_on}") == "0", "\(row)")
        #expect(try tmux.format("#{cursor_flag}") == "1", "\(row)")
    }

    /// A sim with `fault` on a port, kubeglass watching it over plain HTTP; then the sim is restarted on
    /// the same port without the fault. `during` says what the screen shows while the fault holds.
    func row(
        _ name: String, fault: [String], settle: Double = 60, during: @escaping ([String]) -> Bool,
        restart: Bool = true
    ) async throws {
        let faulty = try SimProcess(Self.cluster + fault)
        let kubeconfig = try faulty.writeKubeconfig(named: "plain", server: faulty.httpURL)
        let port = try #require(Int(faulty.httpURL.split(separator: ":").last ?? ""))
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(kubeconfig) --refresh 1s --no-state", width: 120,
            height: 40, environment: try environment())
        try await tmux.waitFor("the fault to show (\(name))", timeout: settle, during)
        try await keyIsAnsweredWithinASecond(tmux, name)
        if restart {
            faulty.stop()
            let healthy = try SimProcess(Self.cluster, httpPort: port)
            try await tmux.waitFor("data to come back (\(name))", timeout: 90, Self.fresh)
            withExtendedLifetime(healthy) {}
        }
        try await quitRestoresTheTerminal(tmux, name)
        withExtendedLifetime(faulty) {}
    }

    @Test func latencyOf10s() async throws {
        // While the first poll waits, the status bar says what it waits for; then the data is slow, not "ok".
        try await row("latency 10s", fault: ["--latency", "10s"]) { screen in
            let text = screen.joined()
            return text.contains("◌ asking for") || text.contains("◌ listing") || text.contains("slow: last data")
        }
    }

    @Test func latencyOf60s() async throws {
        // Past the 15 s request timeout: the poll fails and says which request did not answer.
        try await row("latency 60s", fault: ["--latency", "60s"], settle: 90) { screen in
            screen.joined().contains("did not answer GET")
        }
    }

    @Test(arguments: [["--error-rate", "0.3"], ["--truncate-rate", "0.3"]])
    func aThirdOfRequestsFail(fault: [String]) async throws {
        // Requests that fail are asked again within the poll: the data comes through.
        try await row(fault.joined(separator: " "), fault: fault, during: Self.fresh)
    }

    @Test func theMetricsAPIRemovedAndRestored() async throws {
        try await row("no metrics API", fault: ["--no-metrics-api"]) { screen in
            screen.joined().contains("metrics API not available")
        }
    }

    @Test func theAPIServerRestarted() async throws {
        // Up first; then gone (the panels turn stale, the status bar says why); then back on the same port.
        let sim = try SimProcess(Self.cluster)
        let kubeconfig = try sim.writeKubeconfig(named: "plain", server: sim.httpURL)
        let port = try #require(Int(sim.httpURL.split(separator: ":").last ?? ""))
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(kubeconfig) --refresh 1s --no-state", width: 120,
            height: 40, environment: try environment())
        try await tmux.waitFor("data", timeout: 60, Self.fresh)
        sim.stop()
        try await tmux.waitFor("the failure to show", timeout: 60) { screen in
            let text = screen.joined()
            return text.contains("✖") && text.contains("stale")
        }
        try await keyIsAnsweredWithinASecond(tmux, "API server down")
        let back = try SimProcess(Self.cluster, httpPort: port)
        try await tmux.waitFor("data after the restart", timeout: 120, Self.fresh)
        try await quitRestoresTheTerminal(tmux, "API server restarted")
        withExtendedLifetime(back) {}
    }

    @Test func prometheusKilledAndRestarted() async throws {
        let first = try await PrometheusServer()
        let port = try #require(Int(first.url.split(separator: ":").last ?? ""))
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --prometheus \(first.url) --refresh 1s --no-state", width: 120,
            height: 40, environment: try environment())
        let up = { (screen: [String]) in
            (screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "").contains(" ok · ")
        }
        try await tmux.waitFor("Prometheus to answer", timeout: 60, up)
        first.stop()
        try await tmux.waitFor("the failure to show", timeout: 60) { screen in
            (screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "").contains("✖")
        }
        try await keyIsAnsweredWithinASecond(tmux, "Prometheus down")
        let second = try await PrometheusServer(port: port)
        defer { second.stop() }
        try await tmux.waitFor("Prometheus to answer again", timeout: 90, up)
        try await quitRestoresTheTerminal(tmux, "Prometheus restarted")
    }

    @Test func fiftyResizesInASecond() async throws {
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --no-state", width: 120, height: 40, environment: try environment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        let started = Date()
        for i in 0..<50 { try tmux.resize(width: 60 + (i * 37) % 140, height: 15 + (i * 13) % 45) }
        let took = Date().timeIntervalSince(started)
        try tmux.resize(width: 100, height: 30)
        try await tmux.waitFor("the dashboard at its last size", timeout: 30) { screen in
            screen.joined().contains("Top pods") && screen.first?.count ?? 0 <= 100
        }
        try await keyIsAnsweredWithinASecond(tmux, "after 50 resizes in \(took) s")
        try await quitRestoresTheTerminal(tmux, "50 resizes")
    }

    @Test func sighupEndsAndRestoresTheTerminal() async throws {
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --no-state", width: 120, height: 40, environment: try environment())
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        let pane = try tmux.format("#{pane_pid}")
        let child = try await TmuxSession.run("pgrep", "-P", pane, "kubeglass").trimmingCharacters(
            in: .whitespacesAndNewlines)
        _ = try await TmuxSession.run("kill", "-HUP", child)
        let after = try await tmux.waitFor("kubeglass to exit on SIGHUP", timeout: 15) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        #expect(try tmux.format("#{alternate_on}") == "0")
        #expect(!after.joined().contains("Top pods"))
    }

    @Test func a50MBDashboardIsRefusedInALine() async throws {
        let dir = try TempDirectory("kubeglass-e2e-bigboard")
        defer { dir.remove() }
        let path = dir.path + "/big.json"
        let panel = #"{"type":"stat","title":"p","targets":[{"expr":"up"}]},"#
        let count = 50_000_000 / panel.utf8.count
        let json = #"{"title":"big","panels":["# + String(repeating: panel, count: count) + #"{"type":"text"}]}"#
        try json.write(toFile: path, atomically: false, encoding: .utf8)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --no-state --dashboard \(path)", width: 120, height: 40,
            environment: try environment())
        let screen = try await tmux.waitFor("kubeglass to refuse the file", timeout: 20) {
            $0.contains { $0.contains("KUBEGLASS_EXITED=") }
        }
        let text = screen.joined(separator: " ")
        #expect(text.contains("larger than the 8 MiB a dashboard file may be"), "\(text)")
        #expect(!text.contains("KUBEGLASS_EXITED=0"))
        #expect(try tmux.format("#{alternate_on}") == "0")
    }

    @Test func a200MBAnswerIsRefusedAndMemoryStaysBounded() async throws {
        // A server that answers every path with a 200 MB PodList.
        let item = #"{"metadata":{"name":"p","namespace":"d"}},"#
        let body =
            #"{"kind":"PodList","metadata":{},"items":["# + String(repeating: item, count: 200_000_000 / 41) + "{}]}"
        let server = try await StubServer { _ in .init(status: .ok, body: body) }
        let dir = try TempDirectory("kubeglass-e2e-bigbody")
        defer { dir.remove() }
        let kubeconfig = dir.path + "/kubeconfig"
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: big, cluster: {server: "\(server.url)"}}]
        users: [{name: u, user: {}}]
        contexts: [{name: big, context: {cluster: big, user: u}}]
        current-context: big
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --no-state --kubeconfig \(kubeconfig) --refresh 1s", width: 160,
            height: 40, environment: try environment())
        try await tmux.waitFor("the refusal", timeout: 60) { $0.joined().contains("over the 128 MiB limit") }
        try await keyIsAnsweredWithinASecond(tmux, "200 MB answers")
        let pane = try tmux.format("#{pane_pid}")
        let child = try await TmuxSession.run("pgrep", "-P", pane, "kubeglass").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let status = try String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8)
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap {
            Int($0.split(separator: " ").dropFirst().first ?? "")
        }
        let kilobytes = try #require(peak)
        #expect(kilobytes < 300 * 1024, "peak RSS \(kilobytes / 1024) MB")
        try await quitRestoresTheTerminal(tmux, "200 MB answers")
    }

    /// An exec plugin whose tokens expire: the sim accepts each token for 3 s, the plugin says each expires in
    /// 2 s, so it is run again and again while data keeps coming; then the plugin fails (exit 1): the panels
    /// turn stale with its error; it works again: data comes back.
    @Test func anExecPluginTokenThatExpires() async throws {
        let sim = try SimProcess(Self.cluster + ["--token", "sim-secret", "--expire-token-after", "3s"])
        let plugin = sim.directory.appendingPathComponent("get-token").path
        let runs = sim.directory.appendingPathComponent("runs").path
        let broken = sim.directory.appendingPathComponent("broken").path
        try """
        #!/bin/sh
        if [ -e '\(broken)' ]; then echo 'the token service is down' >&2; exit 1; fi
        echo run >> '\(runs)'
        n=$(wc -l < '\(runs)')
        expiry=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"sim-secret.%s","expirationTimestamp":"%s"}}' "$n" "$expiry"
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)
        let kubeconfig = try sim.writeExecKubeconfig(plugin: plugin)
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --kubeconfig \(kubeconfig) --refresh 1s --no-state", width: 120,
            height: 40, environment: try environment())
        let runCount = { ((try? String(contentsOfFile: runs, encoding: .utf8)) ?? "").split(separator: "\n").count }
        try await tmux.waitFor("data through the plugin's token", timeout: 60, Self.fresh)
        let first = runCount()
        try await tmux.waitFor("the plugin to run again as its tokens expire", timeout: 20) { _ in
            runCount() >= first + 2
        }
        try await tmux.waitFor("data with the newer tokens", timeout: 20, Self.fresh)

        FileManager.default.createFile(atPath: broken, contents: Data())
        try await tmux.waitFor("the plugin's failure to show", timeout: 30) { screen in
            let text = screen.joined()
            // The status bar: `▲ usage not read this poll: exec plugin …/get-token failed with exit code 1: …`.
            return text.contains("get-token failed with exit") && text.contains("stale")
        }
        try await keyIsAnsweredWithinASecond(tmux, "exec plugin failing")
        try FileManager.default.removeItem(atPath: broken)
        let before = runCount()
        try await tmux.waitFor("data once the plugin works again", timeout: 30) { screen in
            Self.fresh(screen) && !screen.joined().contains("failed with exit")
        }
        #expect(runCount() > before, "the plugin was run again after it failed")
        #expect(!(try tmux.capture()).joined().contains("sim-secret"), "the token is never shown")
        try await quitRestoresTheTerminal(tmux, "exec plugin token expiring")
        withExtendedLifetime(sim) {}
    }

    /// A real InfluxDB and a dashboard of two panels: one reads a database that exists, the other one that
    /// does not yet, so InfluxDB answers its statement with an error. The failing panel shows the error,
    /// the other its data; once the database appears, both show data.
    @Test func influxDBStatementErrors() async throws {
        let influx = try await InfluxServer()
        defer { influx.stop() }
        func post(_ path: String, _ body: String = "") async throws {
            let run = try await spawn([
                "curl", "-sS", "--fail", "--max-time", "20", "-XPOST", "--data-binary", body, influx.url + path,
            ])
            #expect(run.status == 0, "POST \(path): \(run.output)")
        }
        try await post("/query?q=\(queryEncoded("CREATE DATABASE k8s"))")
        try await post("/write?db=k8s", "probe value=42")
        let dir = try TempDirectory("kubeglass-e2e-influx-errors")
        defer { dir.remove() }
        let board = dir.path + "/two-databases.yaml"
        try """
        title: Two databases
        datasource: influxdb
        panels:
          - title: Present database
            type: stat
            grid: {x: 0, y: 0, w: 12, h: 2}
            unit: none
            expr: SELECT last("value") FROM "probe" WHERE $timeFilter
          - title: Database made later
            type: stat
            grid: {x: 12, y: 0, w: 12, h: 2}
            unit: none
            expr: SELECT last("value") FROM "later"."autogen"."probe" WHERE $timeFilter
        """.write(toFile: board, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(
            command:
                "\(try kubeglassBinary()) --influxdb \(influx.url) --influx-db k8s --dashboard \(board) --refresh 1s --no-state",
            width: 120, height: 40, environment: try environment())
        let answered = { (screen: [String]) in
            (screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "").contains(" ok · ")
        }
        try await tmux.waitFor("one panel's data and the other's error", timeout: 60) { screen in
            let text = screen.joined(separator: "\n")
            return answered(screen) && text.contains("database not found: later") && !text.contains("No data")
                && Self.panel(screen, column: 0).contains("42")
        }
        try await keyIsAnsweredWithinASecond(tmux, "InfluxDB statement error")

        try await post("/query?q=\(queryEncoded("CREATE DATABASE later"))")
        try await post("/write?db=later", "probe value=77")
        try await tmux.waitFor("the second panel's data", timeout: 30) { screen in
            let text = screen.joined(separator: "\n")
            return !text.contains("database not found") && Self.panel(screen, column: 60).contains("77")
                && Self.panel(screen, column: 0).contains("42")
        }
        try await quitRestoresTheTerminal(tmux, "InfluxDB statement errors")
    }

    /// A 7 MB dashboard file (under the 8 MiB limit) in the config folder, chosen with `d` while running: it is
    /// read again off the loop, the status bar says so, a key is answered while it loads, and it then opens.
    @Test func aSevenMBDashboardLoadsWhileKeysAreAnswered() async throws {
        let config = try TempDirectory("kubeglass-e2e-7mb")
        defer { config.remove() }
        let folder = config.path + "/kubeglass/dashboards"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let note = String(repeating: "Check the node's kubelet and container runtime before paging; ", count: 120)
        var yaml = "title: Big runbook\nname: big\ntime: 1h\npanels:\n"
        for i in 0..<950 {
            yaml +=
                "  - title: Note \(i)\n    type: text\n    grid: {x: \((i % 4) * 6), y: \((i / 4) * 4), w: 6, h: 4}\n"
                + "    text: \"\(note)\"\n"
        }
        try yaml.write(toFile: folder + "/big.yaml", atomically: true, encoding: .utf8)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: folder + "/big.yaml")[.size] as? Int)
        #expect(size > 7_000_000 && size < 8 << 20, "\(size) bytes")
        var environment = try environment()
        environment["XDG_CONFIG_HOME"] = config.path
        let tmux = try TmuxSession(
            command: "\(try kubeglassBinary()) --no-state", width: 120, height: 40, environment: environment)
        try await tmux.waitFor("the dashboard", timeout: 90) { $0.joined().contains("Top pods") }
        try tmux.send("d")
        try await tmux.waitFor("the dashboard picker", timeout: 10) { $0.joined().contains("Big runbook (big)") }
        try tmux.send("End")
        try tmux.send("Enter")
        try await tmux.waitFor("the status bar to say it loads", timeout: 10) { screen in
            (screen.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "").contains(
                "loading dashboard big.yaml…")
        }
        try await keyIsAnsweredWithinASecond(tmux, "a 7 MB dashboard loading")
        try await tmux.waitFor("the big dashboard to open", timeout: 60) { screen in
            screen.joined().contains("Big runbook") && !screen.joined().contains("loading dashboard")
        }
        try await quitRestoresTheTerminal(tmux, "a 7 MB dashboard")
    }

    /// The text of the top panel row's half that starts at `column` (60 columns wide), lines joined.
    static func panel(_ screen: [String], column: Int) -> String {
        screen.dropFirst().prefix(7).map { line in
            String(line.dropFirst(column).prefix(60))
        }.joined(separator: "\n")
    }
}
