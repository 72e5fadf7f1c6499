/// Numbers written the way Prometheus writes them: Go's `strconv.FormatFloat(v, 'f', -1, 64)`,
/// the shortest digits that read back to the same value, never in exponent form.
public enum PromQLNumber {
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Swift's description already gives the shortest round-tripping digits; only the layout differs.
        var text = Substring(value.description)
        var sign = ""
        if text.hasPrefix("-") {
            sign = "-"
            text = text.dropFirst()
        }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var digits = Array(integer + fraction)
        var point = integer.count + exponent // digits before the decimal point
        // Trim leading zeros (keeping the point in place) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == "0", digits.count > point { digits.removeLast() }
        if digits == ["0"] { return sign + "0" }
        var out = sign
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            out += String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(digits[..<point]) + "." + String(digits[point...])
        }
        return out
    }
}
