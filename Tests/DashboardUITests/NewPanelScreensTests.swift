import Dashboards
import Foundation
import KubeglassCore
import Query
import Testing

@testable import DashboardUI
@testable import TerminalUI

/// Heatmaps (histogram buckets and one series per row), pie charts, bar charts and a table with cell
/// thresholds, from hand-made data, at the sizes people use, in UTF-8 and ASCII, with and without colour.
/// To accept a deliberate change: KUBEGLASS_UPDATE_GOLDEN=1 swift test --filter NewPanelScreensTests
struct NewPanelScreensTests {
    static let now = PanelKindsTests.now

    static func points(_ values: [Double]) -> [Point] {
        values.enumerated().map { Point(time: now - Int64(values.count - 1 - $0.offset) * 60_000, value: $0.element) }
    }

    /// A request-latency histogram over an hour: cumulative counts per bucket, slower in the middle of the hour.
    static func histogram() -> [PanelSeries] {
        let bounds = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]
        let minutes = 0..<60
        // Requests per bucket (not cumulative) at each minute, then summed upward as Prometheus keeps them.
        let own: [[Double]] = bounds.indices.map { b in
            minutes.map { m in
                let slow = m >= 20 && m < 40
                let peak = slow ? 3 : 1
                return max(0, 10 - 3 * Double(abs(b - peak))) + Double((m * 7 + b * 3) % 4)
            }
        }
        var cumulative = [Double](repeating: 0, count: minutes.count)
        return bounds.enumerated().map { b, le in
            for m in minutes { cumulative[m] += own[b][m] }
            return PanelSeries(
                name: le, labels: Labels(name: "", ["le": le]), points: points(cumulative))
        }
    }

    static func perNode() -> [PanelSeries] {
        (1...4).map { (n: Int) -> PanelSeries in
            let values: [Double] = (0..<60).map { (m: Int) -> Double in
                let wobble = Double((m * n * 13) % 50) / 10
                return wobble + Double(n)
            }
            return PanelSeries(
                name: "node-0\(n)", labels: Labels(name: "", ["node": "node-0\(n)"]), points: points(values))
        }
    }

    static func instant(_ pairs: [(String, Double)]) -> [PanelSeries] {
        pairs.map { PanelSeries(name: $0.0, labels: Labels(name: "", [:]), points: points([$0.1])) }
    }

    static let percentSteps = [ThresholdStep(value: 75, color: "warning"), ThresholdStep(value: 90, color: "critical")]

    static let dashboard = Dashboard(
        title: "Panels", name: "panels",
        panels: [
            Panel(
                title: "Request latency", kind: .heatmap, gridPos: GridPos(x: 0, y: 0, w: 12, h: 10), unit: .seconds,
                targets: [Target(expr: "sum by (le) (rate(http_request_duration_seconds_bucket[5m]))")]),
            Panel(
                title: "CPU by node", kind: .heatmap, gridPos: GridPos(x: 12, y: 0, w: 12, h: 10), unit: .cores,
                targets: [Target(expr: "sum by (node) (kubeglass_node_cpu_usage_cores)")]),
            Panel(
                title: "Pods by phase", kind: .piechart, gridPos: GridPos(x: 0, y: 10, w: 12, h: 7), unit: .none,
                targets: [Target(expr: "sum by (phase) (kubeglass_pod_info)")]),
            Panel(
                title: "Restarts by namespace", kind: .barchart, gridPos: GridPos(x: 12, y: 10, w: 12, h: 7),
                unit: .none, targets: [Target(expr: "sum by (namespace) (kubeglass_pod_restarts_total)")]),
            Panel(
                title: "Nodes", kind: .table, gridPos: GridPos(x: 0, y: 17, w: 24, h: 7), rowKey: ["node"],
                columns: [
                    Column(title: "Node", kind: .label, label: "node"),
                    Column(title: "Mem%", kind: .value, expr: "m", unit: .percent, thresholds: percentSteps),
                    Column(
                        title: "Rst", kind: .value, expr: "r", unit: .none,
                        thresholds: [ThresholdStep(value: 1, color: "warning")]),
                ]),
        ])

    static func data() -> [Int: PanelData] {
        var heat = PanelData()
        heat.series = histogram()
        var nodes = PanelData()
        nodes.series = perNode()
        var pie = PanelData()
        pie.series = instant([("Running", 281), ("Pending", 7), ("Failed", 3), ("Succeeded", 24)])
        var bars = PanelData()
        bars.series = instant([("default", 2), ("kube-system", 9), ("monitoring", 4), ("web", 0), ("batch", 6)])
        var table = PanelData()
        table.table = TableData(rows: [
            .init(key: ["node-01"], cells: [.text("node-01"), .number(95.5), .number(0)]),
            .init(key: ["node-02"], cells: [.text("node-02"), .number(80), .number(3)]),
            .init(key: ["node-03"], cells: [.text("node-03"), .number(42), .number(nil)]),
        ])
        return [0: heat, 1: nodes, 2: pie, 3: bars, 4: table]
    }

    static func render(width: Int, height: Int) -> Screen {
        PanelKindsTests.render(dashboard, data(), width: width, height: height)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func panelsAtTwoSizes(width: Int, height: Int) throws {
        let screen = Self.render(width: width, height: height)
        try GoldenScreenTests.expectGolden(
            screen.trimmedLines.joined(separator: "\n") + "\n", "panels-\(width)x\(height).txt")
    }

    @Test func panelsInASCIIAndWithoutColour() throws {
        let screen = Self.render(width: 120, height: 40)
        let ascii = SymbolSet.ascii.drawing(screen)
        for line in ascii.lines { #expect(line.utf8.allSatisfy { $0 < 0x80 }, "not ASCII: \(line)") }
        try GoldenScreenTests.expectGolden(
            ascii.trimmedLines.joined(separator: "\n") + "\n", "panels-120x40-ascii.txt")
        try GoldenScreenTests.expectGolden(
            TerminalFallbackScreenTests.styled(Self.render(width: 80, height: 24), depth: .none),
            "panels-80x24-nocolor.txt")
    }

    @Test func histogramBucketsBecomeRowsOfTheirOwnCountsWidestOnTop() {
        let rows = PanelView.heatmapRows(Self.histogram(), unit: .seconds)
        #expect(rows.map(\.name).first == "+Inf")
        #expect(rows.count == 6)
        // Each row is its bucket less the one below: the rows add up to the +Inf bucket's count.
        let total = Self.histogram().last!.points.map { $0.value ?? 0 }
        for m in [0, 25, 59] {
            #expect(rows.reduce(0) { $0 + ($1.values[m] ?? 0) } == total[m])
        }
        // Two histograms (two pods) of the same buckets are one.
        let twice = Self.histogram() + Self.histogram()
        let summed = PanelView.heatmapRows(twice, unit: .seconds)
        #expect(summed.count == 6 && summed[0].values[0] == 2 * (rows[0].values[0] ?? 0))
        #expect(PanelView.heatmapRows(Self.perNode(), unit: .cores).map(\.name) == (1...4).map { "node-0\($0)" })
    }

    @Test func tableCellsTakeTheirColumnsThresholdColourAndBold() {
        let s = Self.render(width: 120, height: 40)
        let theme = Theme.default
        func cell(_ text: String) -> Cell? {
            for y in 0..<s.height {
                if let r = s.lines[y].range(of: text) {
                    let x = s.lines[y].distance(from: s.lines[y].startIndex, to: r.lowerBound)
                    return s[x, y]
                }
            }
            return nil
        }
        #expect(cell("95.5%")?.style == theme.text.fg(theme.critical).bold)
        #expect(cell("80%")?.style == theme.text.fg(theme.warning).bold)
        #expect(cell("42%")?.style == theme.text, "below every step: the row's own colour")
    }

    @Test func aWindowReachingPastTheHistoryHeldSaysWhereItStarts() {
        var context = DashboardView.Context(
            dashboard: Self.dashboard, data: [:], state: ViewState(), theme: .default, sourceName: "test",
            simulated: false, health: SourceHealth(), refresh: 5000, now: Self.now, timeZone: PanelKindsTests.utc)
        var screen = Screen(width: 120, height: 30)
        DashboardView(context).render(in: screen.bounds, on: &screen)
        #expect(!screen.lines[0].contains("history"))
        // The store holds 20 minutes of the hour asked for.
        context.historyStart = Self.now - 20 * Milliseconds.minute
        DashboardView(context).render(in: screen.bounds, on: &screen)
        let clock = DashboardView.clockText(Self.now - 20 * Milliseconds.minute, timeZone: PanelKindsTests.utc)
        #expect(screen.lines[0].contains("last 1h · history from \(clock.prefix(5)) · every 5s"))
        // Within a minute of the window's start, or for a Prometheus dashboard, nothing is said.
        context.historyStart = Self.now - Milliseconds.hour + 30_000
        DashboardView(context).render(in: screen.bounds, on: &screen)
        #expect(!screen.lines[0].contains("history"))
        context.historyStart = Self.now - 20 * Milliseconds.minute
        context.dashboard.datasource = .prometheus
        DashboardView(context).render(in: screen.bounds, on: &screen)
        #expect(!screen.lines[0].contains("history"))
    }
}
