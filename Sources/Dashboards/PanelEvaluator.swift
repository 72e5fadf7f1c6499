import KubeglassCore
import Query

/// Runs a panel's queries on its datasource's backend and shapes the results for drawing.
public struct PanelEvaluator: Sendable {
    /// The backend of each datasource kubeglass was started with.
    public let backends: [Datasource: any QueryBackend]
    /// The datasource of panels and dashboards that name none.
    public let defaultDatasource: Datasource
    public static let sparklinePoints = 24
    /// Tables with fewer rows than this read each column whole, not restricted to the rows in view: a
    /// restricted query is a new query whenever the rows in view change (every refresh, for a table sorted
    /// by usage), parsed and evaluated over the whole range again, while the whole column's query stays the
    /// same and its caches answer it (a few hundred rows cost less than a parse).
    public var restrictRowsFrom = 2_000

    public init(backends: [any QueryBackend], defaultDatasource: Datasource = .local) {
        var map: [Datasource: any QueryBackend] = [:]
        for b in backends where map[b.datasource] == nil { map[b.datasource] = b }
        self.backends = map
        self.defaultDatasource = defaultDatasource
    }

    /// Only the local engine.
    public init(engine: PromQLEngine, minimumStep: Int64) {
        self.init(backends: [LocalBackend(engine: engine, minimumStep: minimumStep)])
    }

    /// The backend that answers `panel` on `dashboard`, or why there is none. PromQL panels fall back to the
    /// local engine when no Prometheus was given: the store may hold the same series (`--scrape`, `--replay`).
    public func backend(for panel: Panel, on dashboard: Dashboard?) -> Result<any QueryBackend, QueryBackendError> {
        let wanted = panel.datasource ?? dashboard?.datasource ?? defaultDatasource
        if let b = backends[wanted] { return .success(b) }
        if wanted == .prometheus, let local = backends[.local] { return .success(local) }
        if wanted == .local, let prom = backends[.prometheus], backends[.local] == nil { return .success(prom) }
        switch wanted {
        case .influxdb:
            return .failure(
                QueryBackendError(message: "this panel queries InfluxDB: start kubeglass with --influxdb URL"))
        case .prometheus:
            return .failure(
                QueryBackendError(message: "this panel queries Prometheus: start kubeglass with --prometheus URL"))
        case .local:
            return .failure(
                QueryBackendError(message: "this panel queries kubeglass' own store, which this source does not fill"))
        }
    }

    /// A step giving about `points` points over `range`, a whole multiple of the minimum step
    /// (so that refreshes land on the same grid and charts do not jitter), never over 11,000 points.
    public static func step(range: Int64, points: Int, minimumStep: Int64) -> Int64 {
        let minimumStep = max(1, minimumStep)
        let raw = max(range / Int64(max(1, points)), (range + 10_999) / 11_000)
        return max(minimumStep, (raw + minimumStep - 1) / minimumStep * minimumStep)
    }

    /// Evaluates `panel` for the window of `range` ending at `now`; `points` is how many x positions the panel can draw.
    /// A table fills the rows `table` asks for (all of them when nil).
    public func evaluate(
        _ panel: Panel, dashboard: Dashboard? = nil, variables: VariableValues = VariableValues(),
        now: Timestamp, range: Int64, points: Int, table: TableRequest? = nil
    ) async -> PanelData {
        var data = PanelData()
        let backend: any QueryBackend
        switch self.backend(for: panel, on: dashboard) {
        case .success(let b): backend = b
        case .failure(let e):
            if [.timeseries, .stat, .gauge, .bargauge, .table, .heatmap, .piechart, .barchart].contains(panel.kind) {
                data.error = e.message
            }
            return data
        }
        var run = Run(
            backend: backend, variables: variables, now: now, range: range, restrictRowsFrom: restrictRowsFrom)
        run.rowFilter = dashboard?.rowFilter(for: panel, values: variables)
        switch panel.kind {
        case .timeseries, .heatmap:
            let step = run.step(points: points)
            for target in panel.targets {
                if target.instant {
                    await run.instant(target, into: &data, replaceSeries: false)
                } else {
                    await run.range(target, step: step, into: &data)
                }
            }
        case .stat, .gauge, .bargauge, .piechart, .barchart:
            if panel.kind == .stat, panel.sparkline, let target = panel.targets.first {
                await run.range(target, step: run.step(points: max(points, 2)), into: &data)
                await run.instant(target, into: &data, replaceSeries: false)
            } else {
                // Bar gauges show one bar per series of every target; stats and gauges the first target's.
                let everyTarget = [.bargauge, .piechart, .barchart].contains(panel.kind)
                for target in everyTarget ? panel.targets : Array(panel.targets.prefix(1)) {
                    await run.instant(target, into: &data, replaceSeries: false)
                }
            }
        case .table:
            data.table = await run.table(panel, request: table, into: &data)
        case .text, .events, .row, .unsupported:
            break
        }
        return data
    }

    /// One panel's queries against one backend, for one window.
    struct Run {
        let backend: any QueryBackend
        let variables: VariableValues
        let now: Timestamp
        let range: Int64
        /// See `PanelEvaluator.restrictRowsFrom`.
        let restrictRowsFrom: Int
        /// The namespace filter's choice, for a table keyed by namespace: its queries keep those rows only.
        var rowFilter: [String: Set<String>]? = nil

        /// A table query with the variables expanded, narrowed by the namespace filter (where it can be).
        func prepared(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) -> String {
            let query = backend.prepare(expr, start: start, end: end, step: step, variables: variables)
            guard let rowFilter else { return query }
            return backend.restrict(query, to: rowFilter) ?? query
        }

        func step(points: Int) -> Int64 {
            PanelEvaluator.step(range: range, points: points, minimumStep: backend.minimumStep)
        }

        func window(step: Int64) -> (start: Timestamp, end: Timestamp) {
            // The next step boundary, not the last one: otherwise a fresh source (no history) shows an empty
            // chart until a whole step has passed. Evaluating just ahead of now takes the newest samples.
            let end = (now + step - 1) / step * step
            return (end - (range / step) * step, end)
        }

        func range(_ target: Target, step: Int64, into data: inout PanelData) async {
            // A query not typed yet (the `:` panel as it opens) has nothing to say, not an error.
            guard target.influxBuilder != nil || !target.expr.allSatisfy(\.isWhitespace) else { return }
            let (start, end) = window(step: step)
            let text: String
            do { text = try backend.queryText(for: target) } catch {
                data.error = data.error ?? "\(error)"
                return
            }
            let query = backend.prepare(text, start: start, end: end, step: step, variables: variables)
            do {
                let value = try await backend.rangeQuery(query, start: start, end: end, step: step)
                let series = PanelEvaluator.series(
                    from: value, legend: variables.expand(target.legend ?? "", format: .text),
                    expr: query, start: start, end: end, step: step)
                data.series += series
                data.queries.append(
                    QueryRecord(
                        datasource: backend.datasource, query: query, start: start, end: end, step: step, series: series
                    ))
            } catch {
                data.error = data.error ?? "\(error)"
                data.queries.append(
                    QueryRecord(
                        datasource: backend.datasource, query: query, start: start, end: end, step: step, series: []))
            }
        }

        /// Stats show the value now; with a sparkline the range query already named the series.
        func instant(_ target: Target, into data: inout PanelData, replaceSeries: Bool) async {
            let text: String
            do { text = try backend.queryText(for: target) } catch {
                data.error = data.error ?? "\(error)"
                return
            }
            let query = backend.prepare(
                text, start: now - range, end: now, step: backend.minimumStep, variables: variables)
            do {
                let samples = try PanelEvaluator.vector(await backend.instantQuery(query, at: now))
                let expanded = variables.expand(target.legend ?? "", format: .text)
                let legend =
                    samples.count > 1 && !samples.contains { PanelEvaluator.legendNamesALabel(expanded, of: $0.labels) }
                    ? "" : expanded
                let series = samples.map {
                    PanelSeries(
                        name: PanelEvaluator.name(legend, $0.labels, expr: query), labels: $0.labels,
                        points: [Point(time: $0.time, value: $0.value)])
                }
                data.queries.append(
                    QueryRecord(
                        datasource: backend.datasource, query: query, start: now, end: now, step: nil, series: series))
                let hasSparkline =
                    data.queries.count > 1 && data.queries[data.queries.count - 2].step != nil && !data.series.isEmpty
                if replaceSeries || !hasSparkline {
                    data.series += series
                } else if let first = samples.first {
                    // Keep the sparkline's history but end it on the exact current value.
                    data.series[0].points.append(Point(time: first.time, value: first.value))
                }
            } catch {
                data.error = data.error ?? "\(error)"
            }
        }

        /// A table: every value and label column over all rows, then (for a `request`) the rows in its
        /// order, and the sparklines of only the rows it shows. Without a request every row is filled.
        /// A request ordered by a value column, with no search, is answered from that column alone as far
        /// as its window reaches (`window`): the other columns are evaluated for the rows shown only.
        func table(_ panel: Panel, request: TableRequest?, into data: inout PanelData) async -> TableData {
            var sorted: (column: Int, value: QueryValue)? = nil
            if let request {
                switch await window(panel, request: request, into: &data) {
                case .table(let table): return table
                case .whole(let answer): sorted = answer
                }
            }
            var rowOrder: [RowKey] = []
            var rowIndex: [RowKey: Int] = [:]
            // Row-major, a row's cells one after another: one array for 150,000 rows, not one each.
            var cells: [TableData.Cell?] = []
            let width = panel.columns.count
            func row(_ k: RowKey) -> Int {
                if let i = rowIndex[k] { return i }
                rowIndex[k] = rowOrder.count
                rowOrder.append(k)
                cells.append(contentsOf: repeatElement(nil, count: width))
                return rowOrder.count - 1
            }
            let rowKey = panel.rowKey
            for (c, column) in panel.columns.enumerated() where column.kind != .sparkline {
                guard let expr = column.expr else { continue }
                do {
                    let value: QueryValue
                    if let sorted, sorted.column == c {
                        value = sorted.value
                    } else {
                        let query = prepared(expr, start: now - range, end: now, step: backend.minimumStep)
                        value = try await backend.instantQuery(query, at: now, ordered: request == nil)
                    }
                    if rowIndex.isEmpty, case .vector(let v) = value {
                        rowIndex.reserveCapacity(v.count)
                        rowOrder.reserveCapacity(v.count)
                        cells.reserveCapacity(v.count * width)
                    }
                    try PanelEvaluator.forEachInstant(value) { labels, v in
                        cells[row(RowKey(labels, rowKey)) * width + c] =
                            column.kind == .label ? .text(labels[column.label ?? ""] ?? "") : .number(v)
                    }
                } catch {
                    data.error = data.error ?? "\(column.title): \(error)"
                }
            }
            rowIndex = [:]
            let rows = rowOrder.indices.map { i in
                let key = rowOrder[i].values
                return TableData.Row(
                    key: key,
                    cells: panel.columns.indices.map { c in cells[i * width + c] ?? panel.emptyCell(c, key: key) })
            }
            cells = []
            var table = TableData(rows: rows)
            // Read in storage order (for a request), the rows are put in order here: by the asked column, ties
            // and all rows of an unsorted table by key.
            if let request { table.sort(request.order) }
            // Only the sparklines of the rows the view shows: their keys restrict the range queries.
            var wanted: [Int]? = nil
            if let request, panel.columns.contains(where: { $0.kind == .sparkline }) {
                let shown = table.displayed(order: request.order, filter: request.filter)
                let window = request.rows.clamped(to: 0..<shown.count)
                if window.count < table.rows.count { wanted = Array(shown[window]) }
            }
            await sparklines(panel, rows: &table.rows, wanted: wanted, of: table.rows.count, into: &data)
            return table
        }

        enum Window {
            /// The rows asked for are filled; the others are placeholders (partial).
            case table(TableData)
            /// The whole table must be evaluated; the sort column's answer, when it was had, comes along.
            case whole((column: Int, value: QueryValue)?)
        }

        /// The rows `request` shows, found from its sort column alone: that column is evaluated for every
        /// row, but only the rows up to the window's end are keyed and sorted (the others are counted), and
        /// the other columns are evaluated for the window's rows only, restricted to their keys. The rows
        /// past the window's end are partial placeholders: a view that scrolls to them asks again.
        ///
        /// The whole table is evaluated instead when there is a search (it must read every row's text), when
        /// the window reaches the rows the sort column has no number for (they come last, in key order,
        /// with any rows that only the other columns have), or when the sort column gives one key twice
        /// (then a row's number is not one sample's).
        func window(_ panel: Panel, request: TableRequest, into data: inout PanelData) async -> Window {
            guard request.filter.isEmpty, let order = request.order, panel.columns.indices.contains(order.column),
                panel.columns[order.column].kind == .value, let expr = panel.columns[order.column].expr
            else { return .whole(nil) }
            let value: QueryValue
            do {
                let query = prepared(expr, start: now - range, end: now, step: backend.minimumStep)
                value = try await backend.instantQuery(query, at: now, ordered: false)
            } catch {
                return .whole(nil) // the whole table's evaluation says why
            }
            guard case .vector(let samples) = value else { return .whole((order.column, value)) }
            // One row per sample, or the whole table (where a key's samples make one row between them).
            var hashes = PanelEvaluator.keyHashes(samples, panel.rowKey)
            hashes.sort()
            for i in hashes.indices.dropFirst() where hashes[i] == hashes[i - 1] {
                return .whole((order.column, value))
            }
            hashes = []
            let descending = order.descending
            let end = request.rows.upperBound
            guard end > 0 else { return .whole((order.column, value)) }
            // The window's last row's number: every row up to it is at least as far up.
            let (boundary, numbers) = PanelEvaluator.boundary(of: samples, rank: end, descending: descending)
            guard end < numbers else { return .whole((order.column, value)) }
            var top: [(key: RowKey, value: Double)] = []
            for s in samples where !s.value.isNaN && (descending ? s.value >= boundary : s.value <= boundary) {
                top.append((RowKey(s.labels, panel.rowKey), s.value))
            }
            var keys = Set<RowKey>(minimumCapacity: top.count)
            for t in top where !keys.insert(t.key).inserted { return .whole((order.column, value)) }
            keys = []
            top.sort { a, b in
                if a.value != b.value { return descending ? a.value > b.value : a.value < b.value }
                return a.key < b.key
            }
            top.removeSubrange(end...)
            let window = request.rows.clamped(to: 0..<end)
            var rows = top.indices.map { i in
                let key = top[i].key.values
                var cells = panel.columns.indices.map { panel.emptyCell($0, key: key) }
                cells[order.column] = .number(top[i].value)
                return TableData.Row(key: key, cells: cells, partial: !window.contains(i))
            }
            // The other columns, for the window's rows.
            var restriction: [String: Set<String>] = [:]
            var indexOfKey: [RowKey: Int] = [:]
            for i in window {
                indexOfKey[top[i].key] = i
                for (n, label) in panel.rowKey.enumerated() { restriction[label, default: []].insert(rows[i].key[n]) }
            }
            for (c, column) in panel.columns.enumerated() where column.kind != .sparkline && c != order.column {
                guard let expr = column.expr else { continue }
                do {
                    var query = prepared(expr, start: now - range, end: now, step: backend.minimumStep)
                    if samples.count >= restrictRowsFrom {
                        query = backend.restrict(query, to: restriction) ?? query
                    }
                    try PanelEvaluator.forEachInstant(try await backend.instantQuery(query, at: now, ordered: false)) {
                        labels, v in
                        guard let i = indexOfKey[RowKey(labels, panel.rowKey)] else { return }
                        rows[i].cells[c] = column.kind == .label ? .text(labels[column.label ?? ""] ?? "") : .number(v)
                    }
                } catch {
                    data.error = data.error ?? "\(column.title): \(error)"
                }
            }
            await sparklines(panel, rows: &rows, wanted: Array(window), of: samples.count, into: &data)
            // The rows below the window: as many as the sort column has, drawn blank until asked for.
            let blank = TableData.Row(
                key: [], cells: panel.columns.indices.map { panel.emptyCell($0, key: []) }, partial: true)
            rows.append(contentsOf: repeatElement(blank, count: samples.count - rows.count))
            return .table(TableData(rows: rows, order: order))
        }

        /// Fills the sparkline columns of `rows` (of those at `wanted` only, when given; the others are
        /// marked partial), each with one range query restricted to the wanted rows' keys where it can be, when
        /// the table has `total` rows, at least `restrictRowsFrom`.
        func sparklines(
            _ panel: Panel, rows: inout [TableData.Row], wanted: [Int]?, of total: Int, into data: inout PanelData
        ) async {
            let columns = panel.columns.indices.filter { panel.columns[$0].kind == .sparkline }
            guard !columns.isEmpty else { return }
            var restriction: [String: Set<String>]? = nil
            if let wanted {
                var values: [String: Set<String>] = [:]
                for i in wanted {
                    for (n, label) in panel.rowKey.enumerated() { values[label, default: []].insert(rows[i].key[n]) }
                }
                restriction = values
                let keep = Set(wanted)
                for i in rows.indices where !keep.contains(i) { rows[i].partial = true }
            }
            var indexOfKey: [RowKey: Int] = [:]
            indexOfKey.reserveCapacity(wanted?.count ?? rows.count)
            for i in wanted ?? Array(rows.indices) { indexOfKey[RowKey(values: rows[i].key)] = i }
            let sparkStep = step(points: PanelEvaluator.sparklinePoints)
            let end = now / sparkStep * sparkStep
            let start = end - (range / sparkStep) * sparkStep
            for c in columns {
                guard let expr = panel.columns[c].expr else { continue }
                do {
                    var query = prepared(expr, start: start, end: end, step: sparkStep)
                    if let restriction {
                        // Nothing to show: no query. A query that cannot be restricted runs whole.
                        if restriction.values.contains(where: \.isEmpty) { continue }
                        if total >= restrictRowsFrom {
                            query = backend.restrict(query, to: restriction) ?? query
                        }
                    }
                    let value = try await backend.rangeQuery(
                        query, start: start, end: end, step: sparkStep, ordered: false)
                    for s in PanelEvaluator.series(
                        from: value, legend: nil, expr: query, start: start, end: end, step: sparkStep, named: false)
                    {
                        if let i = indexOfKey[RowKey(s.labels, panel.rowKey)] {
                            rows[i].cells[c] = .series(s.points.map(\.value))
                        }
                    }
                } catch {
                    data.error = data.error ?? "\(panel.columns[c].title): \(error)"
                }
            }
        }
    }

    /// The `rank`-th number from the top (the largest first when `descending`) among the samples' values
    /// that are numbers, found with a heap of the best `rank` seen so far; and how many are numbers.
    static func boundary(of samples: [VectorSample], rank: Int, descending: Bool) -> (value: Double, numbers: Int) {
        var heap = BoundedHeap<Double>(capacity: rank, by: descending ? (>) : (<))
        var numbers = 0
        for s in samples where !s.value.isNaN {
            numbers += 1
            heap.offer(s.value)
        }
        return (heap.worst ?? .nan, numbers)
    }

    /// Each sample's hash of its values of `names` (a table row's key), computed on every core at once:
    /// 150,000 label sets read apart in memory.
    static func keyHashes(_ samples: [VectorSample], _ names: [String]) -> [Int] {
        var hashes = [Int](repeating: 0, count: samples.count)
        let parts = min(8, max(1, samples.count / 10_000))
        hashes.withUnsafeMutableBufferPointer { hashes in
            let out = hashes
            let chunk = (samples.count + parts - 1) / parts
            concurrently(parts) { part in
                for i in part * chunk..<min(samples.count, (part + 1) * chunk) {
                    var h = Hasher()
                    for name in names { h.combine(samples[i].labels[name] ?? "") }
                    out[i] = h.finalize()
                }
            }
        }
        return hashes
    }

    /// A table row's key: its values of the row-key labels. One or two labels (a node; a namespace and
    /// a pod) are held without an array, so that keying 150,000 rows allocates nothing.
    struct RowKey: Hashable {
        var first = ""
        var second = ""
        var more: [String] = []
        var count: Int

        init(_ labels: Labels, _ names: [String]) {
            count = names.count
            if names.count > 0 { first = labels[names[0]] ?? "" }
            if names.count > 1 { second = labels[names[1]] ?? "" }
            if names.count > 2 { more = names.dropFirst(2).map { labels[$0] ?? "" } }
        }

        init(values: [String]) {
            count = values.count
            if values.count > 0 { first = values[0] }
            if values.count > 1 { second = values[1] }
            if values.count > 2 { more = Array(values.dropFirst(2)) }
        }

        var values: [String] { Array([first, second].prefix(count)) + more }

        /// Label order, as `TableData.keyPrecedes` orders the keys' values.
        static func < (a: RowKey, b: RowKey) -> Bool {
            if a.first != b.first { return a.first < b.first }
            if a.second != b.second { return a.second < b.second }
            return TableData.keyPrecedes(a.more, b.more)
        }
    }

    /// Each sample of an instant query's answer (a scalar is one sample without labels).
    static func forEachInstant(_ value: QueryValue, _ body: (Labels, Double) -> Void) throws {
        switch value {
        case .vector(let v): for s in v { body(s.labels, s.value) }
        case .scalar(_, let v): body(Labels(), v)
        default: _ = try vector(value)
        }
    }

    struct InstantValue {
        var labels: Labels
        var time: Timestamp
        var value: Double
    }

    struct ShapeError: Error, CustomStringConvertible {
        let description: String
    }

    static func vector(_ value: QueryValue) throws -> [InstantValue] {
        switch value {
        case .vector(let v): return v.map { InstantValue(labels: $0.labels, time: $0.time, value: $0.value) }
        case .scalar(let t, let v): return [InstantValue(labels: Labels(), time: t, value: v)]
        case .matrix:
            throw ShapeError(
                description:
                    "expected an instant vector, got a range vector (drop the [range] or wrap it in a function)")
        case .string: throw ShapeError(description: "expected a number, got a string")
        }
    }

    /// Range results laid on the step grid, with nil where a series has no point.
    static func series(
        from value: QueryValue, legend: String?, expr: String, start: Timestamp, end: Timestamp, step: Int64,
        named: Bool = true
    ) -> [PanelSeries] {
        let matrix: [Series]
        switch value {
        case .matrix(let m): matrix = m
        case .vector(let v):
            matrix = v.map { Series(labels: $0.labels, samples: [Sample(time: $0.time, value: $0.value)]) }
        case .scalar(let t, let v): matrix = [Series(labels: Labels(), samples: [Sample(time: t, value: v)])]
        case .string: matrix = []
        }
        let count = Int((end - start) / step) + 1
        // A legend that names no label of these series (`usage`, after the query became `sum by (node)`) would
        // give them all one name: they are named by their labels instead, as with no legend.
        let legend = matrix.count > 1 && !matrix.contains { legendNamesALabel(legend, of: $0.labels) } ? nil : legend
        return matrix.map { s in
            var points = (0..<count).map { Point(time: start + Int64($0) * step, value: nil) }
            for sample in s.samples {
                let i = Int((sample.time - start) / step)
                if i >= 0, i < count, !sample.isStaleMarker { points[i].value = sample.value }
            }
            return PanelSeries(name: named ? name(legend, s.labels, expr: expr) : "", labels: s.labels, points: points)
        }
    }

    /// Whether `legend` has a `{{label}}` that `labels` has (always true for no legend).
    static func legendNamesALabel(_ legend: String?, of labels: Labels) -> Bool {
        guard let legend, !legend.isEmpty else { return true }
        var rest = Substring(legend)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let label = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if labels[label] != nil { return true }
            rest = rest[close.upperBound...]
        }
        return false
    }

    /// Grafana's legendFormat: `{{label}}` replaced by the series' label value.
    public static func name(_ legend: String?, _ labels: Labels, expr: String) -> String {
        guard let legend, !legend.isEmpty else {
            return labels.isEmpty ? expr : labels.description
        }
        var out = ""
        var rest = Substring(legend)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let label = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += labels[label] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

extension Panel {
    /// What a table cell shows with no value: a label column without a query shows the row key's label.
    func emptyCell(_ column: Int, key: [String]) -> TableData.Cell {
        let c = columns[column]
        if c.kind == .label, c.expr == nil, let k = rowKey.firstIndex(of: c.label ?? ""), key.indices.contains(k) {
            return .text(key[k])
        }
        switch c.kind {
        case .label: return .text("")
        case .value: return .number(nil)
        case .sparkline: return .series([])
        }
    }
}
