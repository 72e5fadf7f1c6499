import Foundation
import KubeglassCore

/// One line of a chart: points in time order (ms since the epoch); a nil value is a gap.
public struct ChartSeries: Sendable {
    public var name: String
    public var color: Color
    public var points: [(time: Int64, value: Double?)]
    /// Left out of the plot and its y range, and dimmed in the legend (toggled with `1`–`9`).
    public var hidden: Bool

    public init(name: String, color: Color, points: [(time: Int64, value: Double?)], hidden: Bool = false) {
        self.name = name
        self.color = color
        self.points = points
        self.hidden = hidden
    }
}

/// A time-series chart drawn with braille dots (2×4 dots per cell): y-axis labels on the left,
/// time labels below, and a legend (`● name  last 1.25  max 2.00`) under that.
///
/// - Consecutive points are joined by a line of dots; nil, NaN and ±inf values break the line.
/// - A cell has one colour: where series share a cell, the later series' colour wins.
/// - Threshold lines are drawn dim, only in cells no series passes through.
/// - The y range is `min`…`max`; unset, it is 0 (or the lowest value if negative) to the highest
///   value, widened to nice ticks; with `fitToData`, the lowest value to the highest.
/// - A `hidden` series is not drawn and does not count for the y range; its legend entry is dim, `○`.
/// - `stacked`: each series is drawn on top of the ones before it (see `ChartSeries.stacked`); the
///   legend still shows each series' own values.
/// - `cursor`: a plot column, counted from the right edge (0 = the newest; clamped to the plot), marked
///   by a vertical line; the time axis shows its time and the legend the values there (the point
///   nearest that time; `–` for a gap).
/// - Legend: `legend.mode` list (one series per line with every value when there is room, else
///   several to a line with the first value), table (a header and a column per value, when the area
///   is at least `tableLegendMinimumWidth` wide; else a list) or hidden.
/// - When the area is small the legend goes first, then the time axis, then the value labels.
/// - With no finite value inside the window it shows a centred "no data" in the dim style.
public struct LineChart: Widget, Sendable {
    public var series: [ChartSeries]
    /// The time window shown, in ms since the epoch.
    public var window: ClosedRange<Int64>
    public var unit: DisplayUnit
    public var min: Double?
    public var max: Double?
    public var thresholds: Thresholds?
    public var theme: Theme
    public var showLegend: Bool
    public var showTimeAxis: Bool
    public var showValueAxis: Bool
    /// The zone of the time labels (the local one by default; tests pin it).
    public var timeZone: TimeZone
    public var legend: ChartLegend
    public var stacked: Bool
    /// Plot columns left of the right edge; nil: no cursor.
    public var cursor: Int?
    /// The y-axis starts at the lowest value instead of zero (when `min` is unset).
    public var fitToData = false

    public init(
        series: [ChartSeries], window: ClosedRange<Int64>, unit: DisplayUnit = .short,
        min: Double? = nil, max: Double? = nil, thresholds: Thresholds? = nil, theme: Theme = .default,
        showLegend: Bool = true, showTimeAxis: Bool = true, showValueAxis: Bool = true,
        timeZone: TimeZone = .current, legend: ChartLegend = ChartLegend(), stacked: Bool = false, cursor: Int? = nil
    ) {
        self.series = series
        self.window = window
        self.unit = unit
        self.min = min
        self.max = max
        self.thresholds = thresholds
        self.theme = theme
        self.showLegend = showLegend
        self.showTimeAxis = showTimeAxis
        self.showValueAxis = showValueAxis
        self.timeZone = timeZone
        self.legend = legend
        self.stacked = stacked
        self.cursor = cursor
    }

    static let minimumPlotWidth = 4
    static let minimumPlotHeightWithLegend = 3
    static let minimumPlotHeightWithTimeAxis = 2
    /// With at least this many plot rows to spare, the legend lists one series per line with last and max.
    static let roomyPlotHeight = 8
    public static let tableLegendMinimumWidth = 60

    /// How many series a legend can list in an area this tall and wide (the plot keeping its rows);
    /// panels use it to pick how many series to keep before folding the rest into "others".
    public static func legendCapacity(width: Int, height: Int, legend: ChartLegend) -> Int {
        let room = height - 1 - roomyPlotHeight
        let table = legend.mode == .table && width >= tableLegendMinimumWidth
        return Swift.max(0, table ? room - 1 : room)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))

        let shown = series.map { s in s.points.filter { window.contains($0.time) }.map(\.value).finiteValues }
        // Hidden series keep their place (colours and legend rows are by index) with no points.
        let visible = series.map { $0.hidden ? ChartSeries(name: $0.name, color: $0.color, points: []) : $0 }
        let drawn = stacked ? ChartSeries.stacked(visible) : visible
        let all = drawn.flatMap { s in s.points.filter { window.contains($0.time) }.map(\.value).finiteValues }
        guard let dataLow = all.min(), let dataHigh = all.max() else {
            let allHidden = !series.isEmpty && series.allSatisfy(\.hidden)
            let text = TextWidth.truncate(allHidden ? "every series hidden (a shows them)" : "no data", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }

        var legendRows = 0
        var flowLines: [[Int]]?
        var table = false
        if showLegend && legend.mode != .hidden && !series.isEmpty {
            let room = area.height - (showTimeAxis ? 1 : 0) - LineChart.minimumPlotHeightWithLegend
            let spare = LineChart.roomyPlotHeight - LineChart.minimumPlotHeightWithLegend
            if legend.mode == .table && area.width >= LineChart.tableLegendMinimumWidth {
                // A header and a row per series; a short chart gives the table at most half its rows.
                let rows = Swift.min(
                    1 + series.count, Swift.max(0, Swift.min(room, Swift.max(area.height / 2, room - spare))))
                if rows >= 2 { (legendRows, table) = (rows, true) }
            }
            if !table && room - series.count >= spare {
                legendRows = series.count
            } else if !table {
                // Short chart: the legend flows, several series to a line, so the plot keeps its rows.
                let lines = flowLegend(shown, width: area.width)
                legendRows = Swift.max(0, Swift.min(lines.count, room))
                flowLines = Array(lines.prefix(legendRows))
            }
        }
        let chart = area.splitBottom(legendRows)
        var layout = Layout(self, chart: chart.rest, timeAxis: showTimeAxis, dataLow: dataLow, dataHigh: dataHigh)
        if layout.timeTicks?.times.isEmpty == true {
            layout = Layout(self, chart: chart.rest, timeAxis: false, dataLow: dataLow, dataHigh: dataHigh)
        }
        let (ticks, plot) = (layout.valueTicks, layout.plot)
        if let labels = layout.valueLabels { drawValueLabels(ticks, in: labels, on: &screen) }
        drawPlot(drawn, ticks, in: plot, on: &screen)
        let timeRow = Rect(x: area.x, y: plot.maxY, width: area.width, height: 1)
        if let timeTicks = layout.timeTicks {
            drawTimeLabels(timeTicks, in: timeRow, plot: plot, on: &screen)
        }
        var cursorTime: Int64?
        if let cursor, !plot.isEmpty {
            let column = plot.width - 1 - Swift.max(0, Swift.min(plot.width - 1, cursor))
            cursorTime = time(atColumn: column, plotWidth: plot.width)
            drawCursor(
                column: column, time: cursorTime!, plot: plot, timeRow: layout.timeTicks == nil ? nil : timeRow,
                on: &screen)
        }
        let values = legendValues(shown, at: cursorTime)
        if table {
            drawTableLegend(values, cursorTime: cursorTime, in: chart.bottom, on: &screen)
        } else if let flowLines {
            drawFlowLegend(values, lines: flowLines, in: chart.bottom, on: &screen)
        } else {
            drawLegend(values, in: chart.bottom, on: &screen)
        }
    }

    /// Where the plot, the value labels and the time axis go in the chart area (above the legend).
    private struct Layout {
        var plot: Rect
        var valueLabels: Rect?
        var valueTicks: AxisTicks
        var timeTicks: TimeTicks?

        init(_ chart: LineChart, chart area: Rect, timeAxis: Bool, dataLow: Double, dataHigh: Double) {
            let timeAxisRows = timeAxis && area.height >= 1 + LineChart.minimumPlotHeightWithTimeAxis ? 1 : 0
            plot = area.splitBottom(timeAxisRows).rest
            // Fitted to a flat line, the axis would have no height: it starts at zero then.
            let fit = chart.fitToData && dataLow < dataHigh
            valueTicks = AxisTicks(
                low: chart.min ?? (fit ? dataLow : Swift.min(0, dataLow)), high: chart.max ?? dataHigh,
                count: Swift.max(2, plot.height / 2 + 1), unit: chart.unit,
                fixedLow: chart.min, fixedHigh: chart.max)
            let labelWidth = (valueTicks.labels.map { TextWidth.of($0) }.max() ?? 0) + 1
            if chart.showValueAxis && plot.height >= 2 && plot.width - labelWidth >= LineChart.minimumPlotWidth {
                (valueLabels, plot) = plot.splitLeft(labelWidth)
            }
            if timeAxisRows > 0 {
                timeTicks = TimeTicks(
                    start: chart.window.lowerBound, end: chart.window.upperBound,
                    columns: plot.width, timeZone: chart.timeZone)
            }
        }
    }

    /// The dot column of time `t` in a plot `dotWidth` dots wide.
    private func dotX(_ t: Int64, dotWidth: Int) -> Double {
        let span = Swift.max(1, Double(window.upperBound) - Double(window.lowerBound))
        return (Double(t) - Double(window.lowerBound)) / span * Double(dotWidth - 1)
    }

    private func dotY(_ v: Double, _ ticks: AxisTicks, dotHeight: Int) -> Double {
        (1 - Scale.unclampedFraction(v, low: ticks.low, high: ticks.high)) * Double(dotHeight - 1)
    }

    private func drawPlot(_ drawn: [ChartSeries], _ ticks: AxisTicks, in plot: Rect, on screen: inout Screen) {
        guard !plot.isEmpty else { return }
        var lines = BrailleCanvas(width: plot.width, height: plot.height)
        for (index, s) in drawn.enumerated() {
            let points = s.points.isSorted ? s.points : s.points.sorted { $0.time < $1.time }
            var previous: (x: Double, y: Double)?
            for point in points {
                guard let v = point.value, v.isFinite else {
                    previous = nil
                    continue
                }
                let p = (x: dotX(point.time, dotWidth: lines.dotWidth), y: dotY(v, ticks, dotHeight: lines.dotHeight))
                lines.line(from: previous ?? p, to: p, owner: index)
                previous = p
            }
        }
        var rules = BrailleCanvas(width: plot.width, height: plot.height)
        for (index, step) in (thresholds?.steps ?? []).enumerated() where (ticks.low...ticks.high).contains(step.value)
        {
            let y = dotY(step.value, ticks, dotHeight: rules.dotHeight)
            rules.line(from: (0, y), to: (Double(rules.dotWidth - 1), y), owner: index)
        }
        let steps = thresholds?.steps ?? []
        for row in 0..<plot.height {
            for column in 0..<plot.width {
                if let c = lines.character(column: column, row: row) {
                    let color = series[lines.owner(column: column, row: row)].color
                    screen.set(c, x: plot.x + column, y: plot.y + row, style: theme.background.fg(color))
                } else if let c = rules.character(column: column, row: row) {
                    let color = steps[rules.owner(column: column, row: row)].color
                    screen.set(c, x: plot.x + column, y: plot.y + row, style: theme.background.fg(color).dim)
                }
            }
        }
    }

    private func drawValueLabels(_ ticks: AxisTicks, in labels: Rect, on screen: inout Screen) {
        var usedRows = Set<Int>()
        for (value, label) in zip(ticks.values, ticks.labels).reversed() {
            let row = Scale.int(dotY(value, ticks, dotHeight: labels.height * 4).rounded()) / 4
            guard row >= 0, row < labels.height, usedRows.insert(row).inserted else { continue }
            let text = TextWidth.pad(label, to: labels.width - 1, alignRight: true)
            screen.put(text, x: labels.x, y: labels.y + row, style: theme.axis, clip: labels)
        }
    }

    private func drawTimeLabels(_ ticks: TimeTicks, in row: Rect, plot: Rect, on screen: inout Screen) {
        var nextFree = row.x
        for (t, label) in zip(ticks.times, ticks.labels) {
            let width = TextWidth.of(label)
            let column = plot.x + Scale.int(dotX(t, dotWidth: plot.width * 2).rounded()) / 2
            let x = Swift.min(row.maxX - width, Swift.max(row.x, column - width / 2))
            guard x >= nextFree else { continue }
            screen.put(label, x: x, y: row.y, style: theme.axis, clip: row)
            nextFree = x + width + 1
        }
    }
}

extension Array where Element == (time: Int64, value: Double?) {
    var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0.time <= $1.time } }
}
