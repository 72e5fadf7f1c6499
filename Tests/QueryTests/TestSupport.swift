import KubeglassCore
import Store
import TestSupport
import Testing

@testable import Query

/// A store holding the given series; samples as (seconds, value).
func makeStore(_ series: [(Labels, [(Double, Double)])]) -> SeriesStore {
    let store = SeriesStore(.init(retention: 6 * Milliseconds.hour, interval: 15_000, maxSeries: 10_000))
    for (labels, samples) in series {
        for (t, v) in samples { store.append(labels, Sample(time: Timestamp((t * 1000).rounded()), value: v)) }
    }
    return store
}

func ms(_ seconds: Double) -> Timestamp { Timestamp((seconds * 1000).rounded()) }

/// An instant query's vector as `labels → value`, for compact expectations.
func vector(_ engine: PromQLEngine, _ query: String, at seconds: Double) throws -> [String: Double] {
    let result = try engine.instantQuery(query, at: ms(seconds))
    guard case .vector(let samples) = result else {
        Issue.record("expected a vector from \(query), got \(result.resultType)")
        return [:]
    }
    var out: [String: Double] = [:]
    for s in samples { out[s.labels.description] = s.value }
    return out
}

func scalar(_ engine: PromQLEngine, _ query: String, at seconds: Double = 0) throws -> Double {
    guard case .scalar(_, let v) = try engine.instantQuery(query, at: ms(seconds)) else {
        Issue.record("expected a scalar from \(query)")
        return .nan
    }
    return v
}

func parseError(_ query: String) -> String? {
    do {
        _ = try PromQL.parse(query)
        return nil
    } catch {
        return error.description
    }
}

/// Same label sets, values equal within a relative 1e-9 (NaN equals NaN).
func isClose(_ a: [String: Double], _ b: [String: Double]) -> Bool {
    a.keys.sorted() == b.keys.sorted() && a.allSatisfy { isClose($0.value, b[$0.key]!) }
}

func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
}

/// The expression with every binary operation fully parenthesized and parentheses from the source
/// dropped, to compare how two texts group.
func shape(_ expr: Expr) -> String {
    switch expr {
    case .paren(let e): return shape(e)
    case .binary(let b): return "(\(shape(b.lhs)) \(b.op.rawValue)\(b.returnBool ? " bool" : "") \(shape(b.rhs)))"
    case .unary(let op, let e): return "\(op.rawValue)\(shape(e))"
    default: return expr.description
    }
}
