import DashboardUI
import Testing

/// Scroll markers: said on the status bar, never drawn over a panel's values.
extension DashboardViewTests {
    /// Scrolling one line moves every body row up by one: a marker drawn at a fixed place on the
    /// panels (as `▼` once was, over a restart count or a sparkline) breaks that.
    @Test func scrollMarkersCoverNoPanelCell() async throws {
        let (width, height) = (80, 24)
        let body = DashboardView.bodyHeight(screenHeight: height)
        for scroll in [0, 5, 20] {
            var state = ViewState()
            state.scroll = scroll
            let here = try await Self.frame(width: width, height: height, state: state)
            state.scroll = scroll + 1
            let next = try await Self.frame(width: width, height: height, state: state)
            #expect(!here.lines.joined().contains("¤"), "every cell is drawn over the pre-filled screen")
            for row in 2...body {
                #expect(here.lines[row] == next.lines[row - 1], "scroll \(scroll), body row \(row)")
            }
            let status = here.lines[height - 1]
            #expect(status.hasPrefix(scroll == 0 ? "▼ PgDn " : "▲▼ PgUp PgDn "), "\(status)")
        }
        var state = ViewState()
        state.scroll = 10_000
        let bottom = try await Self.frame(width: width, height: height, state: state)
        #expect(bottom.lines[height - 1].hasPrefix("▲ PgUp "))
        #expect(!bottom.lines[1..<(height - 1)].joined().contains("▲"), "no marker over the panels")
        let unscrolled = try await Self.frame(width: 200, height: 60)
        #expect(!unscrolled.lines[59].contains("PgDn"), "a dashboard that fits says nothing about scrolling")
    }
}
