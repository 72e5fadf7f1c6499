import Foundation
import KubeglassCore

/// The values of a dashboard's variables at one moment, and Grafana's rules for putting them in text:
/// `$var`, `${var}`, `${var:format}` and `[[var]]`, plus the built-in `$__interval`, `$__rate_interval`, `$__range`.
public struct VariableValues: Sendable, Hashable {
    /// Name → the selected values (All already expanded to every value, or to the variable's `allValue`).
    public var values: [String: [String]]
    /// Names whose variable may hold several values (multi or All): in PromQL they become a regex `(a|b)`.
    public var regexNames: Set<String>

    public init(values: [String: [String]] = [:], regexNames: Set<String> = []) {
        self.values = values
        self.regexNames = regexNames
    }

    /// How several values are written.
    public enum Format: Sendable {
        /// In a PromQL query: a multi-value variable is a regex alternation with regex characters escaped.
        case promql
        /// In a title or a legend: `a + b`.
        case text
    }

    /// The built-in variables for a query window: step and range as durations (`30s`, `1h`).
    public static func builtins(step: Int64, range: Int64, scrapeInterval: Int64) -> [String: [String]] {
        let rate = max(step + scrapeInterval, 4 * scrapeInterval)
        return [
            "__interval": [Self.duration(step)], "__interval_ms": [String(step)],
            "__rate_interval": [Self.duration(rate)],
            "__range": [Self.duration(range)], "__range_s": [String(range / 1000)], "__range_ms": [String(range)],
            "interval": [Self.duration(step)],
        ]
    }

    /// Text with every known variable replaced; unknown ones stay as written (so the error names them).
    public func expand(_ text: String, format: Format, extra: [String: [String]] = [:]) -> String {
        // Most queries name no variable: told apart by their bytes (Foundation's search shows in a profile).
        var mentions = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "$") || (byte == UInt8(ascii: "[") && previous == byte) {
                mentions = true
                break
            }
            previous = byte
        }
        guard mentions else { return text }
        var out = ""
        var i = text.startIndex
        func lookup(_ name: String) -> [String]? { extra[name] ?? values[name] }
        while i < text.endIndex {
            let c = text[i]
            if c == "$" {
                let next = text.index(after: i)
                if next < text.endIndex, text[next] == "{", let close = text[next...].firstIndex(of: "}") {
                    let inside = text[text.index(after: next)..<close]
                    let parts = inside.split(separator: ":", maxSplits: 1)
                    let name = String(parts.first ?? "")
                    if let v = lookup(name) {
                        out += write(v, name: name, format: format, explicit: parts.count > 1 ? String(parts[1]) : nil)
                        i = text.index(after: close)
                        continue
                    }
                } else {
                    var end = next
                    while end < text.endIndex, text[end].isLetter || text[end].isNumber || text[end] == "_" {
                        end = text.index(after: end)
                    }
                    // The longest known name wins (`$node` vs `$nodes`).
                    var candidate = end
                    while candidate > next {
                        let name = String(text[next..<candidate])
                        if let v = lookup(name) {
                            out += write(v, name: name, format: format, explicit: nil)
                            i = candidate
                            break
                        }
                        candidate = text.index(before: candidate)
                    }
                    if candidate > next { continue }
                }
            } else if c == "[", text[i...].hasPrefix("[["), let close = text[i...].range(of: "]]") {
                let name = String(text[text.index(i, offsetBy: 2)..<close.lowerBound])
                if let v = lookup(name) {
                    out += write(v, name: name, format: format, explicit: nil)
                    i = close.upperBound
                    continue
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return out
    }

    private func write(_ v: [String], name: String, format: Format, explicit: String?) -> String {
        switch explicit {
        case "csv": return v.joined(separator: ",")
        case "pipe": return v.joined(separator: "|")
        case "regex": return Self.regex(v)
        case "raw": return v.joined(separator: ",")
        default: break
        }
        switch format {
        case .text:
            return v.joined(separator: " + ")
        case .promql:
            if regexNames.contains(name) { return v.count == 1 ? Self.escapeRegex(v[0]) : Self.regex(v) }
            return v.joined(separator: ",")
        }
    }

    static func regex(_ values: [String]) -> String {
        "(" + values.map(escapeRegex).joined(separator: "|") + ")"
    }

    /// Escapes the characters that mean something in a RE2 regex (what Grafana's Prometheus datasource escapes).
    public static func escapeRegex(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "\\^$*+?.()|{}[]".contains(ch) { out += "\\\\" }
            out.append(ch)
        }
        return out
    }

    static func duration(_ ms: Int64) -> String {
        for (unit, size) in [
            ("d", Milliseconds.day), ("h", Milliseconds.hour), ("m", Milliseconds.minute), ("s", Milliseconds.second),
        ] where ms >= size && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }
}
