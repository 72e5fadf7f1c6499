import DashboardUI
import Dashboards

/// A table's selection follows the selected row's key, not its row number, across refreshes and re-sorts (as in
/// k9s), so that Enter opens the item that was picked.
extension AppState {
    /// After a key in table `panel`: a moved selection (or a search typed, which selects its first match)
    /// remembers the row now selected; a new sort, or a search cleared, finds the remembered row again.
    mutating func keepSelection(in panel: Int, before: ViewState.TableState, searchBefore: String?) {
        guard dashboard.panels.indices.contains(panel), dashboard.panels[panel].kind == .table else { return }
        let now = view.tableState(panel, dashboard)
        let search = view.search(panel)?.text ?? ""
        if now.selected != before.selected || (search != (searchBefore ?? "") && !search.isEmpty) {
            var t = now
            t.selectedKey = nil
            view.tables[panel] = t
            _ = followSelection(in: panel)
        } else if now.order != before.order || search != (searchBefore ?? "") {
            _ = followSelection(in: panel)
        }
    }

    /// Puts table `panel`'s selection on its remembered row's key, wherever that row is now. When the key is gone
    /// (or none is remembered yet), the selection keeps its row number, clamped, and remembers the row there.
    /// Tables never moved in (no state yet) are left alone. True when the selected row number changed.
    mutating func followSelection(in panel: Int) -> Bool {
        guard var t = view.tables[panel], let table = data[panel]?.table else { return false }
        let shown = table.displayed(order: t.order, filter: view.search(panel)?.text ?? "")
        guard !shown.isEmpty else { return false }
        var index = min(max(0, t.selected), shown.count - 1)
        if let key = t.selectedKey, let found = shown.firstIndex(where: { table.rows[$0].key == key }) {
            index = found
        } else if !table.rows[shown[index]].key.isEmpty {
            // A row not evaluated yet has no key: the old one is kept until it has.
            t.selectedKey = table.rows[shown[index]].key
        }
        let moved = index != t.selected
        t.selected = index
        view.tables[panel] = t
        return moved
    }
}
