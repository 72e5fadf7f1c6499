import Foundation
import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct LineChartTests {
    let utc = TimeZone(identifier: "UTC")!

    /// A chart of only the plot: no axes, no legend.
    func plotOnly(
        _ series: [ChartSeries], window: ClosedRange<Int64> = 0...9, min: Double? = 0, max: Double? = 7,
        thresholds: Thresholds? = nil
    ) -> LineChart {
        LineChart(
            series: series, window: window, min: min, max: max, thresholds: thresholds,
            showLegend: false, showTimeAxis: false, showValueAxis: false, timeZone: utc)
    }

    func series(_ values: [Double?], color: Color = .green, name: String = "s") -> ChartSeries {
        ChartSeries(name: name, color: color, points: values.enumerated().map { (Int64($0.offset), $0.element) })
    }

    @Test func rampDrawsOneDotPerColumn() {
        // 5×2 cells = 10×8 dots; value v at time t is dot (t, 7 - v).
        // Cell (0,1): dots (0,7) left row 3 = 0x40, (1,6) right row 2 = 0x20 → ⡠; cell (1,1): (2,5) 0x02, (3,4) 0x08 → ⠊.
        let chart = plotOnly([series([0, 1, 2, 3, 4, 5, 6, 7, 7, 7])])
        let s = draw(chart, width: 5, height: 2)
        #expect(s.trimmedLines == ["  ⡠⠊⠉", "⡠⠊"])
        #expect(s[2, 0] == Cell("⡠", style: Style(foreground: .green)))
    }

    @Test func steepRiseIsAVerticalLineOfDots() {
        // From dot (0,7) to (1,0): the left column fills the lower cell, the right column the upper one.
        let s = draw(plotOnly([series([0, 7])]), width: 5, height: 2)
        #expect(s.trimmedLines == ["⢸", "⡇"])
    }

    @Test func nilAndNaNBreakTheLine() {
        let s = draw(plotOnly([series([0, nil, .nan, .infinity, nil, nil, nil, nil, nil, 7])]), width: 5, height: 2)
        #expect(s.trimmedLines == ["    ⠈", "⡀"])
    }

    @Test func laterSeriesWinsASharedCell() {
        let bottom = series(Array(repeating: 0, count: 10), color: .green)
        let second = series([1, 1], color: .red)
        let s = draw(plotOnly([bottom, second]), width: 5, height: 2)
        // Bottom row: dots at y 7 everywhere (⣀); the shared cell adds y 6 (0x04 | 0x20) → ⣤.
        #expect(s.lines == ["     ", "⣤⣀⣀⣀⣀"])
        #expect(s[0, 1].style.foreground == .red)
        #expect(s[1, 1].style.foreground == .green)
    }

    @Test func thresholdLinesOnlyWhereNoSeriesIs() {
        let s = draw(
            plotOnly([series([0, 0])], thresholds: Thresholds(base: .green, steps: [(3.5, .red)])), width: 5, height: 2)
        // 3.5 → dot row 3.5 rounded to 4 = top of the lower cell (0x01 | 0x08 = ⠉); the series owns cell 0.
        #expect(s.lines == ["     ", "⣀⠉⠉⠉⠉"])
        #expect(s[1, 1].style == Style(foreground: .red).dim)
        #expect(s[0, 1].style == Style(foreground: .green))
    }

    @Test func pointsOutsideTheWindowAreClippedNotWalked() {
        // Far ends make the line almost flat at the inside point's height (3 → dot row 4 = ⠉ in the lower cell).
        let far = ChartSeries(
            name: "far", color: .green,
            points: [(-1_000_000_000_000, 0), (5, 3), (1_000_000_000_000, 7)])
        #expect(draw(plotOnly([far]), width: 5, height: 2).lines == ["     ", "⠉⠉⠉⠉⠉"])
        let flat = ChartSeries(name: "flat", color: .green, points: [(-1_000_000_000_000, 7), (1_000_000_000_000, 7)])
        // The window holds no point: "no data" wins; a point inside shows the clipped line across.
        #expect(draw(plotOnly([flat]), width: 9, height: 2).trimmedLines == [" no data", ""])
        var inside = flat
        inside.points.insert((5, 7), at: 1)
        #expect(draw(plotOnly([inside]), width: 5, height: 2).trimmedLines == ["⠉⠉⠉⠉⠉", ""])
    }

    @Test func valuesOutsideAFixedRangeLeaveThroughTheEdge() {
        // So steep that it leaves through the top edge within the first dot column.
        let s = draw(plotOnly([series([0, 1e300])]), width: 5, height: 2)
        #expect(s.trimmedLines == ["⡇", "⡇"])
    }

    @Test func singlePointIsOneDot() {
        let s = draw(plotOnly([series([nil, nil, nil, nil, 7])]), width: 5, height: 2)
        #expect(s.trimmedLines == ["  ⠁", ""])
    }

    @Test func noDataIsCentredAndDim() {
        for data in [[], [series([])], [series([nil, .nan])]] {
            let chart = LineChart(series: data, window: 0...9, timeZone: utc)
            let s = draw(chart, width: 11, height: 3)
            #expect(s.lines == ["           ", "  no data  ", "           "])
            #expect(s[2, 1].style == Theme.default.dimText)
        }
        #expect(draw(LineChart(series: [], window: 0...9), width: 4, height: 1).lines == ["no …"])
    }

    @Test func fullLayoutWithAxesAndLegend() {
        let minute: Int64 = 60_000
        let t0: Int64 = 1_700_000_400_000 // 2023-11-14 22:20 UTC
        let cpu = ChartSeries(
            name: "cpu", color: .green, points: (0...10).map { (t0 + Int64($0) * minute, Double($0) * 0.2) })
        let node = ChartSeries(
            name: "node-2", color: .red,
            points: (0...10).map { (t0 + Int64($0) * minute, $0 == 5 ? nil : 1.0) })
        let chart = LineChart(series: [cpu, node], window: t0...(t0 + 10 * minute), unit: .cores, timeZone: utc)
        // Tall: the legend lists one series per line with last and max.
        let tall = draw(chart, width: 30, height: 15)
        #expect(Array(tall.lines.suffix(2)) == ["● cpu     last 2  max 2       ", "● node-2  last 1  max 1       "])
        #expect(tall[0, 13].style.foreground == .green)
        #expect(tall[0, 14].style.foreground == .red)
        #expect(tall[2, 13].style == Theme.default.text)

        // Short: the legend flows on one line and the plot keeps its rows.
        let s = draw(chart, width: 30, height: 9)
        #expect(
            s.lines == [
                "2                         ⢀⡠⠔⠊",
                "                      ⣀⠤⠒⠉⠁   ",
                "                  ⢀⠤⠒⠉        ",
                "1 ⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠄⣀⡠⠔⠊⠡⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤⠤",
                "          ⣀⠤⠒⠉                ",
                "      ⣀⠤⠒⠉                    ",
                "0 ⡠⠔⠊⠉                        ",
                "22:20         22:25      22:30",
                "● cpu 2  ● node-2 1           ",
            ])
        #expect(s[0, 0].style == Theme.default.axis)
        #expect(s[0, 7].style == Theme.default.axis)
        #expect(s[0, 8].style.foreground == .green)
        #expect(s[9, 8].style.foreground == .red)
        #expect(s[2, 8].style == Theme.default.text)
        #expect(s[29, 0].style.foreground == .green)

        // Two lines shorter: the legend goes first, then the time axis, then the value labels.
        #expect(draw(chart, width: 30, height: 4).trimmedLines.last == "22:20         22:25      22:30")
        let two = draw(chart, width: 30, height: 2).trimmedLines
        #expect(two.count == 2 && two[0].hasPrefix("2 ") && two[1].hasPrefix("0 "))
        #expect(
            draw(chart, width: 5, height: 1).lines[0].allSatisfy {
                $0 == " " || ($0.unicodeScalars.first!.value & 0xFF00) == 0x2800
            })
    }

    @Test func legendShowsHowManySeriesDidNotFit() {
        let many = (0..<5).map { series([1, 2], name: "pod-\($0)") }
        let chart = LineChart(series: many, window: 0...1, showTimeAxis: false, timeZone: utc)
        let lines = draw(chart, width: 30, height: 5).trimmedLines
        #expect(Array(lines.suffix(2)) == ["● pod-0 2  ● pod-1 2", "● pod-2 2  ● pod-3 2   +1 more"])
    }

    @Test func extremeDataNeverCrashes() {
        let huge = Double.greatestFiniteMagnitude
        let cases: [[Double?]] = [
            [huge, -huge], [-huge, huge, 0], [5, 5, 5], [0, 0], [-3, -3], [-1e-300, 1e-300],
            [.nan, .nan], [nil], [1], [.infinity, -.infinity, 1],
        ]
        for values in cases {
            for (w, h) in [(1, 1), (2, 1), (3, 3), (12, 5), (40, 12)] {
                let chart = LineChart(series: [series(values)], window: 0...Int64(Swift.max(0, values.count - 1)))
                _ = draw(chart, width: w, height: h)
            }
        }
        let chart = LineChart(series: [series([1, 2])], window: Int64.min...Int64.max, min: 10, max: -10)
        _ = draw(chart, width: 40, height: 12)
    }

    @Test func awkwardAreas() {
        expectSafeInAwkwardAreas(LineChart(series: [series([1, 5, nil, 2])], window: 0...3))
        expectSafeInAwkwardAreas(LineChart(series: [], window: 0...3))
    }
}

@Suite struct AxisTicksTests {
    @Test func decimalStepsShareTheirPrecision() {
        #expect(AxisTicks(low: 0, high: 1, count: 3, unit: .none).labels == ["0", "0.5", "1.0"])
        #expect(AxisTicks(low: 0, high: 0.37, count: 4, unit: .cores).labels == ["0", "200m", "400m"])
        #expect(
            AxisTicks(low: 0, high: 12345, count: 4, unit: .bytesPerSecond).labels == [
                "0 B/s", "5 kB/s", "10 kB/s", "15 kB/s",
            ])
    }

    @Test func binaryUnitsStepByPowersOfTwo() {
        #expect(
            AxisTicks(low: 0, high: 500 * 1_048_576, count: 3, unit: .bytes).labels == ["0 B", "256 MiB", "512 MiB"])
        #expect(
            AxisTicks(low: 0, high: 1.7 * 1_073_741_824, count: 5, unit: .bytes).labels
                == ["0 B", "512 MiB", "1.0 GiB", "1.5 GiB", "2.0 GiB"])
    }

    @Test func boundsWidenToTicksUnlessFixed() {
        let auto = AxisTicks(low: 0.3, high: 9.2, count: 3, unit: .none)
        #expect(auto.low == 0 && auto.high == 10 && auto.values == [0, 5, 10])
        let fixed = AxisTicks(low: 0.3, high: 9.2, count: 3, unit: .none, fixedLow: 1, fixedHigh: 9)
        // Steps of 5 leave one tick inside 1...9, too few: the fixed bounds become the ticks.
        #expect(fixed.low == 1 && fixed.high == 9 && fixed.values == [1, 9])
    }

    @Test func constantRangesOpenUp() {
        let zero = AxisTicks(low: 0, high: 0, count: 3, unit: .percent)
        #expect(zero.low == 0 && zero.high == 1)
        let negative = AxisTicks(low: -3, high: -3, count: 3, unit: .short)
        #expect(negative.low < -3 && negative.high > -3)
    }
}

@Suite struct TimeTicksTests {
    @Test func roundLocalTimesInTheGivenZone() {
        let t0: Int64 = 1_700_000_400_000 // 22:20 UTC
        let utc = TimeTicks(start: t0, end: t0 + Milliseconds.hour, columns: 40, timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.labels == ["22:30", "22:45", "23:00", "23:15"])
        let plus530 = TimeTicks(
            start: t0, end: t0 + Milliseconds.hour, columns: 40, timeZone: TimeZone(secondsFromGMT: 19_800)!)
        #expect(plus530.labels == ["04:00", "04:15", "04:30", "04:45"])
    }

    @Test func emptyWhenNothingFits() {
        #expect(TimeTicks(start: 0, end: 1000, columns: 4, timeZone: TimeZone(identifier: "UTC")!).times.isEmpty)
        #expect(TimeTicks(start: 10, end: 10, columns: 40, timeZone: TimeZone(identifier: "UTC")!).times.isEmpty)
    }
}
