import Foundation
import KubeglassCore

/// Durations as people and Prometheus write them: `5s`, `1m30s`, `1h`, `7d`, `500ms`.
public enum DurationText {
    /// Milliseconds for a duration text, or nil when it is not one.
    public static func milliseconds(_ text: String) -> Milliseconds? {
        let units: [(String, Milliseconds)] = [
            ("ms", 1), ("s", Milliseconds.second), ("m", Milliseconds.minute), ("h", Milliseconds.hour),
            ("d", Milliseconds.day), ("w", Milliseconds.week), ("y", Milliseconds.year),
        ]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.0) && !(($0.0 == "m") && rest.hasPrefix("ms")) })
            else { return nil }
            rest = rest.dropFirst(unit.0.count)
            let (product, overflow) = n.multipliedReportingOverflow(by: unit.1)
            guard !overflow else { return nil }
            total += product
        }
        return total
    }

    /// The shortest text for a duration: 90_000 → `1m30s`.
    public static func text(milliseconds: Milliseconds) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = ""
        for (suffix, size) in [
            ("d", Milliseconds.day), ("h", Milliseconds.hour), ("m", Milliseconds.minute), ("s", Milliseconds.second),
            ("ms", 1),
        ] where rest >= size {
            out += "\(rest / size)\(suffix)"
            rest %= size
        }
        return out
    }
}
