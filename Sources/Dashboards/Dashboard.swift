import KubeglassCore
import Query

/// A dashboard: panels on Grafana's 24-column grid, a time range and a refresh interval.
public struct Dashboard: Sendable, Hashable {
    public var title: String
    /// Short name used on the command line and in `dashboards list` (the file's stem).
    public var name: String
    public var refresh: Milliseconds?
    public var timeRange: Milliseconds
    public var panels: [Panel]
    /// Template variables (`$node`, `$namespace`), in the order they are resolved: a later one may use an earlier one.
    public var variables: [Variable]
    /// The datasource of panels that name none (nil: whatever source kubeglass was started with).
    public var datasource: Datasource?
    /// Where it was loaded from (nil for built-ins).
    public var file: String?

    public init(
        title: String, name: String, refresh: Milliseconds? = nil, timeRange: Milliseconds = Milliseconds.hour,
        panels: [Panel],
        variables: [Variable] = [], datasource: Datasource? = nil, file: String? = nil
    ) {
        self.title = title
        self.name = name
        self.refresh = refresh
        self.timeRange = timeRange
        self.panels = panels
        self.variables = variables
        self.datasource = datasource
        self.file = file
    }
}

/// A panel's place on the grid: 24 columns wide, `h` in grid rows (one grid row ≈ one terminal row).
public struct GridPos: Sendable, Hashable {
    public var x: Int, y: Int, w: Int, h: Int
    public init(x: Int, y: Int, w: Int, h: Int) {
        self.x = x
        self.y = y
        self.w = w
        self.h = h
    }
}

public struct Panel: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case timeseries, stat, gauge, bargauge, table, text, events
        /// A row per histogram bucket (`le`) or per series, time on x, cells shaded by value.
        case heatmap
        /// Each series' share of the whole, drawn as labelled bars with percentages.
        case piechart
        /// An upright bar per series at its current value.
        case barchart
        /// A Grafana row: a title bar that folds the panels under it (`collapsed`, `children`).
        case row
        /// A panel kubeglass cannot draw (an imported plugin type); `text` says why.
        case unsupported
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
    /// Text panels: the text. Unsupported panels: why it cannot be drawn.
    public var text: String?
    /// nil: the dashboard's datasource.
    public var datasource: Datasource?
    /// Timeseries: stack the series on each other.
    public var stack: Bool
    /// Timeseries: how the legend looks.
    public var legend: LegendOptions
    /// Timeseries: at most this many series, the rest summed as "others" (nil: a default from the panel size).
    public var maxSeries: Int?
    /// Timeseries: draw the thresholds as lines.
    public var thresholdLines: Bool
    /// Tables: Enter on a row opens this dashboard with variables set from the row's labels.
    public var drilldown: Drilldown?
    /// Rows: folded, with the panels it holds in `children` (expanded rows hold none: their panels follow them).
    public var collapsed: Bool
    public var children: [Panel]
    /// What the panel's series need that not every source gives (`--source summary`): shown after the title,
    /// as `(needs --source summary)`, only while the panel has no data.
    public var needs: String? = nil

    public init(
        title: String, kind: Kind, gridPos: GridPos, unit: DisplayUnit = .short, min: Double? = nil, max: Double? = nil,
        decimals: Int? = nil, targets: [Target] = [], thresholds: [ThresholdStep] = [], rowKey: [String] = [],
        columns: [Column] = [], sortColumn: Int? = nil, sortDescending: Bool = true, sparkline: Bool = false,
        text: String? = nil,
        datasource: Datasource? = nil, stack: Bool = false, legend: LegendOptions = LegendOptions(),
        maxSeries: Int? = nil,
        thresholdLines: Bool = false, drilldown: Drilldown? = nil, collapsed: Bool = false, children: [Panel] = []
    ) {
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
        self.datasource = datasource
        self.stack = stack
        self.legend = legend
        self.maxSeries = maxSeries
        self.thresholdLines = thresholdLines
        self.drilldown = drilldown
        self.collapsed = collapsed
        self.children = children
    }
}

/// A chart's legend: which values it shows per series, and in what order the series come.
public struct LegendOptions: Sendable, Hashable {
    public enum Value: String, Sendable, Hashable, CaseIterable { case last, min, max, avg, total }
    public var show: Bool
    /// As a table with a column per value (when the panel is wide enough), like Grafana's "Table" legend mode.
    public var table: Bool
    public var values: [Value]
    /// Sort series by this value (nil: query order); also picks the top N when there are too many.
    public var sortBy: Value?
    public var sortDescending: Bool
    public init(
        show: Bool = true, table: Bool = false, values: [Value] = [.last, .max], sortBy: Value? = nil,
        sortDescending: Bool = true
    ) {
        self.show = show
        self.table = table
        self.values = values
        self.sortBy = sortBy
        self.sortDescending = sortDescending
    }
}

/// Where Enter on a table row leads: another dashboard, with some of its variables set from the row.
/// Where Enter on a stat leads: a table of what it counts (`table`), e.g. the pods that are not running.
public struct Drilldown: Sendable, Hashable {
    /// The target dashboard's name (`node`, `pod`); empty for a stat's table.
    public var dashboard: String
    /// Variable name → the row's label whose value it takes (`node: node`).
    public var variables: [String: String]
    /// A stat's details: one table panel, opened on its own (an array only because a panel cannot hold one).
    public var table: [Panel]
    public init(dashboard: String, variables: [String: String], table: [Panel] = []) {
        self.dashboard = dashboard
        self.variables = variables
        self.table = table
    }
}
/// One query of a panel, in the local PromQL dialect (or the datasource's language).
public struct Target: Sendable, Hashable {
    public var expr: String
    /// Series name: Grafana's legendFormat, with `{{label}}` placeholders.
    public var legend: String?
    /// An instant query even in a chart (Grafana's `instant: true`).
    public var instant: Bool
    /// InfluxDB targets made in Grafana's query builder (`rawQuery` false): the target's JSON, from which the
    /// InfluxQL is built when `expr` is empty.
    public var influxBuilder: String?
    public init(expr: String, legend: String? = nil, instant: Bool = false, influxBuilder: String? = nil) {
        self.expr = expr
        self.legend = legend
        self.instant = instant
        self.influxBuilder = influxBuilder
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
    /// Value columns: the cell's colour by its value, as Grafana's table overrides (no step at or below a value:
    /// the row's own colour).
    public var thresholds: [ThresholdStep]
    public init(
        title: String, kind: Kind, expr: String? = nil, label: String? = nil, unit: DisplayUnit = .short,
        width: Int? = nil, thresholds: [ThresholdStep] = []
    ) {
        self.title = title
        self.kind = kind
        self.expr = expr
        self.label = label
        self.unit = unit
        self.width = width
        self.thresholds = thresholds
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

extension QueryBackend {
    /// The query a target runs: its text, or the one built from Grafana's query builder.
    public func queryText(for target: Target) throws -> String {
        if target.expr.isEmpty, let builder = target.influxBuilder { return try builderQuery(builder) }
        return target.expr
    }
}
