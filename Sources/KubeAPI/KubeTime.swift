/// Kubernetes times and durations as milliseconds, parsed from bytes without DateFormatter.
public enum KubeTime {
    /// RFC 3339 ("2022-01-27T18:48:33Z", "2024-05-01T10:00:00.123456Z", "2022-01-27T19:48:33+01:00")
    /// → milliseconds since the epoch; fractions below a millisecond are dropped. Nil when malformed.
    public static func millis(rfc3339 text: String) -> Int64? {
        var text = text
        return text.withUTF8 { millis(rfc3339: $0) }
    }

    /// A Go duration ("30s", "1m0s", "10.5s", "1h2m", "500ms") → milliseconds, rounded down. Nil when malformed.
    public static func millis(duration text: String) -> Int64? {
        var text = text
        return text.withUTF8 { millis(duration: $0) }
    }

    static func millis(rfc3339 b: UnsafeBufferPointer<UInt8>) -> Int64? {
        // YYYY-MM-DDTHH:MM:SS is 19 bytes, then an optional fraction, then Z or ±HH:MM.
        guard b.count >= 20,
            b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var millis: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var scale: Int64 = 100
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                millis += Int64(b[i] - UInt8(ascii: "0")) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard i + 6 == b.count, b[i + 3] == UInt8(ascii: ":"),
                let h = digits(b, i + 1, 2), let m = digits(b, i + 4, 2), h < 24, m < 60
            else { return nil }
            offsetMinutes = Int64(h * 60 + m) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86400 + Int64(hour * 3600 + minute * 60 + second) - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    static func millis(duration b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        if b.count - i == 1, b[i] == UInt8(ascii: "0") { return 0 }
        guard i < b.count else { return nil }
        var totalNanos: Int64 = 0
        while i < b.count {
            var whole: Int64 = 0
            var fraction: Int64 = 0
            var fractionScale: Int64 = 1
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(b[i] - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                whole = s
                i += 1
            }
            var sawDigits = i > start
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                    // Digits beyond nanosecond precision of the largest unit cannot matter.
                    if fractionScale < 1_000_000_000_000_000 {
                        fraction = fraction * 10 + Int64(b[i] - UInt8(ascii: "0"))
                        fractionScale *= 10
                    }
                    sawDigits = true
                    i += 1
                }
            }
            guard sawDigits, let (unit, length) = unitNanos(b, i) else { return nil }
            i += length
            let (wholeNanos, o1) = whole.multipliedReportingOverflow(by: unit)
            // fraction < fractionScale ≤ 1e18 and unit ≤ 3.6e12: the product fits in 128 bits, the quotient below unit.
            let fractionNanos = Int64(Int128(fraction) * Int128(unit) / Int128(fractionScale))
            let (sum, o2) = totalNanos.addingReportingOverflow(wholeNanos)
            let (sum2, o3) = sum.addingReportingOverflow(fractionNanos)
            guard !o1, !o2, !o3 else { return nil }
            totalNanos = sum2
        }
        let millis = totalNanos / 1_000_000
        return negative ? -millis : millis
    }

    /// The unit at `i` and its length in bytes: ns, us, µs, μs, ms, s, m, h.
    private static func unitNanos(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Int64, Int)? {
        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        switch at(i) {
        case UInt8(ascii: "n"): return at(i + 1) == UInt8(ascii: "s") ? (1, 2) : nil
        case UInt8(ascii: "u"): return at(i + 1) == UInt8(ascii: "s") ? (1000, 2) : nil
        case 0xC2: return at(i + 1) == 0xB5 && at(i + 2) == UInt8(ascii: "s") ? (1000, 3) : nil // µ (micro sign)
        case 0xCE: return at(i + 1) == 0xBC && at(i + 2) == UInt8(ascii: "s") ? (1000, 3) : nil // μ (Greek mu)
        case UInt8(ascii: "m"): return at(i + 1) == UInt8(ascii: "s") ? (1_000_000, 2) : (60_000_000_000, 1)
        case UInt8(ascii: "s"): return (1_000_000_000, 1)
        case UInt8(ascii: "h"): return (3_600_000_000_000, 1)
        default: return nil
        }
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for k in start..<start + count {
            let d = b[k] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
