import App
import DashboardUI
import Dashboards
import Foundation
import KubeglassCore
import TerminalUI
import Testing

/// `T` opens the theme picker; choosing changes the theme at once; a theme that cannot be read says why in
/// the status bar and leaves the current one.
struct ThemePickerTests {
    /// A config folder with one good and one broken theme of the user's.
    static func userThemes() throws -> (env: [String: String], folder: URL) {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-picker-\(UUID().uuidString)")
        let themes = home.appendingPathComponent("kubeglass/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try "status-bar: {fg: black, bg: \"#ff8800\"}\n".write(
            to: themes.appendingPathComponent("orange-bar.yaml"), atomically: true, encoding: .utf8)
        try "status-bar: {fg: black}\nborder: {fg: nope}\ntitle: [\n".write(
            to: themes.appendingPathComponent("zz-broken.yaml"), atomically: true, encoding: .utf8)
        return (["XDG_CONFIG_HOME": home.path, "HOME": "/nonexistent"], home)
    }

    static func choose(_ name: String, in state: inout AppState) throws {
        _ = state.key(.character("T")) { [] }
        let picker = try #require(state.view.picker)
        let index = try #require(picker.items.firstIndex(of: name), "\(name) in \(picker.items)")
        for _ in 0..<abs(index - picker.selected) { _ = state.key(index > picker.selected ? .down : .up) { [] } }
        let effects = state.key(.enter) { [] }
        #expect(effects.contains { if case .draw = $0 { true } else { false } })
        #expect(state.view.picker == nil, "Enter closes the picker")
        // A user's theme is a file: it is read off the loop, as the loop would, then applied.
        for case .load(let load) in effects {
            #expect(state.loading == "loading theme \(name)…")
            #expect(
                state.loaded(request: load.request, Loaders.files.run(load)).contains {
                    if case .draw = $0 { true } else { false }
                })
            #expect(state.loading == nil)
        }
    }

    @Test func tListsBuiltInAndUserThemesAndChoosingOneChangesTheTheme() throws {
        let (env, folder) = try Self.userThemes()
        defer { try? FileManager.default.removeItem(at: folder) }
        var state = try AppStateTests.state()
        state.themeEnvironment = env
        _ = state.start()

        _ = state.key(.character("T")) { [] }
        let picker = try #require(state.view.picker, "T opens a picker")
        #expect(picker.purpose == .themes)
        #expect(picker.items == Theme.builtinNames + ["orange-bar", "zz-broken"])
        #expect(picker.checked == ["default"] && picker.items[picker.selected] == "default")
        _ = state.key(.escape) { [] }
        #expect(state.view.picker == nil && state.theme.name == "default", "Esc leaves the theme as it was")

        try Self.choose("solarized-light", in: &state)
        #expect(state.theme.name == "solarized-light")
        #expect(state.theme.background.background == .rgb(0xfd, 0xf6, 0xe3))
        #expect(state.themeNotice == nil)

        try Self.choose("orange-bar", in: &state)
        #expect(state.theme.name == "orange-bar" && state.theme.statusBar.background == .rgb(0xff, 0x88, 0))
        #expect(state.view.picker == nil)
        _ = state.key(.character("T")) { [] }
        #expect(state.view.picker?.checked == ["orange-bar"], "the picker marks the theme in use")
        _ = state.key(.escape) { [] }

        try Self.choose("zz-broken", in: &state)
        #expect(state.theme.name == "orange-bar", "a broken theme leaves the current one")
        let notice = try #require(state.themeNotice)
        #expect(notice.hasPrefix(folder.path + "/kubeglass/themes/zz-broken.yaml:"), "\(notice)")
        #expect(notice.contains("the theme stays orange-bar"))
        _ = state.key(.character("j")) { [] }
        #expect(state.themeNotice == nil, "the notice goes with the next key")
    }

    @Test func aBadThemeAtStartShowsInTheStatusBarWhileRunning() async throws {
        let screen = FakeScreen(width: 120, height: 40)
        let setup = DashboardLoopTests.demoSetup()
        let board = try #require(try BuiltinDashboards.named("cluster"))
        let (theme, problems) = Theme.chosen("no-such-theme", environment: ["HOME": "/nonexistent"])
        var state = AppState(
            dashboard: board, catalog: try BuiltinDashboards.all(), theme: theme, evaluator: setup.evaluator,
            refresh: setup.refresh, size: screen.size)
        state.themeNotice = Theme.summary(of: problems)
        state.themeEnvironment = ["HOME": "/nonexistent"]
        let loop = DashboardLoop(state: state, setup: setup, terminal: screen, startsPoller: false)
        let events = loop.continuation
        let running = Task { await loop.run() }
        defer { running.cancel() }

        #expect(
            await eventually(within: 30) {
                screen.text.components(separatedBy: "\n").last?.contains("no-such-theme: no such theme") == true
            }, "the status bar says what went wrong:\n\(screen.text)")
        let before = try #require(screen.lastFrame)
        #expect(theme.name == "default")

        // T, then the light theme: the next frame is drawn in it.
        screen.type([.character("T")])
        events.yield(.input)
        #expect(await eventually(within: 10) { screen.text.contains("Theme") && screen.text.contains("high-contrast") })
        screen.type([.down, .enter])
        events.yield(.input)
        #expect(
            await eventually(within: 10) {
                screen.lastFrame?[0, 0].style.background == .rgb(0x1f, 0x23, 0x28)
            }, "the header is drawn in the light theme's ink")
        #expect(before[0, 0].style.background == Theme.default.header.background)
        #expect(!screen.text.contains("no such theme"), "the notice went with the key")
        events.yield(.quit(signal: 15))
        await running.value
    }
}
