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
        #expect(dashboard.panels[2].columns.map(\.kind) == [.label, .label, .value, .sparkline])
    }
}
