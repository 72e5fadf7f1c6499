import Foundation
import KubeglassCore

/// One line of a chart: points in time order (ms since the epoch); a nil value is a gap.
public struct ChartSeries: Sendable {
    public var name: String
    public var color: Color
    public var points: [(time: Int64, value: Double?)]

    public init(name: String, color: Color, points: [(time: Int64, value: Double?)]) {
        self.name = name
        self.color = color
        self.points = points
    }
}

/// A time-series chart drawn with braille dots (2×4 dots per cell): y-axis labels on the left,
/// time labels below, and a legend (`● name  last 1.25  max 2.00`) under that.
///
/// - Consecutive points are joined by a line of dots; nil, NaN and ±inf values break the line.
/// - A cell has one colour: where series share a cell, the later series' colour wins.
/// - Threshold lines are drawn only in cells no series passes through.
/// - The y range is `min`…`max`; unset, it is 0 (or the lowest value if negative) to the highest
///   value, widened to nice ticks.
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

    public init(series: [ChartSeries], window: ClosedRange<Int64>, unit: DisplayUnit = .short,
                min: Double? = nil, max: Double? = nil, thresholds: Thresholds? = nil, theme: Theme = .default,
                showLegend: Bool = true, showTimeAxis: Bool = true, showValueAxis: Bool = true,
                timeZone: TimeZone = .current) {
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
    }

    static let minimumPlotWidth = 4
    static let minimumPlotHeightWithLegend = 3
    static let minimumPlotHeightWithTimeAxis = 2
    /// With at least this many plot rows to spare, the legend lists one series per line with last and max.
    static let roomyPlotHeight = 8

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))

        let shown = series.map { s in s.points.filter { window.contains($0.time) }.map(\.value).finiteValues }
        let all = shown.flatMap { $0 }
        guard let dataLow = all.min(), let dataHigh = all.max() else {
            let text = TextWidth.truncate("no data", to: area.width)
            screen.put(text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                       style: theme.dimText, clip: area)
            return
        }

        var legendRows = 0
        var flowLines: [[Int]]?
        if showLegend && !series.isEmpty {
            let room = area.height - (showTimeAxis ? 1 : 0) - LineChart.minimumPlotHeightWithLegend
            if room - series.count >= LineChart.roomyPlotHeight - LineChart.minimumPlotHeightWithLegend {
                legendRows = series.count
            } else {
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
        drawPlot(ticks, in: plot, on: &screen)
        if let timeTicks = layout.timeTicks {
            drawTimeLabels(timeTicks, in: Rect(x: area.x, y: plot.maxY, width: area.width, height: 1), plot: plot, on: &screen)
        }
        if let flowLines {
            drawFlowLegend(shown, lines: flowLines, in: chart.bottom, on: &screen)
        } else {
            drawLegend(shown, in: chart.bottom, on: &screen)
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
            valueTicks = AxisTicks(low: chart.min ?? Swift.min(0, dataLow), high: chart.max ?? dataHigh,
                                   count: Swift.max(2, plot.height / 2 + 1), unit: chart.unit,
                                   fixedLow: chart.min, fixedHigh: chart.max)
            let labelWidth = (valueTicks.labels.map { TextWidth.of($0) }.max() ?? 0) + 1
            if chart.showValueAxis && plot.height >= 2 && plot.width - labelWidth >= LineChart.minimumPlotWidth {
                (valueLabels, plot) = plot.splitLeft(labelWidth)
            }
            if timeAxisRows > 0 {
                timeTicks = TimeTicks(start: chart.window.lowerBound, end: chart.window.upperBound,
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

    private func drawPlot(_ ticks: AxisTicks, in plot: Rect, on screen: inout Screen) {
        guard !plot.isEmpty else { return }
        var lines = BrailleCanvas(width: plot.width, height: plot.height)
        for (index, s) in series.enumerated() {
            let points = s.points.isSorted ? s.points : s.points.sorted { $0.time < $1.time }
            var previous: (x: Double, y: Double)?
            for point in points {
                guard let v = point.value, v.isFinite else { previous = nil; continue }
                let p = (x: dotX(point.time, dotWidth: lines.dotWidth), y: dotY(v, ticks, dotHeight: lines.dotHeight))
                lines.line(from: previous ?? p, to: p, owner: index)
                previous = p
            }
        }
        var rules = BrailleCanvas(width: plot.width, height: plot.height)
        for (index, step) in (thresholds?.steps ?? []).enumerated() where (ticks.low...ticks.high).contains(step.value) {
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

    private func drawLegend(_ shown: [[Double]], in legend: Rect, on screen: inout Screen) {
        guard !legend.isEmpty else { return }
        let hidden = series.count - legend.height
        let listed = hidden > 0 ? legend.height - 1 : legend.height
        let nameWidth = Swift.min(series.prefix(listed).map { TextWidth.of($0.name) }.max() ?? 0, legend.width / 2)
        for (row, s) in series.prefix(listed).enumerated() {
            let y = legend.y + row
            screen.set("●", x: legend.x, y: y, style: theme.background.fg(s.color))
            let text = " " + TextWidth.pad(s.name, to: nameWidth) + "  last " + unit.format(shown[row].last)
                + "  max " + unit.format(shown[row].max())
            screen.put(text, x: legend.x + 1, y: y, style: theme.text, clip: legend)
        }
        if hidden > 0 {
            screen.put("+\(hidden + 1) more", x: legend.x, y: legend.maxY - 1, style: theme.dimText, clip: legend)
        }
    }
}

extension LineChart {
    func legendItem(_ i: Int, _ shown: [[Double]]) -> String {
        "● " + series[i].name + " " + unit.format(shown[i].last)
    }

    /// Series indices per line, as many to a line as fit in `width` (two spaces apart).
    func flowLegend(_ shown: [[Double]], width: Int) -> [[Int]] {
        var lines: [[Int]] = []
        var current: [Int] = []
        var used = 0
        for i in series.indices {
            let w = TextWidth.of(legendItem(i, shown))
            if !current.isEmpty && used + 2 + w > width {
                lines.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : 2) + w
            current.append(i)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    func drawFlowLegend(_ shown: [[Double]], lines: [[Int]], in legend: Rect, on screen: inout Screen) {
        var listed = lines.reduce(0) { $0 + $1.count }
        // When series are left out, the last line keeps room for "+N more" at its end.
        let moreRoom = listed < series.count ? TextWidth.of(" +\(series.count) more") : 0
        for (row, line) in lines.enumerated() {
            var x = legend.x
            let limit = row == lines.count - 1 ? legend.maxX - moreRoom : legend.maxX
            for i in line {
                let item = legendItem(i, shown)
                if x + TextWidth.of(item) > limit {
                    listed -= 1
                    continue
                }
                screen.set("●", x: x, y: legend.y + row, style: theme.background.fg(series[i].color))
                x += 1 + screen.put(String(item.dropFirst()), x: x + 1, y: legend.y + row, style: theme.text, clip: legend) + 2
            }
        }
        if listed < series.count, !lines.isEmpty {
            let more = "+\(series.count - listed) more"
            screen.put(more, x: legend.maxX - TextWidth.of(more), y: legend.maxY - 1, style: theme.dimText, clip: legend)
        }
    }
}

extension Array where Element == (time: Int64, value: Double?) {
    var isSorted: Bool { zip(self, dropFirst()).allSatisfy { $0.time <= $1.time } }
}
