import KubeglassCore

/// One token of a PromQL query, with its byte range in the query text.
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String) // metric names, label names, keywords, function names
        case number(Double)
        case duration(Milliseconds)
        case string(String)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at
        case add, sub, mul, div, mod, pow
        case eqlc, neq, gtr, gte, lss, lte // == != > >= < <=
        case assign, regexMatch, regexNoMatch // = =~ !~
        case eof
    }

    var kind: Kind
    var start: Int
    var end: Int
}

extension Token.Kind {
    /// How the token reads in error messages, close to Prometheus' wording.
    var text: String {
        switch self {
        case .identifier(let s): return "identifier \"\(s)\""
        case .number(let n): return "number \"\(PromQLNumber.format(n))\""
        case .duration(let d): return "duration \"\(DurationText.text(milliseconds: d))\""
        case .string(let s): return "string \"\(s)\""
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .leftBracket: return "\"[\""
        case .rightBracket: return "\"]\""
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .at: return "\"@\""
        case .add: return "\"+\""
        case .sub: return "\"-\""
        case .mul: return "\"*\""
        case .div: return "\"/\""
        case .mod: return "\"%\""
        case .pow: return "\"^\""
        case .eqlc: return "\"==\""
        case .neq: return "\"!=\""
        case .gtr: return "\">\""
        case .gte: return "\">=\""
        case .lss: return "\"<\""
        case .lte: return "\"<=\""
        case .assign: return "\"=\""
        case .regexMatch: return "\"=~\""
        case .regexNoMatch: return "\"!~\""
        case .eof: return "end of input"
        }
    }
}

/// Splits query text into tokens. Works on UTF-8 bytes so positions are byte offsets, as in Prometheus.
struct Lexer {
    let input: [UInt8]
    private(set) var pos = 0
    /// Open parentheses not yet closed, so the end of input can be reported as Prometheus does.
    private(set) var parenDepth = 0

    init(_ text: String) { input = Array(text.utf8) }

    func error(_ message: String, at offset: Int) -> QueryError {
        QueryError(parse: message, at: offset, in: input)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        pos + ahead < input.count ? input[pos + ahead] : nil
    }

    mutating func next() throws(QueryError) -> Token {
        skipSpaceAndComments()
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, start: start, end: start) }

        func single(_ kind: Token.Kind, _ length: Int = 1) -> Token {
            pos += length
            return Token(kind: kind, start: start, end: pos)
        }

        switch c {
        case UInt8(ascii: "("):
            parenDepth += 1
            return single(.leftParen)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            return single(.rightParen)
        case UInt8(ascii: "{"): return single(.leftBrace)
        case UInt8(ascii: "}"): return single(.rightBrace)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ":"):
            // A colon starts a metric name only outside brackets; the parser asks for subquery colons.
            if let n = peek(1), isIdentifierStart(n) || n == UInt8(ascii: ":") { return lexIdentifier(start) }
            return single(.colon)
        case UInt8(ascii: "@"): return single(.at)
        case UInt8(ascii: "+"): return single(.add)
        case UInt8(ascii: "-"): return single(.sub)
        case UInt8(ascii: "*"): return single(.mul)
        case UInt8(ascii: "/"): return single(.div)
        case UInt8(ascii: "%"): return single(.mod)
        case UInt8(ascii: "^"): return single(.pow)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") { return single(.eqlc, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexMatch, 2) }
            return single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.neq, 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexNoMatch, 2) }
            throw error("unexpected character after '!': \(describe(peek(1)))", at: start)
        case UInt8(ascii: ">"):
            if peek(1) == UInt8(ascii: "=") { return single(.gte, 2) }
            return single(.gtr)
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "=") { return single(.lte, 2) }
            return single(.lss)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return try lexString(start, quote: c)
        default:
            if isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(isDigit) == true) {
                return try lexNumberOrDuration(start)
            }
            if isIdentifierStart(c) { return lexIdentifier(start) }
            throw error("unexpected character: \(describe(c))", at: start)
        }
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while let c = peek(), c != UInt8(ascii: "\n") { pos += 1 }
            } else {
                return
            }
        }
    }

    private mutating func lexIdentifier(_ start: Int) -> Token {
        while let c = peek(), isIdentifierStart(c) || isDigit(c) || c == UInt8(ascii: ":") { pos += 1 }
        let word = String(decoding: input[start..<pos], as: UTF8.self)
        let lower = word.lowercased()
        if lower == "inf" { return Token(kind: .number(.infinity), start: start, end: pos) }
        if lower == "nan" { return Token(kind: .number(.nan), start: start, end: pos) }
        return Token(kind: .identifier(word), start: start, end: pos)
    }

    private mutating func lexNumberOrDuration(_ start: Int) throws(QueryError) -> Token {
        // Take the longest run that could be a number or a duration, then decide.
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            while let c = peek(), isHexDigit(c) { pos += 1 }
            let text = String(decoding: input[(start + 2)..<pos], as: UTF8.self)
            if let c = peek(), isIdentifierStart(c) || c == UInt8(ascii: ".") { return try badNumber(start) }
            guard let value = UInt64(text, radix: 16) else { return try badNumber(start) }
            return Token(kind: .number(Double(value)), start: start, end: pos)
        }
        while let c = peek(), isDigit(c) || c == UInt8(ascii: ".") { pos += 1 }
        if let c = peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            // An exponent, unless this is a duration unit (none start with e).
            var look = pos + 1
            if look < input.count, input[look] == UInt8(ascii: "+") || input[look] == UInt8(ascii: "-") { look += 1 }
            if look < input.count, isDigit(input[look]) {
                pos = look
                while let c = peek(), isDigit(c) { pos += 1 }
            }
        }
        if let c = peek(), isIdentifierStart(c) {
            // A duration like 5m or 1h30m.
            while let c = peek(), isIdentifierStart(c) || isDigit(c) { pos += 1 }
            let text = String(decoding: input[start..<pos], as: UTF8.self)
            guard let ms = Self.duration(text) else { return try badNumber(start) }
            return Token(kind: .duration(ms), start: start, end: pos)
        }
        let text = String(decoding: input[start..<pos], as: UTF8.self)
        guard let value = Double(text), text.first != "." || text.count > 1 else { return try badNumber(start) }
        return Token(kind: .number(value), start: start, end: pos)
    }

    /// Milliseconds for `1h30m`-style text: units from largest to smallest, each at most once, and no
    /// longer than Go's time.Duration allows (about 292 years), so later arithmetic cannot overflow.
    static func duration(_ text: String) -> Int64? {
        let units: [(String, Milliseconds)] = [
            ("y", Milliseconds.year), ("w", Milliseconds.week), ("d", Milliseconds.day), ("h", Milliseconds.hour),
            ("m", Milliseconds.minute), ("s", Milliseconds.second), ("ms", 1),
        ]
        let limit = Int64.max / 1_000_000
        var rest = Substring(text)
        var total: Int64 = 0
        var nextUnit = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 18, let n = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            guard let u = units.firstIndex(where: { $0.0 == letters }), u >= nextUnit else { return nil }
            rest = rest.dropFirst(letters.count)
            nextUnit = u + 1
            let (product, overflow) = n.multipliedReportingOverflow(by: units[u].1)
            guard !overflow, product <= limit - total else { return nil }
            total += product
        }
        return total
    }

    private mutating func badNumber(_ start: Int) throws(QueryError) -> Token {
        while let c = peek(), isIdentifierStart(c) || isDigit(c) || c == UInt8(ascii: ".") { pos += 1 }
        let text = String(decoding: input[start..<pos], as: UTF8.self)
        throw error("bad number or duration syntax: \"\(text)\"", at: start)
    }

    private mutating func lexString(_ start: Int, quote: UInt8) throws(QueryError) -> Token {
        pos += 1
        var bytes: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("unterminated quoted string", at: start) }
            pos += 1
            if c == quote { break }
            if quote == UInt8(ascii: "`") {
                bytes.append(c)
                continue
            }
            if c == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if c != UInt8(ascii: "\\") {
                bytes.append(c)
                continue
            }
            guard let e = peek() else { throw error("unterminated quoted string", at: start) }
            let escapeStart = pos - 1
            pos += 1
            switch e {
            case UInt8(ascii: "a"): bytes.append(7)
            case UInt8(ascii: "b"): bytes.append(8)
            case UInt8(ascii: "f"): bytes.append(12)
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "r"): bytes.append(13)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "v"): bytes.append(11)
            case UInt8(ascii: "\\"): bytes.append(e)
            case quote: bytes.append(e)
            case UInt8(ascii: "x"):
                bytes.append(UInt8(try hexEscape(digits: 2, base: 16, escapeStart)))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                pos -= 1
                let value = try hexEscape(digits: 3, base: 8, escapeStart)
                guard value <= 255 else { throw error("invalid escape sequence in quoted string", at: escapeStart) }
                bytes.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let value = try hexEscape(digits: e == UInt8(ascii: "u") ? 4 : 8, base: 16, escapeStart)
                guard let scalar = Unicode.Scalar(value) else {
                    throw error("invalid escape sequence in quoted string", at: escapeStart)
                }
                bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                throw error("unknown escape sequence \(describe(e))", at: escapeStart)
            }
        }
        return Token(kind: .string(String(decoding: bytes, as: UTF8.self)), start: start, end: pos)
    }

    private mutating func hexEscape(digits: Int, base: UInt32, _ escapeStart: Int) throws(QueryError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let c = peek(), let d = digitValue(c), d < base else {
                throw error("invalid escape sequence in quoted string", at: escapeStart)
            }
            value = value &* base &+ d
            pos += 1
        }
        return value
    }

    private func describe(_ c: UInt8?) -> String {
        guard let c else { return "end of input" }
        if c >= 32 && c < 127 { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16))"
    }
}

func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
func isHexDigit(_ c: UInt8) -> Bool { digitValue(c).map { $0 < 16 } ?? false }
func isIdentifierStart(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_")
}
private func digitValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
}
