import KubeglassCore
import Query

/// What a panel shows after its queries ran: series for charts and stats, rows for tables,
/// or the error that stopped it.
public struct PanelData: Sendable {
    public var series: [PanelSeries] = []
    public var table: TableData?
    /// Events panels: the events to list, newest first (see `PanelData.events(from:matching:)`).
    public var events: [ClusterEvent] = []
    public var error: String?
    /// What was asked of the engine, for `kubeglass once --format json`.
    public var queries: [QueryRecord] = []

    public init() {}

    var hasData: Bool { !series.isEmpty || !(table?.rows.isEmpty ?? true) }

    /// A failed evaluation keeps the panel's last good series and rows, with the error shown over them
    /// (a dead server leaves its panels readable, marked with what went wrong).
    public func keepingLastData(over old: PanelData?) -> PanelData {
        guard let error, !hasData, let old, old.hasData else { return self }
        var kept = old
        kept.error = "\(error) (showing the last data)"
        return kept
    }

    /// What a selection moves over: a table's rows, or an events panel's events.
    public var rowCount: Int { table?.rows.count ?? events.count }
}

public struct PanelSeries: Sendable, Hashable {
    public var name: String
    public var labels: Labels
    /// One point per step of the range; nil where the series had no value.
    public var points: [Point]
    public init(name: String, labels: Labels, points: [Point]) {
        self.name = name
        self.labels = labels
        self.points = points
    }
    public var lastValue: Double? { points.last(where: { $0.value != nil })?.value ?? nil }
}

public struct Point: Sendable, Hashable {
    public var time: Timestamp
    public var value: Double?
    public init(time: Timestamp, value: Double?) {
        self.time = time
        self.value = value
    }
}

public struct TableData: Sendable {
    public var rows: [Row]
    public init(rows: [Row]) { self.rows = rows }
    public struct Row: Sendable, Hashable {
        public var key: [String]
        public var cells: [Cell]
        public init(key: [String], cells: [Cell]) {
            self.key = key
            self.cells = cells
        }
    }
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Double?)
        case series([Double?])
    }
}

/// One query as it was sent: the text after variables were expanded, and its time window.
public struct QueryRecord: Sendable {
    public var datasource: Datasource = .local
    public var query: String
    public var start: Timestamp
    public var end: Timestamp
    public var step: Int64?
    public var series: [PanelSeries]
}
