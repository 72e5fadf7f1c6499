import KubeglassCore

/// A dashboard: panels on Grafana's 24-column grid, a time range and a refresh interval.
public struct Dashboard: Sendable, Hashable {
    public var title: String
    /// Short name used on the command line and in `dashboards list` (the file's stem).
    public var name: String
    public var refresh: Int64?
    public var timeRange: Int64
    public var panels: [Panel]
    /// Where it was loaded from (nil for built-ins).
    public var file: String?

    public init(title: String, name: String, refresh: Int64? = nil, timeRange: Int64 = 3_600_000, panels: [Panel], file: String? = nil) {
        self.title = title
        self.name = name
        self.refresh = refresh
        self.timeRange = timeRange
        self.panels = panels
        self.file = file
    }
}

/// A panel's place on the grid: 24 columns wide, `h` in grid rows (one grid row ≈ one terminal row).
public struct GridPos: Sendable, Hashable {
    public var x: Int, y: Int, w: Int, h: Int
    public init(x: Int, y: Int, w: Int, h: Int) {
        self.x = x; self.y = y; self.w = w; self.h = h
    }
}

public struct Panel: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case timeseries, stat, gauge, table, text
    }

    public var title: String
    public var kind: Kind
    public var gridPos: GridPos
    public var unit: DisplayUnit
    public var min: Double?
    public var max: Double?
    public var decimals: Int?
    public var targets: [Target]
    public var thresholds: [ThresholdStep]
    /// Table panels: the label(s) that identify a row, and the columns.
    public var rowKey: [String]
    public var columns: [Column]
    public var sortColumn: Int?
    public var sortDescending: Bool
    /// Stat panels: draw a sparkline of the first target under the value.
    public var sparkline: Bool
    /// Text panels: the text.
    public var text: String?

    public init(title: String, kind: Kind, gridPos: GridPos, unit: DisplayUnit = .short, min: Double? = nil, max: Double? = nil,
                decimals: Int? = nil, targets: [Target] = [], thresholds: [ThresholdStep] = [], rowKey: [String] = [],
                columns: [Column] = [], sortColumn: Int? = nil, sortDescending: Bool = true, sparkline: Bool = false, text: String? = nil) {
        self.title = title
        self.kind = kind
        self.gridPos = gridPos
        self.unit = unit
        self.min = min
        self.max = max
        self.decimals = decimals
        self.targets = targets
        self.thresholds = thresholds
        self.rowKey = rowKey
        self.columns = columns
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
        self.sparkline = sparkline
        self.text = text
    }
}

/// One query of a panel, in the local PromQL dialect (or the datasource's language).
public struct Target: Sendable, Hashable {
    public var expr: String
    /// Series name: Grafana's legendFormat, with `{{label}}` placeholders.
    public var legend: String?
    public init(expr: String, legend: String? = nil) {
        self.expr = expr
        self.legend = legend
    }
}

/// A table column: a label of the row key, a label of a query's series, a value, or a sparkline.
public struct Column: Sendable, Hashable {
    public enum Kind: String, Sendable { case label, value, sparkline }
    public var title: String
    public var kind: Kind
    public var expr: String?
    public var label: String?
    public var unit: DisplayUnit
    public var width: Int?
    public init(title: String, kind: Kind, expr: String? = nil, label: String? = nil, unit: DisplayUnit = .short, width: Int? = nil) {
        self.title = title
        self.kind = kind
        self.expr = expr
        self.label = label
        self.unit = unit
        self.width = width
    }
}

/// From `value` upward, the value is drawn in `color` (a theme colour name: ok, warning, critical, or any colour).
public struct ThresholdStep: Sendable, Hashable {
    public var value: Double?
    public var color: String
    public init(value: Double?, color: String) {
        self.value = value
        self.color = color
    }
}

extension Array where Element == ThresholdStep {
    /// The colour name for a value: the last step whose value is at or below it (Grafana's rule).
    public func color(for value: Double) -> String? {
        var chosen: String?
        for step in self where step.value == nil || value >= step.value! { chosen = step.color }
        return chosen
    }
}
