/// A query that could not be parsed or evaluated.
///
/// Parse errors read as Prometheus writes them, `1:5: parse error: unclosed left parenthesis`;
/// evaluation errors are the bare message, as Prometheus' API returns them.
public struct QueryError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable { case parse, execution }

    public let kind: Kind
    public let message: String
    /// Byte offset into the query where the problem is (parse errors only).
    public let offset: Int?
    /// 1-based line and column of `offset` (parse errors only).
    public let line: Int?
    public let column: Int?

    init(parse message: String, at offset: Int, in query: [UInt8]) {
        kind = .parse
        self.message = message
        let clamped = max(0, min(offset, query.count))
        self.offset = clamped
        var line = 1
        var lastBreak = -1
        for i in 0..<clamped where query[i] == UInt8(ascii: "\n") {
            line += 1
            lastBreak = i
        }
        self.line = line
        column = clamped - lastBreak
    }

    init(execution message: String) {
        kind = .execution
        self.message = message
        offset = nil
        line = nil
        column = nil
    }

    public var description: String {
        switch kind {
        case .parse: return "\(line ?? 1):\(column ?? 1): parse error: \(message)"
        case .execution: return message
        }
    }
}
