/// How a table orders a cell: numbers numerically, text in natural order (node-2 before node-10,
/// case-insensitive), and missing values (nil, NaN, no cell) last in both directions.
public enum SortKey: Sendable {
    case number(Double)
    case text(String)
    case missing

    /// A number, or missing when nil or NaN.
    public init(number: Double?) {
        if let number, !number.isNaN { self = .number(number) } else { self = .missing }
    }

    /// The indices of `keys` in table order; ties keep their order.
    public static func order(_ keys: [SortKey], descending: Bool) -> [Int] {
        keys.indices.sorted { a, b in precedes(keys[a], a, keys[b], b, descending: descending) }
    }

    /// Whether the row with key `a` at index `i` comes before the one with `b` at `j`.
    @inline(__always)
    public static func precedes(_ a: SortKey, _ i: Int, _ b: SortKey, _ j: Int, descending: Bool) -> Bool {
        switch (a, b) {
        case (.missing, .missing): return i < j
        case (.missing, _): return false
        case (_, .missing): return true
        default:
            let c = compare(a, b)
            if c == 0 { return i < j }
            return descending ? c > 0 : c < 0
        }
    }

    /// Natural order of two strings: digit runs compare as numbers, the rest case-insensitively.
    /// Returns -1, 0 or 1.
    public static func naturalCompare(_ a: String, _ b: String) -> Int {
        let ta = NaturalToken.split(a)
        let tb = NaturalToken.split(b)
        for (x, y) in zip(ta, tb) {
            let c = NaturalToken.compare(x, y)
            if c != 0 { return c }
        }
        if ta.count != tb.count { return ta.count < tb.count ? -1 : 1 }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    public static func compare(_ a: SortKey, _ b: SortKey) -> Int {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.text(let x), .text(let y)): return naturalCompare(x, y)
        case (.number, .text): return -1
        case (.text, .number): return 1
        default: return 0
        }
    }
}

private enum NaturalToken {
    case digits(Substring)
    case text(String)

    static func split(_ s: String) -> [NaturalToken] {
        var tokens: [NaturalToken] = []
        var i = s.startIndex
        while i < s.endIndex {
            let isDigit = s[i].isASCII && s[i].isNumber
            let end = s[i...].firstIndex { ($0.isASCII && $0.isNumber) != isDigit } ?? s.endIndex
            tokens.append(isDigit ? .digits(s[i..<end]) : .text(s[i..<end].lowercased()))
            i = end
        }
        return tokens
    }

    static func compare(_ a: NaturalToken, _ b: NaturalToken) -> Int {
        switch (a, b) {
        case (.digits(let x), .digits(let y)):
            let x = x.drop { $0 == "0" }
            let y = y.drop { $0 == "0" }
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            return x == y ? 0 : (x < y ? -1 : 1)
        case (.text(let x), .text(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.digits, .text): return -1
        case (.text, .digits): return 1
        }
    }
}
