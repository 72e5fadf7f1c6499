import KubeglassCore
import Query

/// Runs a panel's queries on the local PromQL engine and shapes the results for drawing.
public struct PanelEvaluator: Sendable {
    public let engine: PromQLEngine
    /// The finest step worth asking for: the poll interval.
    public let minimumStep: Int64
    public static let sparklinePoints = 24

    public init(engine: PromQLEngine, minimumStep: Int64) {
        self.engine = engine
        self.minimumStep = max(1000, minimumStep)
    }

    /// A step giving about `points` points over `range`, a whole multiple of the minimum step
    /// (so that refreshes land on the same grid and charts do not jitter).
    public func step(range: Int64, points: Int) -> Int64 {
        let raw = range / Int64(max(1, points))
        return max(minimumStep, (raw + minimumStep - 1) / minimumStep * minimumStep)
    }

    /// Evaluates `panel` for the window ending at `now`; `points` is how many x positions the panel can draw.
    public func evaluate(_ panel: Panel, now: Timestamp, range: Int64, points: Int) -> PanelData {
        var data = PanelData()
        switch panel.kind {
        case .timeseries:
            for target in panel.targets {
                runRange(target, now: now, range: range, step: step(range: range, points: points), into: &data)
            }
        case .stat, .gauge:
            guard let target = panel.targets.first else { break }
            if panel.sparkline {
                runRange(target, now: now, range: range, step: step(range: range, points: max(points, 2)), into: &data)
            }
            runInstant(target, now: now, into: &data, replaceSeries: !panel.sparkline)
        case .table:
            data.table = evaluateTable(panel, now: now, range: range, into: &data)
        case .text:
            break
        }
        return data
    }

    private func runRange(_ target: Target, now: Timestamp, range: Int64, step: Int64, into data: inout PanelData) {
        // The next step boundary, not the last one: otherwise a fresh source (no history) shows an empty
        // chart until a whole step has passed. Evaluating just ahead of now takes the newest samples.
        let end = (now + step - 1) / step * step
        let start = end - (range / step) * step
        do {
            let value = try engine.rangeQuery(target.expr, start: start, end: end, step: step)
            let series = PanelEvaluator.series(from: value, legend: target.legend, expr: target.expr, start: start, end: end, step: step)
            data.series += series
            data.queries.append(QueryRecord(query: target.expr, start: start, end: end, step: step, series: series))
        } catch {
            data.error = data.error ?? "\(error)"
            data.queries.append(QueryRecord(query: target.expr, start: start, end: end, step: step, series: []))
        }
    }

    /// Stats show the value now; with a sparkline the range query already named the series.
    private func runInstant(_ target: Target, now: Timestamp, into data: inout PanelData, replaceSeries: Bool) {
        do {
            let samples = try PanelEvaluator.vector(engine.instantQuery(target.expr, at: now))
            let series = samples.map {
                PanelSeries(name: PanelEvaluator.name(target.legend, $0.labels, expr: target.expr), labels: $0.labels,
                            points: [Point(time: $0.time, value: $0.value)])
            }
            data.queries.append(QueryRecord(query: target.expr, start: now, end: now, step: nil, series: series))
            if replaceSeries || data.series.isEmpty {
                data.series = series
            } else if let first = samples.first {
                // Keep the sparkline's history but end it on the exact current value.
                data.series[0].points.append(Point(time: first.time, value: first.value))
            }
        } catch {
            data.error = data.error ?? "\(error)"
        }
    }

    private func evaluateTable(_ panel: Panel, now: Timestamp, range: Int64, into data: inout PanelData) -> TableData {
        var rowOrder: [[String]] = []
        var seen = Set<[String]>()
        var columnValues: [[[String]: TableData.Cell]] = Array(repeating: [:], count: panel.columns.count)
        func key(_ labels: Labels) -> [String] { panel.rowKey.map { labels[$0] ?? "" } }
        func note(_ k: [String]) { if seen.insert(k).inserted { rowOrder.append(k) } }

        let sparkStep = step(range: range, points: PanelEvaluator.sparklinePoints)
        for (c, column) in panel.columns.enumerated() {
            guard let expr = column.expr else { continue }
            do {
                switch column.kind {
                case .sparkline:
                    let end = now / sparkStep * sparkStep
                    let start = end - (range / sparkStep) * sparkStep
                    let value = try engine.rangeQuery(expr, start: start, end: end, step: sparkStep)
                    for s in PanelEvaluator.series(from: value, legend: nil, expr: expr, start: start, end: end, step: sparkStep) {
                        columnValues[c][key(s.labels)] = .series(s.points.map(\.value))
                    }
                case .value, .label:
                    for sample in try PanelEvaluator.vector(engine.instantQuery(expr, at: now)) {
                        let k = key(sample.labels)
                        note(k)
                        columnValues[c][k] = column.kind == .label
                            ? .text(sample.labels[column.label ?? ""] ?? "") : .number(sample.value)
                    }
                }
            } catch {
                data.error = data.error ?? "\(column.title): \(error)"
            }
        }
        let rows = rowOrder.map { k in
            TableData.Row(key: k, cells: panel.columns.enumerated().map { c, column in
                if let v = columnValues[c][k] { return v }
                if column.kind == .label, column.expr == nil, let i = panel.rowKey.firstIndex(of: column.label ?? "") { return .text(k[i]) }
                switch column.kind {
                case .label: return .text("")
                case .value: return .number(nil)
                case .sparkline: return .series([])
                }
            })
        }
        return TableData(rows: rows)
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
        case .matrix: throw ShapeError(description: "expected an instant vector, got a range vector (drop the [range] or wrap it in a function)")
        case .string: throw ShapeError(description: "expected a number, got a string")
        }
    }

    /// Range results laid on the step grid, with nil where a series has no point.
    static func series(from value: QueryValue, legend: String?, expr: String, start: Timestamp, end: Timestamp, step: Int64) -> [PanelSeries] {
        let matrix: [Series]
        switch value {
        case .matrix(let m): matrix = m
        case .vector(let v): matrix = v.map { Series(labels: $0.labels, samples: [Sample(time: $0.time, value: $0.value)]) }
        case .scalar(let t, let v): matrix = [Series(labels: Labels(), samples: [Sample(time: t, value: v)])]
        case .string: matrix = []
        }
        let count = Int((end - start) / step) + 1
        return matrix.map { s in
            var points = (0..<count).map { Point(time: start + Int64($0) * step, value: nil) }
            for sample in s.samples {
                let i = Int((sample.time - start) / step)
                if i >= 0, i < count, !sample.isStaleMarker { points[i].value = sample.value }
            }
            return PanelSeries(name: name(legend, s.labels, expr: expr), labels: s.labels, points: points)
        }
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
            guard let close = rest[open.upperBound...].range(of: "}}") else { out += rest[open.lowerBound...]; return out }
            let label = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += labels[label] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
