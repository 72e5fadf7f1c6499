import App
import Collectors
import DashboardUI
import Dashboards
import DemoCluster
import Foundation
import KubeglassCore
import NIOHTTP1
import Query
import Store
import Synchronization
import TSDB
import TerminalUI
import TestSupport
import Testing

/// The dashboard's loop driven without a terminal: a fake screen takes the frames, the test types the keys.
struct DashboardLoopTests {
    /// A small demo cluster, its store and poller, the local engine: what `kubeglass` runs with no cluster configured.
    static func demoSetup(backends extra: [any QueryBackend] = []) -> SourceSetup {
        let refresh: Int64 = 1000
        let store = SeriesStore(.init(retention: 600_000, interval: refresh))
        let source = DemoClusterSource(
            cluster: ClusterModel(.init(nodes: 3, pods: 20, seed: 7), createdAt: SystemClock().now()))
        let backends: [any QueryBackend] =
            [LocalBackend(engine: PromQLEngine(store: store), minimumStep: refresh)] + extra
        return SourceSetup(
            store: store, poller: Poller(source: source, store: store, interval: refresh), source: source,
            refresh: refresh,
            retention: 600_000, evaluator: PanelEvaluator(backends: backends))
    }

    static func loop(_ board: Dashboard, setup: SourceSetup, screen: FakeScreen, startsPoller: Bool = true) throws
        -> DashboardLoop
    {
        let state = AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: .default, evaluator: setup.evaluator,
            refresh: setup.refresh, size: screen.size)
        return DashboardLoop(state: state, setup: setup, terminal: screen, startsPoller: startsPoller)
    }

    @Test func keysAResizeAndAPollReachTheScreen() async throws {
        let screen = FakeScreen(width: 120, height: 40)
        let setup = Self.demoSetup()
        let board = try #require(try BuiltinDashboards.named("cluster"))
        let loop = try Self.loop(board, setup: setup, screen: screen)
        let events = loop.continuation
        let running = Task { await loop.run() }

        #expect(
            await eventually(within: 30) { screen.text.contains(board.title) }, "the first frame shows the dashboard")
        // The poller's first poll fills the store; the panels then show numbers, not "No data".
        #expect(
            await eventually(within: 60) { screen.text.contains("Nodes") && !screen.text.contains("No data") },
            "after a poll the panels have data:\n\(screen.text)")

        screen.type([.character("?")])
        events.yield(.input)
        #expect(await eventually(within: 10) { screen.text.contains("kubeglass keys") }, "? opens the help")
        screen.type([.character("?")])
        events.yield(.input)
        #expect(await eventually(within: 10) { !screen.text.contains("kubeglass keys") }, "? again closes it")

        screen.resize(to: 80, 24)
        events.yield(.resize)
        #expect(
            await eventually(within: 10) { screen.lastFrame?.width == 80 && screen.lastFrame?.height == 24 },
            "the next frame has the new size")

        var health = SourceHealth()
        health.state = .ok
        health.lastSuccess = SystemClock().now()
        health.warnings = ["kubelet node-9 did not answer"]
        let before = screen.frameCount
        events.yield(.polled(health))
        // The demo's own next poll (every second) clears it again: any frame since counts.
        #expect(
            await eventually(within: 10) { screen.anyFrame(since: before, contains: "kubelet node-9 did not answer") },
            "a poll's warning shows in the status bar")

        // The editor: Tab completes from the store while the query is typed.
        screen.type([.character("e")])
        events.yield(.input)
        #expect(
            await eventually(within: 10) { screen.text.contains("Edit query") }, "e opens the editor:\n\(screen.text)")
        screen.type([.control("u")] + "kubeglass_node_cpu_usage_c".map { Key.character($0) } + [.tab])
        events.yield(.input)
        #expect(
            await eventually(within: 10) { screen.text.contains("kubeglass_node_cpu_usage_cores") },
            "Tab completed the metric:\n\(screen.text)")
        screen.type([.escape])
        events.yield(.input)
        #expect(await eventually(within: 10) { !screen.text.contains("Edit query") }, "Esc closes the editor")

        screen.type([.character("q")])
        events.yield(.input)
        await running.value
    }

    /// The variable's label values come from a Prometheus that takes 10 s to answer: keys must not wait for it.
    @Test func aSlowPrometheusDoesNotDelayAKeyPress() async throws {
        let server = try await StubServer { uri in
            if uri.hasPrefix("/api/v1/label/") {
                return .init(status: .ok, body: #"{"status":"success","data":["api","node"]}"#, delay: 10_000)
            }
            return .init(status: .ok, body: #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        }
        defer { Task { await server.stop() } }
        let prometheus = PrometheusBackend(client: try PrometheusClient(baseURL: server.url))
        let setup = Self.demoSetup(backends: [prometheus])
        let board = Dashboard(
            title: "Jobs", name: "jobs",
            panels: [
                Panel(
                    title: "Targets up", kind: .stat, gridPos: GridPos(x: 0, y: 0, w: 24, h: 6),
                    targets: [Target(expr: "count(up{job=\"$job\"})")])
            ],
            variables: [Variable(name: "job", kind: .query, query: "label_values(up, job)", datasource: .prometheus)],
            datasource: .prometheus)
        let screen = FakeScreen()
        let loop = try Self.loop(board, setup: setup, screen: screen, startsPoller: false)
        let events = loop.continuation
        let running = Task { await loop.run() }

        #expect(
            await eventually(within: 60) { server.requests.contains { $0.uri.hasPrefix("/api/v1/label/job/values") } },
            "the loop asked Prometheus for the variable's values")
        // Polls while the answer is out do not send the same slow request again.
        for _ in 0..<5 { events.yield(.polled(SourceHealth())) }
        let pressed = Date()
        screen.type([.character("?")])
        events.yield(.input)
        let shown = await eventually(within: 9) { screen.text.contains("kubeglass keys") }
        let took = Date().timeIntervalSince(pressed)
        #expect(shown, "the help opened while Prometheus was still answering")
        #expect(took < 5, "the key took \(took) s to reach the screen")
        #expect(!screen.text.contains("job=api"), "the values had not come yet when the key was handled")

        // The answer does come, and lands: the header shows the first job.
        screen.type([.character("?")])
        events.yield(.input)
        #expect(
            await eventually(within: 20) { screen.text.contains("job=api") },
            "the slow answer is applied:\n\(screen.text)")
        #expect(
            server.requests.filter { $0.uri.hasPrefix("/api/v1/label/job/values") }.count == 1,
            "one label request while one was out: \(server.requests.map(\.uri))")

        events.yield(.quit(signal: 0))
        await running.value
    }

    /// A dashboard file that takes seconds to read (a loader held until the test lets it go): `d` asks for it, the
    /// status bar says it is loading, and keys are answered while it is out; then it opens. A file that cannot
    /// be read leaves the dashboard shown and says why.
    @Test func aSlowDashboardFileDoesNotDelayAKeyPress() async throws {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "line 3: expected a mapping" }
        }
        let gate = DispatchSemaphore(value: 0)
        let reads = Atomic<Int>(0)
        let failing = Atomic<Bool>(false)
        let big = Dashboard(
            title: "Big board", name: "big",
            panels: [
                Panel(
                    title: "Nodes up", kind: .stat, gridPos: GridPos(x: 0, y: 0, w: 24, h: 6),
                    targets: [Target(expr: "count(kubeglass_node_cpu_usage_cores)")])
            ])
        let loaders = Loaders(
            dashboard: { path in
                reads.add(1, ordering: .relaxed)
                gate.wait()
                if failing.load(ordering: .relaxed) {
                    throw Broken()
                }
                var fresh = big
                fresh.title = "Big board as read now"
                return fresh
            }, theme: { try Theme.named($0, environment: $1, warnings: &$2) })
        let setup = Self.demoSetup()
        let cluster = try #require(try BuiltinDashboards.named("cluster"))
        let screen = FakeScreen()
        var state = AppState(
            dashboard: cluster, catalog: try BuiltinDashboards.all() + [big], theme: .default,
            evaluator: setup.evaluator, refresh: setup.refresh, size: screen.size)
        state.dashboardFiles = ["big": "/dashboards/big.yaml"]
        let loop = DashboardLoop(state: state, setup: setup, terminal: screen, startsPoller: false, loaders: loaders)
        let events = loop.continuation
        let running = Task { await loop.run() }
        let statusBar = { screen.text.components(separatedBy: "\n").last ?? "" }

        #expect(await eventually(within: 30) { screen.text.contains(cluster.title) }, "the first frame")
        screen.type([.character("d")])
        events.yield(.input)
        #expect(await eventually(within: 10) { screen.text.contains("Big board (big)") }, "d lists the file's board")
        screen.type([.end, .enter])
        events.yield(.input)
        #expect(
            await eventually(within: 10) { statusBar().contains("loading dashboard big.yaml…") },
            "the status bar says what is loading:\n\(screen.text)")
        #expect(reads.load(ordering: .relaxed) == 1, "the file is read again when chosen")

        // The file is still being read: a key is answered all the same.
        let pressed = ContinuousClock.now
        screen.type([.character("?")])
        events.yield(.input)
        let shown = await eventually(within: 10) { screen.text.contains("kubeglass keys") }
        let took = ContinuousClock.now - pressed
        #expect(shown, "the help opened while the dashboard was loading")
        #expect(took < .seconds(1), "the key took \(took) while the dashboard loaded")
        #expect(statusBar().contains("loading dashboard big.yaml…"), "still loading when the key was answered")
        screen.type([.character("?")])
        events.yield(.input)
        #expect(await eventually(within: 10) { !screen.text.contains("kubeglass keys") })

        gate.signal()
        #expect(
            await eventually(within: 20) {
                screen.text.contains("Big board as read now") && !statusBar().contains("loading")
            },
            "the dashboard as the file says now opens:\n\(screen.text)")

        // Back, then the same file again, now broken: the error shows and the dashboard stays.
        failing.store(true, ordering: .relaxed)
        screen.type([.backspace])
        events.yield(.input)
        #expect(await eventually(within: 10) { screen.text.contains(cluster.title) }, "Backspace goes back")
        screen.type([.character("d")])
        events.yield(.input)
        #expect(await eventually(within: 10) { screen.text.contains("Big board as read now (big)") })
        screen.type([.end, .enter])
        events.yield(.input)
        gate.signal()
        #expect(
            await eventually(within: 20) {
                statusBar().contains("/dashboards/big.yaml: line 3: expected a mapping")
            }, "the status bar says why:\n\(screen.text)")
        #expect(screen.text.contains(cluster.title) && !statusBar().contains("loading"))

        events.yield(.quit(signal: 0))
        await running.value
    }
}
