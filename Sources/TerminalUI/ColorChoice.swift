/// `--color`: whether kubeglass uses colour at all.
public enum ColorChoice: String, Sendable, CaseIterable {
    /// Colour when the terminal has some and `NO_COLOR` is not set.
    case auto
    /// Colour even with `NO_COLOR` set (still no more than the terminal has).
    case always
    /// Attributes only (bold, reverse, underline).
    case never
}

extension ColorDepth {
    /// The depth to draw at: terminfo's `colors` (`terminfoColors`, negative when it has none), raised to
    /// truecolor by `COLORTERM=truecolor` (or `24bit`) on a 256-colour entry. Not on fewer: ncurses draws
    /// only the colours terminfo names (a tmux with TERM=screen inherits COLORTERM from the terminal around
    /// it). `NO_COLOR` set to anything but the empty string turns colour off unless `--color always`
    /// (https://no-color.org).
    public static func detect(environment: [String: String], terminfoColors: Int, choice: ColorChoice = .auto)
        -> ColorDepth
    {
        if choice == .never { return .none }
        if choice == .auto, let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let fromTerminfo = ColorDepth(colors: terminfoColors)
        guard fromTerminfo > .none else { return .none }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if fromTerminfo >= .c256, colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
        return fromTerminfo
    }
}
