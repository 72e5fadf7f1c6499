import Foundation
import KubeglassCore
import Testing

@testable import TerminalUI

@Suite struct HeatmapTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func rows() -> [Heatmap.Row] {
        [
            Heatmap.Row(name: "b", times: [0, 1, 2, 3, 4], values: [0, 0.5, 1.5, 2.5, 4]),
            Heatmap.Row(name: "a", times: [0, 1, 2, 3, 4], values: [4, 4, nil, 0, 2]),
        ]
    }

    @Test func cellsTakeAShadeAndColourPerQuarterOfTheRangeAndZeroStaysBlank() {
        let s = draw(Heatmap(rows: Self.rows(), window: 0...5, timeZone: Self.utc), width: 7, height: 3)
        #expect(s.lines == ["b  ░▒▓█", "a ██  ▓", "  ░▒▓█ "])
        #expect(s[3, 0].style.foreground == Heatmap.colors[0])
        #expect(s[6, 0].style.foreground == Heatmap.colors[3])
        #expect(s[0, 0].style == Theme.default.axis)
    }

    @Test func aWideMapShowsTheScaleWithItsEndsAndTheWindowsTimes() {
        let s = draw(Heatmap(rows: Self.rows(), window: 0...5, timeZone: Self.utc), width: 40, height: 4)
        let scale = s.lines[3]
        #expect(scale.hasPrefix("  00:00"))
        #expect(scale.contains("0 ░▒▓█ 4"))
        #expect(scale.hasSuffix("00:00"))
        // Two rows in a body of three: they sit at the bottom, as on a chart's y axis.
        #expect(s.lines[0].trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(s.lines[1].hasPrefix("b "))
    }

    @Test func moreRowsThanRoomAreSummedWithTheirNeighbours() {
        let many = (0..<6).map { Heatmap.Row(name: "r\($0)", times: [0], values: [Double($0)]) }
        let merged = Heatmap.merged(many, room: 3)
        #expect(merged.map(\.name) == ["r0", "r2", "r4"])
        #expect(merged.map(\.values) == [[1], [5], [9]])
        #expect(Heatmap.merged(many, room: 6) == many)
    }

    @Test func noRowsAndAwkwardAreasAndExtremeValues() {
        #expect(draw(Heatmap(rows: [], window: 0...1), width: 9, height: 1).lines == [" no data "])
        expectSafeInAwkwardAreas(Heatmap(rows: Self.rows(), window: 0...5))
        let extreme = [
            Heatmap.Row(name: "x", times: [0, 1, 2, .max], values: [.greatestFiniteMagnitude, -.infinity, .nan, 1])
        ]
        for (w, h) in [(1, 1), (3, 2), (10, 3), (40, 10)] {
            _ = draw(Heatmap(rows: extreme, window: .min ... .max), width: w, height: h)
        }
    }
}

@Suite struct ShareBarsTests {
    @Test func eachSliceIsAsLongAsItsShareOfTheWholeWithItsPercentage() {
        let slices = [
            ShareBars.Slice(name: "b", value: 1, color: .red), ShareBars.Slice(name: "a", value: 3, color: .cyan),
        ]
        let s = draw(ShareBars(slices: slices), width: 30, height: 2)
        #expect(
            s.lines == [
                "a ██████████████▎     75.0%  3",
                "b ████▊               25.0%  1",
            ])
        #expect(s[2, 0].style.foreground == .cyan)
        #expect(s[2, 1].style.foreground == .red)
    }

    @Test func negativeAndMissingSlicesAreLeftOutAndTheSmallestShareTheLastRow() {
        let slices =
            (1...5).map { ShareBars.Slice(name: "s\($0)", value: Double($0), color: .green) } + [
                ShareBars.Slice(name: "neg", value: -1, color: .green),
                ShareBars.Slice(name: "nil", value: nil, color: .green),
            ]
        let s = draw(ShareBars(slices: slices), width: 30, height: 3).lines
        #expect(s[0].hasPrefix("s5") && s[0].hasSuffix("33.3%  5"))
        #expect(s[1].hasPrefix("s4") && s[1].hasSuffix("26.7%  4"))
        #expect(s[2].hasPrefix("ot") && s[2].hasSuffix("40.0%  6"), "s3, s2 and s1 summed as others")
        #expect(draw(ShareBars(slices: []), width: 9, height: 1).lines == [" no data "])
        #expect(PercentText.of(0.0001) == "<0.1%" && PercentText.of(0) == "0.0%")
    }

    @Test func awkwardAreasAndExtremeValues() {
        expectSafeInAwkwardAreas(ShareBars(slices: [.init(name: "a", value: 1, color: .green)]))
        let extreme = [
            ShareBars.Slice(name: "x", value: .greatestFiniteMagnitude, color: .red),
            .init(name: "y", value: .infinity, color: .red), .init(name: "z", value: .nan, color: .red),
        ]
        for (w, h) in [(1, 1), (3, 2), (10, 3), (40, 10)] { _ = draw(ShareBars(slices: extreme), width: w, height: h) }
    }
}

@Suite struct BarChartTests {
    @Test func uprightBarsWithTheirValuesAboveAndNamesBelow() {
        let bars = [BarChart.Bar(name: "a", value: 4, color: .cyan), BarChart.Bar(name: "b", value: 2, color: .red)]
        let s = draw(BarChart(bars: bars), width: 9, height: 5)
        #expect(
            s.lines == [
                "4        ",
                "████ 2   ",
                "████ ▄▄▄▄",
                "████ ████",
                "a    b   ",
            ])
        #expect(s[0, 1].style.foreground == .cyan && s[5, 3].style.foreground == .red)
    }

    @Test func barsThatDoNotFitAreCounted() {
        let bars = (0..<20).map { BarChart.Bar(name: "n\($0)", value: Double($0), color: .green) }
        let s = draw(BarChart(bars: bars), width: 20, height: 4)
        #expect(s.lines[3].hasSuffix("+14 more"))
        #expect(BarChart.layout(count: 3, width: 29) == (8, 3))
        #expect(BarChart.layout(count: 3, width: 5) == (1, 3))
    }

    @Test func awkwardAreasAndExtremeValues() {
        #expect(draw(BarChart(bars: []), width: 9, height: 3).lines[1] == " no data ")
        expectSafeInAwkwardAreas(BarChart(bars: [.init(name: "a", value: 1, color: .green)]))
        let extreme = [
            BarChart.Bar(name: "x", value: .greatestFiniteMagnitude, color: .red),
            .init(name: "y", value: -.infinity, color: .red), .init(name: "z", value: .nan, color: .red),
        ]
        for (w, h) in [(1, 1), (3, 3), (10, 3), (40, 10)] { _ = draw(BarChart(bars: extreme), width: w, height: h) }
    }
}
