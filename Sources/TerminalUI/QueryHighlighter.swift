public enum QueryLanguage: String, Hashable, Sendable {
    case promql, influxql
}

/// A run of query text of one kind, as a range of Character offsets.
public struct HighlightSpan: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case metric, identifier, labelName, string, number, duration, function, keyword
        case `operator`, punctuation, comment, variable
    }

    public var kind: Kind
    public var range: Range<Int>

    public init(_ kind: Kind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// Splits PromQL or InfluxQL text into coloured spans. A lexer for colour only: it accepts any
/// input (unterminated strings, stray bytes) and leaves characters it does not know uncoloured.
public enum QueryHighlighter {
    public static func spans(_ text: String, language: QueryLanguage) -> [HighlightSpan] {
        spans(Array(text), language: language)
    }

    public static func spans(_ chars: [Character], language: QueryLanguage) -> [HighlightSpan] {
        var lexer = Lexer(chars: chars, language: language)
        lexer.run()
        return lexer.spans
    }

    static let promqlFunctions: Set<String> = [
        "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg",
        "avg_over_time", "bottomk", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh",
        "count", "count_over_time", "count_values", "day_of_month", "day_of_week", "day_of_year",
        "days_in_month", "deg", "delta", "deriv", "exp", "floor", "group", "histogram_count",
        "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar", "histogram_sum",
        "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time",
        "limitk", "limit_ratio", "ln", "log10", "log2", "mad_over_time", "max", "max_over_time", "min",
        "min_over_time", "minute", "month", "predict_linear", "present_over_time", "quantile",
        "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort",
        "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev", "stddev_over_time", "stdvar",
        "stdvar_over_time", "sum", "sum_over_time", "tan", "tanh", "time", "timestamp", "topk", "vector", "year",
    ]

    static let promqlKeywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
        "start", "end",
    ]

    /// Keywords followed by a parenthesised list of label names.
    static let promqlLabelListKeywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]

    static let influxqlFunctions: Set<String> = [
        "count", "distinct", "integral", "mean", "median", "mode", "spread", "stddev", "sum", "bottom", "first",
        "last", "max", "min", "percentile", "sample", "top", "abs", "acos", "asin", "atan", "atan2", "ceil",
        "cos", "cumulative_sum", "derivative", "difference", "elapsed", "exp", "floor", "histogram", "ln", "log",
        "log2", "log10", "moving_average", "non_negative_derivative", "non_negative_difference", "pow", "round",
        "sin", "sqrt", "tan", "holt_winters", "holt_winters_with_fit", "chande_momentum_oscillator",
        "exponential_moving_average", "double_exponential_moving_average", "kaufmans_efficiency_ratio",
        "kaufmans_adaptive_moving_average", "triple_exponential_moving_average", "triple_exponential_derivative",
        "relative_strength_index",
    ]

    static let influxqlKeywords: Set<String> = [
        "select", "from", "where", "group", "by", "order", "limit", "slimit", "offset", "soffset", "as", "and",
        "or", "not", "fill", "time", "tz", "asc", "desc", "into", "on", "show", "measurements", "measurement",
        "tag", "tags", "keys", "key", "values", "field", "fields", "series", "databases", "retention", "policies",
        "with", "in", "null", "none", "previous", "linear", "true", "false",
    ]

    static let durationUnits: Set<String> = ["ns", "us", "µs", "u", "µ", "ms", "s", "m", "h", "d", "w", "y"]

    /// True if `word` is one or more `<digits><unit>` pairs, like `5m` or `1h30m`.
    static func isDuration(_ word: ArraySlice<Character>) -> Bool {
        var i = word.startIndex
        var pairs = 0
        while i < word.endIndex {
            let digitsStart = i
            while i < word.endIndex, word[i].isASCII, word[i].isNumber { i += 1 }
            guard i > digitsStart else { return false }
            let unitStart = i
            while i < word.endIndex, word[i].isLetter { i += 1 }
            guard durationUnits.contains(String(word[unitStart..<i])) else { return false }
            pairs += 1
        }
        return pairs > 0
    }
}

private struct Lexer {
    let chars: [Character]
    let language: QueryLanguage
    var spans: [HighlightSpan] = []
    var i = 0
    var braceDepth = 0
    var parenDepth = 0
    /// Paren depths whose contents are label names (`by (…)`, `on (…)`).
    var labelListDepths: [Int] = []
    var expectLabelList = false
    var lastOperator = ""

    init(chars: [Character], language: QueryLanguage) {
        self.chars = chars
        self.language = language
    }

    func peek(_ offset: Int = 0) -> Character? {
        let j = i + offset
        return j < chars.count ? chars[j] : nil
    }

    mutating func emit(_ kind: HighlightSpan.Kind, from start: Int) {
        guard i > start else { return }
        spans.append(HighlightSpan(kind, start..<i))
        if kind != .comment && kind != .operator { lastOperator = "" }
    }

    static func isIdentifierStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
    static func isIdentifierPart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    mutating func run() {
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c.isWhitespace || c.isNewline {
                i += 1
            } else if language == .promql, c == "#" {
                skipLine()
                emit(.comment, from: start)
            } else if language == .influxql, c == "-", peek(1) == "-" {
                skipLine()
                emit(.comment, from: start)
            } else if language == .influxql, c == "/", peek(1) == "*" {
                i += 2
                while i < chars.count, !(chars[i] == "*" && peek(1) == "/") { i += 1 }
                i = min(i + 2, chars.count)
                emit(.comment, from: start)
            } else if c == "\"" || c == "'" || c == "`" {
                lexString(quote: c)
                let kind: HighlightSpan.Kind = language == .influxql && c == "\"" ? .identifier : .string
                emit(kind, from: start)
            } else if language == .influxql, c == "/", lastOperator == "=~" || lastOperator == "!~" {
                lexString(quote: "/")
                emit(.string, from: start)
            } else if c.isASCII && c.isNumber || (c == "." && (peek(1).map { $0.isASCII && $0.isNumber } ?? false)) {
                lexNumber(from: start)
            } else if c == "$" {
                lexVariable()
                emit(.variable, from: start)
            } else if language == .influxql, c == "[", peek(1) == "[" {
                lexGrafanaBrackets(from: start)
            } else if Lexer.isIdentifierStart(c) {
                lexWord(from: start)
            } else if let op = operatorAt() {
                i += op.count
                emit(.operator, from: start)
                lastOperator = op
                expectLabelList = false
            } else if "(){}[],;:.".contains(c) {
                i += 1
                punctuation(c)
                emit(.punctuation, from: start)
            } else {
                i += 1
            }
        }
    }

    mutating func skipLine() {
        while i < chars.count, !chars[i].isNewline { i += 1 }
    }

    /// Up to the closing quote (backslash escapes honoured), or the end of the line (the end of the text for raw strings).
    mutating func lexString(quote: Character) {
        i += 1
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && quote != "`" {
                i = min(i + 2, chars.count)
                continue
            }
            if c == quote {
                i += 1
                return
            }
            if c.isNewline && quote != "`" { return }
            i += 1
        }
    }

    mutating func lexNumber(from start: Int) {
        while i < chars.count {
            let c = chars[i]
            if c.isLetter || c.isNumber || c == "." || c == "_" {
                i += 1
                continue
            }
            if c == "+" || c == "-", i > start, chars[i - 1] == "e" || chars[i - 1] == "E",
                !chars[start..<i].contains(where: { $0 == "x" || $0 == "X" })
            {
                i += 1
                continue
            }
            break
        }
        let word = chars[start..<i]
        emit(QueryHighlighter.isDuration(word) ? .duration : .number, from: start)
    }

    /// `$name`, `${name}` / `${name:format}`, `$__interval`.
    mutating func lexVariable() {
        i += 1
        if peek() == "{" {
            while i < chars.count, chars[i] != "}", !chars[i].isNewline { i += 1 }
            if peek() == "}" { i += 1 }
        } else {
            while i < chars.count, Lexer.isIdentifierPart(chars[i]) { i += 1 }
        }
    }

    /// Grafana's old `[[variable]]` syntax.
    mutating func lexGrafanaBrackets(from start: Int) {
        i += 2
        while i < chars.count, Lexer.isIdentifierPart(chars[i]) || chars[i] == ":" { i += 1 }
        if peek() == "]", peek(1) == "]" {
            i += 2
            emit(.variable, from: start)
        } else {
            i = start + 1
            punctuation("[")
            emit(.punctuation, from: start)
        }
    }

    mutating func lexWord(from start: Int) {
        while i < chars.count, Lexer.isIdentifierPart(chars[i]) || (language == .promql && chars[i] == ":") { i += 1 }
        let word = String(chars[start..<i])
        let lower = word.lowercased()
        switch language {
        case .promql:
            if braceDepth > 0 || labelListDepths.last == parenDepth {
                emit(.labelName, from: start)
            } else if QueryHighlighter.promqlKeywords.contains(lower) && !nextIsLabelMatcherOrBrace() {
                emit(.keyword, from: start)
                expectLabelList = QueryHighlighter.promqlLabelListKeywords.contains(lower)
                return
            } else if QueryHighlighter.promqlFunctions.contains(lower) && !nextIsSelectorSuffix() {
                emit(.function, from: start)
            } else {
                emit(.metric, from: start)
            }
        case .influxql:
            if QueryHighlighter.influxqlKeywords.contains(lower) {
                emit(.keyword, from: start)
            } else if QueryHighlighter.influxqlFunctions.contains(lower) && !nextIsSelectorSuffix() {
                emit(.function, from: start)
            } else {
                emit(.identifier, from: start)
            }
        }
        expectLabelList = false
    }

    func nextNonSpace() -> Character? {
        var j = i
        while j < chars.count, chars[j].isWhitespace { j += 1 }
        return j < chars.count ? chars[j] : nil
    }

    /// `on{…}` or `offset{…}` name a metric, not a keyword.
    func nextIsLabelMatcherOrBrace() -> Bool { nextNonSpace() == "{" }

    /// `time{…}` or `count[5m]` select a metric of that name rather than call a function.
    func nextIsSelectorSuffix() -> Bool { nextNonSpace() == "{" || nextNonSpace() == "[" }

    mutating func operatorAt() -> String? {
        let two = [peek(), peek(1)].compactMap { $0 }.map(String.init).joined()
        let twoChar =
            language == .promql ? ["==", "!=", "<=", ">=", "=~", "!~"] : ["!=", "<>", "<=", ">=", "=~", "!~", "::"]
        if two.count == 2, twoChar.contains(two) { return two == "::" ? nil : two }
        guard let c = peek() else { return nil }
        let one: String = language == .promql ? "+-*/%^<>=@" : "+-*/%<>=&|^"
        return one.contains(c) ? String(c) : nil
    }

    mutating func punctuation(_ c: Character) {
        switch c {
        case "{": braceDepth += 1
        case "}": braceDepth = max(0, braceDepth - 1)
        case "(":
            parenDepth += 1
            if expectLabelList { labelListDepths.append(parenDepth) }
        case ")":
            if labelListDepths.last == parenDepth { labelListDepths.removeLast() }
            parenDepth = max(0, parenDepth - 1)
        default: break
        }
        expectLabelList = false
    }
}
