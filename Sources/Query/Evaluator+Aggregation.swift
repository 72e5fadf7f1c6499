import Foundation
import KubeglassCore

extension Evaluator {
    func evalAggregate(_ a: Aggregate) throws(QueryError) -> Value {
        let input = try evalVector(a.expr)
        let grouping = Set(a.grouping)

        func groupLabels(_ labels: Labels) -> Labels {
            a.without ? labels.removing(grouping.union([Labels.metricName])) : labels.keeping(grouping)
        }

        // Label sets are hashed once per series, not per step.
        var groupIndex: [Labels: Int] = [:]
        var groupKeys: [Labels] = []
        var members: [[Int]] = []
        for (i, s) in input.enumerated() {
            let key = groupLabels(s.labels)
            if let g = groupIndex[key] {
                members[g].append(i)
            } else {
                groupIndex[key] = groupKeys.count
                groupKeys.append(key)
                members.append([i])
            }
        }

        switch a.op {
        case .topk, .bottomk:
            return .vector(try selectK(a, input, members))
        case .countValues:
            return .vector(try countValues(a, input, groupKeys, members))
        case .quantile:
            let q = try evalScalar(a.param!)
            return .vector(
                groupKeys.indices.compactMap { g in
                    var r = StepSeries(labels: groupKeys[g], count: count)
                    var values: [Double] = []
                    for i in 0..<count {
                        values.removeAll(keepingCapacity: true)
                        for m in members[g] where input[m].present[i] { values.append(input[m].values[i]) }
                        if !values.isEmpty { r.set(i, quantile(q[i], values)) }
                    }
                    return r.isEmpty ? nil : r
                })
        default:
            return .vector(
                groupKeys.indices.compactMap { g in
                    let r = simpleAggregate(a.op, groupKeys[g], members[g].map { input[$0] })
                    return r.isEmpty ? nil : r
                })
        }
    }

    /// sum, avg, min, max, count, group, stddev, stdvar over one group, step by step.
    private func simpleAggregate(_ op: AggregateOperator, _ labels: Labels, _ group: [StepSeries]) -> StepSeries {
        var r = StepSeries(labels: labels, count: count)
        for i in 0..<count {
            var n = 0.0
            var sum = 0.0
            var compensation = 0.0 // Kahan summation
            var extreme = Double.nan
            var mean = 0.0
            var squares = 0.0 // Welford
            for s in group where s.present[i] {
                let v = s.values[i]
                n += 1
                switch op {
                case .sum, .avg:
                    (sum, compensation) = kahanAdd(v, sum, compensation)
                case .min:
                    if n == 1 || extreme > v || extreme.isNaN { extreme = v }
                case .max:
                    if n == 1 || extreme < v || extreme.isNaN { extreme = v }
                case .stddev, .stdvar:
                    let delta = v - mean
                    mean += delta / n
                    squares += delta * (v - mean)
                default:
                    break
                }
            }
            guard n > 0 else { continue }
            switch op {
            case .sum: r.set(i, sum + compensation)
            case .avg: r.set(i, (sum + compensation) / n)
            case .min, .max: r.set(i, extreme)
            case .count: r.set(i, n)
            case .group: r.set(i, 1)
            case .stdvar: r.set(i, squares / n)
            case .stddev: r.set(i, (squares / n).squareRoot())
            default: break
            }
        }
        return r
    }

    /// topk and bottomk: the original series, present only at the steps where they were chosen. Each group
    /// keeps its best `k` in a bounded heap (150,000 pods, k = 20: no sort of them all), ties to the series
    /// read first, as a stable sort would; only the chosen series get a result.
    private func selectK(_ a: Aggregate, _ input: [StepSeries], _ members: [[Int]]) throws(QueryError) -> [StepSeries] {
        let k = try evalScalar(a.param!)
        let top = a.op == .topk
        var chosen: [Int: StepSeries] = [:]
        var order: [Int] = [] // for instant queries: groups in turn, best first
        // Whether `x` beats `y`: NaN counts as the worst value either way; ties go to the earlier series.
        func beats(_ x: (index: Int, value: Double), _ y: (index: Int, value: Double)) -> Bool {
            if x.value.isNaN != y.value.isNaN { return y.value.isNaN }
            if !x.value.isNaN && x.value != y.value { return top ? x.value > y.value : x.value < y.value }
            return x.index < y.index
        }
        for i in 0..<count {
            let ki = k[i]
            guard ki >= 1, !ki.isNaN else { continue }
            let limit = ki >= Double(Int.max) ? Int.max : Int(ki)
            var heap = BoundedHeap<(index: Int, value: Double)>(capacity: limit, by: beats)
            for group in members {
                heap.removeAll()
                for m in group where input[m].present[i] { heap.offer((index: m, value: input[m].values[i])) }
                for c in heap.sorted() {
                    chosen[c.index, default: StepSeries(labels: input[c.index].labels, count: count)].set(i, c.value)
                    if count == 1 { order.append(c.index) }
                }
            }
        }
        if count == 1 { return order.map { chosen[$0]! } }
        return chosen.keys.sorted().map { chosen[$0]! }
    }

    private func countValues(_ a: Aggregate, _ input: [StepSeries], _ groupKeys: [Labels], _ members: [[Int]])
        throws(QueryError) -> [StepSeries]
    {
        let label = try evalString(a.param!)
        guard isValidLabelName(label) else { throw QueryError(execution: "invalid label name \"\(label)\"") }
        var index: [Labels: Int] = [:]
        var out: [StepSeries] = []
        for (g, group) in members.enumerated() {
            var keyForValue: [String: Int] = [:]
            for i in 0..<count {
                for m in group where input[m].present[i] {
                    let text = PromQLNumber.format(input[m].values[i])
                    let o: Int
                    if let known = keyForValue[text] {
                        o = known
                    } else {
                        let labels = groupKeys[g].setting(label, to: text)
                        if let existing = index[labels] {
                            o = existing
                        } else {
                            o = out.count
                            index[labels] = o
                            out.append(StepSeries(labels: labels, count: count))
                        }
                        keyForValue[text] = o
                    }
                    out[o].set(i, (out[o].present[i] ? out[o].values[i] : 0) + 1)
                }
            }
        }
        return out
    }
}

/// Neumaier's variant of Kahan summation, as Prometheus uses for sums.
@inline(__always)
func kahanAdd(_ value: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + value
    var c = c
    if t.isInfinite {
        c = 0
    } else if abs(sum) >= abs(value) {
        c += (sum - t) + value
    } else {
        c += (value - t) + sum
    }
    return (t, c)
}

/// Prometheus' quantile: linear interpolation between the closest ranks; q outside [0, 1] gives ±Inf.
func quantile(_ q: Double, _ values: [Double]) -> Double {
    if values.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    let sorted = values.sorted { x, y in x.isNaN ? !y.isNaN : x < y }
    let n = Double(sorted.count)
    let rank = q * (n - 1)
    let lower = max(0, Int(rank.rounded(.down)))
    let upper = min(sorted.count - 1, lower + 1)
    let weight = rank - rank.rounded(.down)
    return sorted[lower] * (1 - weight) + sorted[upper] * weight
}

func isValidLabelName(_ name: String) -> Bool {
    guard let first = name.utf8.first, isIdentifierStart(first) else { return false }
    return name.utf8.allSatisfy { isIdentifierStart($0) || isDigit($0) }
}
