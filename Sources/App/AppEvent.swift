import DashboardUI
import Dashboards
import KubeglassCore
import TerminalUI

/// Everything that can wake the dashboard's loop. Work that takes time (queries, variable values, completion
/// words) runs off the loop and comes back as one of these, so a slow server never holds up a key.
public enum AppEvent: Sendable {
    /// Keys are waiting; the loop reads them from its terminal.
    case input
    case resize
    case quit(signal: Int32)
    case polled(SourceHealth)
    /// Panels evaluated off the loop, for the dashboard as it was at `epoch`.
    case evaluated(epoch: Int, sequence: Int, data: [Int: PanelData])
    /// The variables' options and selections, listed off the loop for the dashboard as it was at `epoch`.
    case variables(epoch: Int, request: Int, ResolvedVariables)
    /// Words for the query editor's completion arrived from the datasource.
    case completions([CompletionItem])
    /// Once a second: the clock and stale ages in the header move.
    case tick
    /// A line for the status bar from the loop's own work (history restored, a save that failed).
    case notice(String)
    /// A dashboard file or theme read off the loop, for the load tagged `request`.
    case loaded(request: Int, AppState.Loaded)
    /// A redraw held back by `--max-fps` may be drawn now.
    case redraw
    /// The terminal went away.
    case inputClosed
}
