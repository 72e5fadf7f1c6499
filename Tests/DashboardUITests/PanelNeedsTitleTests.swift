import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import TerminalUI
import Testing

/// A panel's `needs` hint ("Network (needs --source summary)") shows only while the panel has no data.
struct PanelNeedsTitleTests {
    static let now: Timestamp = 1_700_000_000_000

    func topLine(_ data: PanelData?) throws -> String {
        let board = try DashboardFile.parse(
            yaml: """
                title: Needs
                panels:
                  - title: Network
                    type: timeseries
                    grid: {x: 0, y: 0, w: 24, h: 8}
                    needs: '--source summary'
                    expr: kubeglass_node_network_receive_bytes_per_second
                """, file: "needs.yaml", name: "needs")
        var health = SourceHealth()
        health.state = .ok
        health.lastSuccess = Self.now
        let context = DashboardView.Context(
            dashboard: board, data: data.map { [0: $0] } ?? [:], state: ViewState(), theme: .default,
            sourceName: "test", simulated: false, health: health, refresh: 5000, now: Self.now,
            timeZone: TimeZone(identifier: "UTC")!)
        var screen = Screen(width: 80, height: 20)
        DashboardView(context).render(in: screen.bounds, on: &screen)
        return try #require(screen.lines.first { $0.contains("╭") })
    }

    @Test func theHintShowsOnlyWhileThePanelHasNoData() throws {
        #expect(try topLine(PanelData()).contains("╭ Network (needs --source summary) "))
        var data = PanelData()
        data.series = [
            PanelSeries(
                name: "receive", labels: Labels(["node": "node-01"]),
                points: [Point(time: Self.now - 5000, value: 1200), Point(time: Self.now, value: 1300)])
        ]
        let shown = try topLine(data)
        #expect(shown.contains("╭ Network "), "\(shown)")
        #expect(!shown.contains("needs"), "a source that gives the series drops the hint: \(shown)")
        #expect(!(try topLine(nil)).contains("needs"), "not while loading")
    }

    @Test func theHintSurvivesSavingTheDashboard() throws {
        let board = try DashboardFile.parse(
            yaml: """
                title: Needs
                panels:
                  - {title: Network, type: timeseries, grid: {x: 0, y: 0, w: 24, h: 8}, needs: '--source summary', expr: x}
                """, file: "needs.yaml", name: "needs")
        #expect(board.panels[0].needs == "--source summary")
        let again = try DashboardFile.parse(yaml: DashboardWriter.yaml(board), file: "again.yaml", name: "needs")
        #expect(again.panels[0].needs == "--source summary")
    }
}
