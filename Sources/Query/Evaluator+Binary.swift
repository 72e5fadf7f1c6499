import Foundation
import KubeglassCore

extension BinaryOperator {
    /// The value of `l op r`, and for comparisons whether it holds (the value is then `l`).
    func apply(_ l: Double, _ r: Double) -> (value: Double, keep: Bool) {
        switch self {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .mod: return (fmod(l, r), true)
        case .pow: return (Foundation.pow(l, r), true)
        case .atan2: return (Foundation.atan2(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .gte: return (l, l >= r)
        case .lss: return (l, l < r)
        case .lte: return (l, l <= r)
        case .and, .or, .unless: return (l, true)
        }
    }

    /// Arithmetic drops the metric name; a filtering comparison keeps it.
    var dropsMetricName: Bool { !isComparison && !isSetOperator }
}

extension Evaluator {
    func evalBinary(_ b: BinaryExpr) throws(QueryError) -> Value {
        let lhs = try eval(b.lhs)
        let rhs = try eval(b.rhs)
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            return .scalar(
                (0..<count).map { i in
                    let (v, keep) = b.op.apply(l[i], r[i])
                    return b.op.isComparison ? (keep ? 1 : 0) : v
                })
        case (.vector(let v), .scalar(let s)):
            return .vector(try vectorScalar(b, v, s, scalarOnLeft: false))
        case (.scalar(let s), .vector(let v)):
            return .vector(try vectorScalar(b, v, s, scalarOnLeft: true))
        case (.vector(let l), .vector(let r)):
            let matching = b.matching ?? VectorMatching()
            switch b.op {
            case .and, .or, .unless: return .vector(try setOperation(b.op, l, r, matching))
            default: return .vector(try vectorVector(b, l, r, matching))
            }
        default:
            throw QueryError(execution: "binary expression must contain only scalar and instant vector types")
        }
    }

    private func vectorScalar(_ b: BinaryExpr, _ vector: [StepSeries], _ scalar: [Double], scalarOnLeft: Bool)
        throws(QueryError) -> [StepSeries]
    {
        let drop = b.op.dropsMetricName || b.returnBool
        var out: [StepSeries] = []
        out.reserveCapacity(vector.count)
        for s in vector {
            var r = StepSeries(labels: drop ? s.labels.droppingName() : s.labels, count: count)
            for i in 0..<count where s.present[i] {
                let (value, keep) =
                    scalarOnLeft ? b.op.apply(scalar[i], s.values[i]) : b.op.apply(s.values[i], scalar[i])
                if b.op.isComparison {
                    // A comparison keeps the vector's value, whichever side it is on.
                    if b.returnBool { r.set(i, keep ? 1 : 0) } else if keep { r.set(i, s.values[i]) }
                } else {
                    r.set(i, value)
                }
            }
            if !r.isEmpty { out.append(r) }
        }
        return drop ? try merged(out) : out
    }

    /// The labels two series are matched on.
    func signature(_ labels: Labels, _ m: VectorMatching) -> Labels {
        if m.on { return labels.keeping(Set(m.labels)) }
        return labels.removing(Set(m.labels).union([Labels.metricName]))
    }

    /// Per signature, whether any series with it has a value at each step.
    private func presenceBySignature(_ series: [StepSeries], _ m: VectorMatching) -> [Labels: [Bool]] {
        var out: [Labels: [Bool]] = [:]
        for s in series {
            let sig = signature(s.labels, m)
            if var p = out[sig] {
                for i in 0..<count where s.present[i] { p[i] = true }
                out[sig] = p
            } else {
                out[sig] = s.present
            }
        }
        return out
    }

    private func setOperation(_ op: BinaryOperator, _ lhs: [StepSeries], _ rhs: [StepSeries], _ m: VectorMatching)
        throws(QueryError) -> [StepSeries]
    {
        switch op {
        case .and, .unless:
            let right = presenceBySignature(rhs, m)
            var out: [StepSeries] = []
            for s in lhs {
                var r = s
                let other = right[signature(s.labels, m)]
                for i in 0..<count where s.present[i] {
                    let matched = other?[i] ?? false
                    r.present[i] = op == .and ? matched : !matched
                }
                if !r.isEmpty { out.append(r) }
            }
            return out
        default: // or
            let left = presenceBySignature(lhs, m)
            var out = lhs
            for s in rhs {
                var r = s
                if let other = left[signature(s.labels, m)] {
                    for i in 0..<count where other[i] { r.present[i] = false }
                }
                if !r.isEmpty { out.append(r) }
            }
            return try merged(out)
        }
    }

    private func vectorVector(_ b: BinaryExpr, _ left: [StepSeries], _ right: [StepSeries], _ m: VectorMatching)
        throws(QueryError) -> [StepSeries]
    {
        // The right side is always the "one" side; group_right swaps the sides.
        let swapped = m.cardinality == .oneToMany
        let many = swapped ? right : left
        let one = swapped ? left : right
        let oneSideName = swapped ? "left" : "right"

        var manyAny = Array(repeating: false, count: count)
        for s in many { for i in 0..<count where s.present[i] { manyAny[i] = true } }

        // Group the one side by signature; at each step a signature may have one series at most.
        var groupIndex: [Labels: Int] = [:]
        var groups: [(sig: Labels, members: [Int])] = [] // in series order, so errors name the same series every time
        for (j, s) in one.enumerated() {
            let sig = signature(s.labels, m)
            if let g = groupIndex[sig] {
                groups[g].members.append(j)
            } else {
                groupIndex[sig] = groups.count
                groups.append((sig, [j]))
            }
        }
        var presentIndex: [Labels: [Int]] = [:] // per signature: which one-side series is present at each step
        for (sig, members) in groups {
            var which = Array(repeating: -1, count: count)
            for j in members {
                for i in 0..<count where one[j].present[i] {
                    if which[i] >= 0 && manyAny[i] {
                        throw QueryError(
                            execution:
                                "found duplicate series for the match group \(sig.prometheusText) on the \(oneSideName) hand-side of the operation: [\(one[j].labels.prometheusText), \(one[which[i]].labels.prometheusText)];many-to-many matching not allowed: matching labels must be unique on one side"
                        )
                    }
                    which[i] = j
                }
            }
            presentIndex[sig] = which
        }

        // In one-to-one matching, a signature may also match only once on the other side per step.
        var manySigCount: [Labels: Int] = [:]
        var manySigs: [Labels] = []
        manySigs.reserveCapacity(many.count)
        for s in many {
            let sig = signature(s.labels, m)
            manySigs.append(sig)
            manySigCount[sig, default: 0] += 1
        }
        var matchedAt: [Labels: [Bool]] = [:]

        let drop = b.op.dropsMetricName || b.returnBool
        let include = Set(m.include)
        var outIndex: [Labels: Int] = [:]
        var out: [StepSeries] = []
        for (li, s) in many.enumerated() {
            let sig = manySigs[li]
            guard let which = presentIndex[sig] else { continue }
            let checkDuplicates = m.cardinality == .oneToOne && manySigCount[sig]! > 1
            var matched = checkDuplicates ? (matchedAt[sig] ?? Array(repeating: false, count: count)) : []
            var resultFor: [Int: Int] = [:] // one-side series → output series
            for i in 0..<count where s.present[i] {
                let ri = which[i]
                guard ri >= 0 else { continue }
                let (fl, fr) = swapped ? (one[ri].values[i], s.values[i]) : (s.values[i], one[ri].values[i])
                var (value, keep) = b.op.apply(fl, fr)
                if b.op.isComparison {
                    if b.returnBool { value = keep ? 1 : 0 } else if !keep { continue }
                }
                if checkDuplicates {
                    if matched[i] {
                        throw QueryError(
                            execution:
                                "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                        )
                    }
                    matched[i] = true
                }
                let o: Int
                if let known = resultFor[ri] {
                    o = known
                } else {
                    var labels = drop ? s.labels.droppingName() : s.labels
                    if m.cardinality == .oneToOne {
                        labels = m.on ? labels.keeping(Set(m.labels)) : labels.removing(Set(m.labels))
                    }
                    for name in include {
                        labels = labels.setting(name, to: one[ri].labels[name] ?? "")
                    }
                    if let existing = outIndex[labels] {
                        o = existing
                    } else {
                        o = out.count
                        outIndex[labels] = o
                        out.append(StepSeries(labels: labels, count: count))
                    }
                    resultFor[ri] = o
                }
                if out[o].present[i] {
                    if m.cardinality == .oneToOne {
                        throw QueryError(
                            execution:
                                "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                        )
                    }
                    throw QueryError(
                        execution: "multiple matches for labels: grouping labels must ensure unique matches")
                }
                out[o].set(i, value)
            }
            if checkDuplicates { matchedAt[sig] = matched }
        }
        return out.filter { !$0.isEmpty }
    }
}
