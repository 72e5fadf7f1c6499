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

    public func instantQuery(_ query: String, at time: Timestamp) throws(QueryError) -> QueryValue {
        try instantQuery(try PromQL.parse(query), at: time)
    }

    public func instantQuery(_ expr: Expr, at time: Timestamp) throws(QueryError) -> QueryValue {
        switch try evaluator(steps: [time], start: time, end: time).eval(expr) {
        case .scalar(let v): return .scalar(time, v[0])
        case .string(let s): return .string(time, s)
        case .matrix(let series): return .matrix(series.sorted { $0.labels < $1.labels })
        case .vector(let series):
            let samples = series.filter { $0.present[0] }.map {
                VectorSample(labels: $0.labels, time: time, value: $0.values[0])
            }
            return .vector(Self.keepsOrder(expr) ? samples : samples.sorted { $0.labels < $1.labels })
        }
    }

    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64) throws(QueryError)
        -> QueryValue
    {
        try rangeQuery(try PromQL.parse(query), start: start, end: end, step: step)
    }

    public func rangeQuery(_ expr: Expr, start: Timestamp, end: Timestamp, step: Int64) throws(QueryError) -> QueryValue
    {
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
        switch try evaluator(steps: steps, start: start, end: end).eval(expr) {
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
            return .matrix(out.sorted { $0.labels < $1.labels })
        default:
            throw QueryError(
                execution:
                    "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
            )
        }
    }

    private func evaluator(steps: [Timestamp], start: Timestamp, end: Timestamp) -> Evaluator {
        var e = Evaluator(store: store, lookback: lookbackDelta, steps: steps, queryStart: start, queryEnd: end)
        e.defaultSubqueryStep = defaultSubqueryStep
        return e
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
