import Foundation
import KubeglassCore
import Query

/// One cell of an InfluxDB answer: with `epoch=ms` times are numbers; `fill(null)` gives nulls;
/// SHOW statements give strings.
public enum InfluxValue: Sendable, Hashable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null

    public var number: Double? { if case .number(let v) = self { v } else { nil } }
    public var text: String? {
        switch self {
        case .string(let s): s
        case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .bool(let b): String(b)
        case .null: nil
        }
    }
}

/// One series of a statement's answer: a measurement, its tags (one per GROUP BY tag) and rows.
public struct InfluxSeries: Sendable, Hashable {
    public var name: String
    public var tags: [String: String]
    public var columns: [String]
    public var values: [[InfluxValue]]

    public init(name: String, tags: [String: String] = [:], columns: [String], values: [[InfluxValue]]) {
        self.name = name
        self.tags = tags
        self.columns = columns
        self.values = values
    }
}

/// The answer to one statement of a query (`results[i]`): its series, or its own error (InfluxDB
/// answers HTTP 200 and puts a failed statement's error here). No `series` means no data.
public struct InfluxResult: Sendable, Hashable {
    public var statementID: Int
    public var series: [InfluxSeries]
    public var error: String?

    public init(statementID: Int, series: [InfluxSeries], error: String? = nil) {
        self.statementID = statementID
        self.series = series
        self.error = error
    }
}

extension InfluxSeries {
    /// Each value column as a Prometheus-style series, the way Grafana names InfluxDB series:
    /// labels are the series' tags plus `__name__` = the measurement, followed by `.column`
    /// unless the column is called `value` (`SELECT sum("value")` gives `cpu/usage_rate.sum`).
    /// The first column must be `time` (ms, from `epoch=ms`); null cells (`fill(null)`) and
    /// non-numbers are left out, so a gap stays a gap.
    public func timeSeries() -> [Series] {
        guard columns.first == "time", columns.count > 1 else { return [] }
        var out: [Series] = []
        for column in 1..<columns.count {
            let name = columns[column] == "value" ? self.name : self.name + "." + columns[column]
            var labels = tags
            labels[Labels.metricName] = name
            var samples: [Sample] = []
            samples.reserveCapacity(values.count)
            for row in values where row.count > column {
                guard let t = row[0].number, let v = row[column].number else { continue }
                samples.append(Sample(time: Timestamp(t), value: v))
            }
            out.append(Series(labels: Labels(labels), samples: samples))
        }
        return out
    }

    /// Grafana's alias patterns for a value column: `$m`/`$measurement`, `$col`, `$tag_<key>`,
    /// `$0`…`$9` (the measurement's dot-separated parts), each also as `[[…]]`. Unknown ones stay.
    public func legend(alias: String, column: Int = 1) -> String {
        let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var out = ""
        var rest = Substring(alias)
        while let i = rest.firstIndex(where: { $0 == "$" || $0 == "[" }) {
            out += rest[..<i]
            var group: Substring = ""
            var whole: Substring = ""
            if rest[i] == "$" {
                let after = rest.index(after: i)
                let end =
                    rest[after...].firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) ?? rest.endIndex
                group = rest[after..<end]
                whole = rest[i..<end]
            } else if rest[i...].hasPrefix("[["), let close = rest[i...].range(of: "]]") {
                group = rest[rest.index(i, offsetBy: 2)..<close.lowerBound]
                whole = rest[i..<close.upperBound]
            }
            if group.isEmpty {
                out.append(rest[i])
                rest = rest[rest.index(after: i)...]
                continue
            }
            rest = rest[whole.endIndex...]
            let key = String(group)
            if key == "m" || key == "measurement" {
                out += name
            } else if key == "col" {
                out += column < columns.count ? columns[column] : ""
            } else if let index = Int(key) {
                out += index < segments.count ? segments[index] : ""
            } else if key.hasPrefix("tag_"), let value = tags[String(key.dropFirst(4))] {
                out += value
            } else {
                out += whole
            }
        }
        return out + rest
    }
}

extension InfluxResult {
    /// Every value column of every series as one matrix (see `InfluxSeries.timeSeries`).
    public var matrix: QueryValue { .matrix(series.flatMap { $0.timeSeries() }) }

    /// The first column of every row, as strings (what SHOW MEASUREMENTS / TAG KEYS return).
    var firstColumn: [String] {
        series.flatMap { s in s.values.compactMap { $0.first?.text } }
    }
}

/// Reads `/query` answers: `{"results": [{"statement_id": 0, "series": [...]}]}` or `{"error": "..."}`.
enum InfluxResponse {
    static func results(_ body: [UInt8]) -> (results: [InfluxResult]?, error: String?) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return (nil, nil)
        }
        if let error = object["error"] as? String { return (nil, error) }
        guard let items = object["results"] as? [[String: Any]] else { return (nil, nil) }
        var out: [InfluxResult] = []
        for (i, item) in items.enumerated() {
            let id = (item["statement_id"] as? NSNumber)?.intValue ?? i
            var series: [InfluxSeries] = []
            for s in item["series"] as? [[String: Any]] ?? [] {
                let tags = (s["tags"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String }
                let columns = s["columns"] as? [String] ?? []
                let rows = (s["values"] as? [[Any]] ?? []).map { $0.map(value) }
                series.append(
                    InfluxSeries(name: s["name"] as? String ?? "", tags: tags, columns: columns, values: rows))
            }
            out.append(InfluxResult(statementID: id, series: series, error: item["error"] as? String))
        }
        return (out, nil)
    }

    static func value(_ any: Any) -> InfluxValue {
        if any is NSNull { return .null }
        if let s = any as? String { return .string(s) }
        // A JSON true/false also arrives as an NSNumber; InfluxDB booleans are rare enough to read as 1/0.
        if let n = any as? NSNumber { return .number(n.doubleValue) }
        if let b = any as? Bool { return .bool(b) }
        return .null
    }
}
