import KubeglassCore
import Store
import Synchronization

extension Expr {
    /// The matchers of each selector when the answer depends only on the newest values of the series they
    /// select: every selector an instant one with a metric name and no `offset` or `@`, and no function of
    /// the time or of sample timestamps. nil otherwise (a range, a subquery: those move with time).
    var instantSelectors: [[LabelMatcher]]? {
        var out: [[LabelMatcher]] = []
        func walk(_ e: Expr) -> Bool {
            switch e {
            case .number, .string: return true
            case .vectorSelector(let vs):
                guard vs.offset == 0, vs.at == nil,
                    vs.matchers.contains(where: { $0.name == Labels.metricName && $0.kind == .equal })
                else { return false }
                out.append(vs.matchers)
                return true
            case .matrixSelector, .subquery: return false
            case .paren(let inner), .unary(_, let inner): return walk(inner)
            case .binary(let b): return walk(b.lhs) && walk(b.rhs)
            case .call(let c):
                return !Expr.timeFunctions.contains(c.function.name) && c.args.allSatisfy(walk)
            case .aggregate(let a): return (a.param.map(walk) ?? true) && walk(a.expr)
            }
        }
        return walk(self) ? out : nil
    }

    /// Functions whose answer depends on the evaluation time or on when samples were taken.
    static let timeFunctions: Set<String> = [
        "time", "timestamp", "minute", "hour", "day_of_month", "day_of_week", "day_of_year", "days_in_month",
        "month", "year",
    ]
}

/// Instant answers of the local engine, kept while the series they read stay as they were (an instant panel
/// re-runs only when a series it reads has changed).
///
/// An answer at time t1 is given again at a later live time t2 when, for every selector of the query, the
/// store's `SeriesStore.stamp` is what it was before t1's evaluation (no series added or removed, no value
/// changed, none back from a gap, nothing rewritten), and no series it matched ages out of the lookback
/// between t1 and t2. Queries whose stamps keep changing (usage, which moves every poll) are not stamped for a
/// while, so they cost what they did without the cache.
final class InstantCache: Sendable {
    private struct Entry {
        var value: QueryValue
        var time: Timestamp
        var stamps: [SeriesStore.SelectorStamp]
        var misses = 0
        var resting = 0
    }

    private struct State {
        var plans: [String: (expr: Expr, selectors: [[LabelMatcher]]?)] = [:]
        var entries: [String: Entry] = [:]
        var hits = 0
    }

    private let engine: PromQLEngine
    private let state = Mutex(State())
    /// Queries kept (a dashboard has tens; a query typed in the editor adds one per keystroke).
    static let capacity = 512
    /// Misses in a row after which a query is not stamped for `rest` calls.
    static let missesBeforeRest = 3
    static let rest = 10

    init(engine: PromQLEngine) { self.engine = engine }

    /// Answers given again without evaluating (for tests).
    var hits: Int { state.withLock { $0.hits } }

    func instantQuery(_ query: String, at time: Timestamp, ordered: Bool) throws(QueryError) -> QueryValue {
        let store = engine.store
        let planned = state.withLock { $0.plans[query] }
        let plan: (expr: Expr, selectors: [[LabelMatcher]]?)
        if let planned {
            plan = planned
        } else {
            let expr = try PromQL.parse(query)
            plan = (expr, expr.instantSelectors)
            state.withLock { s in
                if s.plans.count >= InstantCache.capacity { s.plans.removeAll() }
                s.plans[query] = plan
            }
        }
        let newest = store.newestVisibleTime
        // Only at the live edge: an answer in the past reads windows and rollups that a stamp does not cover.
        guard let selectors = plan.selectors, newest != .min, time >= newest else {
            return try engine.instantQuery(plan.expr, at: time, ordered: ordered)
        }
        let key = ordered ? "o " + query : "u " + query
        let lookback = engine.lookbackDelta
        var entry = state.withLock { $0.entries[key] }
        if var resting = entry, resting.resting > 0 {
            resting.resting -= 1
            state.withLock { $0.entries[key] = resting }
            return try engine.instantQuery(plan.expr, at: time, ordered: ordered)
        }
        let after = (entry.map { min($0.time, time) } ?? time) - lookback
        var stamps: [SeriesStore.SelectorStamp] = []
        var agesOut = false
        for matchers in selectors {
            guard let (stamp, oldest) = store.stamp(matchers, newestAfter: after) else {
                return try engine.instantQuery(plan.expr, at: time, ordered: ordered)
            }
            stamps.append(stamp)
            if let oldest, oldest <= time - lookback { agesOut = true }
        }
        if var kept = entry, kept.time <= time, kept.stamps == stamps, !agesOut {
            kept.misses = 0
            state.withLock { s in
                s.hits += 1
                s.entries[key] = kept
            }
            return InstantCache.restamped(kept.value, at: time)
        }
        let value = try engine.instantQuery(plan.expr, at: time, ordered: ordered)
        let missed = entry != nil
        entry = Entry(value: value, time: time, stamps: stamps, misses: missed ? (entry?.misses ?? 0) + 1 : 0)
        if let e = entry, e.misses >= InstantCache.missesBeforeRest {
            entry?.misses = 0
            entry?.resting = InstantCache.rest
        }
        state.withLock { s in
            if s.entries.count >= InstantCache.capacity, s.entries[key] == nil { s.entries.removeAll() }
            s.entries[key] = entry
        }
        return value
    }

    /// The same answer, as of `time`.
    static func restamped(_ value: QueryValue, at time: Timestamp) -> QueryValue {
        switch value {
        case .scalar(_, let v): return .scalar(time, v)
        case .string(_, let s): return .string(time, s)
        case .vector(let samples):
            return .vector(samples.map { VectorSample(labels: $0.labels, time: time, value: $0.value) })
        case .matrix: return value
        }
    }
}
