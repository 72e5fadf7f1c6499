import Collectors
import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import Query
import Store
import Synchronization
import TerminalUI

/// Set once, read from any thread.
final class LoadedFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// How the loop reads dashboard files and user themes (off the loop, on a thread of their own); tests give slow ones.
public struct Loaders: Sendable {
    public var dashboard: @Sendable (String) throws -> Dashboard
    public var theme:
        @Sendable (_ name: String, _ environment: [String: String], _ warnings: inout [String]) throws -> Theme

    public init(
        dashboard: @escaping @Sendable (String) throws -> Dashboard,
        theme: @escaping @Sendable (String, [String: String], inout [String]) throws -> Theme
    ) {
        self.dashboard = dashboard
        self.theme = theme
    }

    /// The files as they are on disk.
    public static let files = Loaders(
        dashboard: { try DashboardCatalog.read(path: $0).dashboard },
        theme: { try Theme.named($0, environment: $1, warnings: &$2) })

    /// What `load` brings back: the error as text when the file cannot be read.
    public func run(_ load: AppState.Load) -> AppState.Loaded {
        switch load.what {
        case .dashboard(let path, _):
            do {
                return .dashboard(try dashboard(path))
            } catch let error as DashboardFileError {
                return .dashboardFailed(error.description)
            } catch {
                return .dashboardFailed("\(path): \(error)")
            }
        case .theme(let name, let environment):
            var warnings: [String] = []
            do {
                let loaded = try theme(name, environment, &warnings)
                return .theme(loaded, problems: warnings)
            } catch {
                return .theme(nil, problems: warnings + ["\(error)"])
            }
        }
    }
}

/// The interactive dashboard: one loop that owns a terminal and meets keys, resizes, polls, answers and a
/// one-second tick. `AppState` decides; this carries the effects out. Nothing here awaits the network:
/// queries, variable values and completion words run in tasks of their own and come back as events.
public final class DashboardLoop {
    public private(set) var state: AppState
    let setup: SourceSetup
    let terminal: any TerminalScreen
    let clock: any Clock
    /// Starts the poller (and loads a simulated source's history) when the loop starts; tests may poll by hand.
    let startsPoller: Bool
    /// `--max-fps`: at most this many frames a second; what changes in between is drawn together.
    let maxFramesPerSecond: Int?
    /// Reads dashboard files and themes chosen while running.
    let loaders: Loaders
    private var lastFrame: Screen?
    /// A redraw waiting for the frame interval to pass (true: the whole frame, false: the chrome).
    private var heldRedraw: Bool?
    private var lastShownAt: UInt64 = 0
    /// Whether the last frame showed the kiosk's stale banner (a frame without it is drawn whole).
    private var bannerShown = false
    /// Panel evaluations in flight: a newer one supersedes the oldest when too many pile up.
    private var evaluations: [Task<Void, Never>] = []
    /// Everything else in flight (variables, completion words, poller calls); never cancelled before the loop ends.
    private var work: [Task<Void, Never>] = []
    /// The variable listing in flight: a poll does not start another for the same dashboard while one is out
    /// (a slow server would otherwise gather one request per poll).
    private var listing: (epoch: Int, request: Int)?
    private let events: AsyncStream<AppEvent>
    /// Where events come from: the terminal's input and signal watchers, the poller, and the loop's own tasks.
    public let continuation: AsyncStream<AppEvent>.Continuation

    public init(
        state: AppState, setup: SourceSetup, terminal: any TerminalScreen, clock: any Clock = SystemClock(),
        startsPoller: Bool = true, maxFramesPerSecond: Int? = nil, loaders: Loaders = .files
    ) {
        self.loaders = loaders
        self.state = state
        self.setup = setup
        self.terminal = terminal
        self.clock = clock
        self.startsPoller = startsPoller
        self.maxFramesPerSecond = maxFramesPerSecond
        (events, continuation) = AsyncStream<AppEvent>.makeStream(bufferingPolicy: .unbounded)
        self.state.size = terminal.size
    }

    /// Runs until `q`, a signal, or the terminal going away.
    public func run() async {
        let continuation = continuation
        let poller = setup.poller
        let healthUpdates = await poller.updates()
        let history = setup.source.isSimulated ? setup.retention : 0
        let startsPoller = startsPoller
        let saved = setup.savedHistory
        let store = setup.store
        let clock = clock
        // Nothing is saved before the saved history is in: a save then would write a part of it over the file.
        let historyLoaded = LoadedFlag()
        let pollTask = Task {
            guard startsPoller else { return }
            // Saved history first: the source's own backfill and polls then add only what is newer.
            if let saved, let line = saved.load(into: store, now: clock.now()) { continuation.yield(.notice(line)) }
            historyLoaded.set()
            await poller.start(history: history)
            SeriesStore.returnFreedPages()
            await poller.run()
        }
        let saveTask = Task.detached {
            guard startsPoller, let saved else { return }
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(1000, saved.every)) * 1_000_000)
                if Task.isCancelled { break }
                guard historyLoaded.isSet else { continue }
                if let failure = saved.save(store, now: clock.now()) { continuation.yield(.notice(failure)) }
            }
        }
        let budget = setup.memoryBudget
        // Once a minute: series silent past the raw retention keep only their rollups, and the budget
        // drops the oldest buckets when the store outgrows it.
        let housekeepingTask = Task.detached {
            guard startsPoller else { return }
            var cutting = false
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 60_000_000_000)
                if Task.isCancelled { break }
                store.prune(now: clock.now())
                guard let budget else { continue }
                let check = store.enforce(budget: budget)
                if let cut = check.cutBefore {
                    cutting = true
                    continuation.yield(
                        .notice(MemoryBudgetText.cutting(budget: budget, check: check, cut: cut, now: clock.now())))
                } else if cutting && check.after < budget * 9 / 10 {
                    cutting = false
                }
            }
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
            saveTask.cancel()
            housekeepingTask.cancel()
            // On the way out, whatever ended the loop (q, a signal, the terminal gone).
            if startsPoller, historyLoaded.isSet, let saved {
                // A big cluster's save takes a moment: say why the screen waits.
                state.notice = "saving history…"
                drawChrome()
                _ = saved.save(store, now: clock.now())
            }
            pollTask.cancel()
            healthTask.cancel()
            tickTask.cancel()
            for task in evaluations + work { task.cancel() }
        }

        guard perform(state.start()) else { return }
        for await event in events {
            guard handle(event) else { return }
        }
    }

    /// One event; false when the loop should end.
    private func handle(_ event: AppEvent) -> Bool {
        switch event {
        case .input:
            var effects: [AppState.Effect] = []
            for key in terminal.readKeys() {
                if key == .resize {
                    terminal.handleResize()
                    effects += state.resized(to: terminal.size)
                    continue
                }
                // What Tab offers is read before the key: the transition may not reach back into the state it changes.
                let offered = candidates()
                effects +=
                    state.kiosk == nil
                    ? state.key(key) { offered() } : state.kioskKey(key, now: clock.now()) { offered() }
            }
            return perform(effects)
        case .resize:
            terminal.handleResize()
            return perform(state.resized(to: terminal.size))
        case .polled(let health):
            return perform(state.polled(health))
        case .evaluated(let epoch, let sequence, let data):
            return perform(state.evaluated(epoch: epoch, sequence: sequence, data: data))
        case .variables(let epoch, let request, let resolved):
            if listing?.request == request { listing = nil }
            return perform(state.variablesResolved(resolved, epoch: epoch, request: request))
        case .completions(let items):
            state.completions = items
            return true
        case .tick:
            return perform(state.kioskTick(now: clock.now()) + [.drawChrome])
        case .redraw:
            showHeldRedraw()
            return true
        case .loaded(let request, let result):
            return perform(state.loaded(request: request, result))
        case .notice(let line):
            state.notice = line
            return perform([.drawChrome])
        case .quit, .inputClosed:
            return false
        }
    }

    /// The editor's completion items, when Tab asks: the store answers at once, with the series of the latest poll;
    /// a server's words were fetched when the editor opened.
    private func candidates() -> () -> [CompletionItem] {
        let store = setup.store
        let items = state.completions
        return state.completionsFromStore
            ? { QueryEditing.candidates(words: CompletionWords(store: store)) } : { items }
    }

    /// Carries out effects in order, drawing once at the end; false when one of them is `.quit`.
    private func perform(_ effects: [AppState.Effect]) -> Bool {
        var draw = false
        var chrome = false
        for effect in effects {
            switch effect {
            case .quit:
                return false
            case .draw:
                draw = true
            case .drawChrome:
                chrome = true
            case .pollNow:
                let poller = setup.poller
                spawn { await poller.refreshNow() }
            case .setPollInterval(let interval):
                let poller = setup.poller
                spawn { await poller.setInterval(interval) }
            case .evaluate(let evaluation):
                evaluate(evaluation)
            case .resolveVariables(let request):
                if let busy = listing, busy.epoch == request.epoch, request.previous != nil { break }
                listing = (request.epoch, request.request)
                resolve(request)
            case .save(let board):
                do {
                    let saved = try DashboardSaving.save(board, environment: state.themeEnvironment)
                    state.notice =
                        saved.inPlace
                        ? "wrote \(saved.changed) changed quer\(saved.changed == 1 ? "y" : "ies") to \(saved.path)"
                        : "wrote \(saved.path)"
                } catch {
                    state.notice = "could not save the dashboard: \(error.localizedDescription)"
                }
            case .fetchCompletions(let backend, let language):
                let continuation = continuation
                spawn {
                    let words = await backend.completionWords()
                    continuation.yield(.completions(QueryCompletion.items(words, language: language)))
                }
            case .load(let load):
                // A big file takes seconds to parse: on a thread of its own, not the loop's nor the task pool's.
                let (loaders, continuation) = (loaders, continuation)
                DispatchQueue.global(qos: .userInitiated).async {
                    continuation.yield(.loaded(request: load.request, loaders.run(load)))
                }
            }
        }
        if draw || chrome { present(wholeFrame: draw) }
        return true
    }

    /// Draws now, or, within `1 / maxFramesPerSecond` of the last frame, once that interval has passed.
    private func present(wholeFrame: Bool) {
        guard let fps = maxFramesPerSecond, fps > 0 else {
            if wholeFrame { drawFrame() } else { drawChrome() }
            return
        }
        let waiting = heldRedraw != nil
        heldRedraw = (heldRedraw ?? false) || wholeFrame
        if waiting { return }
        let interval = 1_000_000_000 / UInt64(fps)
        let now = DispatchTime.now().uptimeNanoseconds
        if now >= lastShownAt + interval {
            showHeldRedraw()
            return
        }
        let continuation = continuation
        let wait = lastShownAt + interval - now
        spawn {
            try? await Task.sleep(nanoseconds: wait)
            continuation.yield(.redraw)
        }
    }

    private func showHeldRedraw() {
        guard let whole = heldRedraw else { return }
        heldRedraw = nil
        lastShownAt = DispatchTime.now().uptimeNanoseconds
        if whole { drawFrame() } else { drawChrome() }
    }

    private func spawn(_ operation: @escaping @Sendable () async -> Void) {
        // Only the references are dropped here: a dropped task still runs to its end.
        if work.count > 64 { work.removeFirst() }
        work.append(Task { await operation() })
    }

    /// Evaluates panels concurrently off the loop; the results come back as an `.evaluated` event.
    private func evaluate(_ e: AppState.Evaluation) {
        let continuation = continuation
        let evaluator = setup.evaluator
        let source = setup.source
        let end = clock.now() - e.timeShift
        if evaluations.count >= 8 { evaluations.removeFirst().cancel() }
        evaluations.append(
            Task {
                let board = e.board
                let wantsEvents = e.jobs.contains {
                    board.panels.indices.contains($0.panel) && board.panels[$0.panel].kind == .events
                }
                let clusterEvents = wantsEvents ? await source.events() : []
                let results = await withTaskGroup(of: (Int, PanelData).self) { group in
                    for job in e.jobs where board.panels.indices.contains(job.panel) {
                        if board.panels[job.panel].kind == .events {
                            let panel = board.panels[job.panel].expandingFilter(e.values)
                            group.addTask { (job.panel, PanelData.events(from: clusterEvents, matching: panel)) }
                            continue
                        }
                        group.addTask {
                            (
                                job.panel,
                                await evaluator.evaluate(
                                    board.panels[job.panel], dashboard: board, variables: e.values,
                                    now: end, range: e.range, points: job.points, table: job.table)
                            )
                        }
                    }
                    var out: [Int: PanelData] = [:]
                    for await (i, d) in group { out[i] = d }
                    return out
                }
                if !Task.isCancelled {
                    continuation.yield(.evaluated(epoch: e.epoch, sequence: e.sequence, data: results))
                }
            })
    }

    /// Lists the variables' options off the loop (a Prometheus answers label values over the network).
    private func resolve(_ r: AppState.VariableRequest) {
        let continuation = continuation
        let evaluator = setup.evaluator
        let now = clock.now()
        spawn {
            let resolved = await VariableResolver.resolve(
                r.board, evaluator: evaluator, now: now, selections: r.selections, previous: r.previous)
            if !Task.isCancelled { continuation.yield(.variables(epoch: r.epoch, request: r.request, resolved)) }
        }
    }

    private func context() -> DashboardView.Context {
        var context = DashboardView.Context(
            dashboard: state.dashboard.expandingTitles(state.variables.displayValues), data: state.data,
            state: state.view,
            theme: state.theme, sourceName: setup.source.displayName, simulated: setup.source.isSimulated,
            health: state.health, refresh: setup.refresh, now: clock.now(), editing: state.editing)
        context.headerWarning = setup.source.headerWarning
        if state.health.state == .starting { context.progress = setup.source.progress?.text() }
        context.variables = state.variables
        // A theme's problem stays beside other notices until a key is pressed.
        let notice = [state.loading, state.themeNotice, state.notice].compactMap { $0 }.joined(separator: " · ")
        context.notice = notice.isEmpty ? state.kiosk?.statusText(now: clock.now()) : notice
        context.clusterFirst = state.kiosk != nil
        context.historyStart = setup.store.oldestHeldTime
        return context
    }

    private func drawFrame() {
        let size = terminal.size
        var screen = Screen(width: size.width, height: size.height)
        DashboardView(context()).render(in: screen.bounds, on: &screen)
        bannerShown = drawStaleBanner(on: &screen)
        terminal.show(screen)
        lastFrame = screen
    }

    /// The once-a-second update: the clock and ages in the header and status bar, over the last frame.
    private func drawChrome() {
        let size = terminal.size
        // Taken out of `lastFrame` so that the chrome is drawn into the frame's own cells, not a copy of them.
        guard var screen = lastFrame.take(), screen.width == size.width, screen.height == size.height, !bannerShown,
            state.kiosk == nil || state.staleAge(now: clock.now()) == nil,
            DashboardView(context()).renderChrome(in: screen.bounds, on: &screen)
        else {
            drawFrame()
            return
        }
        terminal.show(screen)
        lastFrame = screen
    }

    /// On a kiosk whose data is older than twice the poll interval: the banner over the top of the panels,
    /// with the age and the whole error. True when it was drawn.
    private func drawStaleBanner(on screen: inout Screen) -> Bool {
        let now = clock.now()
        guard state.kiosk != nil, let age = state.staleAge(now: now) else { return false }
        let health = state.health
        let known = health.lastSuccess != nil && age != .max
        let banner = StaleBanner(
            age: known ? age : nil,
            lastData: health.lastSuccess.map { DashboardView.clockText($0, timeZone: .current) },
            error: health.lastError
                ?? (health.state == .ok ? "no poll has ended since (the source is slow to answer)" : nil),
            theme: state.theme)
        // Below the header and above the status bar, unless the terminal is too small for them.
        let body =
            screen.height >= DashboardView.minimumHeight && screen.width >= DashboardView.minimumWidth
            ? Rect(x: 0, y: 1, width: screen.width, height: DashboardView.bodyHeight(screenHeight: screen.height))
            : screen.bounds
        banner.render(in: body, on: &screen)
        return true
    }
}
