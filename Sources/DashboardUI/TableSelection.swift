import Dashboards
import TerminalUI

/// The table row a person has selected, in the order they see (sorted as on screen).
public enum TableSelection {
    /// The selected row's key labels (`["node": "node-03"]`), or nil when the table has no rows.
    public static func selectedLabels(panel index: Int, dashboard: Dashboard, data: PanelData?, state: ViewState)
        -> [String: String]?
    {
        guard dashboard.panels.indices.contains(index), let table = data?.table, !table.rows.isEmpty else { return nil }
        let panel = dashboard.panels[index]
        let tableState = state.tableState(index, dashboard)
        // The row under the cursor as drawn: sorted, and among those the search keeps.
        let shown = table.displayed(order: tableState.order, filter: state.search(index)?.text ?? "")
        guard !shown.isEmpty else { return nil }
        let row = table.rows[shown[min(max(0, tableState.selected), shown.count - 1)]]
        // A row not evaluated yet (scrolled to before its evaluation came back) has no key to open.
        guard !row.key.isEmpty else { return nil }
        var labels: [String: String] = [:]
        for (name, value) in zip(panel.rowKey, row.key) { labels[name] = value }
        return labels
    }
}
