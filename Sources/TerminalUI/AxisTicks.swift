import Foundation
import KubeglassCore

/// "Nice" value-axis ticks: steps of 1, 2 or 5 × 10ⁿ, or powers of two for binary byte units
/// (so memory reads 0, 256 MiB, 512 MiB), labelled with the unit at one shared precision.
struct AxisTicks {
    var low: Double
    var high: Double
    var values: [Double]
    var labels: [String]

    /// Ticks for data in `low...high`, about `count` of them. A bound given as `fixedLow`/`fixedHigh`
    /// is kept exactly; other bounds are widened to the next tick.
    init(
        low dataLow: Double, high dataHigh: Double, count: Int, unit: DisplayUnit,
        fixedLow: Double? = nil, fixedHigh: Double? = nil
    ) {
        var low = fixedLow ?? dataLow
        var high = fixedHigh ?? dataHigh
        if !(high > low) {
            // A constant series (or min ≥ max): open a range around it so it draws as a flat line.
            let pad = low == 0 ? 1 : abs(low) / 5
            if fixedHigh == nil {
                high = low + pad
                if fixedLow == nil && low != 0 { low -= pad }
            } else {
                low = high - pad
            }
            if !(high > low) { high = low.nextUp }
        }
        var values: [Double] = []
        let step = AxisTicks.niceStep(raw: (high / 2 - low / 2) * 2 / Double(max(1, count - 1)), binary: unit.isBinary)
        if let step {
            if fixedLow == nil { low = (low / step).rounded(.down) * step }
            if fixedHigh == nil { high = (high / step).rounded(.up) * step }
            let first = (low / step).rounded(.up) * step
            var i = 0.0
            while values.count < 100 {
                let v = first + i * step
                if v > high + step * 1e-9 { break }
                values.append(v)
                i += 1
            }
        }
        if values.count < 2 || !low.isFinite || !high.isFinite {
            low = fixedLow ?? dataLow
            high = fixedHigh ?? dataHigh
            if !(high > low) { high = low.nextUp }
            values = [low, high]
        }
        self.low = low
        self.high = high
        self.values = values
        labels = AxisTicks.labels(values, unit: unit)
    }

    static func niceStep(raw: Double, binary: Bool) -> Double? {
        guard raw.isFinite, raw > 0 else { return nil }
        if binary && raw >= 1 {
            let step = Foundation.pow(2, (Foundation.log2(raw)).rounded(.up))
            return step.isFinite ? step : nil
        }
        let magnitude = Foundation.pow(10, Foundation.log10(raw).rounded(.down))
        let norm = raw / magnitude
        let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude
        return step.isFinite && step > 0 ? step : nil
    }

    /// Labels with the fewest decimals that show every tick exactly, shared by ticks with the same
    /// suffix (0.5, 1.0 but 512 MiB, 1.5 GiB); zero is always plain "0".
    static func labels(_ values: [Double], unit: DisplayUnit) -> [String] {
        func exact(_ v: Double, _ decimals: Int) -> Bool {
            guard let shown = Double(unit.parts(v, decimals: decimals).number),
                let precise = Double(unit.parts(v, decimals: 10).number)
            else { return true }
            return abs(shown - precise) <= abs(precise) * 1e-9
        }
        let groups = Dictionary(grouping: values.filter { $0 != 0 }) { unit.parts($0).suffix }
        let decimals = groups.mapValues { group in (0...6).first { d in group.allSatisfy { exact($0, d) } } ?? 6 }
        return values.map { v in
            v == 0 ? unit.format(v, decimals: 0) : unit.format(v, decimals: decimals[unit.parts(v).suffix])
        }
    }
}

extension DisplayUnit {
    /// Units scaled by 1024, whose ticks read best as powers of two.
    var isBinary: Bool { self == .bytes || self == .binBytesPerSecond }
}
