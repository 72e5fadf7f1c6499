import KubeglassCore

extension Evaluator {
    /// `histogram_quantile(φ, buckets)` over classic `le` buckets, as Prometheus' bucketQuantile.
    func histogramQuantile(_ c: Call) throws(QueryError) -> [StepSeries] {
        let q = try evalScalar(c.args[0])
        let input = try evalVector(c.args[1])
        var groupIndex: [Labels: Int] = [:]
        var groups: [(labels: Labels, buckets: [(upper: Double, series: Int)])] = []
        for (k, s) in input.enumerated() {
            guard let le = s.labels["le"], let upper = parseBound(le) else { continue }
            let key = s.labels.removing(["le", Labels.metricName])
            if let g = groupIndex[key] {
                groups[g].buckets.append((upper, k))
            } else {
                groupIndex[key] = groups.count
                groups.append((key, [(upper, k)]))
            }
        }
        var out: [StepSeries] = []
        for group in groups {
            let sorted = group.buckets.sorted { $0.upper < $1.upper }
            var r = StepSeries(labels: group.labels, count: count)
            var buckets: [(upper: Double, count: Double)] = []
            for i in 0..<count {
                buckets.removeAll(keepingCapacity: true)
                for b in sorted where input[b.series].present[i] {
                    buckets.append((b.upper, input[b.series].values[i]))
                }
                if !buckets.isEmpty { r.set(i, bucketQuantile(q[i], buckets)) }
            }
            if !r.isEmpty { out.append(r) }
        }
        return out
    }

    private func parseBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(text)
        }
    }
}

/// Buckets sorted by upper bound; counts are cumulative.
func bucketQuantile(_ q: Double, _ input: [(upper: Double, count: Double)]) -> Double {
    if q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    guard let lastBucket = input.last, lastBucket.upper == .infinity else { return .nan }
    // Merge buckets with the same bound, then force the counts to be monotonic.
    var buckets: [(upper: Double, count: Double)] = []
    for b in input {
        if let last = buckets.last, last.upper == b.upper {
            buckets[buckets.count - 1].count += b.count
        } else {
            buckets.append(b)
        }
    }
    var maximum = -Double.infinity
    for k in buckets.indices {
        if buckets[k].count > maximum { maximum = buckets[k].count } else { buckets[k].count = maximum }
    }
    guard buckets.count >= 2 else { return .nan }
    let observations = buckets[buckets.count - 1].count
    guard observations != 0 else { return .nan }
    var rank = q * observations
    var b = buckets.count - 1
    for k in 0..<(buckets.count - 1) where buckets[k].count >= rank {
        b = k
        break
    }
    if b == buckets.count - 1 { return buckets[buckets.count - 2].upper }
    if b == 0 && buckets[0].upper <= 0 { return buckets[0].upper }
    var bucketStart = 0.0
    let bucketEnd = buckets[b].upper
    var count = buckets[b].count
    if b > 0 {
        bucketStart = buckets[b - 1].upper
        count -= buckets[b - 1].count
        rank -= buckets[b - 1].count
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count)
}
