import Dashboards
import TerminalUI

/// The table row a person has selected, in the order they see (sorted as on screen).
public enum TableSelection {
    /// The rows of `data` in the displayed order of panel `index`.
    static func displayedRows(_ data: TableData, panel: Panel, tableState: ViewState.TableState) -> [TableData.Row] {
        guard let column = tableState.sortColumn else { return data.rows }
        let rows = data.rows.enumerated().map { i, row in
            TableRow(
                id: String(i),
                cells: row.cells.map { cell -> TableValue in
                    switch cell {
                    case .text(let t): return .text(t, nil)
                    case .number(let v): return .number(v)
                    case .series(let s): return .series(s)
                    }
                })
        }
        return Table.sorted(rows: rows, by: column, descending: tableState.sortDescending).compactMap {
            Int($0.id).map { data.rows[$0] }
        }
    }

    /// The selected row's key labels (`["node": "node-03"]`), or nil when the table has no rows.
    public static func selectedLabels(panel index: Int, dashboard: Dashboard, data: PanelData?, state: ViewState)
        -> [String: String]?
    {
        guard dashboard.panels.indices.contains(index), let table = data?.table, !table.rows.isEmpty else { return nil }
        let panel = dashboard.panels[index]
        let tableState = state.tableState(index, dashboard)
        let rows = displayedRows(table, panel: panel, tableState: tableState)
        let row = rows[min(max(0, tableState.selected), rows.count - 1)]
        var labels: [String: String] = [:]
        for (name, value) in zip(panel.rowKey, row.key) { labels[name] = value }
        return labels
    }
}
