import Dashboards
import Foundation
import TerminalUI

/// Dashboard files and user themes are read off the loop: choosing one asks for a `.load`, the status bar says
/// what is being read, keys go on being answered, and the answer comes back as `.loaded`. A newer choice
/// supersedes an older one still out; a file that cannot be read leaves what is shown and says why.
extension AppState {
    /// A file to read off the loop, tagged so that a late answer to an older choice is dropped.
    public struct Load: Sendable {
        public enum What: Sendable {
            /// The dashboard file at `path`, to open with `selections` once read (`d`, a drill-down).
            case dashboard(path: String, selections: [String: [String]])
            /// A theme of the user's (a file in the themes folder), by name.
            case theme(name: String, environment: [String: String])
        }
        public var what: What
        public var request: Int
    }

    /// What a load brought back.
    public enum Loaded: Sendable {
        case dashboard(Dashboard)
        /// The file could not be read or is not a dashboard: the error, as `kubeglass dashboards check` says it.
        case dashboardFailed(String)
        /// The theme and what was wrong with it; nil when it could not be read (the error is the last problem).
        case theme(Theme?, problems: [String])
    }

    /// Opens a dashboard of the catalog: at once when it is built in, else after its file is read again
    /// (it may have changed since kubeglass started).
    mutating func openFromCatalog(_ board: Dashboard, selections: [String: [String]]) -> [Effect] {
        guard let path = dashboardFiles[board.name] else { return open(board, selections: selections) }
        loading = "loading dashboard \(URL(fileURLWithPath: path).lastPathComponent)…"
        return [startLoad(.dashboard(path: path, selections: selections))]
    }

    /// Draws with the theme `name` from now on: a built-in at once, a user's theme file once it is read.
    /// A theme that cannot be read leaves the current one and says why.
    mutating func chooseTheme(_ name: String) -> [Effect] {
        if Theme.userNames(environment: themeEnvironment).contains(name) {
            loading = "loading theme \(name)…"
            return [startLoad(.theme(name: name, environment: themeEnvironment))]
        }
        var warnings: [String] = []
        do {
            theme = try Theme.named(name, environment: themeEnvironment, warnings: &warnings)
            themeNotice = Theme.summary(of: warnings)
        } catch {
            themeNotice = Theme.summary(of: warnings + ["\(error) (the theme stays \(theme.name))"])
        }
        return []
    }

    private mutating func startLoad(_ what: Load.What) -> Effect {
        loadRequest += 1
        let load = Load(what: what, request: loadRequest)
        pendingLoad = load
        return .load(load)
    }

    /// A file read off the loop came back: the dashboard opens or the theme applies; a failure says why in the
    /// status bar. An answer to a load since superseded is dropped.
    public mutating func loaded(request: Int, _ result: Loaded) -> [Effect] {
        guard let load = pendingLoad, load.request == request else { return [] }
        pendingLoad = nil
        loading = nil
        switch (load.what, result) {
        case (.dashboard(let path, let selections), .dashboard(let board)):
            // The catalog keeps the file as it is now (a drill-down or `d` finds it by its new name).
            if let old = dashboardFiles.first(where: { $0.value == path })?.key {
                dashboardFiles[old] = nil
                if let i = catalog.firstIndex(where: { $0.name == old }) { catalog[i] = board }
            }
            dashboardFiles[board.name] = path
            if !catalog.contains(where: { $0.name == board.name }) { catalog.append(board) }
            return open(board, selections: selections) + [.draw]
        case (.dashboard, .dashboardFailed(let error)):
            notice = "could not open the dashboard: \(error) (the dashboard stays \(dashboard.title))"
            return [.draw]
        case (.theme, .theme(let loaded, let problems)):
            if let loaded {
                theme = loaded
                themeNotice = Theme.summary(of: problems)
            } else {
                // The error is the last problem: it says the theme stays.
                let error = (problems.last ?? "the theme could not be read") + " (the theme stays \(theme.name))"
                themeNotice = Theme.summary(of: problems.dropLast() + [error])
            }
            return [.draw]
        default:
            return []
        }
    }
}
