import Foundation

/// A display unit, named by Grafana's unit ids (`bytes`, `Bps`, `percent`, …) plus
/// kubeglass' `cores`. Formatting follows Grafana's value formatters so that a number
/// reads the same here as on a Grafana panel.
public enum DisplayUnit: String, Sendable, CaseIterable, Codable {
    case none
    case short
    case percent // 0–100
    case percentunit // 0.0–1.0
    case bytes // IEC: KiB, MiB, GiB
    case decbytes // SI: kB, MB, GB
    case bits
    case bytesPerSecond = "Bps" // SI: kB/s, MB/s
    case binBytesPerSecond = "binBps"
    case bitsPerSecond = "bps"
    case seconds = "s"
    case milliseconds = "ms"
    case cores // kubeglass: `1.25` cores, or `250m` below one core
    case millicores // value in millicores (Heapster's cpu/usage_rate)
    case requestsPerSecond = "reqps"
    case opsPerSecond = "ops"

    /// Parses a Grafana unit id; unknown ids fall back to `short`, as Grafana does for display.
    public init(grafanaID: String) {
        switch grafanaID {
        case "bytes", "ibytes": self = .bytes
        case "decbytes": self = .decbytes
        default: self = DisplayUnit(rawValue: grafanaID) ?? .short
        }
    }

    /// The formatted value with its unit, e.g. `1.50 GiB`, `250m`, `42%`.
    public func format(_ value: Double?, decimals: Int? = nil) -> String {
        let (number, suffix) = parts(value, decimals: decimals)
        return number + suffix
    }

    /// The number and suffix separately (stat panels draw them in different sizes).
    public func parts(_ value: Double?, decimals: Int? = nil) -> (number: String, suffix: String) {
        guard let value else { return ("–", "") }
        if value.isNaN { return ("NaN", "") }
        if value.isInfinite { return (value > 0 ? "+Inf" : "-Inf", "") }
        switch self {
        case .none: return (GrafanaNumber.toFixed(value, decimals), "")
        case .short:
            return GrafanaNumber.scaled(
                value, factor: 1000,
                suffixes: ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept"], decimals: decimals)
        case .percent: return (GrafanaNumber.toFixed(value, decimals), "%")
        case .percentunit: return (GrafanaNumber.toFixed(value * 100, decimals), "%")
        case .bytes:
            return GrafanaNumber.scaled(
                value, factor: 1024, suffixes: [" B", " KiB", " MiB", " GiB", " TiB", " PiB", " EiB"],
                decimals: decimals)
        case .decbytes: return GrafanaNumber.siPrefixed(value, unit: "B", decimals: decimals)
        case .bits: return GrafanaNumber.siPrefixed(value, unit: "b", decimals: decimals)
        case .bytesPerSecond: return GrafanaNumber.siPrefixed(value, unit: "B/s", decimals: decimals)
        case .binBytesPerSecond:
            return GrafanaNumber.scaled(
                value, factor: 1024, suffixes: [" B/s", " KiB/s", " MiB/s", " GiB/s", " TiB/s", " PiB/s"],
                decimals: decimals)
        case .bitsPerSecond: return GrafanaNumber.siPrefixed(value, unit: "b/s", decimals: decimals)
        case .seconds: return GrafanaNumber.duration(seconds: value, decimals: decimals)
        case .milliseconds: return GrafanaNumber.duration(seconds: value / 1000, decimals: decimals)
        case .cores: return DisplayUnit.formatCores(value, decimals: decimals)
        case .millicores: return DisplayUnit.formatCores(value / 1000, decimals: decimals)
        case .requestsPerSecond: return (GrafanaNumber.toFixed(value, decimals), " req/s")
        case .opsPerSecond: return (GrafanaNumber.toFixed(value, decimals), " ops/s")
        }
    }

    private static func formatCores(_ cores: Double, decimals: Int?) -> (String, String) {
        if cores != 0, abs(cores) < 1 {
            let milli = (cores * 1000).rounded()
            if abs(milli) >= 1000 { return (GrafanaNumber.toFixed(milli / 1000, decimals), "") }
            return (String(Int(milli)), "m")
        }
        return (GrafanaNumber.toFixed(cores, decimals), "")
    }
}

/// Grafana's number formatting rules (packages/grafana-data/src/valueFormats).
public enum GrafanaNumber {
    /// Decimals Grafana picks when none are set: about three significant digits.
    public static func autoDecimals(_ value: Double) -> Int {
        if value == 0 || value.truncatingRemainder(dividingBy: 1) == 0 { return 0 }
        let magnitude = abs(value)
        let log10 = Int(floor(Foundation.log10(magnitude)))
        var dec = -log10 + 1
        let norm = magnitude / pow(10, Double(-dec))
        if norm > 2.25 { dec += 1 }
        return max(0, dec)
    }

    public static func toFixed(_ value: Double, _ decimals: Int? = nil) -> String {
        let d = decimals ?? autoDecimals(value)
        let text = fixed(value, decimals: max(0, min(d, 20)))
        return text == "-0" ? "0" : text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// `%.{decimals}f` of C's printf, without Foundation's `String(format:)` (a table redraws hundreds a second).
    static func fixed(_ value: Double, decimals: Int) -> String {
        if let quick = quickFixed(value, decimals: decimals) { return quick }
        return printfFixed(value, decimals: decimals)
    }

    private static let powersOfTen: [Double] = (0...9).map { pow(10, Double($0)) }

    /// `fixed` for the common case (a few decimals of a modest number) in integer arithmetic, as printf would
    /// round it: nil when the value is too big or too close to a tie between two roundings to be sure.
    static func quickFixed(_ value: Double, decimals: Int) -> String? {
        guard value.isFinite, decimals >= 0, decimals < powersOfTen.count else { return nil }
        let scaled = value.magnitude * powersOfTen[decimals]
        guard scaled < 0x1p50 else { return nil }
        let whole = scaled.rounded(.down)
        // The product is within half an ulp of the exact one: a fraction that far from one half rounds the
        // same way for both.
        guard (scaled - whole - 0.5).magnitude > scaled.ulp * 2 else { return nil }
        var digits = UInt64(whole) + (scaled - whole > 0.5 ? 1 : 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        var written = 0
        repeat {
            if written == decimals, decimals > 0 { bytes.append(UInt8(ascii: ".")) }
            bytes.append(UInt8(ascii: "0") + UInt8(digits % 10))
            digits /= 10
            written += 1
        } while digits > 0 || written <= decimals
        if value.sign == .minus { bytes.append(UInt8(ascii: "-")) }
        return String(decoding: bytes.reversed(), as: UTF8.self)
    }

    static func printfFixed(_ value: Double, decimals: Int) -> String {
        // The longest: 309 digits of a huge double, a sign, a point and 20 decimals.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
            let count = withVaList([Int32(decimals), value]) { vsnprintf(buffer.baseAddress, 400, "%.*f", $0) }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: max(0, min(Int(count), 399))),
                as: UTF8.self)
        }
    }

    /// Scales by powers of `factor` and picks the suffix, like Grafana's `scaledUnits`.
    public static func scaled(_ value: Double, factor: Double, suffixes: [String], decimals: Int?, offset: Int = 0) -> (
        String, String
    ) {
        let index = value == 0 ? 0 : Int(floor(log(abs(value)) / log(factor)))
        let clamped = min(max(index, -offset), suffixes.count - offset - 1)
        let scaledValue = value / pow(factor, Double(clamped))
        return (toFixed(scaledValue, decimals), suffixes[clamped + offset])
    }

    /// SI prefixes from nano to yotta, like Grafana's `decimalSIPrefix`.
    public static func siPrefixed(_ value: Double, unit: String, decimals: Int?) -> (String, String) {
        let prefixes = ["n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"]
        return scaled(value, factor: 1000, suffixes: prefixes.map { " \($0)\(unit)" }, decimals: decimals, offset: 3)
    }

    /// Seconds shown in the largest unit that keeps the number at least one (Grafana's `toSeconds`).
    public static func duration(seconds value: Double, decimals: Int?) -> (String, String) {
        let a = abs(value)
        if a == 0 { return ("0", " s") }
        if a < 0.000001 { return (toFixed(value * 1e9, decimals), " ns") }
        if a < 0.001 { return (toFixed(value * 1e6, decimals), " µs") }
        if a < 1 { return (toFixed(value * 1e3, decimals), " ms") }
        if a < 60 { return (toFixed(value, decimals), " s") }
        if a < 3600 { return (toFixed(value / 60, decimals), " min") }
        if a < 86400 { return (toFixed(value / 3600, decimals), " hour") }
        if a < 604800 { return (toFixed(value / 86400, decimals), " day") }
        return (toFixed(value / 604800, decimals), " week")
    }
}
