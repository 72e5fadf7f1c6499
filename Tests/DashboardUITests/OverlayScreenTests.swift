import DashboardUI
import Dashboards
import KubeglassCore
import TerminalUI
import Testing

/// The help (`?`) and the errors (`!`) over the panels, with the header and status bar left in place.
extension DashboardViewTests {
    /// The text inside the box titled `title`, its lines joined with spaces (wrapped text reads as one).
    static func boxText(_ lines: [String], title: String) -> String {
        let rows = lines.map { Array($0) }
        guard let top = rows.firstIndex(where: { String($0).contains("╭ " + title) }),
            let left = rows[top].firstIndex(of: "╭"), let right = rows[top].lastIndex(of: "╮")
        else { return "" }
        var out: [String] = []
        for row in rows[(top + 1)...] where right < row.count {
            if row[left] == "╰" { break }
            out.append(String(row[(left + 1)..<right]).replacingOccurrences(of: "│", with: " "))
        }
        return out.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    @Test func everyHelpRowIsReachableAt80x24AndTheChromeStays() async throws {
        let dashboard = try #require(try BuiltinDashboards.named("cluster"))
        let layout = DashboardLayout(panels: dashboard.panels, width: 80, height: 22)
        var state = ViewState()
        #expect(state.handle(.character("?"), dashboard: dashboard, layout: layout, viewHeight: 22) == .redraw)
        var seen: [String] = []
        var last = -1
        while state.helpScroll != last {
            last = state.helpScroll
            let s = try await Self.frame(width: 80, height: 24, state: state)
            #expect(s.lines[0].contains("kubeglass") && s.lines[0].contains("Cluster"), "the header stays")
            #expect(
                s.lines[23].hasPrefix("j/k PgUp PgDn scroll  Esc close"), "the status bar stays, with the help's keys")
            for line in s.lines[1..<23] { #expect(!line.contains("…│"), "no row is cut: \(line)") }
            seen.append(Self.boxText(s.lines, title: "kubeglass keys"))
            _ = state.handle(.character("j"), dashboard: dashboard, layout: layout, viewHeight: 22)
        }
        let all = seen.joined(separator: " ")
        for (key, action) in ViewState.keyHelp {
            #expect(all.contains(key), "key \(key)")
            #expect(all.contains(action.split(separator: " ").joined(separator: " ")), "action \(action)")
        }
        #expect(seen.count > 1, "at 80×24 the help scrolls")
        #expect(all.contains("Esc close help"))
        _ = state.handle(.escape, dashboard: dashboard, layout: layout, viewHeight: 22)
        #expect(!state.showHelp && state.helpScroll == 0)
    }

    @Test func wideHelpUsesTwoColumnsAndFits() async throws {
        var state = ViewState()
        state.showHelp = true
        let s = try await Self.frame(width: 200, height: 20, state: state)
        let text = Self.boxText(s.lines, title: "kubeglass keys")
        // Two columns share each line, so an action wrapped in one is read word by word.
        for (key, action) in ViewState.keyHelp {
            #expect(text.contains(key) && action.split(separator: " ").allSatisfy { text.contains($0) }, "\(key)")
        }
        #expect(!s.lines[1..<19].joined().contains("j/k "), "everything fits: no scroll hint on the box")
        let help = HelpOverlay(bindings: ViewState.keyHelp)
        #expect(help.layout(in: Rect(x: 0, y: 0, width: 200, height: 18)).columns.count == 2)
        #expect(help.layout(in: Rect(x: 0, y: 0, width: 80, height: 22)).columns.count == 1)
        #expect(s.lines[19].contains("● demo ok"))
    }

    @Test func bangShowsTheWholeErrorWrapped() async throws {
        var h = SourceHealth()
        h.state = .failing
        h.lastError =
            "cannot connect to https://10.20.30.40:6443: connection refused (is the API server running, and is the port right?)"
        let plain = try await Self.frame(width: 80, height: 24, health: h)
        #expect(plain.lines[23].contains("! details"))
        #expect(!plain.lines[23].contains("port right?)"), "the status bar has room for only the start")
        let dashboard = try #require(try BuiltinDashboards.named("cluster"))
        var state = ViewState()
        _ = state.handle(
            .character("!"), dashboard: dashboard,
            layout: DashboardLayout(panels: dashboard.panels, width: 80, height: 22),
            viewHeight: 22)
        #expect(state.showErrors)
        let s = try await Self.frame(width: 80, height: 24, state: state, health: h)
        #expect(Self.boxText(s.lines, title: "Errors").contains("✖ " + h.lastError!))
        #expect(s.lines[0].contains("kubeglass"))
        #expect(KeyBinding.table.contains { $0.label == "!" })
    }
}
