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

    public init(_ name: String, _ kind: Kind, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: pattern = nil
        case .regex, .notRegex: pattern = try AnchoredPattern(value)
        }
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
        case .regex: return pattern!.matches(v)
        case .notRegex: return !pattern!.matches(v)
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

public struct PatternError: Error, CustomStringConvertible {
    public let pattern: String
    public var description: String { "invalid regular expression \"\(pattern)\"" }
}
