import CNcursesw
import Foundation
import TerminalUI

/// The one place that talks to ncurses: start and restore the terminal, flush frames, read keys.
/// Use it from one task only; ncurses is not thread-safe.
public final class NcursesTerminal {
    private var active = false
    private var lastFrame: Screen?
    private var palette = ColorPalette(depth: .none, pairs: 0)
    /// The characters this terminal shows (chosen once, from `--symbols` or the locale).
    public private(set) var symbols: SymbolSet = .braille
    /// Whether clicks and the wheel are reported (`--no-mouse` leaves the terminal's own selection alone).
    public private(set) var mouse = false
    private var clicks = ClickCounter()

    /// Puts the terminal in full-screen mode. Throws when stdout is not a terminal.
    /// `symbols` nil: ASCII unless the locale is UTF-8.
    /// `mouse`: report clicks and the wheel (the terminal then selects text only with Shift held).
    public init(colors: ColorChoice = .auto, symbols: SymbolSet? = nil, mouse: Bool = true) throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw TerminalError(
                "kubeglass draws in an interactive terminal: stdin and stdout must be a tty (run it in a terminal, ssh -t, or tmux)"
            )
        }
        setlocale(LC_ALL, "")
        // Short Esc delay: Esc alone closes overlays without a noticeable lag.
        setenv("ESCDELAY", "25", 0)
        // newterm, not initscr: initscr exits the process on an unknown TERM instead of returning.
        let environment = ProcessInfo.processInfo.environment
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, let screen = kg_newterm() else {
            throw TerminalError(
                "cannot use this terminal (TERM=\"\(term)\"): no terminfo entry for it. Try TERM=xterm-256color")
        }
        set_term(screen)
        active = true
        NcursesTerminal.current = self
        atexit { NcursesTerminal.restoreAtExit() }
        cbreak()
        noecho()
        nonl()
        intrflush(kg_stdscr(), false)
        keypad(kg_stdscr(), true)
        nodelay(kg_stdscr(), true)
        curs_set(0)
        let depth = ColorDepth.detect(
            environment: environment, terminfoColors: has_colors() ? Int(kg_terminfo_colors()) : 0, choice: colors)
        // Without colour, start_color is never called: ncurses then sends no colour sequence at all.
        if depth > .none {
            start_color()
            use_default_colors()
        }
        palette = ColorPalette(
            depth: depth, pairs: depth > .none ? Int(kg_color_pairs()) : 0, direct: kg_terminfo_colors() > 256)
        self.symbols = symbols ?? SymbolSet.detect(environment: environment)
        leaveok(kg_stdscr(), true)
        if mouse { self.mouse = kg_enable_mouse(1) != 0 }
    }

    deinit { restore() }

    nonisolated(unsafe) private static weak var current: NcursesTerminal?

    private static func restoreAtExit() {
        current?.restore()
    }

    /// Gives the terminal back: leaves the alternate screen, shows the cursor. Safe to call twice.
    public func restore() {
        guard active else { return }
        active = false
        if mouse { _ = kg_enable_mouse(0) }
        curs_set(1)
        endwin()
    }

    public var size: (width: Int, height: Int) { (Int(kg_cols()), Int(kg_lines())) }

    /// Re-reads the window size after SIGWINCH and forgets the last frame (everything is redrawn).
    public func handleResize() {
        var ws = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        }
        lastFrame = nil
        clearok(kg_stdscr(), true)
    }

    /// Draws the cells that changed since the last frame, then one `doupdate()`.
    /// Returns how many cells were written.
    @discardableResult
    public func draw(_ screen: Screen) -> Int {
        guard active else { return 0 }
        var written = 0
        for run in screen.changes(since: lastFrame) {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                // In ASCII a wide character's right half is a cell of its own (the left became `?`).
                if cell.isContinuation && symbols != .ascii { continue }
                put(cell, y: Int32(run.y), x: Int32(x))
                written += 1
            }
        }
        wnoutrefresh(kg_stdscr())
        doupdate()
        lastFrame = screen
        return written
    }

    /// One cell as this terminal shows it. A character the locale cannot encode is refused by ncurses
    /// and would leave the old cell on screen (the stale `08:31:118`), so it is drawn as `?` instead.
    private func put(_ cell: Cell, y: Int32, x: Int32) {
        let resolved = palette.resolve(cell.style)
        let pair = palette.pair(for: resolved)
        let attrs = NcursesTerminal.attributes(resolved.attributes)
        // (Both calls report an error at the bottom-right cell, where the cursor cannot move on, yet draw it.)
        if symbols == .ascii, !cell.isContinuation, let letter = LineDrawing.letter(for: cell.symbol) {
            _ = kg_put_acs(y, x, letter, attrs, pair)
            return
        }
        let symbol = cell.isContinuation ? " " : symbols.glyph(for: cell.symbol)
        var scalar = symbol.unicodeScalars.first.map { wchar_t(bitPattern: $0.value) } ?? 0x20
        let columns = TextWidth.of(symbol)
        // The terminal must take as many columns as the frame gave the cell: a character the C library
        // counts wider would push the rest of the row right, so it becomes `?`.
        if kg_can_encode(scalar) == 0 || kg_wcwidth(scalar) > columns { scalar = 0x3F }
        _ = kg_put_wch(y, x, scalar, attrs, pair)
        // One it counts narrower (an emoji made wide by U+FE0F, sent as its first scalar) leaves the
        // right half, which is never drawn by itself, to be cleared here.
        if columns == 2, kg_wcwidth(scalar) < 2 { _ = kg_put_wch(y, x + 1, 0x20, attrs, pair) }
    }

    /// Every key waiting in the input buffer (never blocks).
    public func readKeys() -> [Key] {
        var keys: [Key] = []
        while true {
            var ch: wint_t = 0
            let r = wget_wch(kg_stdscr(), &ch)
            if r == kg_err() { break }
            if r == KEY_CODE_YES, Int32(bitPattern: ch) == KEY_MOUSE {
                if let event = readMouse() { keys.append(.mouse(event)) }
                continue
            }
            if let key = NcursesTerminal.decode(ch, isFunctionKey: r == KEY_CODE_YES) { keys.append(key) }
        }
        return NcursesTerminal.mergeAltKeys(keys)
    }

    /// The mouse event behind a KEY_MOUSE; a second press on the same cell soon after the first is a double click.
    private func readMouse() -> MouseEvent? {
        var x: Int32 = 0
        var y: Int32 = 0
        let code = kg_read_mouse(&x, &y)
        var uptime = timespec()
        clock_gettime(CLOCK_MONOTONIC, &uptime)
        let now = Double(uptime.tv_sec) + Double(uptime.tv_nsec) / 1e9
        return NcursesTerminal.mouseEvent(code: code, x: Int(x), y: Int(y), now: now, clicks: &clicks)
    }

    /// `kg_read_mouse`'s answer as an event: 1 a left press, 2 and 3 the wheel; anything else is dropped.
    static func mouseEvent(code: Int32, x: Int, y: Int, now: Double, clicks: inout ClickCounter) -> MouseEvent? {
        switch code {
        case 1: return MouseEvent(clicks.press(x: x, y: y, at: now), x: x, y: y)
        case 2: return MouseEvent(.wheelUp, x: x, y: y)
        case 3: return MouseEvent(.wheelDown, x: x, y: y)
        default: return nil
        }
    }

    /// Alt+key reaches us as Esc then the key, in the same read: Alt-Enter is a new line in the
    /// query editor, Alt-b / Alt-f and Alt-arrows jump words.
    static func mergeAltKeys(_ keys: [Key]) -> [Key] {
        var out: [Key] = []
        var i = 0
        while i < keys.count {
            if keys[i] == .escape, i + 1 < keys.count {
                let merged: Key?
                switch keys[i + 1] {
                case .enter: merged = .insertNewline
                case .character("b"), .left: merged = .wordLeft
                case .character("f"), .right: merged = .wordRight
                default: merged = nil
                }
                if let merged {
                    out.append(merged)
                    i += 2
                    continue
                }
            }
            out.append(keys[i])
            i += 1
        }
        return out
    }

    static func decode(_ ch: wint_t, isFunctionKey: Bool) -> Key? {
        let c = Int32(bitPattern: ch)
        if isFunctionKey {
            switch c {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case kg_key_resize(): return .resize
            case KEY_F0 + 1...KEY_F0 + 24: return .function(Int(c - KEY_F0))
            default: return nil
            }
        }
        switch c {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(UInt8(c) + 96)))
        default:
            guard let scalar = UnicodeScalar(UInt32(ch)) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func attributes(_ a: Style.Attributes) -> attr_t {
        var out = kg_a_normal()
        if a.contains(.bold) { out |= kg_a_bold() }
        if a.contains(.dim) { out |= kg_a_dim() }
        if a.contains(.underline) { out |= kg_a_underline() }
        if a.contains(.reverse) { out |= kg_a_reverse() }
        if a.contains(.italic) { out |= kg_a_italic() }
        return out
    }
}

public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
