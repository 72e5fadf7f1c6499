import App
import ArgumentParser
import Collectors
import DashboardUI
import Dashboards
import Foundation
import KubeClient
import KubeglassCore
import Query
import TerminalUI

/// Prints a dashboard once, without a TUI: for scripts, CI and tests.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Print the dashboard (or one panel) once, after one poll, then exit.",
        discussion: """
            --format text draws every panel as plain text (no escape codes), as tall as
            it needs. --format json prints each panel's series, for scripts and tests:
              {"dashboard": "Cluster", "time": {"from": 1795312000, "to": 1795315600},
               "panels": [{"title": "CPU usage", "type": "timeseries",
                 "unit": "cores", "error": null,
                 "targets": [{"datasource": "local", "query": "<exact text sent>",
                   "start": 1795312000, "end": 1795315600, "step": 15,
                   "series": [{"labels": {"pod": "web-1"},
                     "points": [[1795312000, 0.25], [1795312015, null]]}]}]}]}
            Times are unix seconds; an instant query has "step": null. A table panel
            also has its rows, in the table's sort order (at most --rows; "total"
            counts them all):
              "table": {"columns": [{"title": "CPU", "type": "value", "unit": "cores"},
                                    ...],
                        "rows": [["node-03", "Ready", 1.25, ...], ...], "total": 12}

            --format csv and --format tsv print tables: with --panel TITLE that table
            alone (a header, then its rows), else each table panel as a block (a line
            with its title, the header, the rows) with a blank line between blocks.
            CSV quotes as RFC 4180 says.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, tsv }

    @OptionGroup var source: SourceOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Print this dashboard (a name, a YAML file or a Grafana JSON file) instead of the built-in Cluster dashboard.",
            valueName: "name|path"), completion: ValueCompletion.dashboards)
    var dashboard: String?

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp(
            "Set a dashboard variable, e.g. --var node=node-03 (repeatable; a,b for several values).",
            valueName: "name=value"))
    var variables: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only the panel with this title (case is ignored when no title is exact).", valueName: "title"))
    var panel: String?

    @Option(name: .long, help: "text, json, or csv or tsv (tables only).")
    var format: Format = .text

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where the window ends, in unix seconds (default: now); for a TSDB's history.", valueName: "time"))
    var end: Double?

    @Option(name: .long, help: ArgumentHelp("Columns for --format text.", valueName: "n"))
    var width: Int = 160

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Rows each table prints, in its sort order (0: all of them; a table's sparklines are evaluated only for the rows printed).",
            valueName: "n"))
    var rows: Int = 100

    @Flag(
        name: .long,
        help: "Print to stderr how long the poll and each panel's evaluation took, and the peak RSS (for benchmarks).")
    var timings = false

    func run() async throws {
        let setup = try SourceSetup(options: source)
        let (boards, _, _, warnings) = try DashboardChoice.open(
            dashboard.map { [$0] } ?? [], default: setup.defaultDashboard)
        for w in warnings { FileHandle.standardError.write(Data("kubeglass: \(w)\n".utf8)) }
        var board = boards[0]
        let selections = try DashboardChoice.selections(variables)
        if let panel {
            var one = try board.panel(titled: panel)
            one.gridPos = GridPos(x: 0, y: 0, w: 24, h: one.gridPos.h)
            board.panels = [one]
        }
        if format == .csv || format == .tsv, !board.panels.contains(where: { $0.kind == .table }) {
            throw ValidationError(
                panel == nil
                    ? "--format \(format.rawValue) prints tables, and \(board.title) has none; use --format json"
                    : "--format \(format.rawValue) prints tables, and \"\(board.panels[0].title)\" is a \(board.panels[0].kind.rawValue) panel; use --format json"
            )
        }
        let started = ContinuousClock.now
        var savedAt: Timestamp?
        if source.stateDir != nil {
            let loaded = try SavedHistoryReading.load(source, into: setup.store)
            savedAt = loaded.newest == .min ? loaded.savedAt : loaded.newest
        } else {
            await setup.poller.start(history: setup.source.isSimulated ? setup.retention : 0)
        }
        var health = await setup.poller.currentHealth
        if let savedAt { health.lastSuccess = savedAt }
        let now =
            end.map { Timestamp(($0 * 1000).rounded()) } ?? savedAt ?? health.lastSuccess ?? SystemClock().now()
        let evaluator = setup.evaluator
        let resolved = await VariableResolver.resolve(board, evaluator: evaluator, now: now, selections: selections)
        for e in resolved.entries where e.error != nil || e.selection.isEmpty {
            FileHandle.standardError.write(
                Data("kubeglass: variable $\(e.variable.name): \(e.error ?? "no values")\n".utf8))
        }
        let layout = DashboardLayout(panels: board.panels, width: width, height: 0)
        var data: [Int: PanelData] = [:]
        let polled = ContinuousClock.now
        if timings { Self.report("poll and variables", started.duration(to: polled)) }
        for (i, p) in board.panels.enumerated() {
            let panelStarted = ContinuousClock.now
            defer { if timings { Self.report("panel \(p.title)", panelStarted.duration(to: .now)) } }
            if p.kind == .events {
                data[i] = PanelData.events(
                    from: await setup.source.events(), matching: p.expandingFilter(resolved.values))
                continue
            }
            let table =
                p.kind == .table && rows > 0
                ? TableRequest(
                    order: p.sortColumn.map { TableOrder(column: $0, descending: p.sortDescending) },
                    rows: 0..<max(rows, p.gridPos.h))
                : nil
            data[i] = await evaluator.evaluate(
                p, dashboard: board, variables: resolved.values, now: now, range: board.timeRange,
                points: DashboardView.points(forPanelWidth: layout.rect(of: i)?.width ?? width), table: table)
        }
        if timings {
            Self.report("all panels", polled.duration(to: .now))
            let peak = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            FileHandle.standardError.write(
                Data("timing: peak RSS \(peak?.dropFirst(6).trimmingCharacters(in: .whitespaces) ?? "?")\n".utf8))
        }
        board = board.expandingTitles(resolved.displayValues)
        switch format {
        case .text:
            let context = DashboardView.Context(
                dashboard: board, data: data, state: ViewState(), theme: .default,
                sourceName: setup.source.displayName, simulated: setup.source.isSimulated,
                health: health, refresh: setup.refresh, now: now)
            print(DashboardView.plainText(context, width: width, maxRows: rows).joined(separator: "\n"))
        case .json:
            let report = OnceReport(board, data: data, now: now, rows: rows)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .csv, .tsv:
            let blocks = board.panels.indices.filter { board.panels[$0].kind == .table }.map { i in
                let table = OnceTable(board.panels[i], table: data[i]?.table, limit: rows)
                let lines = table.lines(format == .csv ? .csv : .tsv)
                // One table alone is plain CSV; several are told apart by their titles.
                return panel != nil
                    ? lines : [OnceTable.line([board.panels[i].title], format == .csv ? .csv : .tsv)] + lines
            }
            print(blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n\n"))
        }
        // Done: the store of a big cluster (millions of series) is not worth freeing object by object, which
        // took about a second. `exit` flushes the output.
        Foundation.exit(0)
    }
}

extension OnceCommand {
    static func report(_ what: String, _ d: Duration) {
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data("timing: \(what): \(String(format: "%.3f", seconds)) s\n".utf8))
    }
}

/// The stable JSON shape of `kubeglass once --format json` (documented in its --help and the README).
struct OnceReport: Encodable {
    struct TimeRange: Encodable {
        var from: Int64
        var to: Int64
    }
    struct SeriesOut: Encodable {
        var labels: [String: String]
        var points: [[Double?]]
    }
    struct TargetOut: Encodable {
        var datasource = "local"
        var query: String
        var start: Double
        var end: Double
        var step: Double?
        var series: [SeriesOut]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(datasource, forKey: .datasource)
            try c.encode(query, forKey: .query)
            try c.encode(start, forKey: .start)
            try c.encode(end, forKey: .end)
            try c.encode(step, forKey: .step) // null for instant queries, not left out
            try c.encode(series, forKey: .series)
        }
        enum CodingKeys: String, CodingKey { case datasource, query, start, end, step, series }
    }
    struct PanelOut: Encodable {
        var title: String
        var type: String
        var unit: String
        var error: String?
        var targets: [TargetOut]
        /// Table panels only: their columns and rows.
        var table: OnceTable?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title)
            try c.encode(type, forKey: .type)
            try c.encode(unit, forKey: .unit)
            try c.encode(error, forKey: .error)
            try c.encode(targets, forKey: .targets)
            try c.encodeIfPresent(table, forKey: .table)
        }
        enum CodingKeys: String, CodingKey { case title, type, unit, error, targets, table }
    }

    var dashboard: String
    var time: TimeRange
    var panels: [PanelOut]

    init(_ board: Dashboard, data: [Int: PanelData], now: Timestamp, rows: Int) {
        func seconds(_ t: Timestamp) -> Double { Double(t) / 1000 }
        dashboard = board.title
        // Whole seconds, as documented: the window's end rounded down, its start a whole range before.
        let to = Int64((Double(now) / 1000).rounded(.down))
        time = TimeRange(from: to - Int64((Double(board.timeRange) / 1000).rounded(.up)), to: to)
        panels = board.panels.enumerated().map { i, p in
            let d = data[i]
            return PanelOut(
                title: p.title, type: p.kind.rawValue, unit: p.unit.rawValue, error: d?.error,
                targets: (d?.queries ?? []).map { q in
                    TargetOut(
                        datasource: q.datasource.rawValue, query: q.query, start: seconds(q.start), end: seconds(q.end),
                        step: q.step.map { Double($0) / 1000 },
                        series: q.series.map { s in
                            SeriesOut(
                                labels: s.labels.dictionary, points: s.points.map { [seconds($0.time), $0.value] })
                        })
                },
                table: p.kind == .table ? OnceTable(p, table: d?.table, limit: rows) : nil)
        }
    }
}
