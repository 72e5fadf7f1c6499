import Dashboards
import TerminalUI

/// `w`: nothing to do without edits; otherwise a y/n question in the status bar before the file is written.
extension AppState {
    /// The dashboard as it was opened, or as `w` last wrote it: what "changed" is measured against.
    var unchanged: Dashboard? {
        written[dashboard.name] ?? catalog.first { $0.name == dashboard.name && $0.file == dashboard.file }
    }

    mutating func askToWrite() -> [Effect] {
        // The namespace filter kubeglass adds where pods are listed is not the user's: it is never written.
        let dashboard = dashboard.withoutNamespaceFilter()
        if let unchanged, unchanged.withoutNamespaceFilter() == dashboard {
            notice = "no changes to write"
            return [.draw]
        }
        let count = unchanged.flatMap { DashboardTextEdit.changes(from: $0, to: dashboard)?.count }
        let what = count.map { "\($0) changed quer\($0 == 1 ? "y" : "ies")" } ?? "the dashboard"
        pendingWrite = dashboard
        notice = "write \(what) to \(DashboardSaving.path(for: dashboard, environment: themeEnvironment))? (y/n)"
        return [.draw]
    }

    mutating func confirmWrite(_ key: Key) -> [Effect] {
        guard let board = pendingWrite else { return [] }
        pendingWrite = nil
        guard key == .character("y") || key == .character("Y") else {
            notice = "not written"
            return [.draw]
        }
        notice = nil
        written[board.name] = board
        return [.save(board), .draw]
    }
}
