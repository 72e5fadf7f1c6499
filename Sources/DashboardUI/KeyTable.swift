import TerminalUI

/// The dashboard's one key table: `ViewState.handle` finds a key's command here, and the help overlay lists
/// these rows, so what the help says and what the keys do cannot drift apart (as k9s keeps its key actions).
public struct KeyBinding: Sendable {
    /// What a key asks for. A key may have several commands: the first that applies where focus is wins.
    public enum Command: Sendable, Equatable {
        case quit, toggleHelp, showErrors, nextPanel, previousPanel
        /// An arrow: moves focus between panels, or the selected row of a full-screen table.
        case arrow
        case fullscreen
        case nextRow, previousRow
        case sortByNextColumn, reverseSort
        case scrollUp, scrollDown
        case edit
        /// Enter on a table row that leads to another dashboard.
        case drill
        case back
        case pickTimeRange, zoomOut, zoomIn, panBack, panForward, live
        case pickVariables, pickDashboard, pickRefresh, pickTheme
        case adHocQuery, write, refreshNow
        /// Closes full screen (help closes before any command is looked up).
        case close
    }

    /// As the help shows the keys: `Tab / Shift-Tab`.
    public let label: String
    public let help: String
    /// Each key with its command; empty for keys handled elsewhere (the query editor's), listed for the help only.
    public let commands: [(key: Key, command: Command)]

    init(_ label: String, _ help: String, _ commands: [(key: Key, command: Command)] = []) {
        self.label = label
        self.help = help
        self.commands = commands
    }

    public static let table: [KeyBinding] = [
        KeyBinding("q", "quit", [(.character("q"), .quit)]),
        KeyBinding("?", "show or hide this help", [(.character("?"), .toggleHelp)]),
        KeyBinding(
            "Tab / Shift-Tab", "focus the next / previous panel", [(.tab, .nextPanel), (.backTab, .previousPanel)]),
        KeyBinding(
            "← ↑ → ↓", "move focus between panels (rows, in a full-screen table)",
            [(.left, .arrow), (.up, .arrow), (.right, .arrow), (.down, .arrow)]),
        KeyBinding(
            "Enter / f", "full screen for the focused panel, and back",
            [(.enter, .fullscreen), (.character("f"), .fullscreen)]),
        KeyBinding(
            "j / k", "select the next / previous table row",
            [(.character("j"), .nextRow), (.character("k"), .previousRow)]),
        KeyBinding(
            "s / S", "sort a table by the next column / reverse the order",
            [(.character("s"), .sortByNextColumn), (.character("S"), .reverseSort)]),
        // `/` is the focused panel's key (ViewState+Panels.swift, ViewState+Find.swift): listed for the help only.
        KeyBinding("/", "filter a table's rows; elsewhere find a panel by title (n / N, Esc clears)"),
        KeyBinding("PgUp / PgDn", "scroll the dashboard", [(.pageUp, .scrollUp), (.pageDown, .scrollDown)]),
        // The focused chart's keys (ViewState+Series.swift): listed for the help only.
        KeyBinding("1 … 9 / a (chart)", "hide or show the chart's nth series (dim in the legend) / show all"),
        KeyBinding("y (chart)", "y-axis from zero, or fitted to the data (the title says y auto)"),
        KeyBinding("mouse", "click: focus, select a row · wheel: scroll, zoom a chart · double click: as Enter"),
        KeyBinding(
            "e", "edit the focused panel's query (Enter applies, Esc cancels, Tab completes)",
            [(.character("e"), .edit)]),
        KeyBinding(
            "Enter (table, stat)", "open the row's node or pod dashboard, or the pods a stat counts",
            [(.enter, .drill)]),
        KeyBinding("Backspace", "back to the dashboard before", [(.backspace, .back)]),
        KeyBinding("t", "pick the time range (or type one, like 90m)", [(.character("t"), .pickTimeRange)]),
        KeyBinding(
            "- / +", "zoom the time range out / in",
            [(.character("-"), .zoomOut), (.character("+"), .zoomIn), (.character("="), .zoomIn)]),
        KeyBinding(
            "[ / ]", "pan back / forward in time", [(.character("["), .panBack), (.character("]"), .panForward)]),
        KeyBinding("0", "back to live (the window ends now)", [(.character("0"), .live)]),
        KeyBinding("v", "pick the dashboard's variables ($node, $namespace, …)", [(.character("v"), .pickVariables)]),
        KeyBinding("d", "open another dashboard", [(.character("d"), .pickDashboard)]),
        KeyBinding("R", "pick the refresh interval", [(.character("R"), .pickRefresh)]),
        KeyBinding("T", "pick the colour theme", [(.character("T"), .pickTheme)]),
        KeyBinding(
            ":", "a query of your own, in a scratch panel (Backspace returns)", [(.character(":"), .adHocQuery)]),
        KeyBinding("w", "write the dashboard with its edited queries to its YAML file", [(.character("w"), .write)]),
        KeyBinding("↑ ↓ / Ctrl-R", "while editing: older queries / search them; PgUp PgDn: the panel's other queries"),
        KeyBinding("Shift-Tab", "while editing: the query's legend format ({{node}}), and back to the query"),
        KeyBinding("r", "refresh now", [(.character("r"), .refreshNow)]),
        KeyBinding("!", "show the last errors and warnings in full", [(.character("!"), .showErrors)]),
        KeyBinding("Esc", "close help, the errors or full screen", [(.escape, .close)]),
    ]

    /// A key's commands, most specific first: a command that applies only in some places (a drill-down) comes
    /// before the general one (full screen).
    public static func commands(for key: Key) -> [Command] {
        let found = table.flatMap { row in row.commands.filter { $0.key == key }.map(\.command) }
        return found.sorted { rank($0) < rank($1) }
    }

    private static func rank(_ command: Command) -> Int { command == .drill ? 0 : 1 }

    /// The help overlay's rows.
    public static var help: [(key: String, action: String)] { table.map { ($0.label, $0.help) } }
}
