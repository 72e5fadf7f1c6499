import KubeglassCore
import Store

/// Evaluates PromQL over a `SeriesStore`, with Prometheus' semantics: a 5-minute lookback for
/// instant selectors, windows `(t - range, t]`, range queries evaluated at start, start + step, … ≤ end.
public struct PromQLEngine: Sendable {
    public let store: SeriesStore
    /// How far back an instant selector looks for a sample, in milliseconds.
    public let lookbackDelta: Milliseconds
    /// Resolution of subqueries written without a step (`x[1h:]`), in milliseconds.
    public var defaultSubqueryStep: Milliseconds = Milliseconds.minute
    /// Prometheus' limit on points per series in a range query.
    public static let maxPointsPerSeries = 11_000

    public init(store: SeriesStore, lookbackDelta: Milliseconds = 5 * Milliseconds.minute) {
        self.store = store
        self.lookbackDelta = lookbackDelta
    }

    /// `ordered: false` leaves the series in no particular order (see `Evaluator.ordered`), unless the query
    /// ranks them (`topk`, `sort`…): for a caller that orders them itself.
    public func instantQuery(_ query: String, at time: Timestamp, ordered: Bool = true) throws(QueryError)
        -> QueryValue
    {
        try instantQuery(try PromQL.parse(query), at: time, ordered: ordered)
    }

    public func instantQuery(_ expr: Expr, at time: Timestamp, ordered: Bool = true) throws(QueryError) -> QueryValue {
        let ordered = ordered || Self.ranks(expr)
        let reads = ordered && !Self.aggregated(expr)
        if case .vectorSelector(let vs) = expr, vs.offset == 0, vs.at == nil {
            return .vector(newest(vs, at: time, ordered: reads))
        }
        switch try evaluator(steps: [time], start: time, end: time, ordered: reads).eval(expr) {
        case .scalar(let v): return .scalar(time, v[0])
        case .string(let s): return .string(time, s)
        case .matrix(let series): return .matrix(ordered ? series.sorted { $0.labels < $1.labels } : series)
        case .vector(let series):
            var samples: [VectorSample] = []
            samples.reserveCapacity(series.count)
            for s in series where s.present[0] {
                samples.append(VectorSample(labels: s.labels, time: time, value: s.values[0]))
            }
            return .vector(Self.keepsOrder(expr) || !ordered ? samples : samples.sorted { $0.labels < $1.labels })
        }
    }

    /// `level`: the rollup level to read, when this is a part of a longer query (see `level(start:end:step:)`).
    public func rangeQuery(
        _ query: String, start: Timestamp, end: Timestamp, step: Int64, ordered: Bool = true, level: Int? = nil
    ) throws(QueryError) -> QueryValue {
        try rangeQuery(try PromQL.parse(query), start: start, end: end, step: step, ordered: ordered, level: level)
    }

    /// The rollup level a range query over `start…end` reads (0: raw samples): set by the whole window, so a
    /// cache that evaluates only its newest steps must ask for them at this level.
    public func level(start: Timestamp, end: Timestamp, step: Int64) -> Int {
        end - start >= step && step > 0 ? Evaluator.level(store, start: start, step: step) : 0
    }

    public func rangeQuery(
        _ expr: Expr, start: Timestamp, end: Timestamp, step: Int64, ordered: Bool = true, level: Int? = nil
    ) throws(QueryError) -> QueryValue {
        let ordered = ordered || Self.ranks(expr)
        let reads = ordered && !Self.aggregated(expr)
        guard step > 0 else {
            throw QueryError(
                execution: "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard end >= start else { throw QueryError(execution: "end timestamp must not be before start time") }
        guard (end - start) / step < Int64(Self.maxPointsPerSeries) else {
            throw QueryError(
                execution:
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
            )
        }
        guard expr.type == .scalar || expr.type == .vector else {
            throw QueryError(
                execution:
                    "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
            )
        }
        let steps = Array(stride(from: start, through: end, by: Int(step)))
        var evaluator = evaluator(steps: steps, start: start, end: end, ordered: reads)
        evaluator.forcedLevel = level
        switch try evaluator.eval(expr) {
        case .scalar(let v):
            return .matrix([
                Series(labels: Labels(), samples: steps.indices.map { Sample(time: steps[$0], value: v[$0]) })
            ])
        case .vector(let series):
            let out = series.map { s in
                Series(
                    labels: s.labels,
                    samples: steps.indices.filter { s.present[$0] }.map { Sample(time: steps[$0], value: s.values[$0]) }
                )
            }.filter { !$0.samples.isEmpty }
            return .matrix(ordered ? out.sorted { $0.labels < $1.labels } : out)
        default:
            throw QueryError(
                execution:
                    "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
            )
        }
    }

    private func evaluator(steps: [Timestamp], start: Timestamp, end: Timestamp, ordered: Bool = true) -> Evaluator {
        var e = Evaluator(store: store, lookback: lookbackDelta, steps: steps, queryStart: start, queryEnd: end)
        e.defaultSubqueryStep = defaultSubqueryStep
        e.ordered = ordered
        return e
    }

    /// A bare selector's instant answer, read straight into samples (a table's column over 150,000 pods):
    /// what `Evaluator.selectVector` gives at one step, without its per-series arrays.
    private func newest(_ vs: VectorSelector, at time: Timestamp, ordered: Bool) -> [VectorSample] {
        var e = evaluator(steps: [time], start: time, end: time, ordered: ordered)
        e.ordered = ordered
        let level = e.level
        let lookback = max(lookbackDelta, store.widestBucket(from: time, level: level) * 3 / 2)
        var out: [VectorSample] = []
        if !ordered && lookback == lookbackDelta {
            if let name = vs.matchers.first(where: { $0.name == Labels.metricName && $0.kind == .equal })?.value {
                out.reserveCapacity(store.seriesCount(metric: name))
            }
            // Within the raw samples, in any order: each series' newest sample, read in place.
            store.newest(vs.matchers, at: time, lookback: lookback) { labels, sample in
                out.append(VectorSample(labels: labels, time: time, value: sample.value))
            }
            return out
        }
        store.scan(
            vs.matchers, from: time - lookback + 1, to: time, reading: .average, level: level, ordered: ordered,
            newestOnly: true
        ) {
            labels, samples in
            guard let last = samples.last, !last.isStaleMarker else { return }
            out.append(VectorSample(labels: labels, time: time, value: last.value))
        }
        return out
    }

    /// Whether every series of the answer comes out of an aggregation that does not rank (`sum(rate(x[5m]))`,
    /// `100 * sum(a) / sum(b)`): its inputs may then be read in any order (as Prometheus reads them for
    /// aggregations), and only its few groups are sorted, not the 150,000 series it sums.
    static func aggregated(_ expr: Expr) -> Bool {
        switch expr {
        case .number, .string: return true
        case .vectorSelector, .matrixSelector, .subquery: return false
        case .paren(let e), .unary(_, let e): return aggregated(e)
        case .binary(let b): return aggregated(b.lhs) && aggregated(b.rhs)
        case .call(let c):
            return ["scalar", "vector", "time"].contains(c.function.name) ? c.args.allSatisfy(aggregated) : false
        case .aggregate(let a): return a.op != .topk && a.op != .bottomk && !ranks(a.expr)
        }
    }

    /// Whether the answer depends on the order series are read in: ranking (`topk`, `bottomk`, `sort`)
    /// breaks ties by it.
    static func ranks(_ expr: Expr) -> Bool {
        switch expr {
        case .number, .string, .vectorSelector, .matrixSelector: return false
        case .subquery(let sq): return ranks(sq.expr)
        case .paren(let e), .unary(_, let e): return ranks(e)
        case .binary(let b): return ranks(b.lhs) || ranks(b.rhs)
        case .call(let c):
            return c.function.name == "sort" || c.function.name == "sort_desc" || c.args.contains(where: ranks)
        case .aggregate(let a):
            return a.op == .topk || a.op == .bottomk || ranks(a.expr) || (a.param.map(ranks) ?? false)
        }
    }

    /// Whether an instant query's result keeps the order the expression gave it (sort, topk), as in Prometheus.
    private static func keepsOrder(_ expr: Expr) -> Bool {
        switch expr {
        case .paren(let e): return keepsOrder(e)
        case .call(let c): return c.function.name == "sort" || c.function.name == "sort_desc"
        case .aggregate(let a): return a.op == .topk || a.op == .bottomk
        default: return false
        }
    }
}
