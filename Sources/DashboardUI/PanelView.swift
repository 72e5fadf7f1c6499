import Dashboards
import Foundation
import KubeglassCore
import TerminalUI

/// One panel: its frame (title, focus, stale badge) and the widget for its kind, fed from its data.
struct PanelView: Widget {
    let panel: Panel
    let index: Int
    let context: DashboardView.Context
    let focused: Bool

    var data: PanelData? { context.data[index] }
    var theme: Theme { context.theme }

    func render(in area: Rect, on screen: inout Screen) {
        guard !area.isEmpty else { return }
        if panel.kind == .row {
            RowBar(
                title: panel.title, collapsed: context.state.isRowCollapsed(index, in: context.dashboard),
                panelCount: context.dashboard.memberCount(ofRow: index), focused: focused, theme: theme
            )
            .render(in: area, on: &screen)
            return
        }
        let frame = PanelFrame(title: title, focused: focused, badge: staleBadge(), theme: theme)
        frame.render(in: area, on: &screen)
        var inner = frame.inner(area)
        guard !inner.isEmpty else { return }
        guard let data else {
            MessageView(text: "loading…", style: theme.dimText).render(in: inner, on: &screen)
            return
        }
        if let error = data.error {
            // The error takes the bottom line; whatever data there is keeps the rest.
            let hasData = !data.series.isEmpty || !(data.table?.rows.isEmpty ?? true)
            if !hasData {
                MessageView(text: "⚠ " + error, style: theme.style(.critical, on: theme.text)).render(
                    in: inner, on: &screen)
                return
            }
            let (rest, line) = inner.splitBottom(1)
            screen.put(
                TextWidth.truncate("⚠ " + error, to: line.width), x: line.x, y: line.y,
                style: theme.text.fg(theme.critical), clip: line)
            inner = rest
        }
        // Before any poll has worked, the large panels say why instead of an empty "no data".
        let h = context.health
        if h.state == .failing, h.lastSuccess == nil, let error = h.lastError,
            panel.kind == .timeseries || panel.kind == .table,
            data.series.isEmpty, data.table?.rows.isEmpty ?? true
        {
            MessageView(text: "⚠ " + error, style: theme.style(.critical, on: theme.text)).render(
                in: inner, on: &screen)
            return
        }
        switch panel.kind {
        case .timeseries: renderChart(data, in: inner, on: &screen)
        case .stat: renderStat(data, in: inner, on: &screen)
        case .gauge: renderGauge(data, in: inner, on: &screen)
        case .table: renderTable(data, in: inner, on: &screen)
        case .text: MessageView(text: panel.text ?? "", style: theme.text).render(in: inner, on: &screen)
        case .bargauge: renderBarGauge(data, in: inner, on: &screen)
        case .heatmap:
            Heatmap(
                rows: PanelView.heatmapRows(data.series, unit: panel.unit), window: window(data),
                unit: PanelView.isHistogram(data.series) ? .short : panel.unit, theme: theme, timeZone: context.timeZone
            )
            .render(in: inner, on: &screen)
        case .piechart:
            let slices = data.series.enumerated().map { i, s in
                ShareBars.Slice(name: s.name, value: s.lastValue, color: theme.seriesColor(i))
            }
            ShareBars(slices: slices, unit: panel.unit, decimals: panel.decimals, theme: theme)
                .render(in: inner, on: &screen)
        case .barchart:
            let bars = data.series.enumerated().map { i, s in
                BarChart.Bar(name: s.name, value: s.lastValue, color: theme.seriesColor(i))
            }
            BarChart(
                bars: bars, min: panel.min, max: panel.max, unit: panel.unit, decimals: panel.decimals, theme: theme
            )
            .render(in: inner, on: &screen)
        case .events: renderEvents(data, in: inner, on: &screen)
        case .row: break
        case .unsupported:
            MessageView(text: panel.text ?? "kubeglass cannot draw this panel", style: theme.dimText).render(
                in: inner, on: &screen)
        }
    }

    /// The title, with what the panel needs while it has no data: a source that gives its series drops the hint.
    var title: String {
        guard let needs = panel.needs, let data, data.series.isEmpty, data.table?.rows.isEmpty ?? true,
            data.events.isEmpty
        else { return panel.title + chartMarks }
        return "\(panel.title) (needs \(needs))"
    }

    /// What `y` and `1`–`9` changed in a chart: ` · y auto`, ` · 2 hidden`.
    var chartMarks: String {
        guard panel.kind == .timeseries else { return "" }
        let hidden = context.state.panelState.hiddenSeries[index]?.count ?? 0
        return (context.state.panelState.fittedAxes.contains(index) ? " · y auto" : "")
            + (hidden > 0 ? " · \(hidden) hidden" : "")
    }

    private func staleBadge() -> String? {
        guard
            let age = context.health.staleAge(
                now: context.now, interval: context.refresh, reading: panel.targets.map(\.expr))
        else { return nil }
        return age == .max ? "no data" : "stale \(DurationText.text(milliseconds: age / 1000 * 1000))"
    }

    func color(named name: String) -> Color {
        switch name {
        case "ok", "green": return theme.ok
        case "warning", "yellow", "orange": return theme.warning
        case "critical", "red": return theme.critical
        default: return Color(text: name) ?? theme.text.foreground
        }
    }

    private func thresholds() -> Thresholds? {
        guard !panel.thresholds.isEmpty else { return nil }
        let base = panel.thresholds.first { $0.value == nil }.map { color(named: $0.color) } ?? theme.ok
        return Thresholds(
            base: base, steps: panel.thresholds.compactMap { s in s.value.map { ($0, color(named: s.color)) } })
    }

    /// A column's thresholds with the theme's colours: a step per value, and the colour below them all
    /// (nil: values below the first step keep the row's colour).
    func cellThresholds(_ steps: [ThresholdStep]) -> (base: Color?, steps: [(value: Double, color: Color)])? {
        guard !steps.isEmpty else { return nil }
        // Grafana's "transparent" base: values below the first step keep the row's colour.
        let base = steps.last { $0.value == nil }.flatMap { $0.color == "transparent" ? nil : color(named: $0.color) }
        let valued = steps.compactMap { s in s.value.map { (value: $0, color: color(named: s.color)) } }
        return (base, valued.filter { !$0.value.isNaN }.sorted { $0.value < $1.value })
    }

    /// The text style of a value cell under its column's thresholds (nil: the row's own).
    static func cellStyle(
        _ value: Double?, _ thresholds: (base: Color?, steps: [(value: Double, color: Color)]), theme: Theme
    ) -> Style? {
        guard let value, !value.isNaN else { return nil }
        // A value past a step is bold too, so it stands out with `--color never`.
        if let step = thresholds.steps.last(where: { $0.value <= value }) { return theme.text.fg(step.color).bold }
        return thresholds.base.map { theme.text.fg($0) }
    }

    private func renderChart(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let hidden = context.state.panelState.hiddenSeries[index] ?? []
        let series = PanelView.chartSeries(panel, data, theme: theme, area: area).map { s in
            var s = s
            s.hidden = hidden.contains(s.name)
            return s
        }
        let legend = PanelView.chartLegend(panel.legend)
        let fit = context.state.panelState.fittedAxes.contains(index)
        let start = data.queries.first?.start ?? (context.now - context.dashboard.timeRange)
        let end = max(start + 1, data.queries.first?.end ?? context.now)
        let cursor = focused && context.state.fullscreen ? context.state.cursor : nil
        var chart = LineChart(
            series: series, window: start...end, unit: panel.unit, min: fit ? nil : panel.min, max: panel.max,
            thresholds: panel.thresholdLines ? thresholds() : nil, theme: theme, timeZone: context.timeZone,
            legend: legend, stacked: panel.stack, cursor: cursor)
        chart.fitToData = fit
        chart.render(in: area, on: &screen)
    }

    /// A chart's series as its legend lists them in `area` (the panel's inside): coloured in query order, so a
    /// series keeps its colour when the ranking changes; the least kept folded into "others".
    static func chartSeries(_ panel: Panel, _ data: PanelData, theme: Theme, area: Rect) -> [ChartSeries] {
        let colored = data.series.enumerated().map { i, s in
            ChartSeries(
                name: s.name, color: theme.seriesColor(i), points: s.points.map { (time: $0.time, value: $0.value) })
        }
        let legend = PanelView.chartLegend(panel.legend)
        let keep =
            panel.maxSeries
            ?? min(10, max(5, LineChart.legendCapacity(width: area.width, height: area.height, legend: legend)))
        return ChartSeries.ranked(
            colored, by: panel.legend.sortBy.flatMap { ChartLegend.Value(rawValue: $0.rawValue) },
            descending: panel.legend.sortDescending, keep: keep, othersColor: theme.dimText.foreground,
            others: panel.stack ? .sum : .mean)
    }

    /// The time the panel's queries covered (the dashboard's range before they ran).
    private func window(_ data: PanelData) -> ClosedRange<Timestamp> {
        let start = data.queries.first?.start ?? (context.now - context.dashboard.timeRange)
        return start...max(start + 1, data.queries.first?.end ?? context.now)
    }

    /// The panel's legend options as the chart widget takes them.
    static func chartLegend(_ options: LegendOptions) -> ChartLegend {
        ChartLegend(
            mode: !options.show ? .hidden : options.table ? .table : .list,
            values: options.values.compactMap { ChartLegend.Value(rawValue: $0.rawValue) })
    }

    /// One bar per series, at its last value.
    private func renderBarGauge(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let bars = data.series.map { BarGauge.Bar(name: $0.name, value: $0.lastValue) }
        BarGauge(
            bars: bars, min: panel.min, max: panel.max, unit: panel.unit, decimals: panel.decimals,
            thresholds: thresholds(), color: theme.seriesColor(0), theme: theme
        )
        .render(in: area, on: &screen)
    }

    /// Newest first; the focused panel's selection scrolls it, full screen wraps long messages.
    private func renderEvents(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let selected =
            focused
            ? min(context.state.tableState(index, context.dashboard).selected, max(0, data.events.count - 1)) : nil
        EventList(
            events: data.events, now: context.now, selectedRow: selected, wrap: focused && context.state.fullscreen,
            theme: theme
        )
        .render(in: area, on: &screen)
    }

    private func renderStat(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let value = data.series.first?.lastValue
        let color = thresholds()?.color(for: value) ?? theme.seriesColor(0)
        let spark = panel.sparkline ? data.series.first?.points.map(\.value) : nil
        Stat(value: value, unit: panel.unit, color: color, sparkline: spark, decimals: panel.decimals, theme: theme)
            .render(in: area, on: &screen)
    }

    private func renderGauge(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let value = data.series.first?.lastValue
        let color = thresholds()?.color(for: value) ?? theme.seriesColor(0)
        Gauge(value: value, min: panel.min ?? 0, max: panel.max ?? 100, unit: panel.unit, color: color, theme: theme)
            .render(in: area, on: &screen)
    }

    private func renderTable(_ data: PanelData, in area: Rect, on screen: inout Screen) {
        let tableState = context.state.tableState(index, context.dashboard)
        let columns = panel.columns.map { c -> TableColumn in
            switch c.kind {
            case .label:
                // A set width is where the column starts: it grows when its text needs more and there is room.
                return TableColumn(title: c.title, alignment: .left, width: .flexible(min: c.width ?? 6), kind: .text)
            case .value:
                return TableColumn(
                    title: c.title, alignment: .right,
                    width: .fixed(c.width ?? max(TextWidth.of(c.title) + 2, PanelView.valueWidth(c.unit))),
                    kind: .number(c.unit))
            case .sparkline:
                return TableColumn(
                    title: c.title, alignment: .left, width: .flexible(min: c.width ?? 6), kind: .sparkline)
            }
        }
        var area = area
        let search = context.state.search(index)
        let table = data.table ?? TableData(rows: [])
        // Row indices in the order shown: sorted here only when the evaluator did not sort them so already.
        let shown = table.displayed(order: tableState.order, filter: search?.text ?? "")
        if let search {
            // The search line takes the bottom row: `/text▏` while typing, then `/text (3 of 40)`.
            let (rest, line) = area.splitBottom(1)
            area = rest
            let text =
                "/" + search.text + (search.typing ? "▏" : "") + "  (\(shown.count) of \(table.rows.count))"
            screen.put(
                TextWidth.truncate(text, to: line.width), x: line.x, y: line.y, style: theme.text.fg(theme.warning),
                clip: line)
        }
        let selected = focused ? min(tableState.selected, max(0, shown.count - 1)) : nil
        let visibleRows = max(1, area.height - 1)
        let offset = Table.scrollOffset(showing: selected, from: 0, visibleRows: visibleRows, rowCount: shown.count)
        let cellColors = panel.columns.map { cellThresholds($0.thresholds) }
        // Only the rows on screen become table rows (a table may hold 150,000).
        let page = shown[offset..<min(shown.count, offset + visibleRows)].map { i in
            let row = table.rows[i]
            return TableRow(
                id: row.key.joined(separator: "/"),
                cells: row.cells.enumerated().map { c, cell -> TableValue in
                    switch cell {
                    case .text(let t): return .text(t, textStyle(t))
                    case .number(let v):
                        let steps = c < cellColors.count ? cellColors[c] : nil
                        return .number(v, steps.flatMap { PanelView.cellStyle(v, $0, theme: theme) })
                    case .series(let s): return .series(s)
                    }
                })
        }
        Table(
            columns: columns, rows: page, sortColumn: tableState.sortColumn,
            sortDescending: tableState.sortDescending,
            selectedRow: selected.map { $0 - offset }, scrollOffset: 0, theme: theme
        )
        .render(in: area, on: &screen)
    }

    /// Room for a typical value of the unit: `25.3 GiB`, `44.5%`, `1.25`.
    static func valueWidth(_ unit: DisplayUnit) -> Int {
        switch unit {
        case .bytes, .decbytes, .bytesPerSecond, .binBytesPerSecond, .bitsPerSecond: return 9
        case .percent, .percentunit: return 6
        case .cores, .millicores, .none: return 5
        default: return 7
        }
    }

    /// Status words get their colour: Ready green, anything with Pressure or NotReady red.
    private func textStyle(_ text: String) -> Style? {
        if text.contains("Pressure") || text.hasPrefix("NotReady") || text.contains("CrashLoop") || text == "Pending"
            || text == "Error"
        {
            return theme.text.fg(theme.critical)
        }
        if text == "Ready" || text == "Running" { return theme.text.fg(theme.ok) }
        return nil
    }
}
