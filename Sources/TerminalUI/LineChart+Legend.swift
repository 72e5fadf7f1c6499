import Foundation
import KubeglassCore

/// The legend under a chart (list, flowing list, table) and the cursor.
extension LineChart {
    /// One value in a legend entry: `last 1.25` (label and text), or at the cursor just `1.25`.
    struct LegendCell {
        var label: String
        var text: String
    }

    /// The legend cells of every series: its chosen values, or with a cursor its value at that time.
    func legendValues(_ shown: [[Double]], at cursorTime: Int64?) -> [[LegendCell]] {
        series.indices.map { i in
            if let t = cursorTime { return [LegendCell(label: "", text: unit.format(value(of: series[i], at: t)))] }
            return legend.values.map { LegendCell(label: $0.rawValue, text: unit.format($0.of(shown[i]))) }
        }
    }

    /// The value of the point nearest `time` (nil for a gap or no points).
    func value(of s: ChartSeries, at time: Int64) -> Double? {
        var best: (distance: Int64, value: Double?)?
        for p in s.points where window.contains(p.time) {
            let d = p.time > time ? p.time - time : time - p.time
            if best == nil || d < best!.distance { best = (d, p.value) }
        }
        guard let v = best?.value, v.isFinite else { return nil }
        return v
    }

    /// The time of plot column `column`: the columns spread evenly from the window's start (the
    /// first) to its end (the last), so the cursor at the right edge reads the newest time.
    func time(atColumn column: Int, plotWidth: Int) -> Int64 {
        guard plotWidth > 1 else { return window.upperBound }
        let span = Double(window.upperBound) - Double(window.lowerBound)
        let t = Double(window.lowerBound) + Double(column) / Double(plotWidth - 1) * span
        return Int64(Swift.min(Double(window.upperBound), Swift.max(Double(window.lowerBound), t.rounded())))
    }

    /// A vertical line down the plot where no series is, and the cursor's time alone on the time axis.
    func drawCursor(column: Int, time: Int64, plot: Rect, timeRow: Rect?, on screen: inout Screen) {
        let x = plot.x + column
        for y in plot.y..<plot.maxY where screen[x, y].symbol == " " {
            screen.set("│", x: x, y: y, style: theme.axis)
        }
        guard let row = timeRow, !row.isEmpty else { return }
        screen.fill(row, with: Cell(" ", style: theme.background))
        let label = TimeTicks.label(time, step: 1000, timeZone: timeZone)
        let width = TextWidth.of(label)
        let left = Swift.min(row.maxX - width, Swift.max(row.x, x - width / 2))
        screen.put(label, x: left, y: row.y, style: theme.axis.reversed, clip: row)
    }

    /// One series per line: `● name  last 1.25  max 2.00`; `+N more` when they do not all fit.
    func drawLegend(_ values: [[LegendCell]], in legend: Rect, on screen: inout Screen) {
        guard !legend.isEmpty else { return }
        let hidden = series.count - legend.height
        let listed = hidden > 0 ? legend.height - 1 : legend.height
        let nameWidth = Swift.min(series.prefix(listed).map { TextWidth.of($0.name) }.max() ?? 0, legend.width / 2)
        for (row, s) in series.prefix(listed).enumerated() {
            let y = legend.y + row
            screen.set(marker(s), x: legend.x, y: y, style: markerStyle(s))
            let cells = values[row].map { "  " + ($0.label.isEmpty ? "" : $0.label + " ") + $0.text }.joined()
            screen.put(
                " " + TextWidth.pad(s.name, to: nameWidth) + cells, x: legend.x + 1, y: y, style: textStyle(s),
                clip: legend)
        }
        if hidden > 0 {
            screen.put("+\(hidden + 1) more", x: legend.x, y: legend.maxY - 1, style: theme.dimText, clip: legend)
        }
    }

    /// A series' dot in the legend: `○` when it is hidden.
    func marker(_ s: ChartSeries) -> Character { s.hidden ? "○" : "●" }
    func markerStyle(_ s: ChartSeries) -> Style { s.hidden ? theme.dimText : theme.background.fg(s.color) }
    func textStyle(_ s: ChartSeries) -> Style { s.hidden ? theme.dimText : theme.text }

    /// `● name 1.25`: the flowing legend's item, with the first value only.
    func legendItem(_ i: Int, _ values: [[LegendCell]]) -> String {
        "● " + series[i].name + (values[i].first.map { " " + $0.text } ?? "")
    }

    /// Series indices per line, as many to a line as fit in `width` (two spaces apart).
    func flowLegend(_ shown: [[Double]], width: Int) -> [[Int]] {
        let values = legendValues(shown, at: nil)
        var lines: [[Int]] = []
        var current: [Int] = []
        var used = 0
        for i in series.indices {
            let w = TextWidth.of(legendItem(i, values))
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

    func drawFlowLegend(_ values: [[LegendCell]], lines: [[Int]], in legend: Rect, on screen: inout Screen) {
        var listed = lines.reduce(0) { $0 + $1.count }
        // When series are left out, the last line keeps room for "+N more" at its end.
        let moreRoom = listed < series.count ? TextWidth.of(" +\(series.count) more") : 0
        for (row, line) in lines.enumerated() {
            var x = legend.x
            let limit = row == lines.count - 1 ? legend.maxX - moreRoom : legend.maxX
            for i in line {
                let item = legendItem(i, values)
                if x + TextWidth.of(item) > limit {
                    listed -= 1
                    continue
                }
                screen.set(marker(series[i]), x: x, y: legend.y + row, style: markerStyle(series[i]))
                x +=
                    1
                    + screen.put(
                        String(item.dropFirst()), x: x + 1, y: legend.y + row, style: textStyle(series[i]),
                        clip: legend)
                    + 2
            }
        }
        if listed < series.count, !lines.isEmpty {
            let more = "+\(series.count - listed) more"
            screen.put(
                more, x: legend.maxX - TextWidth.of(more), y: legend.maxY - 1, style: theme.dimText, clip: legend)
        }
    }

    /// Grafana's table legend: `Name … Last  Max` over a row per series (at the cursor, one column
    /// titled with its time); value columns that do not fit are left out from the right.
    func drawTableLegend(_ values: [[LegendCell]], cursorTime: Int64?, in area: Rect, on screen: inout Screen) {
        guard area.height >= 2 else { return }
        let titles =
            cursorTime.map { [TimeTicks.label($0, step: 1000, timeZone: timeZone)] } ?? legend.values.map(\.title)
        var widths = titles.indices.map { c in
            Swift.max(TextWidth.of(titles[c]), values.map { c < $0.count ? TextWidth.of($0[c].text) : 0 }.max() ?? 0)
        }
        let minimumName = 8
        while !widths.isEmpty && widths.reduce(0, { $0 + $1 + 2 }) + 2 + minimumName > area.width {
            widths.removeLast()
        }
        let nameWidth = Swift.max(0, area.width - 2 - widths.reduce(0) { $0 + $1 + 2 })

        let header = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        screen.fill(header, with: Cell(" ", style: theme.tableHeader))
        screen.put(
            TextWidth.pad("Name", to: nameWidth), x: area.x + 2, y: area.y, style: theme.tableHeader, clip: header)
        var x = area.x + 2 + nameWidth
        for (c, w) in widths.enumerated() {
            screen.put(
                "  " + TextWidth.pad(titles[c], to: w, alignRight: true), x: x, y: area.y, style: theme.tableHeader,
                clip: header)
            x += w + 2
        }

        let rows = area.height - 1
        let hidden = series.count - rows
        let listed = hidden > 0 ? rows - 1 : rows
        for (row, s) in series.prefix(listed).enumerated() {
            let y = area.y + 1 + row
            let line = Rect(x: area.x, y: y, width: area.width, height: 1)
            screen.set(marker(s), x: area.x, y: y, style: markerStyle(s))
            screen.put(TextWidth.pad(s.name, to: nameWidth), x: area.x + 2, y: y, style: textStyle(s), clip: line)
            var x = area.x + 2 + nameWidth
            for (c, w) in widths.enumerated() {
                let text = c < values[row].count ? values[row][c].text : ""
                screen.put(
                    "  " + TextWidth.pad(text, to: w, alignRight: true), x: x, y: y, style: textStyle(s), clip: line)
                x += w + 2
            }
        }
        if hidden > 0 {
            screen.put("+\(hidden + 1) more", x: area.x, y: area.maxY - 1, style: theme.dimText, clip: area)
        }
    }
}
