/// Number-to-cell arithmetic that stays finite for any input (huge, negative, NaN, ±inf).
enum Scale {
    /// Where `value` sits between `low` and `high`, clamped to 0...1; 0 when the range is empty.
    static func fraction(_ value: Double, low: Double, high: Double) -> Double {
        min(1, max(0, unclampedFraction(value, low: low, high: high)))
    }

    /// Like `fraction` but may leave 0...1 (bounded so later arithmetic stays finite).
    static func unclampedFraction(_ value: Double, low: Double, high: Double) -> Double {
        guard value.isFinite, low.isFinite, high.isFinite, high > low else { return 0 }
        // Halving first keeps `high - low` finite when both are near ±Double.greatestFiniteMagnitude.
        let f = (value / 2 - low / 2) / (high / 2 - low / 2)
        return f.isNaN ? 0 : min(1e6, max(-1e6, f))
    }

    /// `value` rounded to an Int, saturating instead of trapping; NaN becomes 0.
    static func int(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        let bound = Double(Int.max / 2)
        return Int(min(bound, max(-bound, value)).rounded())
    }
}

extension Array where Element == Double? {
    /// The values that can be drawn: present and finite.
    var finiteValues: [Double] { compactMap { $0 }.filter(\.isFinite) }
}
