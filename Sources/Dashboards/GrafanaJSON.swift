import Foundation
import KubeglassCore
import Query

/// A JSON value as Grafana dashboard files hold it. Our own small parser, because JSONSerialization's
/// errors give no line (and sometimes no place at all), and a broken file should name its line.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    var isNull: Bool { self == .null }

    /// Numbers, also when written as text ("80", "250px" is not one).
    var number: Double? {
        switch self {
        case .number(let n): return n
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    var int: Int? { number.flatMap { $0.isFinite && abs($0) < 1e12 ? Int($0.rounded()) : nil } }

    /// Grafana writes booleans as true/false, and old files sometimes as 1/0 or "true".
    var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return s == "true" ? true : s == "false" ? false : nil
        default: return nil
        }
    }

    /// Compact JSON with sorted keys: the same target always gives the same text.
    var compactText: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if n.isFinite, n == n.rounded(), abs(n) < 1e15 {
                out += String(Int64(n))
            } else if n.isFinite {
                out += "\(n)"
            } else {
                out += "null"
            }
        case .string(let s): JSONText.append(s, to: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONText.append(key, to: &out)
                out += ":"
                o[key]!.write(into: &out)
            }
            out += "}"
        }
    }
}

/// Where and why JSON text is not valid.
struct JSONSyntaxError: Error {
    let line: Int
    let column: Int
    let message: String
}

/// A recursive-descent JSON parser (RFC 8259) that reports the line and column of the first error.
struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0

    static func parse(_ data: Data) throws(JSONSyntaxError) -> JSONValue {
        var p = JSONParser(bytes: Array(data))
        if p.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3 }
        p.skipSpace()
        let value = try p.value()
        p.skipSpace()
        if p.i < p.bytes.count { throw p.fail("unexpected text after the end of the JSON document") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        let end = min(offset ?? i, bytes.count)
        var line = 1
        var lineStart = 0
        for k in 0..<end where bytes[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return JSONSyntaxError(line: line, column: column, message: message)
    }

    private var found: String {
        guard i < bytes.count else { return "the end of the file" }
        let b = bytes[i]
        return b >= 0x20 && b < 0x7F ? "'\(Character(UnicodeScalar(b)))'" : String(format: "byte 0x%02X", b)
    }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw fail("expected a value, found the end of the file") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try word("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try word("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try word("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("expected a value, found \(found)")
        }
    }

    private mutating func word(_ w: String) throws(JSONSyntaxError) {
        let u = Array(w.utf8)
        guard bytes.count - i >= u.count, Array(bytes[i..<i + u.count]) == u else {
            throw fail("expected a value, found \(found)")
        }
        i += u.count
    }

    private mutating func nest() throws(JSONSyntaxError) {
        depth += 1
        if depth > 512 { throw fail("the JSON is nested more than 512 levels deep") }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try nest()
        i += 1
        var out: [String: JSONValue] = [:]
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(out)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw fail("expected a quoted key, found \(found)")
            }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key \"\(key)\", found \(found)")
            }
            i += 1
            skipSpace()
            out[key] = try value()
            skipSpace()
            guard i < bytes.count else { throw fail("expected ',' or '}', found the end of the file") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                depth -= 1
                return .object(out)
            }
            throw fail("expected ',' or '}' after the value of \"\(key)\", found \(found)")
        }
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try nest()
        i += 1
        var out: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(out)
        }
        while true {
            skipSpace()
            out.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("expected ',' or ']', found the end of the file") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                depth -= 1
                return .array(out)
            }
            throw fail("expected ',' or ']' in a list, found \(found)")
        }
    }

    private mutating func number() throws(JSONSyntaxError) -> Double {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.i]) { p.i += 1 }
            return p.i - s
        }
        guard digits(&self) > 0 else { throw fail("expected a digit, found \(found)") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("expected a digit after '.', found \(found)") }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw fail("expected a digit in the exponent, found \(found)") }
        }
        guard let n = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
            throw fail("not a number", at: start)
        }
        return n
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        let open = i
        i += 1
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw fail("this text has no closing quote", at: open) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if b < 0x20 { throw fail("a control character (newline or tab) inside quoted text must be escaped") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { throw fail("this text has no closing quote", at: open) }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    i += 2
                    let low = try hex4()
                    code = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                }
                out.append(contentsOf: Array(String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
            default: throw fail("unknown escape '\\\(Character(UnicodeScalar(e)))' in quoted text", at: i - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - i >= 4, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
            throw fail("expected four hex digits after \\u")
        }
        i += 4
        return v
    }
}
