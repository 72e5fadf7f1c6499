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
    /// Every dashboard `d` can open and drill-downs can lead to.
    let catalog: [Dashboards.Dashboard]
    /// Where Backspace goes: the dashboards left by drill-downs and `d`, with their view and variables.
    var back: [(dashboard: Dashboards.Dashboard, state: ViewState, selections: [String: [String]])] = []
    var variables = ResolvedVariables()
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
    /// Where evaluations report back: queries run off the loop, so a slow server never blocks the keys.
    var events: AsyncStream<AppEvent>.Continuation?
    /// Bumped when the dashboard, its time window or its variables change: older results are dropped.
    var epoch = 0
    var sequence = 0
    var appliedSequence: [Int: Int] = [:]
    var evaluations: [Task<Void, Never>] = []
    /// A line for the status bar after `w` (until the next key).
    var notice: String?
    /// Completion items for the query being edited, fetched from its datasource when the editor opens.
    var completions: [CompletionItem] = []
    /// The query being edited runs on the local store: Tab lists the store's words as they are then.
    var completionsFromStore = false

    init(dashboard: Dashboards.Dashboard, catalog: [Dashboards.Dashboard], theme: Theme, setup: SourceSetup,
         selections: [String: [String]] = [:]) throws {
        self.dashboard = dashboard
        self.catalog = catalog
        self.theme = theme
        self.setup = setup
        evaluator = setup.evaluator
        variables = ResolvedVariables(entries: dashboard.variables.map {
            ResolvedVariables.Entry(variable: $0, options: [], selection: selections[$0.name] ?? $0.current)
        })
    }

    func run() async throws {
        let (events, continuation) = AsyncStream<AppEvent>.makeStream(bufferingPolicy: .unbounded)
        self.events = continuation
        defer { for t in evaluations { t.cancel() } }
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

        await resolveVariables()
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
                        await reevaluate(terminal)
                        redraw = true
                        continue
                    }
                    if editing != nil {
                        redraw = await edit(key, terminal) || redraw
                        continue
                    }
                    notice = nil
                    if state.picker != nil {
                        redraw = await pick(key, terminal) || redraw
                        continue
                    }
                    switch handle(key, terminal) {
                    case .quit: return
                    case .refresh: Task { await poller.refreshNow() }
                    case .redraw: redraw = true
                    case .edit:
                        startEditing(panel: state.focus)
                        redraw = true
                    case .timeChanged:
                        epoch += 1
                        await reevaluate(terminal)
                        redraw = true
                    case .refreshChanged:
                        if let r = state.refresh { await poller.setInterval(r) }
                        redraw = true
                    case .openPicker(let purpose):
                        state.picker = picker(purpose)
                        redraw = true
                    case .drill(let panel):
                        redraw = await drill(from: panel, terminal) || redraw
                    case .back:
                        redraw = await goBack(terminal) || redraw
                    case .write:
                        do {
                            let path = try DashboardSaving.save(dashboard)
                            notice = "saved to \(path)"
                        } catch {
                            notice = "could not save the dashboard: \(error.localizedDescription)"
                        }
                        redraw = true
                    case .adHocQuery:
                        await open(DashboardApp.scratch(datasource: dashboard.datasource), selections: variables.selections, terminal)
                        state.fullscreen = true
                        startEditing(panel: 0)
                        redraw = true
                    case .none: break
                    }
                }
                if redraw { draw(terminal) }
            case .resize:
                terminal.handleResize()
                await reevaluate(terminal)
                draw(terminal)
            case .polled(let h):
                health = h
                await resolveVariables()
                await reevaluate(terminal)
                draw(terminal)
            case .evaluated(let e, let s, let results):
                guard e == epoch else { break }
                for (i, d) in results where s > appliedSequence[i, default: -1] {
                    data[i] = d.keepingLastData(over: data[i])
                    appliedSequence[i] = s
                }
                draw(terminal)
            case .completions(let items):
                completions = items
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
    private func edit(_ key: Key, _ terminal: NcursesTerminal) async -> Bool {
        guard var session = editing else { return false }
        let items = completions
        // The store answers at once, and with the series of the latest poll; a server's words were fetched when the editor opened.
        let store = completionsFromStore ? setup.store : nil
        let outcome = session.handle(key) { store.map { QueryEditing.candidates(store: $0) } ?? items }
        editing = session
        switch outcome {
        case .none: return false
        case .redraw: return true
        case .preview:
            await reevaluate(terminal, only: session.panel, dashboard: session.applied(to: dashboard))
        case .apply:
            dashboard = session.applied(to: dashboard)
            editing = nil
            await reevaluate(terminal, only: session.panel)
        case .cancel:
            editing = nil
            await reevaluate(terminal, only: session.panel)
        }
        return true
    }

    private func reevaluate(_ terminal: NcursesTerminal, only panel: Int, dashboard board: Dashboards.Dashboard? = nil) async {
        let board = board ?? dashboard
        let width = lastLayout?.rect(of: panel)?.width ?? terminal.size.width
        evaluate(board, [(panel, DashboardView.points(forPanelWidth: width))])
    }

    /// Runs every panel's queries for the current window and sizes.
    private func reevaluate(_ terminal: NcursesTerminal) async {
        let size = terminal.size
        let layout = DashboardLayout(panels: dashboard.panels, width: size.width, height: DashboardView.bodyHeight(screenHeight: size.height))
        lastLayout = layout
        // While a query is being edited, its panel shows the edited version.
        let board = editing.map { $0.applied(to: dashboard) } ?? dashboard
        evaluate(board, board.panels.indices.map { ($0, DashboardView.points(forPanelWidth: layout.rect(of: $0)?.width ?? size.width)) })
    }

    /// Evaluates panels concurrently off the loop; the results come back as an `.evaluated` event.
    private func evaluate(_ board: Dashboards.Dashboard, _ jobs: [(panel: Int, points: Int)]) {
        guard let events else { return }
        sequence += 1
        let (e, s) = (epoch, sequence)
        let evaluator = evaluator
        let values = variables.values
        let end = state.end(now: clock.now())
        let range = state.range(board)
        evaluations.removeAll { $0.isCancelled }
        if evaluations.count > 8 { evaluations.removeFirst().cancel() }
        let source = setup.source
        evaluations.append(Task {
            let wantsEvents = jobs.contains { board.panels.indices.contains($0.panel) && board.panels[$0.panel].kind == .events }
            let clusterEvents = wantsEvents ? await source.events() : []
            let results = await withTaskGroup(of: (Int, PanelData).self) { group in
                for job in jobs where board.panels.indices.contains(job.panel) {
                    if board.panels[job.panel].kind == .events {
                        let panel = board.panels[job.panel].expandingFilter(values)
                        group.addTask { (job.panel, PanelData.events(from: clusterEvents, matching: panel)) }
                        continue
                    }
                    group.addTask {
                        (job.panel, await evaluator.evaluate(board.panels[job.panel], dashboard: board, variables: values,
                                                             now: end, range: range, points: job.points))
                    }
                }
                var out: [Int: PanelData] = [:]
                for await (i, d) in group { out[i] = d }
                return out
            }
            if !Task.isCancelled { events.yield(.evaluated(epoch: e, sequence: s, data: results)) }
        })
    }

    private func context() -> DashboardView.Context {
        var context = DashboardView.Context(
            dashboard: dashboard.expandingTitles(variables.displayValues), data: data, state: state, theme: theme,
            sourceName: setup.source.displayName, simulated: setup.source.isSimulated,
            health: health, refresh: setup.refresh, now: clock.now(), editing: editing)
        context.headerWarning = setup.source.headerWarning
        context.variables = variables
        context.notice = notice
        return context
    }

    /// Opens the editor on a panel's queries, in its datasource's language, and fetches completion words.
    private func startEditing(panel: Int) {
        guard dashboard.panels.indices.contains(panel) else { return }
        let backend = try? evaluator.backend(for: dashboard.panels[panel], on: dashboard).get()
        let language: QueryLanguage = backend?.datasource == .influxdb ? .influxql : .promql
        let values = variables.values
        let scrape = backend?.minimumStep ?? setup.refresh
        editing = QueryEditing(dashboard: dashboard, panel: panel, theme: theme, language: language, historyFile: QueryHistory.defaultPath()) { text in
            values.expand(text, format: .promql, extra: VariableValues.builtins(step: scrape, range: 3_600_000, scrapeInterval: scrape))
        }
        completions = QueryCompletion.items(CompletionWords(), language: language)
        completionsFromStore = backend?.datasource == .local
        guard let backend, backend.datasource != .local, let events else { return }
        Task {
            let words = await backend.completionWords()
            events.yield(.completions(QueryCompletion.items(words, language: language)))
        }
    }

    /// Lists the variables' options again (new pods appear) and keeps what was chosen.
    private func resolveVariables() async {
        guard !dashboard.variables.isEmpty else { return }
        variables = await VariableResolver.resolve(dashboard, evaluator: evaluator, now: clock.now(), selections: variables.selections,
                                                   previous: variables)
    }

    /// The list for `v` (the variables, then one variable's values) or `d` (the dashboards).
    private func picker(_ purpose: Picker.Purpose) -> Picker? {
        switch purpose {
        case .variables:
            let shown = variables.entries.filter { !$0.variable.hidden }
            return Picker(purpose: .variables, title: "Variables", items: shown.map { "\($0.variable.label ?? $0.variable.name) = \($0.selectionText)" })
        case .variable(let name, _):
            guard let e = variables[name] else { return nil }
            let items = (e.variable.includeAll ? ["All"] : []) + e.options
            let checked = Set(e.isAll ? ["All"] : e.selection)
            return Picker(purpose: .variable(name: name, multi: e.variable.multi), title: e.error.map { "\(name): \($0)" } ?? "$\(name)",
                          items: items, checked: checked, selected: items.firstIndex { checked.contains($0) } ?? 0)
        case .dashboards:
            return Picker(purpose: .dashboards, title: "Dashboards", items: catalog.map { "\($0.title) (\($0.name))" },
                          checked: ["\(dashboard.title) (\(dashboard.name))"], selected: catalog.firstIndex { $0.name == dashboard.name } ?? 0)
        case .timeRange, .refresh:
            return nil
        }
    }

    /// A key for the open picker.
    private func pick(_ key: Key, _ terminal: NcursesTerminal) async -> Bool {
        guard var picker = state.picker else { return false }
        let outcome = picker.handle(key)
        state.picker = picker
        switch outcome {
        case .none: return false
        case .redraw: return true
        case .cancel:
            state.picker = nil
            return true
        case .chosen(let items):
            state.picker = nil
            guard let first = items.first else { return true }
            switch picker.purpose {
            case .timeRange:
                if state.choose(first, for: .timeRange) == .timeChanged {
                    epoch += 1
                    await reevaluate(terminal)
                }
            case .refresh:
                if state.choose(first, for: .refresh) == .refreshChanged, let r = state.refresh { await setup.poller.setInterval(r) }
            case .variables:
                let shown = variables.entries.filter { !$0.variable.hidden }
                if let e = shown.first(where: { first.hasPrefix("\($0.variable.label ?? $0.variable.name) = ") }) {
                    state.picker = self.picker(.variable(name: e.variable.name, multi: e.variable.multi))
                }
            case .variable(let name, _):
                var selections = variables.selections
                selections[name] = items.contains("All") ? [Variable.all] : items
                variables = await VariableResolver.resolve(dashboard, evaluator: evaluator, now: clock.now(), selections: selections)
                epoch += 1
                await reevaluate(terminal)
            case .dashboards:
                if let board = catalog.first(where: { "\($0.title) (\($0.name))" == first }), board.name != dashboard.name {
                    await open(board, selections: variables.selections, terminal)
                }
            }
            return true
        }
    }

    /// Enter on a table row that leads somewhere: the target dashboard with its variables set from the row.
    private func drill(from panel: Int, _ terminal: NcursesTerminal) async -> Bool {
        guard let link = dashboard.panels[panel].drilldown,
              let labels = TableSelection.selectedLabels(panel: panel, dashboard: dashboard, data: data[panel], state: state) else { return false }
        guard let board = catalog.first(where: { $0.name == link.dashboard }) else {
            health.warnings = ["no dashboard named \"\(link.dashboard)\" to open (see kubeglass dashboards list)"]
            return true
        }
        var selections = variables.selections
        for (variable, label) in link.variables { if let v = labels[label] { selections[variable] = [v] } }
        await open(board, selections: selections, terminal)
        return true
    }

    /// Opens `board`, remembering where we were for Backspace. Variables of the same name carry over.
    private func open(_ board: Dashboards.Dashboard, selections: [String: [String]], _ terminal: NcursesTerminal) async {
        back.append((dashboard, state, variables.selections))
        if back.count > 50 { back.removeFirst() }
        var next = ViewState()
        next.timeRange = state.timeRange
        next.timeShift = state.timeShift
        next.refresh = state.refresh
        show(board, state: next)
        variables = await VariableResolver.resolve(board, evaluator: evaluator, now: clock.now(), selections: selections)
        await reevaluate(terminal)
    }

    /// The `:` dashboard: one chart whose query is typed in place.
    static func scratch(datasource: Dashboards.Datasource?) -> Dashboards.Dashboard {
        Dashboards.Dashboard(title: "Ad-hoc query", name: "ad-hoc", timeRange: 3_600_000, panels: [
            Panel(title: "Ad-hoc query", kind: .timeseries, gridPos: GridPos(x: 0, y: 0, w: 24, h: 20),
                  targets: [Target(expr: "")], datasource: datasource),
        ], datasource: datasource)
    }

    private func goBack(_ terminal: NcursesTerminal) async -> Bool {
        guard let last = back.popLast() else { return false }
        show(last.dashboard, state: last.state)
        variables = await VariableResolver.resolve(last.dashboard, evaluator: evaluator, now: clock.now(), selections: last.selections)
        await reevaluate(terminal)
        return true
    }

    private func show(_ board: Dashboards.Dashboard, state next: ViewState) {
        epoch += 1
        appliedSequence = [:]
        dashboard = board
        state = next
        data = [:]
        lastLayout = nil
        editing = nil
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
