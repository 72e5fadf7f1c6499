import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import NcursesBackend
import Query
import Sources
import Store
import TerminalUI

/// The interactive dashboard: one loop that owns the terminal, reacting to keys, resizes,
/// polls and a one-second tick. Each frame is drawn whole, then only changed cells are flushed.
final class DashboardApp {
    var dashboard: Dashboards.Dashboard
    var editing: QueryEditing?
    let theme: Theme
    let setup: SourceSetup
    let evaluator: PanelEvaluator
    let clock = SystemClock()
    var state = ViewState()
    var data: [Int: PanelData] = [:]
    var health = SourceHealth()
    var lastLayout: DashboardLayout?
    var lastFrame: Screen?

    init(dashboard: Dashboards.Dashboard, theme: Theme, setup: SourceSetup) throws {
        self.dashboard = dashboard
        self.theme = theme
        self.setup = setup
        evaluator = PanelEvaluator(engine: PromQLEngine(store: setup.store), minimumStep: setup.refresh)
    }

    func run() async throws {
        let (events, continuation) = AsyncStream<AppEvent>.makeStream(bufferingPolicy: .unbounded)
        // Signals are caught before ncurses starts, so ncurses leaves them to us.
        let signals = SignalWatcher(continuation)
        let terminal = try NcursesTerminal()
        defer {
            terminal.restore()
            signals.cancel()
        }
        let input = InputWatcher(continuation)
        input.start()
        defer { input.stop() }

        let poller = setup.poller
        let healthUpdates = await poller.updates()
        let history = setup.source.isSimulated ? setup.retention : 0
        let pollTask = Task {
            await poller.start(history: history)
            await poller.run()
        }
        let healthTask = Task {
            for await h in healthUpdates { continuation.yield(.polled(h)) }
        }
        let tickTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                continuation.yield(.tick)
            }
        }
        defer {
            pollTask.cancel()
            healthTask.cancel()
            tickTask.cancel()
        }

        draw(terminal)
        for await event in events {
            switch event {
            case .input:
                let keys = terminal.readKeys()
                input.didDrain()
                var redraw = false
                for key in keys {
                    if key == .resize {
                        terminal.handleResize()
                        reevaluate(terminal)
                        redraw = true
                        continue
                    }
                    if editing != nil {
                        redraw = edit(key, terminal) || redraw
                        continue
                    }
                    switch handle(key, terminal) {
                    case .quit: return
                    case .refresh: Task { await poller.refreshNow() }
                    case .redraw: redraw = true
                    case .edit:
                        editing = QueryEditing(dashboard: dashboard, panel: state.focus, theme: theme, historyFile: QueryHistory.defaultPath())
                        redraw = true
                    case .none: break
                    }
                }
                if redraw { draw(terminal) }
            case .resize:
                terminal.handleResize()
                reevaluate(terminal)
                draw(terminal)
            case .polled(let h):
                health = h
                reevaluate(terminal)
                draw(terminal)
            case .tick:
                drawChrome(terminal)
            case .quit, .inputClosed:
                return
            }
        }
    }

    private func handle(_ key: Key, _ terminal: NcursesTerminal) -> ViewState.Action {
        let size = terminal.size
        let view = DashboardView.bodyHeight(screenHeight: size.height)
        let layout = lastLayout ?? DashboardLayout(panels: dashboard.panels, width: size.width, height: view)
        return state.handle(key, dashboard: dashboard, layout: layout, viewHeight: view) { [data] panel in
            data[panel]?.table?.rows.count ?? 0
        }
    }

    /// A key for the query editor; the panel previews the edited query as it stands.
    private func edit(_ key: Key, _ terminal: NcursesTerminal) -> Bool {
        guard var session = editing else { return false }
        let store = setup.store
        let outcome = session.handle(key) { QueryEditing.candidates(store: store) }
        editing = session
        switch outcome {
        case .none: return false
        case .redraw: return true
        case .preview:
            reevaluate(terminal, only: session.panel, dashboard: session.applied(to: dashboard))
        case .apply:
            dashboard = session.applied(to: dashboard)
            editing = nil
            reevaluate(terminal, only: session.panel)
        case .cancel:
            editing = nil
            reevaluate(terminal, only: session.panel)
        }
        return true
    }

    private func reevaluate(_ terminal: NcursesTerminal, only panel: Int, dashboard board: Dashboards.Dashboard? = nil) {
        let board = board ?? dashboard
        let width = lastLayout?.rect(of: panel)?.width ?? terminal.size.width
        data[panel] = evaluator.evaluate(board.panels[panel], now: clock.now(), range: board.timeRange,
                                         points: DashboardView.points(forPanelWidth: width))
    }

    /// Runs every panel's queries for the current window and sizes.
    private func reevaluate(_ terminal: NcursesTerminal) {
        let size = terminal.size
        let layout = DashboardLayout(panels: dashboard.panels, width: size.width, height: DashboardView.bodyHeight(screenHeight: size.height))
        lastLayout = layout
        let now = clock.now()
        // While a query is being edited, its panel shows the edited version.
        let board = editing.map { $0.applied(to: dashboard) } ?? dashboard
        for (i, panel) in board.panels.enumerated() {
            let width = layout.rect(of: i)?.width ?? size.width
            data[i] = evaluator.evaluate(panel, now: now, range: board.timeRange, points: DashboardView.points(forPanelWidth: width))
        }
    }

    private func context() -> DashboardView.Context {
        var context = DashboardView.Context(
            dashboard: dashboard, data: data, state: state, theme: theme,
            sourceName: setup.source.displayName, simulated: setup.source.isSimulated,
            health: health, refresh: setup.refresh, now: clock.now(), editing: editing)
        context.headerWarning = setup.source.headerWarning
        return context
    }

    private func draw(_ terminal: NcursesTerminal) {
        let size = terminal.size
        var screen = Screen(width: size.width, height: size.height)
        DashboardView(context()).render(in: screen.bounds, on: &screen)
        terminal.draw(screen)
        lastFrame = screen
    }

    /// The once-a-second update: the clock and ages in the header and status bar, over the last frame.
    private func drawChrome(_ terminal: NcursesTerminal) {
        let size = terminal.size
        guard var screen = lastFrame, screen.width == size.width, screen.height == size.height,
              DashboardView(context()).renderChrome(in: screen.bounds, on: &screen) else {
            draw(terminal)
            return
        }
        terminal.draw(screen)
        lastFrame = screen
    }
}
