import Foundation

/// The queries a person applied, oldest first, as a shell keeps its history: at most `limit`
/// entries, a query applied twice in a row kept once. On disk one query a line, with `\` and line
/// breaks escaped (`\\`, `\n`) so multi-line queries stay one line.
public struct QueryHistory: Hashable, Sendable {
    public private(set) var entries: [String]
    public let limit: Int

    public init(_ entries: [String] = [], limit: Int = 1000) {
        self.limit = max(1, limit)
        self.entries = Array(entries.suffix(self.limit))
    }

    /// Adds `query` as the newest entry, unless it is blank or the same as the newest.
    public mutating func record(_ query: String) {
        guard !query.allSatisfy(\.isWhitespace), entries.last != query else { return }
        entries.append(query)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// `$XDG_STATE_HOME/kubeglass/history`, else `~/.local/state/kubeglass/history`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/kubeglass/history"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/kubeglass/history"
    }

    /// The history in the file at `path`; empty when there is none yet (or it cannot be read).
    public static func load(path: String, limit: Int = 1000) -> QueryHistory {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return QueryHistory(limit: limit) }
        return QueryHistory(text.split(separator: "\n").map { decode(String($0)) }, limit: limit)
    }

    /// Writes the whole history to `path` (creating its folders), replacing the file at once.
    public func save(path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = entries.map(Self.encode).joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Records `query` in the file at `path`, re-reading it first so two kubeglass windows both keep theirs.
    /// Returns the history as it now is.
    @discardableResult
    public static func append(_ query: String, path: String) throws -> QueryHistory {
        var history = load(path: path)
        history.record(query)
        try history.save(path: path)
        return history
    }

    static func encode(_ query: String) -> String {
        var out = ""
        for c in query {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n" // one Character in Swift
            default: out.append(c)
            }
        }
        return out
    }

    static func decode(_ line: String) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
