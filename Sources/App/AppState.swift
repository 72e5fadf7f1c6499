import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import Query
import TerminalUI

/// Everything the dashboard shows and remembers, and the one transition from an event to what must happen next.
/// The transitions are pure: they change this value and return effects; `DashboardLoop` carries the effects out.
public struct AppState {
    public var dashboard: Dashboard
    /// Every dashboard `d` can open and drill-downs can lead to.
    public internal(set) var catalog: [Dashboard]
    /// The file each dashboard of the catalog was read from, by name (none for a built-in): opening one reads
    /// the file again, off the loop (AppState+Loading.swift).
    public var dashboardFiles: [String: String] = [:]
    /// What is being read off the loop (a dashboard file, a theme), for the status bar until it is in.
    public var loading: String?
    /// Bumped by each load asked for: the answer to an older one is dropped.
    var loadRequest = 0
    /// The load out now, if any.
    var pendingLoad: Load?
    /// Where Backspace goes: the dashboards left by drill-downs and `d`, with their view and variables.
    public var back: [(dashboard: Dashboard, view: ViewState, selections: [String: [String]])] = []
    public var variables: ResolvedVariables
    public var editing: QueryEditing?
    public var theme: Theme
    /// What was wrong with the theme asked for (`--theme` or the `T` picker), for the status bar until the next key.
    public var themeNotice: String?
    /// Where user themes are looked up (`$XDG_CONFIG_HOME`, `HOME`); tests set their own.
    public var themeEnvironment = ProcessInfo.processInfo.environment
    public let evaluator: PanelEvaluator
    /// The poll interval kubeglass started with (the editor's scrape interval when a backend names none).
    public let refresh: Int64
    public var view = ViewState()
    public var data: [Int: PanelData] = [:]
    public var health = SourceHealth()
    public var size: (width: Int, height: Int)
    public var layout: DashboardLayout?
    /// Bumped when the dashboard, its time window or its variables change: older results are dropped.
    public private(set) var epoch = 0
    private var sequence = 0
    private var appliedSequence: [Int: Int] = [:]
    private var variablesRequest = 0
    private var appliedVariablesRequest = 0
    /// A line for the status bar after `w` (until the next key).
    public var notice: String?
    /// `w` asked whether to write this dashboard: `y` writes it, any other key does not (AppState+Write.swift).
    public var pendingWrite: Dashboard?
    /// Dashboards as `w` last wrote them, by name: what the next `w` compares with.
    public var written: [String: Dashboard] = [:]
    /// Completion items for the query being edited, fetched from its datasource when the editor opens.
    public var completions: [CompletionItem] = []
    /// The query being edited runs on the local store: Tab lists the store's words as they are then.
    public var completionsFromStore = false
    /// Where the query editor keeps its history (nil: none).
    public var historyFile: String?
    /// The wall screen's playlist and lock (`--kiosk`); nil in an ordinary run (AppState+Kiosk.swift).
    public var kiosk: Kiosk?

    public init(
        dashboard: Dashboard, catalog: [Dashboard], theme: Theme, evaluator: PanelEvaluator, refresh: Int64,
        size: (width: Int, height: Int), selections: [String: [String]] = [:], historyFile: String? = nil
    ) {
        // Wherever pods are listed by namespace, a namespace filter (Dashboard+NamespaceFilter.swift).
        let dashboard = dashboard.withNamespaceFilter()
        self.dashboard = dashboard
        self.catalog = catalog
        self.theme = theme
        self.evaluator = evaluator
        self.refresh = refresh
        self.size = size
        self.historyFile = historyFile
        variables = Self.unresolved(dashboard, selections: selections)
    }

    /// What the loop must do after a transition. Effects are values: each carries what it needs as it was then.
    public enum Effect {
        case quit
        /// Draw the whole frame.
        case draw
        /// Redraw only the clock and ages over the last frame.
        case drawChrome
        case pollNow
        case setPollInterval(Int64)
        case evaluate(Evaluation)
        case resolveVariables(VariableRequest)
        case save(Dashboard)
        /// Fetch the editor's completion words from a remote datasource.
        case fetchCompletions(any QueryBackend, QueryLanguage)
        /// Read a dashboard file or a theme off the loop; the answer comes back as `.loaded`.
        case load(Load)
    }

    /// Panels to evaluate for the window of `range` ending `timeShift` before now, tagged so that a late answer
    /// for an older dashboard is dropped.
    public struct Evaluation: Sendable {
        public var board: Dashboard
        public var jobs: [(panel: Int, points: Int, table: TableRequest?)]
        public var values: VariableValues
        public var range: Int64
        public var timeShift: Int64
        public var epoch: Int
        public var sequence: Int
    }

    /// Variables to list for `board`, tagged like an evaluation.
    public struct VariableRequest: Sendable {
        public var board: Dashboard
        public var selections: [String: [String]]
        /// The variables as they were, to keep a selection while its variable has no options yet.
        public var previous: ResolvedVariables?
        public var epoch: Int
        public var request: Int
    }

    // MARK: - Events

    /// The first frame: the variables are listed (then the panels evaluate), and the empty dashboard is drawn.
    public mutating func start() -> [Effect] {
        // A dashboard whose one variable is the namespace filter (at All) draws at once; its namespaces come later.
        let now = dashboard.variables.allSatisfy(\.filtersRows) && !dashboard.variables.isEmpty ? [evaluateAll()] : []
        return now + listVariables(selections: variables.selections, keepingPrevious: true) + [.draw]
    }

    /// The terminal has a new size: lay out again and evaluate for the new widths.
    public mutating func resized(to size: (width: Int, height: Int)) -> [Effect] {
        self.size = size
        return [evaluateAll(), .draw]
    }

    /// A poll ended: new health, new series. The variables' options are listed again (new pods appear), then panels
    /// evaluate and are drawn; until then only the status bar changes (unless the panels show the source stale).
    public mutating func polled(_ health: SourceHealth) -> [Effect] {
        self.health = health
        return listVariables(selections: variables.selections, keepingPrevious: true) + [.drawChrome]
    }

    public mutating func evaluated(epoch: Int, sequence: Int, data results: [Int: PanelData]) -> [Effect] {
        guard epoch == self.epoch else { return [] }
        var effects: [Effect] = []
        for (i, d) in results where sequence > appliedSequence[i, default: -1] {
            data[i] = d.keepingLastData(over: data[i])
            appliedSequence[i] = sequence
            // The selected row moved with the new data: its rows are evaluated when they were not.
            if followSelection(in: i), tableNeedsRows(i) { effects.append(evaluate(panel: i)) }
        }
        return effects + [.draw]
    }

    public mutating func variablesResolved(_ resolved: ResolvedVariables, epoch: Int, request: Int) -> [Effect] {
        guard epoch == self.epoch, request > appliedVariablesRequest else { return [] }
        appliedVariablesRequest = request
        // After a poll the options are mostly the same: the panels then change when their new data comes,
        // and a frame drawn now would draw the old data again.
        let changed = resolved != variables
        variables = resolved
        return [evaluateAll()] + (changed ? [.draw] : [])
    }

    /// One key. `candidates` gives the editor's completion items when Tab asks for them.
    public mutating func key(_ key: Key, candidates: () -> [CompletionItem]) -> [Effect] {
        if editing != nil { return edit(key, candidates: candidates) }
        if pendingWrite != nil { return confirmWrite(key) }
        notice = nil
        themeNotice = nil
        if view.picker != nil {
            guard case .mouse(let event) = key else { return pick(key) }
            // The wheel moves through the list; a click is not a choice.
            switch event.action {
            case .wheelUp: return pick(.up)
            case .wheelDown: return pick(.down)
            default: return []
            }
        }
        let viewHeight = DashboardView.bodyHeight(screenHeight: size.height)
        let layout = self.layout ?? DashboardLayout(panels: dashboard.panels, width: size.width, height: viewHeight)
        let (focused, shownView) = (view.focus, view)
        let tableBefore = dashboard.panels.indices.contains(focused) ? view.tableState(focused, dashboard) : nil
        let rows = { [data] (panel: Int) in shownView.rowCount(of: panel, data: data[panel]) }
        let action: ViewState.Action
        if case .mouse(let event) = key {
            // Hit-tested against the panels as drawn: rows folded as chosen.
            let drawn = DashboardLayout(dashboard: dashboard, state: view, width: size.width, height: viewHeight)
            action = view.handleMouse(
                event, dashboard: dashboard, layout: drawn, width: size.width, viewHeight: viewHeight, rows: rows)
        } else {
            let (board, theme, width) = (dashboard, theme, size.width)
            action = view.handle(key, dashboard: dashboard, layout: layout, viewHeight: viewHeight, rows: rows) {
                [data] panel in
                shownView.legendNames(
                    of: panel, dashboard: board, data: data[panel], theme: theme, width: width, viewHeight: viewHeight)
            }
        }
        if let tableBefore {
            keepSelection(in: focused, before: tableBefore, searchBefore: shownView.search(focused)?.text)
        }
        // A click may have selected a row in another table.
        if view.focus != focused, dashboard.panels.indices.contains(view.focus) {
            keepSelection(
                in: view.focus, before: shownView.tableState(view.focus, dashboard),
                searchBefore: shownView.search(view.focus)?.text)
        }
        // The refresh picker opens on the interval in force, the one kubeglass started with until `R` chose one.
        if view.picker?.purpose == .refresh, view.refresh == nil { view.picker = Picker.refresh(current: refresh) }
        switch action {
        case .none: return []
        case .quit: return [.quit]
        case .refresh: return [.pollNow]
        case .redraw:
            // A table moved onto rows not filled yet: evaluate it for the rows it shows now.
            let focus = view.focus
            if dashboard.panels.indices.contains(focus), dashboard.panels[focus].kind == .table,
                tableNeedsRows(focus)
            {
                return [evaluate(panel: focus), .draw]
            }
            return [.draw]
        case .edit: return startEditing(panel: view.focus) + [.draw]
        case .timeChanged: return windowChanged() + [.draw]
        case .refreshChanged: return (view.refresh.map { [.setPollInterval($0)] } ?? []) + [.draw]
        case .openPicker(let purpose):
            view.picker = picker(purpose)
            return [.draw]
        case .drill(let panel): return drill(from: panel)
        case .back: return goBack()
        case .notice(let text):
            notice = text
            return [.draw]
        case .write: return askToWrite()
        case .adHocQuery:
            var effects = open(Self.scratch(datasource: dashboard.datasource), selections: variables.selections)
            view.fullscreen = true
            effects += startEditing(panel: 0)
            return effects + [.draw]
        }
    }

    // MARK: - Transitions behind the keys

    /// A key for the query editor; the panel previews the edited query as it stands.
    private mutating func edit(_ key: Key, candidates: () -> [CompletionItem]) -> [Effect] {
        guard var session = editing else { return [] }
        let outcome = session.handle(key, candidates: candidates)
        editing = session
        switch outcome {
        case .none: return []
        case .redraw: return [.draw]
        case .preview: return [evaluate(panel: session.panel), .draw]
        case .apply:
            dashboard = session.applied(to: dashboard)
            editing = nil
            let metrics = candidates().filter { $0.kind == .metric }.map(\.text)
            notice = unknownMetricNotice(session.texts[session.target], metrics: metrics)
            return [evaluate(panel: session.panel), .draw]
        case .cancel:
            editing = nil
            return [evaluate(panel: session.panel), .draw]
        }
    }

    /// A key for the open picker.
    private mutating func pick(_ key: Key) -> [Effect] {
        guard var picker = view.picker else { return [] }
        let outcome = picker.handle(key)
        view.picker = picker
        switch outcome {
        case .none: return []
        case .redraw: return [.draw]
        case .cancel:
            view.picker = nil
            return [.draw]
        case .chosen(let items):
            view.picker = nil
            guard let first = items.first else { return [.draw] }
            switch picker.purpose {
            case .timeRange:
                return (view.choose(first, for: .timeRange) == .timeChanged ? windowChanged() : []) + [.draw]
            case .refresh:
                guard view.choose(first, for: .refresh) == .refreshChanged, let r = view.refresh else { return [.draw] }
                return [.setPollInterval(r), .draw]
            case .variables:
                let shown = variables.entries.filter { !$0.variable.hidden }
                if let e = shown.first(where: { first.hasPrefix("\($0.variable.label ?? $0.variable.name) = ") }) {
                    view.picker = self.picker(.variable(name: e.variable.name, multi: e.variable.multi))
                }
                return [.draw]
            case .variable(let name, _):
                var selections = variables.selections
                selections[name] = items.contains("All") ? [Variable.all] : items
                epoch += 1
                return listVariables(selections: selections, keepingPrevious: false) + [.draw]
            case .dashboards:
                guard let board = catalog.first(where: { "\($0.title) (\($0.name))" == first }),
                    board.name != dashboard.name
                else {
                    return [.draw]
                }
                return openFromCatalog(board, selections: variables.selections) + [.draw]
            case .themes:
                return chooseTheme(first) + [.draw]
            }
        }
    }

    /// Enter on a table row that leads somewhere: the target dashboard with its variables set from the row.
    private mutating func drill(from panel: Int) -> [Effect] {
        if dashboard.panels[panel].kind != .table, let details = dashboard.panels[panel].drilldown?.table.first {
            return drillToTable(details, from: panel)
        }
        guard let link = dashboard.panels[panel].drilldown,
            let labels = TableSelection.selectedLabels(
                panel: panel, dashboard: dashboard, data: data[panel], state: view)
        else { return [] }
        guard let board = catalog.first(where: { $0.name == link.dashboard }) else {
            health.warnings = ["no dashboard named \"\(link.dashboard)\" to open (see kubeglass dashboards list)"]
            return [.draw]
        }
        var selections = variables.selections
        for (variable, label) in link.variables { if let v = labels[label] { selections[variable] = [v] } }
        return openFromCatalog(board, selections: selections) + [.draw]
    }

    /// Enter on a stat that counts something: its table on its own, with this dashboard's variables, over the
    /// whole screen; Backspace comes back.
    private mutating func drillToTable(_ details: Panel, from panel: Int) -> [Effect] {
        let stat = dashboard.panels[panel]
        var table = details
        table.gridPos = GridPos(x: 0, y: 0, w: 24, h: max(4, DashboardView.bodyHeight(screenHeight: size.height)))
        table.datasource = table.datasource ?? stat.datasource
        let board = Dashboard(
            title: "\(dashboard.title) ▸ \(stat.title)", name: "\(dashboard.name)-details", refresh: dashboard.refresh,
            timeRange: dashboard.timeRange, panels: [table], variables: dashboard.variables,
            datasource: dashboard.datasource)
        return open(board, selections: variables.selections) + [.draw]
    }

    /// Opens `board`, remembering where we were for Backspace. Variables of the same name carry over.
    mutating func open(_ board: Dashboard, selections: [String: [String]]) -> [Effect] {
        back.append((dashboard, view, variables.selections))
        // The namespace filter left at All says nothing about the next dashboard's `$namespace`.
        var selections = selections
        for e in variables.entries where e.variable.filtersRows && e.isAll && selections[e.variable.name] == e.selection
        {
            selections[e.variable.name] = nil
        }
        if back.count > 50 { back.removeFirst() }
        var next = ViewState()
        next.timeRange = view.timeRange
        next.timeShift = view.timeShift
        next.refresh = view.refresh
        show(board, view: next, selections: selections)
        return listVariables(selections: selections, keepingPrevious: false)
    }

    private mutating func goBack() -> [Effect] {
        guard let last = back.popLast() else { return [] }
        show(last.dashboard, view: last.view, selections: last.selections)
        return listVariables(selections: last.selections, keepingPrevious: false) + [.draw]
    }

    mutating func show(_ board: Dashboard, view next: ViewState, selections: [String: [String]]) {
        epoch += 1
        appliedSequence = [:]
        dashboard = board.withNamespaceFilter()
        view = next
        data = [:]
        layout = nil
        editing = nil
        variables = Self.unresolved(dashboard, selections: selections)
    }

    /// Opens the editor on a panel's queries, in its datasource's language; a remote datasource's words are fetched.
    private mutating func startEditing(panel: Int) -> [Effect] {
        guard dashboard.panels.indices.contains(panel) else { return [] }
        let backend = try? evaluator.backend(for: dashboard.panels[panel], on: dashboard).get()
        let language: QueryLanguage = backend?.datasource == .influxdb ? .influxql : .promql
        let values = variables.values
        let scrape = backend?.minimumStep ?? refresh
        editing = QueryEditing(
            dashboard: dashboard, panel: panel, theme: theme, language: language, historyFile: historyFile,
            serverFunctions: backend?.datasource == .prometheus
        ) { text in
            values.expand(
                text, format: .promql,
                extra: VariableValues.builtins(step: scrape, range: Milliseconds.hour, scrapeInterval: scrape))
        }
        completions = QueryCompletion.items(CompletionWords(), language: language)
        completionsFromStore = backend?.datasource == .local
        guard let backend, backend.datasource != .local else { return [] }
        return [.fetchCompletions(backend, language)]
    }

    /// The time window moved: everything evaluates again, and answers for the old window are dropped.
    private mutating func windowChanged() -> [Effect] {
        epoch += 1
        return [evaluateAll()]
    }

    // MARK: - Building effects

    /// Lists the variables' options (then the panels evaluate); a dashboard without variables evaluates at once.
    mutating func listVariables(selections: [String: [String]], keepingPrevious: Bool) -> [Effect] {
        guard !dashboard.variables.isEmpty else { return [evaluateAll()] }
        variablesRequest += 1
        return [
            .resolveVariables(
                VariableRequest(
                    board: dashboard, selections: selections, previous: keepingPrevious ? variables : nil,
                    epoch: epoch, request: variablesRequest))
        ]
    }

    /// Every panel, for the current window and sizes. While a query is being edited, its panel shows the edited version.
    private mutating func evaluateAll() -> Effect {
        let layout = DashboardLayout(
            panels: dashboard.panels, width: size.width, height: DashboardView.bodyHeight(screenHeight: size.height))
        self.layout = layout
        return evaluation(dashboard.panels.indices.map { job($0, layout: layout) })
    }

    private mutating func evaluate(panel: Int) -> Effect {
        evaluation([job(panel, layout: layout)])
    }

    /// What panel `i` needs evaluated: points as wide as it is drawn; for a table, the rows it shows.
    private func job(_ i: Int, layout: DashboardLayout?) -> (panel: Int, points: Int, table: TableRequest?) {
        let rect = layout?.rect(of: i)
        let points = DashboardView.points(forPanelWidth: rect?.width ?? size.width)
        guard dashboard.panels.indices.contains(i), dashboard.panels[i].kind == .table else { return (i, points, nil) }
        // Full screen, the table may take the whole body; a border and the header take three rows.
        let body = DashboardView.bodyHeight(screenHeight: size.height)
        let visible = max(rect?.height ?? body, view.fullscreen ? body : 0) - 3
        let tableState = view.tableState(i, dashboard)
        return (
            i, points,
            TableRequest.around(
                selected: tableState.selected, visible: visible, order: tableState.order,
                filter: view.search(i)?.text ?? "")
        )
    }

    /// Whether table `panel` shows rows whose sparklines were not evaluated (it was scrolled, re-sorted or
    /// searched past the rows asked for): then it is evaluated again for the rows it shows now.
    func tableNeedsRows(_ panel: Int) -> Bool {
        guard let table = data[panel]?.table, table.rows.contains(where: \.partial) else { return false }
        let tableState = view.tableState(panel, dashboard)
        let shown = table.displayed(order: tableState.order, filter: view.search(panel)?.text ?? "")
        let body = DashboardView.bodyHeight(screenHeight: size.height)
        let visible = max(1, max(layout?.rect(of: panel)?.height ?? body, view.fullscreen ? body : 0) - 3)
        let offset = Table.scrollOffset(
            showing: min(tableState.selected, max(0, shown.count - 1)), from: 0, visibleRows: visible,
            rowCount: shown.count)
        return shown[offset..<min(shown.count, offset + visible)].contains { table.rows[$0].partial }
    }

    private mutating func evaluation(_ jobs: [(panel: Int, points: Int, table: TableRequest?)]) -> Effect {
        sequence += 1
        let board = editing.map { $0.applied(to: dashboard) } ?? dashboard
        return .evaluate(
            Evaluation(
                board: board, jobs: jobs, values: variables.values, range: view.range(board),
                timeShift: view.timeShift, epoch: epoch, sequence: sequence))
    }

    // MARK: - Pure helpers

    /// The list for `v` (the variables, then one variable's values) or `d` (the dashboards).
    public func picker(_ purpose: Picker.Purpose) -> Picker? {
        switch purpose {
        case .variables:
            let shown = variables.entries.filter { !$0.variable.hidden }
            return Picker(
                purpose: .variables, title: "Variables",
                items: shown.map { "\($0.variable.label ?? $0.variable.name) = \($0.selectionText)" })
        case .variable(let name, _):
            guard let e = variables[name] else { return nil }
            let items = (e.variable.includeAll ? ["All"] : []) + e.options
            let checked = Set(e.isAll ? ["All"] : e.selection)
            return Picker(
                purpose: .variable(name: name, multi: e.variable.multi),
                title: e.error.map { "\(name): \($0)" } ?? "$\(name)",
                items: items, checked: checked, selected: items.firstIndex { checked.contains($0) } ?? 0)
        case .dashboards:
            return Picker(
                purpose: .dashboards, title: "Dashboards", items: catalog.map { "\($0.title) (\($0.name))" },
                checked: ["\(dashboard.title) (\(dashboard.name))"],
                selected: catalog.firstIndex { $0.name == dashboard.name } ?? 0)
        case .themes:
            return themePicker()
        case .timeRange, .refresh:
            return nil
        }
    }

    /// A dashboard's variables before their options are listed: the chosen values, or each variable's current one.
    static func unresolved(_ board: Dashboard, selections: [String: [String]]) -> ResolvedVariables {
        ResolvedVariables(
            entries: board.variables.map {
                ResolvedVariables.Entry(variable: $0, options: [], selection: selections[$0.name] ?? $0.current)
            })
    }

    /// The `:` dashboard: one chart whose query is typed in place.
    public static func scratch(datasource: Datasource?) -> Dashboard {
        Dashboard(
            title: "Ad-hoc query", name: "ad-hoc", timeRange: Milliseconds.hour,
            panels: [
                Panel(
                    title: "Ad-hoc query", kind: .timeseries, gridPos: GridPos(x: 0, y: 0, w: 24, h: 20),
                    targets: [Target(expr: "")], datasource: datasource)
            ], datasource: datasource)
    }
}
