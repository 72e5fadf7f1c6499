import DashboardUI
import Dashboards
import Foundation
import TerminalUI

/// `:pods` (a k9s habit) asks for a metric named `pods`, which gives "no data": say that it is not a metric here,
/// and suggest the dashboard or the metrics that were probably meant.
extension AppState {
    /// The status bar's line for an applied query that is one bare name no series has; nil for anything else, and
    /// when the metric names are not known (a remote datasource that has not answered yet).
    func unknownMetricNotice(_ query: String, metrics: [String]) -> String? {
        let name = query.trimmingCharacters(in: .whitespaces)
        guard let first = name.first, first.isLetter || first == "_" || first == ":",
            name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }),
            !metrics.isEmpty, !metrics.contains(name)
        else { return nil }
        var meant: [String] = []
        let lowered = name.lowercased()
        if let board = catalog.first(where: { $0.name.lowercased() == lowered || $0.title.lowercased() == lowered }) {
            meant.append("the \(board.title) dashboard (d, then \(board.name))")
        }
        let similar = metrics.filter { $0.lowercased().contains(lowered) }.sorted { $0.count < $1.count }
        if !similar.isEmpty {
            meant.append(similar.prefix(2).joined(separator: " or ") + (similar.count > 2 ? " (Tab lists more)" : ""))
        }
        let suggestion =
            meant.isEmpty ? " (Tab lists the metrics)" : "; did you mean \(meant.joined(separator: ", or "))?"
        return "\(name) is not a metric here\(suggestion)"
    }
}
