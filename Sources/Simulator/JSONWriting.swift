import KubeglassCore
import NIOCore

/// Small, allocation-free JSON writers over a ByteBuffer: list responses reach hundreds of
/// megabytes at 150k pods, so they are written as bytes, never through Codable.
extension ByteBuffer {
    /// A JSON string literal, escaped as RFC 8259 requires.
    mutating func writeJSON(_ text: String) {
        writeInteger(UInt8(ascii: "\""))
        var text = text
        let clean = text.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        if clean {
            writeString(text)
        } else {
            for b in text.utf8 {
                switch b {
                case UInt8(ascii: "\""): writeStaticString("\\\"")
                case UInt8(ascii: "\\"): writeStaticString("\\\\")
                case UInt8(ascii: "\n"): writeStaticString("\\n")
                case UInt8(ascii: "\t"): writeStaticString("\\t")
                case ..<0x20:
                    writeStaticString("\\u00")
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    writeInteger(hex[Int(b >> 4)])
                    writeInteger(hex[Int(b & 15)])
                default: writeInteger(b)
                }
            }
        }
        writeInteger(UInt8(ascii: "\""))
    }

    /// `"key":` with the key escaped.
    mutating func writeJSONKey(_ key: String) {
        writeJSON(key)
        writeInteger(UInt8(ascii: ":"))
    }

    /// An integer in decimal, without going through String.
    mutating func writeDecimal<T: BinaryInteger>(_ value: T) {
        if value == 0 {
            writeInteger(UInt8(ascii: "0"))
            return
        }
        var v: UInt64
        if value < 0 {
            writeInteger(UInt8(ascii: "-"))
            v = UInt64(-Int64(value))
        } else {
            v = UInt64(value)
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var n = 20
            while v > 0 {
                n -= 1
                scratch[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[n..<20]))
        }
    }

    /// An RFC 3339 UTC time with second precision, as the API server writes `metav1.Time`.
    mutating func writeTimestamp(ms: Int64) {
        writeInteger(UInt8(ascii: "\""))
        writeRFC3339(ms: ms, fraction: false)
        writeInteger(UInt8(ascii: "\""))
    }

    /// RFC 3339 without quotes; `fraction` adds milliseconds (kubelet summary and metrics use them).
    mutating func writeRFC3339(ms: Int64, fraction: Bool) {
        let c = CivilTime(ms: ms)
        func two(_ v: Int) {
            writeInteger(UInt8(ascii: "0") + UInt8(v / 10))
            writeInteger(UInt8(ascii: "0") + UInt8(v % 10))
        }
        writeDecimal(c.year)
        writeInteger(UInt8(ascii: "-"))
        two(c.month)
        writeInteger(UInt8(ascii: "-"))
        two(c.day)
        writeInteger(UInt8(ascii: "T"))
        two(c.hour)
        writeInteger(UInt8(ascii: ":"))
        two(c.minute)
        writeInteger(UInt8(ascii: ":"))
        two(c.second)
        if fraction {
            writeInteger(UInt8(ascii: "."))
            let f = c.millisecond
            writeInteger(UInt8(ascii: "0") + UInt8(f / 100))
            two(f % 100)
        }
        writeInteger(UInt8(ascii: "Z"))
    }

    /// A finite double with up to `decimals` places (Prometheus and JSON both read it).
    mutating func writeNumber(_ value: Double, decimals: Int = 6) {
        guard value.isFinite else {
            writeStaticString("0")
            return
        }
        if value == value.rounded(), abs(value) < 9e15 {
            writeDecimal(Int64(value))
            return
        }
        writeString(String(value))
    }
}

/// Calendar fields of a UTC instant (Howard Hinnant's days-from-civil inverse).
struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int

    init(ms: Int64) {
        let msDay = Milliseconds.day
        var days = ms / msDay
        var rest = ms % msDay
        if rest < 0 {
            rest += msDay
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = Int(doy - (153 * mp + 2) / 5 + 1)
        month = Int(mp < 10 ? mp + 3 : mp - 9)
        year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        hour = Int(rest / Milliseconds.hour)
        minute = Int(rest / Milliseconds.minute % 60)
        second = Int(rest / 1000 % 60)
        millisecond = Int(rest % 1000)
    }
}
