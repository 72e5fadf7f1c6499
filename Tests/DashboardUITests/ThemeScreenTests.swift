import DashboardUI
import Foundation
import KubeglassCore
import TerminalUI
import TestSupport
import Testing

/// Every file in `themes/` draws the Cluster golden screen readably: at 256 and at 16 colours no text is
/// drawn in its own background colour, and a theme with a background of its own leaves nothing in the
/// terminal's colours.
struct ThemeScreenTests {
    static let files: [String] = {
        let dir = RepositoryFiles.url("themes").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
    }()

    static func theme(_ file: String) throws -> Theme {
        var warnings: [String] = []
        let theme = try Theme.load(file: RepositoryFiles.url("themes/" + file).path, warnings: &warnings)
        #expect(warnings.isEmpty, "\(file): \(warnings)")
        return theme
    }

    /// The cells whose symbol is visible but whose colours at `depth` make it vanish, as `x,y 'c' fg/bg`.
    static func unreadable(_ screen: Screen, theme: Theme, depth: ColorDepth) -> [String] {
        let ownBackground = theme.background.background != .default
        var found: [String] = []
        for y in 0..<screen.height {
            for x in 0..<screen.width {
                let cell = screen[x, y]
                guard !cell.isContinuation else { continue }
                // The theme's own colours at this depth, before the backend's last resort for text that would
                // vanish (ResolvedStyle.visible), which keeps it readable but loses what its colour meant.
                let r = (fg: cell.style.foreground.index(for: depth), bg: cell.style.background.index(for: depth))
                let visible = !cell.symbol.isWhitespace
                let sameColour = visible && r.fg == r.bg && r.fg != -1
                // A theme with its own background must not leave a cell to the terminal's colours.
                let leftToTerminal = ownBackground && (r.bg == -1 || (visible && r.fg == -1))
                if sameColour || leftToTerminal {
                    found.append("\(x),\(y) '\(cell.symbol)' \(r.fg)/\(r.bg)")
                }
            }
        }
        return found
    }

    @Test func everyThemeFileIsTested() {
        #expect(Self.files.count >= 10)
        for name in [
            "default", "light", "nord", "gruvbox-dark", "solarized-dark", "solarized-light", "dracula",
            "catppuccin-mocha", "high-contrast", "mono",
        ] {
            #expect(Self.files.contains(name + ".yaml"), "themes/\(name).yaml is shipped")
        }
    }

    @Test(arguments: files)
    func theClusterScreenIsReadableAt256And16Colours(file: String) async throws {
        let theme = try Self.theme(file)
        let screen = try await DashboardViewTests.frame(width: 120, height: 40, theme: theme)
        // Only the colours change: the text is the golden screen's.
        let golden = try String(
            contentsOf: GoldenScreenTests.directory.appendingPathComponent("cluster-120x40.txt"), encoding: .utf8)
        #expect(screen.trimmedLines.joined(separator: "\n") + "\n" == golden, "\(file) draws the same text")

        // The picker over it, the Nodes table focused with a selected row, a stale source failing in the status
        // bar and a warning in the header: the overlay's, the table's, the stale and the critical styles.
        var state = ViewState()
        state.focus = 10
        state.picker = Picker(
            purpose: .themes, title: "Theme", items: ["default", "light", "mono"], checked: ["light"])
        var failing = SourceHealth()
        failing.state = .failing
        failing.lastSuccess = DashboardViewTests.now - 95_000
        failing.lastError = "connection refused"
        let overlaid = try await DashboardViewTests.frame(
            width: 120, height: 40, state: state, health: failing, theme: theme, headerWarning: "TLS NOT VERIFIED")
        let text = overlaid.lines.joined(separator: "\n")
        #expect(
            text.contains("connection refused") && text.contains("stale 1m35s") && text.contains("TLS NOT VERIFIED"))

        for depth in [ColorDepth.c256, .sixteen] {
            for (what, s) in [("cluster", screen), ("picker and failing source", overlaid)] {
                let bad = Self.unreadable(s, theme: theme, depth: depth)
                #expect(
                    bad.isEmpty,
                    "\(file) at \(depth.rawValue) colours, \(what): \(bad.count) unreadable cells, first \(bad.prefix(5))"
                )
            }
        }
    }

    @Test func theMonoThemeHasNoColoursButTellsStatesApart() throws {
        let mono = try Self.theme("mono.yaml")
        let styles = Theme.styleKeys.values.map { mono[keyPath: $0] }
        #expect(styles.allSatisfy { $0.foreground == .default && $0.background == .default })
        #expect(([mono.ok, mono.warning, mono.critical] + mono.series).allSatisfy { $0 == .default })
        let base = mono.statusBar
        let levels = [mono.style(.ok, on: base), mono.style(.warning, on: base), mono.style(.critical, on: base)]
        #expect(Set(levels.map(\.attributes)).count == 3, "ok, warning and critical differ by attributes alone")
        #expect(mono.focusedBorder != mono.border && mono.selectedRow != mono.text)
    }

    /// A cell the test knows is drawn: the unreadable check finds text drawn in its own background.
    @Test func theCheckFindsTextInItsOwnBackground() {
        var screen = Screen(width: 4, height: 1)
        screen.put("ab", x: 0, y: 0, style: Style(foreground: .rgb(0x28, 0x28, 0x28), background: .indexed(235)))
        #expect(Self.unreadable(screen, theme: .default, depth: .c256).count == 2)
        #expect(Self.unreadable(screen, theme: .default, depth: .sixteen).count == 2)
    }
}
