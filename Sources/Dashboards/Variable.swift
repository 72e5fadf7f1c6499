import Foundation
import Query

/// A dashboard's template variable: `$node` in queries and titles, chosen in the picker (`v`).
public struct Variable: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Values from the datasource: `label_values(metric, label)` (PromQL), or an InfluxQL `SHOW TAG VALUES`.
        case query
        /// A fixed comma-separated list in `query`.
        case custom
        /// Durations (`1m,5m,1h`); `auto` picks one from the time range.
        case interval
        /// One hidden value.
        case constant
        /// Free text typed by the person.
        case textbox
    }

    public var name: String
    /// What the picker shows (nil: the name).
    public var label: String?
    public var kind: Kind
    /// The query (kind query), the comma-separated values (custom, interval), or the value (constant, textbox default).
    public var query: String
    /// Keep only values matching this regex (Grafana's `regex`, without the slashes); a capture group picks the part kept.
    public var regex: String?
    public var multi: Bool
    public var includeAll: Bool
    /// What "All" expands to (nil: every value, joined like a multi-value selection).
    public var allValue: String?
    /// The selection: values, or ["$__all"] for All. Empty: the first value once values are known.
    public var current: [String]
    /// Not shown in the picker (constants and Grafana's `hide: 2`).
    public var hidden: Bool
    /// nil: the dashboard's datasource.
    public var datasource: Datasource?
    /// kubeglass' own namespace filter (Dashboard+NamespaceFilter.swift): it narrows the rows of tables keyed by
    /// its name instead of being written into queries, and is never saved to a file.
    public var filtersRows: Bool

    public static let all = "$__all"

    public init(
        name: String, label: String? = nil, kind: Kind, query: String = "", regex: String? = nil, multi: Bool = false,
        includeAll: Bool = false, allValue: String? = nil, current: [String] = [], hidden: Bool = false,
        datasource: Datasource? = nil, filtersRows: Bool = false
    ) {
        self.name = name
        self.label = label
        self.kind = kind
        self.query = query
        self.regex = regex
        self.multi = multi
        self.includeAll = includeAll
        self.allValue = allValue
        self.current = current
        self.hidden = hidden
        self.datasource = datasource
        self.filtersRows = filtersRows
    }

    /// The fixed values of custom, interval and constant variables (query variables ask the datasource).
    public var staticOptions: [String] {
        switch kind {
        case .custom, .interval:
            return query.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .constant, .textbox:
            return [query]
        case .query:
            return []
        }
    }
}
