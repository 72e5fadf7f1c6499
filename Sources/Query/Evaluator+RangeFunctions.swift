import Foundation
import KubeglassCore
import Store

extension Evaluator {
    /// Range functions whose answer over a window in which a series held one value is the same over that
    /// series' newest two samples there (0, or NaN for a NaN or infinite value): such a series need not be
    /// decoded (see `SeriesStore.scan(heldRuns:)`). Not `deriv` (a regression over many equal values may
    /// round to a slope a hair off 0), nor the `_over_time` family (counts and sums see every sample).
    static let heldRunFunctions: Set<String> = ["rate", "increase", "delta", "irate", "idelta", "changes", "resets"]

    func evalRangeFunction(_ c: Call, matrixArgument index: Int) throws(QueryError) -> [StepSeries] {
        let name = c.function.name
        let input: RangeSeries
        var matchers: [LabelMatcher] = []
        var fromStore = false
        switch c.args[index] {
        case .matrixSelector(let vs, let range):
            input = rangeSeries(
                vs, range: range, reading: Evaluator.rollupReading(name),
                heldRuns: Evaluator.heldRunFunctions.contains(name))
            matchers = vs.matchers
            fromStore = true
        case .subquery(let sq):
            let computed = try rangeInput(sq)
            input = RangeSeries(ends: computed.ends, range: computed.range) { body in
                for s in computed.series { body(s.labels, s.samples) }
            }
        default:
            throw QueryError(execution: "expected a range vector in call to function \"\(name)\"")
        }
        var scalars: [[Double]] = []
        for (k, e) in c.args.enumerated() where k != index { scalars.append(try evalScalar(e)) }

        if name == "absent_over_time" {
            var r = StepSeries(labels: absentLabels(matchers), count: count)
            var hasSample = Array(repeating: false, count: count)
            input.forEach { _, samples in
                forEachWindow(samples, input) { i, window, _, _ in if !window.isEmpty { hasSample[i] = true } }
            }
            for i in 0..<count where !hasSample[i] { r.set(i, 1) }
            return r.isEmpty ? [] : [r]
        }

        let rangeSeconds = Double(input.range) / 1000
        let f: (ArraySlice<Sample>, Int, Timestamp, Timestamp) -> Double?
        switch name {
        case "rate" where input.bucketWidth > 0:
            f = { w, _, _, _ in slopeOfCounter(w) }
        case "increase" where input.bucketWidth > 0:
            f = { w, _, _, _ in slopeOfCounter(w).map { $0 * rangeSeconds } }
        case "rate":
            f = { w, _, start, end in extrapolatedRate(w, start, end, rangeSeconds, isCounter: true, isRate: true) }
        case "increase":
            f = { w, _, start, end in extrapolatedRate(w, start, end, rangeSeconds, isCounter: true, isRate: false) }
        case "delta":
            f = { w, _, start, end in extrapolatedRate(w, start, end, rangeSeconds, isCounter: false, isRate: false) }
        case "irate": f = { w, _, _, _ in instantValue(w, isRate: true) }
        case "idelta": f = { w, _, _, _ in instantValue(w, isRate: false) }
        case "deriv": f = { w, _, _, _ in w.count < 2 ? nil : linearRegression(w, interceptTime: w.first!.time).slope }
        case "predict_linear":
            let steps = self.steps
            f = { w, i, _, _ in
                guard w.count >= 2 else { return nil }
                let (slope, intercept) = linearRegression(w, interceptTime: steps[i])
                return slope * scalars[0][i] + intercept
            }
        case "changes", "resets":
            let resets = name == "resets"
            f = { w, _, _, _ in
                var n = 0.0
                var prev = w.first!.value
                for s in w.dropFirst() {
                    let v = s.value
                    if resets ? v < prev : (v != prev && !(v.isNaN && prev.isNaN)) { n += 1 }
                    prev = v
                }
                return n
            }
        case "avg_over_time":
            f = { w, _, _, _ in
                var sum = 0.0
                var c = 0.0
                for s in w { (sum, c) = kahanAdd(s.value, sum, c) }
                return (sum + c) / Double(w.count)
            }
        case "sum_over_time":
            f = { w, _, _, _ in
                var sum = 0.0
                var c = 0.0
                for s in w { (sum, c) = kahanAdd(s.value, sum, c) }
                return sum + c
            }
        case "min_over_time", "max_over_time":
            let isMax = name == "max_over_time"
            f = { w, _, _, _ in
                var m = w.first!.value
                for s in w.dropFirst() where (isMax ? s.value > m : s.value < m) || m.isNaN { m = s.value }
                return m
            }
        case "count_over_time":
            // From the store, each sample reads as how many it stands for (1, or a bucket's count).
            f = fromStore ? { w, _, _, _ in w.reduce(0) { $0 + $1.value } } : { w, _, _, _ in Double(w.count) }
        case "present_over_time": f = { _, _, _, _ in 1 }
        case "last_over_time": f = { w, _, _, _ in w.last!.value }
        case "quantile_over_time": f = { w, i, _, _ in quantile(scalars[0][i], w.map(\.value)) }
        case "stddev_over_time", "stdvar_over_time":
            let isDev = name == "stddev_over_time"
            f = { w, _, _, _ in
                var n = 0.0
                var mean = 0.0
                var squares = 0.0
                for s in w {
                    n += 1
                    let delta = s.value - mean
                    mean += delta / n
                    squares += delta * (s.value - mean)
                }
                return isDev ? (squares / n).squareRoot() : squares / n
            }
        default:
            throw QueryError(execution: "function \"\(name)\" is not supported by the local query engine")
        }

        let keepName = name == "last_over_time"
        var out: [StepSeries] = []
        input.forEach { labels, samples in
            var current = StepSeries(labels: keepName ? labels : labels.droppingName(), count: count)
            forEachWindow(samples, input) { i, window, start, end in
                if !window.isEmpty, let v = f(window, i, start, end) { current.set(i, v) }
            }
            if !current.isEmpty { out.append(current) }
        }
        return try merged(out, anyOverlap: true)
    }

    /// Calls `body(step, samples in (end - range, end], start, end)` for every step of one series,
    /// sliding two cursors over its samples.
    func forEachWindow(
        _ samples: [Sample], _ input: RangeSeries, _ body: (Int, ArraySlice<Sample>, Timestamp, Timestamp) -> Void
    ) {
        var lo = 0
        var hi = 0
        for i in 0..<count {
            let end = input.ends[i]
            let start = end - input.range
            while hi < samples.count && samples[hi].time <= end { hi += 1 }
            while lo < hi && samples[lo].time <= start { lo += 1 }
            body(i, samples[lo..<hi], start, end)
        }
    }

    func absentLabels(_ matchers: [LabelMatcher]) -> Labels {
        var labels = Labels()
        var seen: Set<String> = []
        for m in matchers where m.name != Labels.metricName {
            if m.kind == .equal && !seen.contains(m.name) {
                labels = labels.setting(m.name, to: m.value)
                seen.insert(m.name)
            } else {
                labels = labels.removing([m.name])
            }
        }
        return labels
    }
}

/// rate, increase and delta as Prometheus computes them (promql/functions.go, extrapolatedRate):
/// the change between the first and last sample in the window (corrected for counter resets),
/// extrapolated towards the window's edges — all the way when the first/last sample is within
/// 1.1 average sample intervals of the edge, else by half an interval — and, for counters, never
/// back past the point where the counter would have been zero.
func extrapolatedRate(
    _ window: ArraySlice<Sample>, _ rangeStart: Timestamp, _ rangeEnd: Timestamp,
    _ rangeSeconds: Double, isCounter: Bool, isRate: Bool
) -> Double? {
    guard window.count >= 2, let first = window.first, let last = window.last else { return nil }
    var result = last.value - first.value
    if isCounter {
        var prev = first.value
        for s in window.dropFirst() {
            if s.value < prev { result += prev }
            prev = s.value
        }
    }
    var durationToStart = Double(first.time - rangeStart) / 1000
    var durationToEnd = Double(rangeEnd - last.time) / 1000
    let sampledInterval = Double(last.time - first.time) / 1000
    let averageInterval = sampledInterval / Double(window.count - 1)
    let threshold = averageInterval * 1.1
    if durationToStart >= threshold { durationToStart = averageInterval / 2 }
    if isCounter && result > 0 && first.value >= 0 {
        let durationToZero = sampledInterval * (first.value / result)
        if durationToZero < durationToStart { durationToStart = durationToZero }
    }
    if durationToEnd >= threshold { durationToEnd = averageInterval / 2 }
    var factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval
    if isRate { factor /= rangeSeconds }
    return result * factor
}

/// irate and idelta: from the last two samples only.
func instantValue(_ window: ArraySlice<Sample>, isRate: Bool) -> Double? {
    guard window.count >= 2 else { return nil }
    let last = window[window.endIndex - 1]
    let previous = window[window.endIndex - 2]
    // A counter that went down was reset: the last value is the increase since.
    let result = isRate && last.value < previous.value ? last.value : last.value - previous.value
    let interval = last.time - previous.time
    guard interval != 0 else { return nil }
    return isRate ? result / (Double(interval) / 1000) : result
}

/// Least-squares fit of value over time (seconds relative to `interceptTime`), as deriv and predict_linear use.
func linearRegression(_ window: ArraySlice<Sample>, interceptTime: Timestamp) -> (slope: Double, intercept: Double) {
    var n = 0.0
    var sumX = 0.0
    var cX = 0.0
    var sumY = 0.0
    var cY = 0.0
    var sumXY = 0.0
    var cXY = 0.0
    var sumX2 = 0.0
    var cX2 = 0.0
    let initY = window.first!.value
    var constY = true
    for (k, s) in window.enumerated() {
        if constY && k > 0 && s.value != initY { constY = false }
        n += 1
        let x = Double(s.time - interceptTime) / 1000
        (sumX, cX) = kahanAdd(x, sumX, cX)
        (sumY, cY) = kahanAdd(s.value, sumY, cY)
        (sumXY, cXY) = kahanAdd(x * s.value, sumXY, cXY)
        (sumX2, cX2) = kahanAdd(x * x, sumX2, cX2)
    }
    if constY { return (0, initY) }
    sumX += cX
    sumY += cY
    sumXY += cXY
    sumX2 += cX2
    let covXY = sumXY - sumX * sumY / n
    let varX = sumX2 - sumX * sumX / n
    let slope = covXY / varX
    let intercept = sumY / n - slope * sumX / n
    return (slope, intercept)
}

extension Evaluator {
    /// Which aggregate of a rollup bucket a range function reads (the README's table says the same).
    static func rollupReading(_ function: String) -> RollupReading {
        switch function {
        case "rate", "increase", "irate", "resets": return .counter
        case "avg_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time", "deriv", "predict_linear",
            "holt_winters", "double_exponential_smoothing":
            return .average
        case "min_over_time": return .min
        case "max_over_time": return .max
        case "sum_over_time": return .sum
        case "count_over_time": return .count
        default: return .last
        }
    }
}

/// A counter's increase per second between its first and last sample in the window (resets counted as
/// Prometheus counts them), not extrapolated: over rollup buckets, followed near the present by finer
/// samples, the samples are too unevenly spaced for Prometheus' extrapolation to the window's edges.
func slopeOfCounter(_ w: ArraySlice<Sample>) -> Double? {
    guard w.count >= 2, let first = w.first, let last = w.last, last.time > first.time else { return nil }
    var increase = 0.0
    var previous = first.value
    for s in w.dropFirst() {
        increase += s.value >= previous ? s.value - previous : s.value
        previous = s.value
    }
    return increase / (Double(last.time - first.time) / 1000)
}
