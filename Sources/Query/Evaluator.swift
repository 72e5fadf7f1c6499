import KubeglassCore
import Store

/// A series evaluated at every step of a query: its labels, and its value at the steps where it has one.
struct StepSeries {
    var labels: Labels
    var values: [Double]
    var present: [Bool]

    init(labels: Labels, count: Int) {
        self.labels = labels
        values = Array(repeating: 0, count: count)
        present = Array(repeating: false, count: count)
    }

    init(labels: Labels, values: [Double], present: [Bool]) {
        self.labels = labels
        self.values = values
        self.present = present
    }

    var isEmpty: Bool { !present.contains(true) }

    mutating func set(_ i: Int, _ value: Double) {
        values[i] = value
        present[i] = true
    }
}

/// What an expression evaluates to over all steps.
enum Value {
    case scalar([Double])
    case string(String)
    case vector([StepSeries])
    /// Raw samples; only ever the result of a whole instant query (`foo[5m]`).
    case matrix([Series])
}

/// Evaluates an expression at every step at once, as Prometheus does: each selector reads the
/// store once for the whole query, and label sets are hashed once per series, not once per step.
struct Evaluator {
    let store: SeriesStore
    let lookback: Int64
    /// Evaluation times: start, start + step, … ≤ end.
    let steps: [Timestamp]
    /// The query's own start and end, for `@ start()` and `@ end()`.
    let queryStart: Timestamp
    let queryEnd: Timestamp
    /// Resolution of subqueries written without a step, as Prometheus' default evaluation interval.
    var defaultSubqueryStep: Milliseconds = Milliseconds.minute
    /// Whether selectors read series in label order (Prometheus' storage order, which tie-breaks and error
    /// texts follow); a caller that orders the answer itself (a table) saves sorting every series.
    var ordered = true

    var count: Int { steps.count }

    /// The rollup tier the query reads: raw samples (0) while its range lies within the raw samples' (so
    /// an hour's chart is exact, as Prometheus answers it); beyond, the coarsest tier no wider than its step.
    /// A part of a longer query (the newest steps of a cached range) reads at the whole query's level, so that
    /// its points are the ones the whole would give.
    var level: Int {
        if let forcedLevel { return forcedLevel }
        guard steps.count > 1, let first = steps.first else { return 0 }
        return Evaluator.level(store, start: first, step: steps[1] - steps[0])
    }
    var forcedLevel: Int?

    /// The level of a query of more than one step from `start` at `step`.
    static func level(_ store: SeriesStore, start: Timestamp, step: Int64) -> Int {
        store.widestBucket(from: start, level: 0) > 0 ? store.level(forStep: step) : 0
    }

    func eval(_ expr: Expr) throws(QueryError) -> Value {
        switch expr {
        case .number(let n): return .scalar(Array(repeating: n, count: count))
        case .string(let s): return .string(s)
        case .paren(let e): return try eval(e)
        case .vectorSelector(let vs): return .vector(selectVector(vs, times: false).series)
        case .matrixSelector(let vs, let range):
            let input = rangeInput(vs, range: range)
            return .matrix(input.windowed(at: 0))
        case .subquery(let sq):
            let input = try rangeInput(sq)
            return .matrix(input.windowed(at: 0))
        case .unary(let op, let e):
            let value = try eval(e)
            guard op == .minus else { return value }
            switch value {
            case .scalar(let v): return .scalar(v.map { -$0 })
            case .vector(let series):
                return .vector(
                    try merged(
                        series.map { s in
                            StepSeries(
                                labels: s.labels.droppingName(), values: s.values.map { -$0 }, present: s.present)
                        }))
            default: return value
            }
        case .binary(let b): return try evalBinary(b)
        case .call(let c): return try evalCall(c)
        case .aggregate(let a): return try evalAggregate(a)
        }
    }

    func evalVector(_ expr: Expr) throws(QueryError) -> [StepSeries] {
        guard case .vector(let v) = try eval(expr) else { throw QueryError(execution: "expected an instant vector") }
        return v
    }

    func evalScalar(_ expr: Expr) throws(QueryError) -> [Double] {
        guard case .scalar(let v) = try eval(expr) else { throw QueryError(execution: "expected a scalar") }
        return v
    }

    func evalString(_ expr: Expr) throws(QueryError) -> String {
        guard case .string(let s) = try eval(expr) else { throw QueryError(execution: "expected a string") }
        return s
    }

    // MARK: Selectors

    /// The time a selector looks at for each step: the step (or its `@` time) minus the offset.
    func selectorTimes(offset: Int64, at: AtModifier?) -> [Timestamp] {
        switch at {
        case .time(let t): return Array(repeating: t - offset, count: count)
        case .start: return Array(repeating: queryStart - offset, count: count)
        case .end: return Array(repeating: queryEnd - offset, count: count)
        case nil: return steps.map { $0 - offset }
        }
    }

    /// An instant vector selector at every step: each series' newest sample in (t - lookback, t].
    /// Also returns each value's sample time, for `timestamp()`.
    ///
    /// Where the store answers from rollups, each bucket reads as its mean, and the lookback is at least
    /// one and a half buckets, so that every step finds one.
    /// Sample times are kept only when asked for (`times`): an array per series that only `timestamp()` reads.
    func selectVector(_ vs: VectorSelector, times keepTimes: Bool = true) -> (
        series: [StepSeries], sampleTimes: [[Timestamp]]
    ) {
        let times = selectorTimes(offset: vs.offset, at: vs.at)
        guard let first = times.first, let last = times.last else { return ([], []) }
        var out: [StepSeries] = []
        var outTimes: [[Timestamp]] = []
        let level = level
        let lookback = max(lookback, store.widestBucket(from: first, level: level) * 3 / 2)
        // Each step wants its newest sample: none older than the newest at or before the first step.
        store.scan(
            vs.matchers, from: first - lookback + 1, to: last, reading: .average, level: level, ordered: ordered,
            newestOnly: count == 1, seek: first
        ) {
            labels, samples in
            if count == 1 && !keepTimes {
                // An instant query: the newest sample at or before the time, if recent and not a marker.
                guard let newest = samples.last(where: { $0.time <= times[0] }),
                    newest.time > times[0] - lookback, !newest.isStaleMarker
                else { return }
                out.append(StepSeries(labels: labels, values: [newest.value], present: [true]))
                return
            }
            var series = StepSeries(labels: labels, count: count)
            var sampleTimes = keepTimes ? Array(repeating: Timestamp(0), count: count) : []
            var p = 0 // first sample after the current time
            for i in 0..<count {
                let t = times[i]
                while p < samples.count && samples[p].time <= t { p += 1 }
                // A staleness marker ends the series at once, as in Prometheus.
                if p > 0 && samples[p - 1].time > t - lookback && !samples[p - 1].isStaleMarker {
                    series.set(i, samples[p - 1].value)
                    if keepTimes { sampleTimes[i] = samples[p - 1].time }
                }
            }
            if !series.isEmpty {
                out.append(series)
                if keepTimes { outTimes.append(sampleTimes) }
            }
        }
        return (out, outTimes)
    }

    func rangeInput(_ vs: VectorSelector, range: Int64) -> RangeInput {
        let ends = selectorTimes(offset: vs.offset, at: vs.at)
        guard let first = ends.first, let last = ends.last else {
            return RangeInput(series: [], ends: [], range: range)
        }
        var series = store.select(vs.matchers, from: first - range + 1, to: last, ordered: ordered)
        for i in series.indices where series[i].samples.contains(where: \.isStaleMarker) {
            series[i].samples.removeAll(where: \.isStaleMarker)
        }
        return RangeInput(series: series, ends: ends, range: range)
    }

    /// A range selector's series, read from the store one at a time (staleness markers removed:
    /// range functions never see them), for range functions over many series.
    ///
    /// Where the store answers from rollups, each bucket reads as the aggregate `reading` names, and a
    /// window narrower than two buckets is widened to two, so that `rate` has two samples to compare.
    ///
    /// `heldRuns`: the function reads only what changed in a window (`Evaluator.heldRunFunctions`): at a single
    /// step, a series that held its value through the window is read as its newest two samples.
    func rangeSeries(_ vs: VectorSelector, range: Int64, reading: RollupReading = .last, heldRuns: Bool = false)
        -> RangeSeries
    {
        let ends = selectorTimes(offset: vs.offset, at: vs.at)
        guard let first = ends.first, let last = ends.last else { return RangeSeries(ends: [], range: range) { _ in } }
        let store = self.store
        let level = level
        let ordered = ordered
        let bucket = store.widestBucket(from: first, level: level)
        let range = max(range, 2 * bucket)
        return RangeSeries(ends: ends, range: range, bucketWidth: bucket) { body in
            store.scan(
                vs.matchers, from: first - range + 1, to: last, reading: reading, level: level, ordered: ordered,
                heldRuns: heldRuns && ends.count == 1
            ) {
                labels, samples in
                if samples.contains(where: \.isStaleMarker) {
                    body(labels, samples.filter { !$0.isStaleMarker })
                } else {
                    body(labels, samples)
                }
            }
        }
    }

    /// A subquery: the inner expression evaluated at steps aligned to the subquery's step,
    /// covering every outer window.
    func rangeInput(_ sq: Subquery) throws(QueryError) -> RangeInput {
        let ends = selectorTimes(offset: sq.offset, at: sq.at)
        guard let first = ends.first, let last = ends.last else {
            return RangeInput(series: [], ends: [], range: sq.range)
        }
        let step = max(1, sq.step ?? defaultSubqueryStep)
        let earliest = first - sq.range
        var innerStart = floorDiv(earliest, step) * step
        if innerStart <= earliest { innerStart += step } // windows exclude their start
        let stepCount = last < innerStart ? 0 : (last - innerStart) / step + 1
        guard stepCount <= 110_000 else {
            throw QueryError(
                execution:
                    "subquery \(Expr.subquery(sq)) needs \(stepCount) steps, more than 110000; use a larger subquery step"
            )
        }
        let innerSteps = (0..<stepCount).map { innerStart + $0 * step }
        var inner = Evaluator(
            store: store, lookback: lookback, steps: innerSteps, queryStart: queryStart, queryEnd: queryEnd)
        inner.defaultSubqueryStep = defaultSubqueryStep
        var series: [Series] = []
        switch try inner.eval(sq.expr) {
        case .vector(let v):
            for s in v {
                var samples: [Sample] = []
                for i in innerSteps.indices where s.present[i] {
                    samples.append(Sample(time: innerSteps[i], value: s.values[i]))
                }
                series.append(Series(labels: s.labels, samples: samples))
            }
        case .scalar(let v):
            series.append(
                Series(labels: Labels(), samples: innerSteps.indices.map { Sample(time: innerSteps[$0], value: v[$0]) })
            )
        default:
            throw QueryError(execution: "subquery is only allowed on instant vector")
        }
        return RangeInput(series: series, ends: ends, range: sq.range)
    }

    // MARK: Merging

    /// Joins series that now share a label set (after a name was dropped, say), refusing two values
    /// for one label set at one step as Prometheus does.
    func merged(_ series: [StepSeries], anyOverlap: Bool = false) throws(QueryError) -> [StepSeries] {
        var index: [Labels: Int] = [:]
        index.reserveCapacity(series.count)
        var out: [StepSeries] = []
        out.reserveCapacity(series.count)
        for s in series {
            if let j = index[s.labels] {
                if anyOverlap { throw QueryError(execution: "vector cannot contain metrics with the same labelset") }
                for i in 0..<count where s.present[i] {
                    if out[j].present[i] {
                        throw QueryError(execution: "vector cannot contain metrics with the same labelset")
                    }
                    out[j].set(i, s.values[i])
                }
            } else {
                index[s.labels] = out.count
                out.append(s)
            }
        }
        return out
    }
}

/// The input of a range function: raw series and, per step, the end of the window (end - range, end].
struct RangeInput {
    var series: [Series]
    var ends: [Timestamp]
    var range: Int64

    /// The raw samples in the window of one step, for an instant query of `foo[5m]`.
    func windowed(at step: Int) -> [Series] {
        guard step < ends.count else { return [] }
        let end = ends[step]
        let start = end - range
        return series.compactMap { s in
            let samples = s.samples.filter { $0.time > start && $0.time <= end }
            return samples.isEmpty ? nil : Series(labels: s.labels, samples: samples)
        }
    }
}

/// The series of a range argument, handed out one at a time, and per step the end of the window (end - range, end].
struct RangeSeries {
    var ends: [Timestamp]
    var range: Int64
    /// The widest rollup buckets among the samples (0: raw samples only).
    var bucketWidth: Milliseconds = 0
    /// Calls its argument with each series' labels and samples, oldest first.
    var forEach: ((Labels, [Sample]) -> Void) -> Void
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

extension Labels {
    /// Prometheus' `labels.String()`: `{__name__="up", job="x"}`, used in error messages.
    var prometheusText: String {
        "{" + pairs.map { "\($0.name)=\(ExprPrinter.quote($0.value))" }.joined(separator: ", ") + "}"
    }
}
