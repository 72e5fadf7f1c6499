import KubeglassCore

extension Expr {
    /// This expression evaluated over only the series whose labels take one of the given values (say
    /// `pod` in the 40 rows a table shows), when that changes no answer for those values: every selector
    /// that feeds a result gains `label=~"v1|v2|…"`. Nil when some part mixes series across those labels,
    /// so that restricting its inputs would change its answers: an aggregation or a vector match that
    /// drops one of them, `absent`, a `label_replace` that writes one.
    ///
    /// A table evaluates its sparklines this way for the rows it can show, not for all 150,000 pods.
    public func restricted(to values: [String: Set<String>]) -> Expr? {
        guard !values.isEmpty, !values.keys.contains(Labels.metricName) else { return nil }
        let matchers = values.keys.sorted().map { LabelMatcher.oneOf($0, values[$0]!) }
        return restricted(matchers, keys: Set(values.keys))
    }

    private func restricted(_ matchers: [LabelMatcher], keys: Set<String>) -> Expr? {
        // A scalar is the same for every row: `scalar(sum(x))` must still sum every series.
        if type == .scalar || type == .string { return self }
        switch self {
        case .number, .string:
            return self
        case .vectorSelector(var vs):
            vs.matchers += matchers
            return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            vs.matchers += matchers
            return .matrixSelector(vs, range: range)
        case .subquery(var sq):
            guard let inner = sq.expr.restricted(matchers, keys: keys) else { return nil }
            sq.expr = inner
            return .subquery(sq)
        case .paren(let e):
            return e.restricted(matchers, keys: keys).map(Expr.paren)
        case .unary(let op, let e):
            return e.restricted(matchers, keys: keys).map { .unary(op, $0) }
        case .binary(var b):
            if b.lhs.type != .scalar && b.rhs.type != .scalar {
                // Two vectors match on their labels: each row's series must meet only that row's series.
                if let m = b.matching, m.on ? !keys.isSubset(of: m.labels) : !keys.isDisjoint(with: m.labels) {
                    return nil
                }
            }
            guard let lhs = b.lhs.restricted(matchers, keys: keys), let rhs = b.rhs.restricted(matchers, keys: keys)
            else { return nil }
            b.lhs = lhs
            b.rhs = rhs
            return .binary(b)
        case .call(var c):
            switch c.function.name {
            case "absent", "absent_over_time":
                return nil
            case "label_replace", "label_join":
                // The label written is the second argument.
                guard c.args.count > 1, case .string(let written) = c.args[1], !keys.contains(written) else {
                    return nil
                }
            case "histogram_quantile":
                // Buckets are grouped by every label but `le`.
                if keys.contains("le") { return nil }
            default:
                break
            }
            for (i, arg) in c.args.enumerated() {
                guard let r = arg.restricted(matchers, keys: keys) else { return nil }
                c.args[i] = r
            }
            return .call(c)
        case .aggregate(var a):
            // Every group must lie within one row: grouped by all the row's labels, or without none of them.
            if a.without ? !keys.isDisjoint(with: a.grouping) : !keys.isSubset(of: a.grouping) { return nil }
            if a.op == .countValues, case .string(let written)? = a.param, keys.contains(written) { return nil }
            guard let inner = a.expr.restricted(matchers, keys: keys) else { return nil }
            a.expr = inner
            return .aggregate(a)
        }
    }
}
