import Foundation

/// A label matcher as in a PromQL selector: `name="v"`, `!=`, `=~`, `!~`.
public struct LabelMatcher: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case regex = "=~"
        case notRegex = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    private let pattern: AnchoredPattern?
    /// For a regex that is only literals joined by `|` (`node-1|node-2`, as a multi-value variable or a
    /// table's row restriction writes it): those literals. Matching is then a set lookup, and the store
    /// reads each literal's postings instead of testing every series against the regex.
    public let literals: Set<String>?

    public init(_ name: String, _ kind: Kind, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual:
            pattern = nil
            literals = nil
        case .regex, .notRegex:
            // Literals joined by `|` are always a valid pattern, and match as a set: no regex is compiled.
            literals = AnchoredPattern.literalAlternatives(value)
            pattern = literals == nil ? try AnchoredPattern(value) : nil
        }
    }

    private init(regexOf name: String, literals: Set<String>) {
        self.name = name
        kind = .regex
        value = literals.sorted().map(AnchoredPattern.escape).joined(separator: "|")
        pattern = nil
        self.literals = literals
    }

    /// `name=~"v1|v2|…"`, each value escaped so that it matches only itself.
    public static func oneOf(_ name: String, _ values: some Sequence<String>) -> LabelMatcher {
        LabelMatcher(regexOf: name, literals: Set(values))
    }

    public static func equal(_ name: String, _ value: String) -> LabelMatcher {
        // swiftlint:disable:next force_try
        try! LabelMatcher(name, .equal, value)
    }

    /// Whether a label's value (nil or "" when absent) satisfies this matcher.
    public func matches(_ labelValue: String?) -> Bool {
        let v = labelValue ?? ""
        switch kind {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regex: return literals.map { $0.contains(v) } ?? pattern!.matches(v)
        case .notRegex: return !(literals.map { $0.contains(v) } ?? pattern!.matches(v))
        }
    }

    public var description: String { "\(name)\(kind.rawValue)\"\(value)\"" }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(value)
    }
}

/// A regular expression anchored at both ends, as PromQL anchors label regexes.
public struct AnchoredPattern: @unchecked Sendable {
    // NSRegularExpression is immutable and documented thread-safe.
    private let regex: NSRegularExpression
    public let source: String

    public init(_ source: String) throws {
        self.source = source
        do {
            regex = try NSRegularExpression(pattern: "^(?:\(source))$", options: [.dotMatchesLineSeparators])
        } catch {
            throw PatternError(pattern: source)
        }
    }

    public func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}

extension AnchoredPattern {
    /// Characters with a meaning in a regular expression.
    static let special: Set<Character> = [".", "^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\"]

    /// `text` with every special character escaped.
    public static func escape(_ text: String) -> String {
        // Most label values (names, namespaces) have nothing to escape.
        guard
            text.utf8.contains(where: {
                switch $0 {
                case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                    UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                    UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "\\"):
                    true
                default: false
                }
            })
        else { return text }
        var out = ""
        for c in text {
            if special.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// The literals of a pattern that is only literals and `|` (escaped punctuation allowed), else nil.
    /// One group around the whole may wrap them: `(a|b)` and `(?:a|b)`, as a multi-value variable writes them.
    static func literalAlternatives(_ pattern: String) -> Set<String>? {
        if pattern.hasSuffix(")") {
            if pattern.hasPrefix("(?:") { return literalAlternatives(bare: pattern.dropFirst(3).dropLast()) }
            if pattern.hasPrefix("(") && !pattern.hasPrefix("(?") {
                return literalAlternatives(bare: pattern.dropFirst().dropLast())
            }
        }
        return literalAlternatives(bare: Substring(pattern))
    }

    private static func literalAlternatives(bare pattern: Substring) -> Set<String>? {
        var out: Set<String> = []
        var current = ""
        var escaped = false
        for c in pattern {
            if escaped {
                // `\d`, `\w`, `\b`…: classes and anchors, not literals.
                guard c.isPunctuation || c.isSymbol else { return nil }
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "|" {
                out.insert(current)
                current = ""
            } else if special.contains(c) {
                return nil
            } else {
                current.append(c)
            }
        }
        if escaped { return nil }
        out.insert(current)
        return out
    }
}

public struct PatternError: Error, CustomStringConvertible {
    public let pattern: String
    public var description: String { "invalid regular expression \"\(pattern)\"" }
}
