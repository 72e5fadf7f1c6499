import Foundation
import KubeglassCore

/// One sample line of an OpenMetrics (or Prometheus text) file.
public struct OpenMetricsSample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double
    /// Milliseconds since the epoch; nil when the line has no timestamp.
    public var time: Timestamp?

    public init(labels: Labels, value: Double, time: Timestamp?) {
        self.labels = labels
        self.value = value
        self.time = time
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.labels == b.labels && a.time == b.time && a.value.bitPattern == b.value.bitPattern
    }
}

/// A line the parser could not read: where, and what it expected there.
public struct OpenMetricsError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// The metric types a `# TYPE` line may name.
public enum OpenMetricsType: String, Sendable, CaseIterable {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown, untyped
}

/// Reads the OpenMetrics text format (and the Prometheus text format it grew from), the input of
/// `promtool tsdb create-blocks-from openmetrics`: `# TYPE`, `# HELP`, `# UNIT`, `# EOF`, and samples
/// `name{label="value",…} value [timestamp-in-seconds] [# exemplar]`.
///
/// It reads one line at a time, so a file is never held in memory whole.
public struct OpenMetricsParser {
    /// The two text formats differ where a scrape notices: timestamps (seconds in OpenMetrics,
    /// milliseconds in the Prometheus text format) and counter names (`_total` only required by OpenMetrics).
    public enum Format: Sendable {
        case openMetrics, prometheusText
    }

    public let format: Format
    private var family: (name: String, type: OpenMetricsType)?
    private var eofLine: Int?
    /// Label sets already built, by the bytes that spelled them: most lines repeat a series.
    private var seen: [[UInt8]: Labels] = [:]
    private static let seenLimit = 200_000
    /// The previous line's series: a recorded file usually writes one series' samples in a row. `checked`
    /// is the `# TYPE` generation its name and labels were last checked against.
    private var lastSeries: (key: [UInt8], name: String, labels: Labels, checked: Int)?
    /// Counts `# TYPE` lines, so a series checked against the family in force is not checked again.
    private var familyGeneration = 0

    public init(format: Format = .openMetrics) {
        self.format = format
    }

    /// The sample on this line, or nil for comments, metadata and blank lines.
    public mutating func parse(line bytes: UnsafeBufferPointer<UInt8>, number: Int) throws(OpenMetricsError)
        -> OpenMetricsSample?
    {
        var end = bytes.count
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var cursor = Cursor(bytes: UnsafeBufferPointer(rebasing: bytes[0..<end]), line: number)
        if let eofLine {
            guard cursor.atEnd else {
                throw cursor.error(
                    "unexpected text after \"# EOF\" on line \(eofLine); \"# EOF\" must be the last line")
            }
            return nil
        }
        if cursor.atEnd { return nil }
        if cursor.peek == UInt8(ascii: "#") {
            try metadata(&cursor)
            return nil
        }
        return try sample(&cursor)
    }

    /// Every sample in `text`.
    public static func samples(in text: String, format: Format = .openMetrics) throws(OpenMetricsError)
        -> [OpenMetricsSample]
    {
        try samples(in: Array(text.utf8), format: format)
    }

    /// Every sample in `bytes` (a scrape's whole response body).
    public static func samples(in bytes: [UInt8], format: Format = .openMetrics) throws(OpenMetricsError)
        -> [OpenMetricsSample]
    {
        var parser = OpenMetricsParser(format: format)
        var out: [OpenMetricsSample] = []
        var number = 0
        var start = 0
        var failure: OpenMetricsError?
        bytes.withUnsafeBufferPointer { all in
            while start < all.count {
                number += 1
                var end = start
                while end < all.count, all[end] != UInt8(ascii: "\n") { end += 1 }
                do throws(OpenMetricsError) {
                    if let s = try parser.parse(line: UnsafeBufferPointer(rebasing: all[start..<end]), number: number) {
                        out.append(s)
                    }
                } catch {
                    failure = error
                    return
                }
                start = end + 1
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Calls `body` with every sample of the file at `path`, reading it a line at a time.
    public static func forEachSample(inFile path: String, _ body: (OpenMetricsSample, _ line: Int) throws -> Void)
        throws
    {
        guard let file = fopen(path, "r") else {
            throw OpenMetricsFileError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var parser = OpenMetricsParser()
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var number = 0
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 {
                if ferror(file) != 0 {
                    throw OpenMetricsFileError(path: path, reason: String(cString: strerror(errno)))
                }
                break
            }
            number += 1
            let sample = try buffer!.withMemoryRebound(to: UInt8.self, capacity: length) { p in
                try parser.parse(line: UnsafeBufferPointer(start: p, count: length), number: number)
            }
            if let sample { try body(sample, number) }
        }
    }

    private mutating func metadata(_ c: inout Cursor) throws(OpenMetricsError) {
        c.advance()
        guard c.skipSpaces() else { return }
        let keyword = c.token()
        switch keyword {
        case "EOF":
            c.skipSpaces()
            guard c.atEnd else { throw c.error("expected end of line after \"# EOF\"") }
            eofLine = c.line
        case "TYPE", "HELP", "UNIT":
            guard c.skipSpaces(), let name = c.metricName() else {
                throw c.error("expected a metric name after \"# \(keyword)\"")
            }
            guard keyword == "TYPE" else { return }
            guard c.skipSpaces(), !c.atEnd else {
                throw c.error("expected a metric type after \"# TYPE \(name)\"")
            }
            let typeColumn = c.column
            let text = c.token()
            guard let type = OpenMetricsType(rawValue: text) else {
                throw OpenMetricsError(
                    line: c.line, column: typeColumn,
                    message:
                        "unknown metric type \"\(text)\"; expected one of \(OpenMetricsType.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            family = (name, type)
            familyGeneration += 1
        default:
            return // a plain comment, as the Prometheus text format allows
        }
    }

    private mutating func sample(_ c: inout Cursor) throws(OpenMetricsError) -> OpenMetricsSample {
        let seriesStart = c.index
        guard c.skipIdentifier(colons: true) else {
            throw c.error(
                "expected a metric name (letters, digits, _ and :, not starting with a digit), found \(c.found)")
        }
        let nameEnd = c.index
        let braces = c.peek == UInt8(ascii: "{")
        if braces { c.skipLabelSet() }
        let span = c.bytes[seriesStart..<c.index]
        let name: String
        var labels: Labels
        if let last = lastSeries, last.key.elementsEqual(span) {
            // The same series as the line before: nothing to build, and checked already unless a `# TYPE` came.
            name = last.name
            labels = last.labels
            if last.checked != familyGeneration {
                try checkFamily(name: name, labels: labels, c)
                lastSeries?.checked = familyGeneration
            }
        } else {
            name = String(decoding: UnsafeBufferPointer(rebasing: c.bytes[seriesStart..<nameEnd]), as: UTF8.self)
            if braces {
                let key = Array(span)
                if let known = seen[key] {
                    labels = known
                } else {
                    let end = c.index
                    c.index = nameEnd
                    labels = Labels(try labelPairs(&c, name: name))
                    c.index = end
                    if seen.count < Self.seenLimit { seen[key] = labels }
                }
            } else {
                labels = Labels(name: name)
            }
            try checkFamily(name: name, labels: labels, c)
            lastSeries = (Array(span), name, labels, familyGeneration)
        }
        guard c.skipSpaces(), !c.atEnd else {
            throw c.error("expected a value after \(name)")
        }
        let valueColumn = c.column
        let valueBytes = c.tokenBytes()
        guard let value = Self.plainNumber(valueBytes) ?? Self.number(Cursor.text(valueBytes)) else {
            let valueText = Cursor.text(valueBytes)
            throw OpenMetricsError(
                line: c.line, column: valueColumn,
                message:
                    "invalid value \"\(valueText)\"; expected a number, NaN, +Inf or -Inf")
        }
        var time: Timestamp?
        if c.skipSpaces(), !c.atEnd, c.peek != UInt8(ascii: "#") {
            let timeColumn = c.column
            let timeBytes = c.tokenBytes()
            let parsed: Timestamp?
            switch format {
            case .prometheusText: parsed = Int64(Cursor.text(timeBytes))
            case .openMetrics: parsed = Self.milliseconds(seconds: timeBytes)
            }
            guard let t = parsed else {
                let timeText = Cursor.text(timeBytes)
                let expected =
                    format == .openMetrics
                    ? "seconds since the epoch, like 1700000000 or 1700000000.25"
                    : "milliseconds since the epoch, like 1700000000000"
                throw OpenMetricsError(
                    line: c.line, column: timeColumn, message: "invalid timestamp \"\(timeText)\"; expected \(expected)"
                )
            }
            time = t
            c.skipSpaces()
        }
        if !c.atEnd {
            // An exemplar (` # {trace_id="…"} 1 …`) says nothing about the series; it is skipped.
            guard c.peek == UInt8(ascii: "#") else {
                throw c.error(
                    "expected end of line or an exemplar (\" # {…} value\") after the \(time == nil ? "value" : "timestamp"), found \(c.found)"
                )
            }
        }
        return OpenMetricsSample(labels: labels, value: value, time: time)
    }

    private func labelPairs(_ c: inout Cursor, name: String) throws(OpenMetricsError) -> [Label] {
        c.advance()
        var pairs = [Label(Labels.metricName, name)]
        var names: Set<String> = []
        while true {
            c.skipSpaces()
            if c.peek == UInt8(ascii: "}") {
                c.advance()
                return pairs
            }
            let nameColumn = c.column
            guard let label = c.labelName() else {
                throw c.error("expected a label name or \"}\", found \(c.found)")
            }
            guard names.insert(label).inserted else {
                throw OpenMetricsError(
                    line: c.line, column: nameColumn, message: "label \"\(label)\" appears twice in one series")
            }
            c.skipSpaces()
            guard c.peek == UInt8(ascii: "=") else {
                throw c.error("expected \"=\" after label name \"\(label)\", found \(c.found)")
            }
            c.advance()
            c.skipSpaces()
            guard c.peek == UInt8(ascii: "\"") else {
                throw c.error("expected a quoted value after \(label)=, found \(c.found)")
            }
            pairs.append(Label(label, try c.quoted()))
            c.skipSpaces()
            if c.peek == UInt8(ascii: ",") {
                c.advance()
                continue
            }
            guard c.peek == UInt8(ascii: "}") else {
                throw c.error("expected \",\" or \"}\" after the value of \"\(label)\", found \(c.found)")
            }
        }
    }

    /// What the last `# TYPE` line promised about sample names and labels.
    private func checkFamily(name: String, labels: Labels, _ c: Cursor) throws(OpenMetricsError) {
        guard let family, name.hasPrefix(family.name) else { return }
        let suffix = name.dropFirst(family.name.count)
        switch family.type {
        case .counter where suffix.isEmpty && !name.hasSuffix("_total") && format == .openMetrics:
            throw OpenMetricsError(
                line: c.line, column: 1,
                message:
                    "counter \(family.name) has a sample named \(name); expected \(family.name)_total (or \(family.name)_created)"
            )
        case .histogram, .gaugehistogram:
            guard suffix == "_bucket" else { return }
            guard let le = labels["le"] else {
                throw OpenMetricsError(
                    line: c.line, column: 1,
                    message: "histogram bucket \(name) has no \"le\" label; expected le=\"<upper bound>\"")
            }
            guard Self.number(le) != nil else {
                throw OpenMetricsError(
                    line: c.line, column: 1,
                    message: "histogram bucket \(name) has le=\"\(le)\"; expected a number or +Inf")
            }
        default:
            return
        }
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard !text.isEmpty, text.utf8.allSatisfy({ Self.numberBytes.contains($0) }) else { return nil }
            return Double(text)
        }
    }

    private static let numberBytes = Set("0123456789.eE+-".utf8)

    /// Seconds with up to three decimals, exactly, as milliseconds (digits past the third are dropped,
    /// as promtool does).
    public static func milliseconds(seconds text: String) -> Timestamp? {
        var copy = text
        return copy.withUTF8 { milliseconds(seconds: $0[...]) }
    }

    static func milliseconds(seconds bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Timestamp? {
        var i = bytes.startIndex
        let negative = skipSign(bytes, &i)
        var ms: Int64 = 0
        var whole = 0
        while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57, whole <= 12 {
            ms = ms &* 10 &+ Int64(bytes[i] - 48)
            whole += 1
            i += 1
        }
        var fraction = 0
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.endIndex, bytes[i] >= 48, bytes[i] <= 57 {
                if fraction < 3 { ms = ms * 10 + Int64(bytes[i] - 48) }
                fraction += 1
                i += 1
            }
        }
        guard i == bytes.endIndex, whole + fraction > 0, whole <= 12 else {
            // Exponent notation (1.7e9) is valid OpenMetrics; read it as a float.
            guard let d = Double(Cursor.text(bytes)), d.isFinite, abs(d) < 1e12 else { return nil }
            return Timestamp((d * 1000).rounded(.towardZero))
        }
        for _ in min(fraction, 3)..<3 { ms *= 10 }
        return negative ? -ms : ms
    }

    /// A plain decimal (`-12.5`, `300`) read straight from its bytes: at most 15 digits, so the digits are an
    /// exact integer and one division by an exact power of ten rounds correctly, as `Double(text)` does. nil
    /// for anything else (exponents, NaN, Inf, long numbers), which `number` reads.
    static func plainNumber(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var i = bytes.startIndex
        let negative = skipSign(bytes, &i)
        var mantissa: Int64 = 0
        var digits = 0
        var fraction = -1
        while i < bytes.endIndex {
            let b = bytes[i]
            if b >= 48, b <= 57 {
                mantissa = mantissa * 10 + Int64(b - 48)
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if b == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            guard digits <= 15 else { return nil }
            i += 1
        }
        guard digits > 0 else { return nil }
        var value = Double(mantissa)
        if fraction > 0 { value /= Self.powersOfTen[fraction] }
        return negative ? -value : value
    }

    /// Moves `i` past a leading `+` or `-`; true for `-`.
    private static func skipSign(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ i: inout Int) -> Bool {
        guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") else { return false }
        i += 1
        return bytes[i - 1] == UInt8(ascii: "-")
    }

    /// 10^0 … 10^15, each exact in a Double.
    private static let powersOfTen: [Double] = (0...15).map { pow(10, Double($0)) }
}

/// A replay file that could not be opened or read.
public struct OpenMetricsFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot read \(path): \(reason)" }
}

/// A position in one line.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: Int
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        self.bytes = bytes
        self.line = line
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    var column: Int { index + 1 }
    mutating func advance() { index += 1 }

    /// What is at the cursor, for an error message.
    var found: String {
        guard !atEnd else { return "end of line" }
        let end = Swift.min(bytes.count, index + 12)
        return "\"\(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self))\""
    }

    func error(_ message: String) -> OpenMetricsError {
        OpenMetricsError(line: line, column: column, message: message)
    }

    /// Skips spaces and tabs; true when there were any.
    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while let b = peek, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { index += 1 }
        return index > start
    }

    /// Everything up to the next space, as bytes.
    mutating func tokenBytes() -> Slice<UnsafeBufferPointer<UInt8>> {
        let start = index
        while let b = peek, b != UInt8(ascii: " "), b != UInt8(ascii: "\t") { index += 1 }
        return bytes[start..<index]
    }

    static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes), as: UTF8.self)
    }

    /// Everything up to the next space.
    mutating func token() -> String {
        let start = index
        while let b = peek, b != UInt8(ascii: " "), b != UInt8(ascii: "\t") { index += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    mutating func metricName() -> String? { identifier(colons: true) }
    mutating func labelName() -> String? { identifier(colons: false) }

    private mutating func identifier(colons: Bool) -> String? {
        let start = index
        guard skipIdentifier(colons: colons) else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Moves past a name (with colons for a metric name); false when there is none.
    mutating func skipIdentifier(colons: Bool) -> Bool {
        let start = index
        while let b = peek {
            let letter =
                (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == UInt8(ascii: "_")
                || (colons && b == UInt8(ascii: ":"))
            let digit = b >= 48 && b <= 57
            guard letter || (digit && index > start) else { break }
            index += 1
        }
        return index > start
    }

    /// Moves past a `{…}` label set without reading it, honouring quotes and escapes.
    mutating func skipLabelSet() {
        var quoted = false
        while let b = peek {
            index += 1
            if quoted {
                if b == UInt8(ascii: "\\") { index += 1 } else if b == UInt8(ascii: "\"") { quoted = false }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == UInt8(ascii: "}") {
                return
            }
        }
    }

    /// A double-quoted label value with its escapes (\\, \" and \n) resolved.
    mutating func quoted() throws(OpenMetricsError) -> String {
        let open = index
        advance()
        var out: [UInt8] = []
        while let b = peek {
            if b == UInt8(ascii: "\"") {
                advance()
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                advance()
                switch peek {
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case nil: break
                case let other?:
                    throw OpenMetricsError(
                        line: line, column: index,
                        message:
                            "invalid escape \"\\\(String(decoding: [other], as: UTF8.self))\" in a label value; expected \\\\, \\\" or \\n"
                    )
                }
                advance()
                continue
            }
            out.append(b)
            advance()
        }
        throw OpenMetricsError(
            line: line, column: open + 1,
            message: "label value is not closed; expected a closing \" before the end of the line")
    }
}
