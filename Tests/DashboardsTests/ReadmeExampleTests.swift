import Dashboards
import Foundation
import Query
import TestSupport
import Testing

/// The dashboard example in the README is the format's documentation: it must load.
struct ReadmeExampleTests {
    @Test func theReadmeDashboardExampleLoads() throws {
        let readme = RepositoryFiles.url("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.range(of: "## Dashboard files"))
        let open = try #require(text.range(of: "```yaml\n", range: section.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        let dashboard = try DashboardFile.parse(
            yaml: String(text[open.upperBound..<close.lowerBound]), file: "README.md", name: "readme")
        #expect(dashboard.title == "My cluster")
        #expect(dashboard.panels.map(\.kind) == [.timeseries, .stat, .table])
        #expect(dashboard.panels[2].columns.map(\.kind) == [.label, .label, .value, .value, .sparkline])
        #expect(dashboard.panels[2].columns[3].thresholds.map(\.value) == [75, 90])
    }

    /// Every YAML example under "Dashboard files" loads: the variables and drill-down one, and the new panel types.
    @Test func everyDashboardExampleInTheReadmeLoads() throws {
        let text = try String(contentsOf: RepositoryFiles.url("README.md"), encoding: .utf8)
        let start = try #require(text.range(of: "## Dashboard files"))
        let end = try #require(text.range(of: "\n## Dashboards\n", range: start.upperBound..<text.endIndex))
        var rest = start.upperBound..<end.lowerBound
        var kinds: [Panel.Kind] = []
        while let open = text.range(of: "```yaml\n", range: rest),
            let close = text.range(of: "```", range: open.upperBound..<end.lowerBound)
        {
            let d = try DashboardFile.parse(
                yaml: String(text[open.upperBound..<close.lowerBound]), file: "README.md", name: "readme")
            kinds += d.panels.map(\.kind)
            rest = close.upperBound..<end.lowerBound
        }
        for kind in [Panel.Kind.heatmap, .piechart, .barchart, .stat, .table] { #expect(kinds.contains(kind)) }
    }
}
