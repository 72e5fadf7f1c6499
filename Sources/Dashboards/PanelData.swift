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
    /// The order `rows` are in, when the evaluator sorted them (nil: the order the queries gave).
    public var order: TableOrder?
    public init(rows: [Row], order: TableOrder? = nil) {
        self.rows = rows
        self.order = order
    }
    public struct Row: Sendable, Hashable {
        public var key: [String]
        public var cells: [Cell]
        /// Only the value and label cells are filled: the row lay outside the rows the view asked for,
        /// so its sparklines were not evaluated (an empty series stands in).
        public var partial: Bool
        public init(key: [String], cells: [Cell], partial: Bool = false) {
            self.key = key
            self.cells = cells
            self.partial = partial
        }

        /// Whether the row holds `text` in its key or a text cell (case-insensitive; see TextFilter).
        public func matches(_ text: String) -> Bool { matches(TextFilter(text)) }

        public func matches(_ filter: TextFilter) -> Bool {
            guard !filter.text.isEmpty else { return true }
            if key.contains(where: filter.matches) { return true }
            return cells.contains { cell in
                if case .text(let t) = cell { return filter.matches(t) }
                return false
            }
        }
    }
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Double?)
        case series([Double?])

        /// How the cell sorts: numbers, text, and a sparkline by its last finite value.
        public var sortKey: SortKey {
            switch self {
            case .text(let t): return .text(t)
            case .number(let v): return SortKey(number: v)
            case .series(let values): return SortKey(number: values.last { $0?.isFinite == true } ?? nil)
            }
        }
    }

    /// Sorts the rows and notes the order; ties (and, without an order, all rows) go by their key.
    public mutating func sort(_ wanted: TableOrder?) {
        guard let wanted else {
            rows.sort { TableData.keyPrecedes($0.key, $1.key) }
            return
        }
        guard wanted != order else { return }
        let keys = rows.map { $0.cells.indices.contains(wanted.column) ? $0.cells[wanted.column].sortKey : .missing }
        // A column of numbers (the usual sort: CPU, memory) sorts as plain doubles, NaN for missing.
        var numbers: [Double] = []
        numbers.reserveCapacity(keys.count)
        for key in keys {
            switch key {
            case .number(let v): numbers.append(v)
            case .missing: numbers.append(.nan)
            case .text: break
            }
        }
        if numbers.count == keys.count {
            let descending = wanted.descending
            let order = rows.indices.sorted { a, b in
                let (x, y) = (numbers[a], numbers[b])
                // Missing values last in both directions; ties, missing ones too, by key.
                if x.isNaN != y.isNaN { return y.isNaN }
                if !x.isNaN && x != y { return descending ? x > y : x < y }
                return TableData.keyPrecedes(rows[a].key, rows[b].key)
            }
            rows = order.map { rows[$0] }
            self.order = wanted
            return
        }
        let order = rows.indices.sorted { a, b in
            switch (keys[a], keys[b]) {
            case (.missing, .missing): break
            case (.missing, _): return false
            case (_, .missing): return true
            default:
                let c = SortKey.compare(keys[a], keys[b])
                if c != 0 { return wanted.descending ? c > 0 : c < 0 }
            }
            return TableData.keyPrecedes(rows[a].key, rows[b].key)
        }
        rows = order.map { rows[$0] }
        self.order = wanted
    }

    /// Row keys in label order: each label's value in turn, by bytes.
    static func keyPrecedes(_ a: [String], _ b: [String]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x < y }
        return a.count < b.count
    }

    /// The indices of the rows matching `filter`, in `order` (sorted here unless the rows already are).
    public func displayed(order wanted: TableOrder?, filter: String) -> [Int] {
        var indices: [Int]
        if let wanted, wanted != order {
            let keys = rows.map {
                $0.cells.indices.contains(wanted.column) ? $0.cells[wanted.column].sortKey : .missing
            }
            indices = SortKey.order(keys, descending: wanted.descending)
        } else {
            indices = Array(rows.indices)
        }
        if !filter.isEmpty {
            let filter = TextFilter(filter)
            indices.removeAll { !rows[$0].matches(filter) }
        }
        return indices
    }
}

/// A table's sort: a column and its direction.
public struct TableOrder: Sendable, Hashable {
    public var column: Int
    public var descending: Bool
    public init(column: Int, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}

/// What a table's view needs: its order, its search, and which of the rows so ordered and filtered it
/// shows (with a margin). Every row gets its value and label cells; only these get their sparklines, so
/// a table over 150,000 pods evaluates 60 sparklines, not 150,000.
public struct TableRequest: Sendable, Hashable {
    public var order: TableOrder?
    public var filter: String
    public var rows: Range<Int>
    public init(order: TableOrder?, filter: String = "", rows: Range<Int>) {
        self.order = order
        self.filter = filter
        self.rows = rows
    }

    /// The rows a view of `visible` rows needs around the selected one (or the top), with a page of margin
    /// on each side and 20 more, so that moving a few rows never finds a row unfilled.
    public static func around(selected: Int?, visible: Int, order: TableOrder?, filter: String) -> TableRequest {
        let page = max(1, visible)
        let s = max(0, selected ?? 0)
        return TableRequest(order: order, filter: filter, rows: max(0, s - 2 * page - 20)..<(s + 2 * page + 20))
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
