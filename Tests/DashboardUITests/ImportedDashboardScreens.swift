import DashboardUI
import Dashboards
import Foundation
import Query
import TerminalUI
import TestSupport
import Testing

/// The real Grafana dashboards in Tests/Fixtures/grafana, imported and drawn at the three sizes the
/// built-ins are checked at: every panel gets a framed place with its title on its top border, and a
/// panel kubeglass cannot draw says why inside itself.
struct ImportedDashboardScreens {
    static let directory = RepositoryFiles.fixture("grafana").path

    static let files: [String] = RepositoryFiles.fixtures(in: "grafana", endingIn: ".json")

    @Test func referenceDashboardsAreThere() {
        #expect(Self.files.count >= 7, "\(Self.directory) holds the reference dashboards")
    }

    @Test(arguments: files, [(80, 24), (120, 40), (200, 60)])
    func everyPanelIsDrawnWithItsTitle(file: String, size: (width: Int, height: Int)) throws {
        let dashboard = try GrafanaImport.load(path: Self.directory + "/" + file).dashboard.withRowsFlattened()
        // Unfold every folded row, so that every panel has a place.
        var state = ViewState()
        for (i, p) in dashboard.panels.enumerated() where p.kind == .row && p.collapsed { state.toggleRow(i) }
        let layout = DashboardLayout(dashboard: dashboard, state: state, width: size.width, height: size.height - 2)
        #expect(layout.placements.count == dashboard.panels.count, "\(file): every panel placed")

        // At the terminal's own size: drawn without trouble, the header and status bar in place.
        let first = PanelKindsTests.render(dashboard, [:], state: state, width: size.width, height: size.height)
        #expect(first.lines.count == size.height && first.lines.first?.contains("kubeglass") == true)

        // As tall as the dashboard, so every panel is on screen at once (what scrolling shows a piece at a time).
        let tall = PanelKindsTests.render(
            dashboard, [:], state: state, width: size.width, height: layout.contentHeight + 2)
        let lines = tall.lines
        for placement in layout.placements {
            let panel = dashboard.panels[placement.panel]
            let row = placement.rect.y + 1 // below the header line
            try #require(lines.indices.contains(row), "\(file): \(panel.title) is below the screen")
            let line = lines[row]
            let start = line.index(line.startIndex, offsetBy: min(line.count, placement.rect.x))
            let end = line.index(
                start, offsetBy: min(line.distance(from: start, to: line.endIndex), placement.rect.width))
            let border = String(line[start..<end])
            // The title, or as much of it as the border has room for (cut with "…").
            let room = max(0, placement.rect.width - 6)
            let shown = String(panel.title.prefix(min(panel.title.count, room, 12))).trimmingCharacters(
                in: .whitespaces)
            if panel.kind == .row {
                #expect(
                    border.contains(shown),
                    "\(file) at \(size.width)×\(size.height): row \"\(panel.title)\" in \"\(border)\"")
            } else {
                #expect(
                    border.hasPrefix("╭"),
                    "\(file) at \(size.width)×\(size.height): \"\(panel.title)\" has a frame: \"\(border)\"")
                #expect(
                    shown.isEmpty || border.contains(shown),
                    "\(file) at \(size.width)×\(size.height): \"\(panel.title)\" titled: \"\(border)\"")
            }
            if panel.kind == .unsupported, let why = panel.text, size.width == 200 {
                let inside = lines[(row + 1)..<min(lines.count, row + placement.rect.height)].joined(separator: "\n")
                let words = why.split(separator: " ").prefix(2).joined(separator: " ")
                #expect(inside.contains(words), "\(file): \"\(panel.title)\" says why it is not drawn (\(why))")
            }
        }
    }
}
