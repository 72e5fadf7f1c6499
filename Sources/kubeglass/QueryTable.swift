import Foundation
import KubeglassCore
import Query

/// A query result as text for people: a vector as an aligned table with one column per label,
/// a matrix as one block per series, a scalar or string as itself.
enum QueryTable {
    static func lines(_ value: QueryValue) -> [String] {
        switch value {
        case .scalar(_, let v): return [PromQLNumber.format(v)]
        case .string(_, let s): return [s]
        case .vector(let samples): return vector(samples)
        case .matrix(let series): return matrix(series)
        }
    }

    static let empty = "no series"

    private static func vector(_ samples: [VectorSample]) -> [String] {
        guard !samples.isEmpty else { return [empty] }
        let names = Set(samples.flatMap { $0.labels.pairs.map(\.name) }).sorted { a, b in
            a == Labels.metricName ? b != Labels.metricName : b == Labels.metricName ? false : a < b
        }
        let rows =
            [names + ["value"]] + samples.map { s in names.map { s.labels[$0] ?? "" } + [PromQLNumber.format(s.value)] }
        let widths = (0...names.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            let labels = row.dropLast().enumerated().map {
                $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0)
            }
            let value = String(repeating: " ", count: widths[names.count] - row.last!.count) + row.last!
            return (labels + [value]).joined(separator: "  ")
        }
    }

    private static func matrix(_ series: [Series]) -> [String] {
        guard !series.isEmpty else { return [empty] }
        var out: [String] = []
        for (i, s) in series.enumerated() {
            if i > 0 { out.append("") }
            out.append(s.labels.description)
            for p in s.samples { out.append("\(seconds(p.time)) \(PromQLNumber.format(p.value))") }
        }
        return out
    }

    /// Unix seconds with the milliseconds only when there are any, as Prometheus writes times.
    static func seconds(_ t: Timestamp) -> String {
        let fraction = abs(t % 1000)
        let whole = "\(t < 0 && t > -1000 ? "-" : "")\(t / 1000)"
        guard fraction != 0 else { return whole }
        return whole + "." + String(String(fraction + 1000).dropFirst())
    }
}
