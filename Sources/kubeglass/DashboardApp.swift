import App
import DashboardUI
import Dashboards
import NcursesBackend
import TerminalUI

/// The dashboard on the real terminal: ncurses, a thread waiting on stdin, and the signals, around the loop.
enum DashboardApp {
    static func run(
        dashboard: Dashboard, catalog: [Dashboard], files: [String: String] = [:], theme: Theme,
        themeNotice: String? = nil, setup: SourceSetup,
        selections: [String: [String]], terminal options: TerminalOptions, kiosk: Kiosk? = nil
    ) async throws {
        // Signals are caught before ncurses starts, so ncurses leaves them to us.
        let terminal = try NcursesScreen(colors: options.color, symbols: options.symbols, mouse: !options.noMouse)
        var state = AppState(
            dashboard: dashboard, catalog: catalog, theme: theme, evaluator: setup.evaluator, refresh: setup.refresh,
            size: terminal.size, selections: selections, historyFile: QueryHistory.defaultPath())
        state.kiosk = kiosk
        state.dashboardFiles = files
        state.themeNotice = themeNotice
        let loop = DashboardLoop(state: state, setup: setup, terminal: terminal, maxFramesPerSecond: options.maxFps)
        let signals = SignalWatcher(loop.continuation, hangupRedraws: kiosk != nil)
        let input = InputWatcher(loop.continuation)
        terminal.input = input
        defer {
            input.stop()
            terminal.ncurses.restore()
            signals.cancel()
        }
        input.start()
        await loop.run()
    }
}

/// ncurses as the loop's terminal. After the loop reads the waiting keys, the input thread may wait again.
final class NcursesScreen: TerminalScreen {
    let ncurses: NcursesTerminal
    var input: InputWatcher?

    init(colors: ColorChoice, symbols: SymbolSet?, mouse: Bool) throws {
        ncurses = try NcursesTerminal(colors: colors, symbols: symbols, mouse: mouse)
    }

    var size: (width: Int, height: Int) { ncurses.size }

    func readKeys() -> [Key] {
        defer { input?.didDrain() }
        return ncurses.readKeys()
    }

    func handleResize() { ncurses.handleResize() }

    func show(_ screen: Screen) { _ = ncurses.draw(screen) }
}
