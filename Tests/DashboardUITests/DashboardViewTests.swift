import Collectors
import DashboardUI
import Dashboards
import DemoCluster
import Foundation
import KubeglassCore
import Query
import Store
import TerminalUI
import Testing

/// The whole frame, drawn from the built-in Cluster dashboard over a demo cluster at a fixed time.
struct DashboardViewTests {
    static let start: Timestamp = 1_700_000_000_000
    static let now: Timestamp = start + Milliseconds.hour

    /// Ten minutes of the demo cluster at 5 s, evaluated for every panel.
    static let source = DemoClusterSource(cluster: ClusterModel(.init(nodes: 12, pods: 300, seed: 1), createdAt: start))
    static let store: SeriesStore = {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 5000))
        for t in stride(from: now - 600_000, through: now, by: 5000) {
            let batch = source.snapshot(at: t)
            store.append(batch.series.map { ($0.labels, Sample(time: t, value: $0.value)) })
        }
        return store
    }()

    static func frame(
        width: Int, height: Int, state: ViewState = ViewState(), health: SourceHealth? = nil, theme: Theme = .default,
        headerWarning: String? = nil
    ) async throws
        -> Screen
    {
        let dashboard = try #require(try BuiltinDashboards.named("cluster"))
        let evaluator = PanelEvaluator(engine: PromQLEngine(store: store), minimumStep: 5000)
        let layout = DashboardLayout(
            panels: dashboard.panels, width: width, height: DashboardView.bodyHeight(screenHeight: height))
        var data: [Int: PanelData] = [:]
        for (i, panel) in dashboard.panels.enumerated() {
            data[i] = await evaluator.evaluate(
                panel, now: now, range: dashboard.timeRange,
                points: DashboardView.points(forPanelWidth: layout.rect(of: i)?.width ?? width))
        }
        var h = SourceHealth()
        h.state = .ok
        h.lastSuccess = now
        var context = DashboardView.Context(
            dashboard: dashboard, data: data, state: state, theme: theme,
            sourceName: source.displayName, simulated: true, health: health ?? h,
            refresh: 5000, now: now, timeZone: TimeZone(identifier: "UTC")!)
        context.headerWarning = headerWarning
        var screen = Screen(width: width, height: height, fill: Cell("¤"))
        DashboardView(context).render(in: screen.bounds, on: &screen)
        return screen
    }

    @Test func clusterDashboardAt120x40() async throws {
        let s = try await Self.frame(width: 120, height: 40)
        let text = s.lines.joined(separator: "\n")
        #expect(s.lines[0].contains("Cluster") && s.lines[0].contains(" DEMO "))
        #expect(s.lines[0].hasSuffix("last 1h · every 5s  23:13:20 "))
        for title in [
            "CPU used", "Memory used", "Nodes ready", "Pods running", "Pods not running", "Restarts (1h)",
            "Cluster CPU", "Cluster memory", "Network", "Filesystem", "Nodes", "Top pods",
        ] {
            #expect(text.contains("╭ \(title) "), "panel \(title)")
        }
        #expect(!text.contains("⚠"), "no panel reports an error:\n\(text)")
        #expect(!text.contains("¤"), "every cell is drawn (no gaps left from before)")
        for node in 1...12 { #expect(text.contains(String(format: "node-%02d", node))) }
        #expect(
            text.contains("MemoryPressure") || text.contains("M…Pressure"), "the pressured node shows its condition")
        #expect(text.contains("● usage") && text.contains("● allocatable"))
        #expect(text.contains("GiB") && text.contains("B/s"))
        // Exactly one crash-looping and one pending pod are not running.
        let notRunning = try #require(s.lines.firstIndex { $0.contains("Pods not running") })
        #expect(s.lines[notRunning + 2].contains(" 2 "))
        #expect(s.lines.last!.contains("? help") && s.lines.last!.contains("demo ok"))
    }

    @Test func narrowTerminalStacksPanels() async throws {
        let s = try await Self.frame(width: 80, height: 24)
        let text = s.lines.joined(separator: "\n")
        #expect(
            s.lines[1].hasPrefix("╭ CPU used ") && s.lines[1].components(separatedBy: "╮╭").count == 6,
            "the six stats still share a row")
        let chart = try #require(s.lines.firstIndex { $0.hasPrefix("╭ Cluster CPU ") })
        #expect(
            s.lines[chart].hasSuffix("╮") && !s.lines[chart].contains("Cluster memory"),
            "charts too narrow to share: full width")
        #expect(!text.contains("╭ Top pods "), "later panels are below, reached by scrolling")
        var state = ViewState()
        state.scroll = 1000
        let bottom = try await Self.frame(width: 80, height: 24, state: state)
        #expect(bottom.lines.joined().contains("Top pods"))
    }

    @Test func fullscreenAndHelp() async throws {
        var state = ViewState()
        state.focus = 10 // Nodes
        state.fullscreen = true
        let s = try await Self.frame(width: 120, height: 40, state: state)
        let text = s.lines.joined(separator: "\n")
        #expect(s.lines[1].hasPrefix("╭ Nodes "))
        #expect(!text.contains("Cluster CPU"))
        #expect(s.lines.last!.contains("Esc back"))
        state.showHelp = true
        let help = try await Self.frame(width: 120, height: 40, state: state).lines.joined(separator: "\n")
        for (key, action) in ViewState.keyHelp { #expect(help.contains(key) && help.contains(action)) }
    }

    @Test func tooSmallSaysSoAndNeverCrashes() async throws {
        let s = try await Self.frame(width: 39, height: 12)
        #expect(s.lines.joined(separator: " ").contains("terminal too small"))
        #expect(try await Self.frame(width: 40, height: 11).lines.joined(separator: " ").contains("need 40×12"))
        #expect(!(try await Self.frame(width: 40, height: 12)).lines.joined().contains("too small"))
        for (w, h) in [(1, 1), (0, 0), (2, 40), (200, 1), (41, 13), (99, 30), (100, 30), (250, 80)] {
            _ = try await Self.frame(width: w, height: h)
        }
    }

    @Test func failingSourceMarksPanelsStaleAndSaysWhy() async throws {
        var h = SourceHealth()
        h.state = .failing
        h.lastSuccess = now - 95_000
        h.lastError = "connection refused"
        h.nextPoll = now + 20_000
        let s = try await Self.frame(width: 120, height: 40, health: h)
        let text = s.lines.joined(separator: "\n")
        // The stats are too narrow for their title and the badge: it goes to their bottom edge.
        #expect(s.lines[5].contains("stale 1m35s") || s.lines[5].contains("1m35s"), "\(s.lines[5])")
        #expect(s.lines[1].contains("CPU used") && s.lines[1].contains("Pods not running"))
        #expect(s.lines.last!.contains("✖ connection refused · retry in 20s"))
        #expect(text.contains("node-01"), "the last good data stays on screen")
    }

    @Test func aLongErrorShortensTheHintsAndIsNeverDropped() async throws {
        var h = SourceHealth()
        h.state = .failing
        h.lastError =
            "cannot connect to https://10.20.30.40:6443: connection refused (is the API server running, and is the port right?)"
        let wide = try await Self.frame(width: 120, height: 40, health: h).lines.last!
        #expect(wide.hasPrefix("! details  ? help  q quit "))
        #expect(wide.contains("✖ cannot connect to https://10.20.30.40:6443"))
        let narrow = try await Self.frame(width: 60, height: 20, health: h).lines.last!
        #expect(narrow.contains("✖ cannot connect"))
        #expect(narrow.hasSuffix("…"))
    }

    @Test func warningsOfAWorkingPollShowInsteadOfOK() async throws {
        var h = SourceHealth()
        h.state = .ok
        h.lastSuccess = now
        h.warnings = ["metrics API not available (is metrics-server installed?)", "another"]
        let status = try await Self.frame(width: 140, height: 40, health: h).lines.last!
        #expect(status.contains("▲ metrics API not available (is metrics-server installed?) (+1 more)"))
    }

    private var now: Timestamp { Self.now }
}

extension DashboardViewTests {
    /// The tick redraws only the header and status bar, and that gives the same frame as drawing it all.
    @Test func chromeOverAnEarlierFrameEqualsAWholeFrame() async throws {
        let whole = try await Self.frame(width: 120, height: 40)
        var partial = whole
        partial.fill(Rect(x: 0, y: 0, width: 120, height: 1), with: Cell("¤"))
        partial.fill(Rect(x: 0, y: 39, width: 120, height: 1), with: Cell("¤"))
        var h = SourceHealth()
        h.state = .ok
        h.lastSuccess = Self.now
        let context = DashboardView.Context(
            dashboard: try #require(try BuiltinDashboards.named("cluster")), data: [:], state: ViewState(),
            theme: .default, sourceName: Self.source.displayName, simulated: true, health: h,
            refresh: 5000, now: Self.now, timeZone: TimeZone(identifier: "UTC")!)
        #expect(DashboardView(context).renderChrome(in: partial.bounds, on: &partial))
        #expect(partial == whole)
        h.lastSuccess = Self.now - 60_000
        let stale = DashboardView.Context(
            dashboard: context.dashboard, data: [:], state: ViewState(), theme: .default,
            sourceName: "x", simulated: true, health: h, refresh: 5000, now: Self.now)
        #expect(!DashboardView(stale).renderChrome(in: partial.bounds, on: &partial), "stale badges age: redraw all")
    }
}
