extension ChartSeries {
    /// The series' finite values, in time order.
    var finiteValues: [Double] { points.map(\.value).finiteValues }

    /// How the series folded into "others" are combined at each time.
    public enum OthersCombination: Sendable {
        /// `others (N)`: their total, for stacked charts, whose top must stay the whole.
        case sum
        /// `others (N, avg)`: their mean, so one line does not stretch the scale (and percentages stay percentages).
        case mean
    }

    /// `series` ordered by a legend value (`by`; nil keeps their order), and when more than `keep + 1`,
    /// only the top `keep` by that value (by `max` when `by` is nil) plus one series for the rest:
    /// `others (N)`, their sum at each time, or with `.mean` `others (N, avg)` (nil where all are nil).
    ///
    /// Series with no value rank last. Ties keep the given order.
    public static func ranked(
        _ series: [ChartSeries], by: ChartLegend.Value?, descending: Bool = true, keep: Int,
        othersColor: Color, others combination: OthersCombination = .sum
    ) -> [ChartSeries] {
        func order(_ value: ChartLegend.Value) -> [Int] {
            let keys = series.map { value.of($0.finiteValues) }
            return series.indices.sorted { a, b in
                switch (keys[a], keys[b]) {
                case (nil, nil): return a < b
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?): return x == y ? a < b : (descending ? x > y : x < y)
                }
            }
        }
        let keep = Swift.max(1, keep)
        guard series.count > keep + 1 else { return by.map { order($0).map { series[$0] } } ?? series }
        let ranking = order(by ?? .max)
        let kept = Set(ranking.prefix(keep))
        let top = by == nil ? series.indices.filter { kept.contains($0) } : Array(ranking.prefix(keep))
        let rest = series.indices.filter { !kept.contains($0) }.map { series[$0] }
        let others =
            combination == .sum
            ? ChartSeries(name: "others (\(rest.count))", color: othersColor, points: sum(rest))
            : ChartSeries(name: "others (\(rest.count), avg)", color: othersColor, points: sum(rest, mean: true))
        return top.map { series[$0] } + [others]
    }

    /// The sum (or with `mean`, the mean of the values present) of `series` at each time any of them
    /// has a point; nil where every one is nil.
    static func sum(_ series: [ChartSeries], mean: Bool = false) -> [(time: Int64, value: Double?)] {
        var totals: [Int64: (sum: Double, count: Int)] = [:]
        for s in series {
            for p in s.points {
                var t = totals[p.time] ?? (0, 0)
                if let v = p.value, v.isFinite { t = (t.sum + v, t.count + 1) }
                totals[p.time] = t
            }
        }
        return totals.keys.sorted().map { time in
            let t = totals[time]!
            return (time: time, value: t.count == 0 ? nil : mean ? t.sum / Double(t.count) : t.sum)
        }
    }

    /// Each series on top of the ones before it: its value at a time plus theirs, nil counting as 0
    /// (still nil where it and every series below are nil), so the lines never cross.
    public static func stacked(_ series: [ChartSeries]) -> [ChartSeries] {
        var below: [Int64: Double] = [:]
        return series.map { s in
            var out = s
            out.points = s.points.map { p in
                let v = p.value.flatMap { $0.isFinite ? $0 : nil }
                let base = below[p.time]
                guard v != nil || base != nil else { return (time: p.time, value: nil) }
                let total = (base ?? 0) + (v ?? 0)
                below[p.time] = total
                return (time: p.time, value: total)
            }
            return out
        }
    }
}
