import Foundation
import Query

/// A namespace filter wherever pods are listed, as k9s has `:ns`: a dashboard whose tables list pods by namespace
/// but has no `$namespace` variable gets one of kubeglass' own, picked with `v` like any variable. Its choice
/// narrows those tables' rows (their queries are restricted to the namespaces chosen); it is never saved.
extension Dashboard {
    public static let namespaceFilterName = "namespace"

    /// The first table whose rows are keyed by namespace (pods, usually), with a query to list its namespaces.
    var podTable: (panel: Panel, expr: String)? {
        for panel in panels where panel.kind == .table && panel.rowKey.contains(Dashboard.namespaceFilterName) {
            if let expr = panel.columns.first(where: { $0.kind == .value && $0.expr != nil })?.expr {
                return (panel, expr)
            }
        }
        return nil
    }

    /// What lists the filter's namespaces: the namespaces of every series of the first metric the pod table
    /// reads (its column may keep only some pods, as "pods not running" does; the filter offers them all),
    /// or, when no metric is named, of the column's answer. A selector by name is read from each series'
    /// newest sample: a poll's listing costs a number per pod, not an evaluation.
    public static func namespaceQuery(_ expr: String) -> String {
        // Variables stand in for durations (`[$__rate_interval]`) or inside quotes: either way, not a name.
        let parsable = expr.replacingOccurrences(
            of: #"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"#, with: "1m", options: .regularExpression)
        let source = (try? PromQL.parse(parsable))?.metricNames.first ?? expr
        return "label_values(\(source), \(Dashboard.namespaceFilterName))"
    }

    /// This dashboard with the namespace filter when it lists pods by namespace and has no `$namespace` of its own.
    public func withNamespaceFilter() -> Dashboard {
        guard let (_, expr) = podTable, !variables.contains(where: { $0.name == Dashboard.namespaceFilterName }) else {
            return self
        }
        var d = self
        d.variables.append(
            Variable(
                name: Dashboard.namespaceFilterName, label: "Namespace (filters the pods)", kind: .query,
                query: Dashboard.namespaceQuery(expr), multi: true, includeAll: true,
                allValue: ".*", current: [Variable.all], filtersRows: true))
        return d
    }

    /// This dashboard as its file has it: without the namespace filter.
    public func withoutNamespaceFilter() -> Dashboard {
        var d = self
        d.variables.removeAll { $0.filtersRows }
        return d
    }

    /// What the namespace filter narrows table `panel` to (label → values kept); nil when it keeps every row.
    public func rowFilter(for panel: Panel, values: VariableValues) -> [String: Set<String>]? {
        guard panel.kind == .table,
            let filter = variables.first(where: { $0.filtersRows && panel.rowKey.contains($0.name) }),
            let chosen = values.values[filter.name], !chosen.isEmpty, !chosen.contains(".*")
        else { return nil }
        return [filter.name: Set(chosen)]
    }
}
