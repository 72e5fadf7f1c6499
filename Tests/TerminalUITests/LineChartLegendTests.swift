import Foundation
import KubeglassCore
import Testing

@testable import TerminalUI

/// Legends (list, table, hidden), top-N with "others", stacking, threshold lines and the cursor.
@Suite struct LineChartLegendTests {
    let utc = TimeZone(identifier: "UTC")!
    let t0: Int64 = 1_700_000_400_000 // 22:20 UTC
    let minute: Int64 = 60_000

    func series(_ name: String, _ values: [Double?], color: Color = .green) -> ChartSeries {
        ChartSeries(
            name: name, color: color, points: values.enumerated().map { (t0 + Int64($0.offset) * minute, $0.element) })
    }

    var window: ClosedRange<Int64> { t0...(t0 + 10 * minute) }

    @Test func listShowsTheChosenValues() {
        let chart = LineChart(
            series: [series("cpu", [1, 3, 2]), series("mem", [4, 4, 4], color: .red)], window: t0...(t0 + 2 * minute),
            timeZone: utc, legend: ChartLegend(mode: .list, values: [.min, .avg, .total]))
        let s = draw(chart, width: 40, height: 15)
        #expect(Array(s.trimmedLines.suffix(2)) == ["● cpu  min 1  avg 2  total 6", "● mem  min 4  avg 4  total 12"])
    }

    @Test func tableLegendWhenWideEnough() {
        let chart = LineChart(
            series: [series("cpu", [1, 3, 2]), series("mem", [4, 4, 4], color: .red)], window: t0...(t0 + 2 * minute),
            timeZone: utc, legend: ChartLegend(mode: .table, values: [.last, .max]))
        let s = draw(chart, width: 60, height: 14)
        let lines = s.trimmedLines
        // Value columns as wide as their titles, right-aligned, two spaces apart; the name takes the rest (47).
        #expect(
            Array(lines.suffix(3)) == [
                "  Name" + String(repeating: " ", count: 45) + "Last  Max",
                "● cpu" + String(repeating: " ", count: 49) + "2    3",
                "● mem" + String(repeating: " ", count: 49) + "4    4",
            ])
        #expect(s[2, 11].style == Theme.default.tableHeader)
        #expect(s[0, 13].style.foreground == .red)
        // Narrower than 60 columns: a list.
        let narrow = draw(chart, width: 50, height: 14).trimmedLines
        #expect(narrow.last == "● mem  last 4  max 4")
    }

    @Test func hiddenLegendGivesThePlotEveryRow() {
        let chart = LineChart(
            series: [series("cpu", [0, 1])], window: t0...(t0 + minute), showTimeAxis: false, showValueAxis: false,
            timeZone: utc, legend: ChartLegend(mode: .hidden))
        let s = draw(chart, width: 10, height: 3)
        #expect(!s.lines.joined().contains("cpu"))
        #expect(s.lines[0].contains { ($0.unicodeScalars.first!.value & 0xFF00) == 0x2800 })
    }

    @Test func topNByMaxPlusOthersSummed() {
        let many = (0..<8).map { series("pod-\($0)", [Double($0), nil, Double($0) * 2]) }
        let ranked = ChartSeries.ranked(many, by: nil, keep: 3, othersColor: .gray)
        // Query order kept for the top 3 by max (pods 5, 6, 7); others = pods 0…4 summed per point.
        #expect(ranked.map(\.name) == ["pod-5", "pod-6", "pod-7", "others (5)"])
        #expect(ranked[3].points.map(\.value) == [10, nil, 20])
        #expect(ranked[3].color == .gray)
        let mean = ChartSeries.ranked(many, by: nil, keep: 3, othersColor: .gray, others: .mean)
        #expect(mean[3].name == "others (5, avg)" && mean[3].points.map(\.value) == [2, nil, 4])
        let byLast = ChartSeries.ranked(many, by: .last, descending: false, keep: 2, othersColor: .gray)
        #expect(byLast.map(\.name) == ["pod-0", "pod-1", "others (6)"])
        // One series over is not folded ("others (1)" says nothing), but sorting still applies.
        #expect(
            ChartSeries.ranked(Array(many.prefix(4)), by: .max, keep: 3, othersColor: .gray).map(\.name) == [
                "pod-3", "pod-2", "pod-1", "pod-0",
            ])
        #expect(
            ChartSeries.ranked(Array(many.prefix(4)), by: nil, keep: 3, othersColor: .gray).map(\.name) == [
                "pod-0", "pod-1", "pod-2", "pod-3",
            ])
        #expect(ChartSeries.ranked([], by: nil, keep: 0, othersColor: .gray).isEmpty)
    }

    @Test func stackingAddsEachSeriesToTheOnesBelow() {
        let stacked = ChartSeries.stacked([series("a", [1, nil, 2, nil]), series("b", [1, 1, nil, nil])])
        #expect(stacked[0].points.map(\.value) == [1, nil, 2, nil])
        #expect(stacked[1].points.map(\.value) == [2, 1, 2, nil])
        // Drawn: b sits on a, at 2 all along; the legend keeps b's own last value.
        let chart = LineChart(
            series: [series("a", [1, 1, 1]), series("b", [1, 1, 1], color: .red)], window: t0...(t0 + 2 * minute),
            min: 0, max: 2, showTimeAxis: false, showValueAxis: false, timeZone: utc,
            legend: ChartLegend(values: [.last]), stacked: true)
        let s = draw(chart, width: 12, height: 14)
        #expect(s.lines[0] == String(repeating: "⠉", count: 12))
        #expect(s[0, 0].style.foreground == .red)
        #expect(s.trimmedLines.last == "● b  last 1")
    }

    @Test func nilPointsAreGaps() {
        let chart = LineChart(
            series: [series("a", [2, 2, nil, 2, 2])], window: t0...(t0 + 4 * minute), min: 0, max: 2,
            showLegend: false, showTimeAxis: false, showValueAxis: false, timeZone: utc)
        // 4 cells = 8 dot columns over 5 points: dots at x 0, 1.75, (gap), 5.25, 7; the gap leaves the middle empty.
        let line = draw(chart, width: 4, height: 2).lines[0]
        #expect(line == "⠉⠁⠈⠉")
    }

    @Test func thresholdLinesAreDimInTheirColour() {
        let chart = LineChart(
            series: [series("a", [0, 0])], window: t0...(t0 + minute), min: 0, max: 7,
            thresholds: Thresholds(base: .green, steps: [(7, .red)]),
            showLegend: false, showTimeAxis: false, showValueAxis: false, timeZone: utc)
        let s = draw(chart, width: 5, height: 2)
        // The threshold at the top, dim red; the series along the bottom in its own colour.
        #expect(s.lines == ["⠉⠉⠉⠉⠉", "⣀⣀⣀⣀⣀"])
        #expect(s[2, 0].style == Style(foreground: .red).dim)
        #expect(s[2, 1].style.foreground == .green)
    }

    @Test func cursorShowsTheTimeAndTheValuesThere() {
        let cpu = series("cpu", (0...10).map { Double($0) })
        let chart = LineChart(
            series: [cpu], window: window, unit: .none, showValueAxis: false, timeZone: utc,
            legend: ChartLegend(values: [.last]), cursor: 0)
        let s = draw(chart, width: 21, height: 12)
        // Cursor at the right edge: the newest time and value.
        #expect(s.trimmedLines[10].hasSuffix("22:30:00"))
        #expect(s.trimmedLines[11] == "● cpu  10")
        // Ten columns left of it, half way: 22:25 and 5 (the nearest point).
        let half = draw(
            LineChart(
                series: [cpu], window: window, unit: .none, showValueAxis: false, timeZone: utc,
                legend: ChartLegend(values: [.last]), cursor: 10), width: 21, height: 12)
        #expect(half.trimmedLines[10].contains("22:25:"))
        #expect(half.trimmedLines[11] == "● cpu  5")
        #expect(half.lines[0][half.lines[0].index(half.lines[0].startIndex, offsetBy: 10)] == "│")
        // Far past the left edge: clamped to the first column.
        let left = draw(
            LineChart(
                series: [cpu], window: window, unit: .none, showValueAxis: false, timeZone: utc,
                legend: ChartLegend(values: [.last]), cursor: 500), width: 21, height: 12)
        #expect(left.trimmedLines[11] == "● cpu  0")
    }

    @Test func tinySizesNeverCrash() {
        let many = (0..<30).map { series("pod-\($0)", [Double($0), nil, 1]) }
        for legend in [
            ChartLegend(mode: .list), ChartLegend(mode: .table, values: ChartLegend.Value.allCases),
            ChartLegend(mode: .hidden),
        ] {
            for cursor in [nil, 0, 3, 1000] {
                let chart = LineChart(
                    series: many, window: t0...(t0 + 2 * minute), timeZone: utc, legend: legend, stacked: true,
                    cursor: cursor)
                for (w, h) in [(1, 1), (3, 2), (10, 3), (60, 5), (80, 30)] { _ = draw(chart, width: w, height: h) }
                expectSafeInAwkwardAreas(chart)
            }
        }
    }
}

/// Series hidden with `1`–`9` and the y-axis fitted with `y` (issue 18).
@Suite struct LineChartHiddenSeriesTests {
    let utc = TimeZone(identifier: "UTC")!
    let t0: Int64 = 1_700_000_400_000
    let minute: Int64 = 60_000

    func series(_ name: String, _ values: [Double?], color: Color = .green, hidden: Bool = false) -> ChartSeries {
        ChartSeries(
            name: name, color: color,
            points: values.enumerated().map { (t0 + Int64($0.offset) * minute, $0.element) }, hidden: hidden)
    }

    @Test func aHiddenSeriesIsNotDrawnAndIsDimInTheLegend() {
        let low = series("low", [1, 1, 1])
        let high = series("high", [100, 100, 100], color: .red, hidden: true)
        let chart = LineChart(
            series: [low, high], window: t0...(t0 + 2 * minute), timeZone: utc,
            legend: ChartLegend(mode: .list, values: [.last]))
        let s = draw(chart, width: 40, height: 15)
        let lines = s.trimmedLines
        #expect(Array(lines.suffix(2)) == ["● low   last 1", "○ high  last 100"])
        let hiddenRow = lines.count - 1
        #expect(s[0, hiddenRow].style == Theme.default.dimText)
        #expect(s[2, hiddenRow].style == Theme.default.dimText, "the name is dim too")
        #expect(s[0, hiddenRow - 1].style.foreground == .green)
        // The y range is the shown series' alone: no label reaches 100, and no red dot is drawn.
        #expect(!lines.prefix(10).contains { $0.contains("100") })
        let red = (0..<s.height).flatMap { y in (0..<s.width).map { s[$0, y] } }.filter {
            $0.style.foreground == .red
        }
        #expect(red.isEmpty)
    }

    @Test func everySeriesHiddenSaysHowToShowThem() {
        let chart = LineChart(
            series: [series("a", [1, 2], hidden: true)], window: t0...(t0 + minute), timeZone: utc)
        #expect(draw(chart, width: 40, height: 8).trimmedLines.contains { $0.contains("every series hidden (a shows") })
    }

    /// The numbers at the start of the plot's rows: the y-axis labels.
    func axisLabels(_ chart: LineChart) -> [Double] {
        draw(chart, width: 40, height: 12).trimmedLines.compactMap {
            Double($0.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
    }

    @Test func fittedToTheDataTheAxisStartsNearTheLowestValue() {
        var chart = LineChart(series: [series("cpu", [100, 104, 110])], window: t0...(t0 + 2 * minute), timeZone: utc)
        #expect(axisLabels(chart).min() == 0)
        chart.fitToData = true
        let fitted = axisLabels(chart)
        #expect(fitted.count >= 2)
        #expect((fitted.min() ?? 0) >= 95, "the lowest label is near 100, not 0: \(fitted)")
        // A flat line has no range to fit: the axis starts at zero as before.
        chart.series = [series("flat", [5, 5, 5])]
        #expect(axisLabels(chart).min() == 0)
    }
}
