/// What `/` searches with: the text as a case-insensitive substring, or, when it holds a regular expression's
/// metacharacters (`^ $ * + ? ( ) [ ] { } | \`) and compiles as one, a case-insensitive regular expression.
/// A `.` alone does not make a regular expression, so `10.0.0.1` and `app.v2` stay plain text.
public struct TextFilter {
    public let text: String
    private let needle: String
    private let regex: Regex<AnyRegexOutput>?

    static let metacharacters: Set<Character> = ["^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\"]

    public init(_ text: String) {
        self.text = text
        needle = text.lowercased()
        regex =
            text.contains { TextFilter.metacharacters.contains($0) }
            ? (try? Regex(text)).map { $0.ignoresCase() } : nil
    }

    /// Whether the text is read as a regular expression.
    public var isRegex: Bool { regex != nil }

    public func matches(_ value: String) -> Bool {
        guard !text.isEmpty else { return true }
        if let regex { return value.contains(regex) }
        return value.lowercased().contains(needle)
    }
}
