import Foundation
import KubeglassCore
import Query

/// Grafana's InfluxDB macros and template variables, expanded the way Grafana does:
///
/// - `$timeFilter` / `$__timeFilter` → `time >= 1700000000000ms and time <= 1700003600000ms`
/// - `$interval`, `$__interval` → the GROUP BY interval (`30s`); `$__interval_ms` → `30000`
/// - `$__rate_interval` → max(interval + minimum, 4 × minimum), as Grafana's Prometheus source
/// - `$__range`, `$__range_ms`, `$__range_s`, `$__from`, `$__to` (ms)
/// - `$var`, `${var}`, `${var:regex|raw|pipe|csv}`, `[[var]]` from `variables`
///
/// Inside a regex literal (`=~ /^$var$/`, `FROM /…/`) values are regex-escaped and several
/// values become `(a|b)`; outside one a single value goes in as it is (Grafana's rules for
/// variables that are neither multi-value nor include-all). Unknown names stay untouched.
public enum InfluxMacros {
    /// The most `GROUP BY time()` buckets a panel asks for: InfluxDB 1.6 has no cap of its own,
    /// and a huge one can take it down.
    public static let maximumBuckets: Int64 = 2_000

    public static func expand(
        _ query: String, start: Timestamp, end: Timestamp, interval: Int64,
        variables: [String: [String]] = [:], minimumInterval: Int64 = 10_000
    ) -> String {
        let interval = max(1, interval)
        var macros: [String: String] = [
            "timeFilter": "time >= \(start)ms and time <= \(end)ms",
            "interval": intervalText(interval),
            "__interval": intervalText(interval),
            "__interval_ms": String(interval),
            "__rate_interval": intervalText(max(interval + minimumInterval, 4 * minimumInterval)),
            "__range": intervalText(max(1, end - start)),
            "__range_ms": String(end - start),
            "__range_s": String((end - start) / 1000),
            "__from": String(start),
            "__to": String(end),
        ]
        macros["__timeFilter"] = macros["timeFilter"]
        var out = ""
        out.reserveCapacity(query.utf8.count + 64)
        var inRegex = false
        var inString = false
        var inIdentifier = false
        var lastToken = "" // the previous word or operator outside literals, to spot a regex's opening slash
        var i = query.startIndex
        while i < query.endIndex {
            let c = query[i]
            if let found = reference(in: query, at: i) {
                let (name, format, next) = found
                if let macro = macros[name] {
                    out += macro
                } else if let values = variables[name] {
                    out += render(values, format: format ?? (inRegex ? "regex" : "raw"))
                } else {
                    out += query[i..<next]
                }
                i = next
                continue
            }
            if inRegex {
                if c == "\\" {
                    out.append(c)
                    i = query.index(after: i)
                    if i < query.endIndex {
                        out.append(query[i])
                        i = query.index(after: i)
                    }
                    continue
                }
                if c == "/" { inRegex = false }
            } else if inString {
                if c == "\\" {
                    out.append(c)
                    i = query.index(after: i)
                    if i < query.endIndex {
                        out.append(query[i])
                        i = query.index(after: i)
                    }
                    continue
                }
                if c == "'" { inString = false }
            } else if inIdentifier {
                if c == "\"" { inIdentifier = false }
            } else if c == "'" {
                inString = true
            } else if c == "\"" {
                inIdentifier = true
            } else if c == "/", ["=~", "!~", "FROM", ","].contains(lastToken.uppercased()) {
                inRegex = true
            } else if c == "~" || c == "=" || c == "!" {
                lastToken = (lastToken == "=" || lastToken == "!") ? lastToken + String(c) : String(c)
                out.append(c)
                i = query.index(after: i)
                continue
            } else if c.isLetter || c.isNumber || c == "_" {
                let end =
                    query[i...].firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "_") }) ?? query.endIndex
                lastToken = String(query[i..<end])
                out += query[i..<end]
                i = end
                continue
            } else if !c.isWhitespace {
                lastToken = String(c)
            }
            out.append(c)
            i = query.index(after: i)
        }
        return out
    }

    /// `$name`, `${name}`, `${name:format}` or `[[name]]` at `i`: the name, an explicit format, and where it ends.
    private static func reference(in query: String, at i: String.Index) -> (String, String?, String.Index)? {
        let isWord: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" }
        if query[i] == "$" {
            let after = query.index(after: i)
            guard after < query.endIndex else { return nil }
            if query[after] == "{" {
                guard let close = query[after...].firstIndex(of: "}") else { return nil }
                let inner = query[query.index(after: after)..<close]
                let parts = inner.split(separator: ":", maxSplits: 1).map(String.init)
                guard let name = parts.first, !name.isEmpty, name.allSatisfy(isWord) else { return nil }
                return (name, parts.count > 1 ? parts[1] : nil, query.index(after: close))
            }
            let end = query[after...].firstIndex(where: { !isWord($0) }) ?? query.endIndex
            guard end > after else { return nil }
            return (String(query[after..<end]), nil, end)
        }
        if query[i] == "[", query[i...].hasPrefix("[["), let close = query[i...].range(of: "]]") {
            let name = query[query.index(i, offsetBy: 2)..<close.lowerBound]
            guard !name.isEmpty, name.allSatisfy(isWord) else { return nil }
            return (String(name), nil, close.upperBound)
        }
        return nil
    }

    private static func render(_ values: [String], format: String) -> String {
        switch format {
        case "regex":
            let escaped = values.map(escapeRegex)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        case "pipe": return values.joined(separator: "|")
        case "csv": return values.joined(separator: ",")
        default:
            // Several values outside a regex: Grafana's InfluxDB source still writes an escaped alternation.
            return values.count == 1 ? values[0] : "(" + values.map(escapeRegex).joined(separator: "|") + ")"
        }
    }

    /// Grafana's `escapeRegex`: a backslash before each of `\ ^ $ * + ? . ( ) | [ ] { } /`.
    public static func escapeRegex(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.count)
        for c in value {
            if "\\^$*+?.()|[]{}/".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// An interval as InfluxQL writes durations, in the largest unit that divides it: `90s`, `5m`, `250ms`.
    public static func intervalText(_ ms: Int64) -> String {
        let units: [(Milliseconds, String)] = [
            (Milliseconds.week, "w"), (Milliseconds.day, "d"), (Milliseconds.hour, "h"), (Milliseconds.minute, "m"),
            (Milliseconds.second, "s"),
        ]
        for (size, unit) in units where ms >= size && ms % size == 0 { return "\(ms / size)\(unit)" }
        return "\(ms)ms"
    }

    /// The GROUP BY interval for a panel `cells` wide over start…end: a nice step (see `RangeStep`),
    /// at least `minimum`, and raised until there are at most `maximumBuckets` buckets.
    public static func interval(
        start: Timestamp, end: Timestamp, cells: Int, minimum: Int64 = 10_000, maximumBuckets: Int64 = maximumBuckets
    ) -> Int64 {
        RangeStep.choose(range: end - start, cells: cells, minimum: minimum, maximumPoints: maximumBuckets)
    }

    /// Raises every literal `GROUP BY time(<duration>)` of a raw query that would give more than
    /// `maximumBuckets` buckets over start…end to the smallest nice interval that does not.
    public static func capBuckets(
        _ query: String, start: Timestamp, end: Timestamp, maximumBuckets: Int64 = maximumBuckets
    ) -> String {
        var out = ""
        var rest = Substring(query)
        while let open = rest.range(of: "time(", options: .caseInsensitive) {
            out += rest[..<open.upperBound]
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(where: { $0 == ")" || $0 == "," }),
                let ms = durationMilliseconds(rest[..<close].trimmingCharacters(in: .whitespaces))
            else { continue }
            let range = max(0, end - start)
            if ms > 0, range / ms > maximumBuckets {
                out += intervalText(
                    RangeStep.choose(
                        range: range, cells: Int(maximumBuckets), minimum: ms, maximumPoints: maximumBuckets))
                rest = rest[close...]
            }
        }
        return out + rest
    }

    /// An InfluxQL duration literal (`10s`, `1m`, `500ms`, `2h`, `1d`, `1w`, `100u`) in ms.
    static func durationMilliseconds(_ text: String) -> Milliseconds? {
        let digits = text.prefix(while: \.isNumber)
        guard let n = Int64(digits), !digits.isEmpty else { return nil }
        switch text.dropFirst(digits.count) {
        case "ms": return n
        case "s": return n * 1000
        case "m": return n * Milliseconds.minute
        case "h": return n * Milliseconds.hour
        case "d": return n * Milliseconds.day
        case "w": return n * Milliseconds.week
        case "u", "µ": return n / 1000
        case "ns": return n / 1_000_000
        default: return nil
        }
    }
}
