import Dashboards
import Foundation

/// What `--playlist` names: the dashboards a kiosk shows in turn, each remembered with where it was written
/// (a playlist file and line), so that a bad entry is reported where it can be fixed.
public struct Playlist: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// A dashboard name (`cluster`) or a dashboard file.
        public var value: String
        /// The playlist file and its line, when the entry came from one.
        public var file: String?
        public var line: Int?

        public init(value: String, file: String? = nil, line: Int? = nil) {
            self.value = value
            self.file = file
            self.line = line
        }

        /// `wall.txt:3: ` for an entry of a file, nothing for one given on the command line.
        var location: String { file.map { "\($0):\(line ?? 0): " } ?? "" }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// `cluster,nodes,pods` (names or dashboard files), or a playlist file: one entry per line, `#` starts a
    /// comment. A lone value that is a file but not a dashboard file (`.yaml`, `.yml`, `.json`) is a playlist file.
    public static func parse(
        _ argument: String, isFile: (String) -> Bool = Playlist.isFile,
        read: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(PlaylistError) -> Playlist {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains(","), isFile(trimmed), !isDashboardFile(trimmed) {
            let text: String
            do { text = try read(trimmed) } catch {
                throw PlaylistError("\(trimmed): cannot read the playlist (\(error.localizedDescription))")
            }
            return try parseFile(text, path: trimmed)
        }
        let values = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        guard !values.isEmpty else {
            throw PlaylistError("--playlist names no dashboard: give names like cluster,nodes,pods or a playlist file")
        }
        return Playlist(entries: values.map { Entry(value: $0) })
    }

    /// A playlist file's text: one dashboard per line; blank lines and `#` comments are skipped. A relative
    /// dashboard file is found next to the playlist.
    public static func parseFile(_ text: String, path: String) throws(PlaylistError) -> Playlist {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (raw.firstIndex(of: "#").map { raw[..<$0] } ?? raw[...]).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            if line.contains(",") {
                throw PlaylistError(
                    "\(path):\(i + 1): one dashboard per line, not a list (\"\(line)\"); put each on its own line")
            }
            var value = line
            if isDashboardFile(line) || line.contains("/"), !line.hasPrefix("/") {
                value = directory.appendingPathComponent(line).path
            }
            entries.append(Entry(value: value, file: path, line: i + 1))
        }
        guard !entries.isEmpty else {
            throw PlaylistError("\(path): the playlist names no dashboard; write one name or file per line")
        }
        return Playlist(entries: entries)
    }

    /// The dashboards in order; `open` finds one by name or file. A failure names the entry's file and line.
    public func dashboards(_ open: (String) throws -> Dashboard) throws(PlaylistError) -> [Dashboard] {
        var boards: [Dashboard] = []
        for entry in entries {
            do { boards.append(try open(entry.value)) } catch {
                throw PlaylistError("\(entry.location)\(error)")
            }
        }
        return boards
    }

    static func isDashboardFile(_ value: String) -> Bool {
        ["yaml", "yml", "json"].contains(URL(fileURLWithPath: value).pathExtension.lowercased())
    }

    public static func isFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
    }
}

/// A playlist that cannot be used, said where it is wrong.
public struct PlaylistError: Error, CustomStringConvertible, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
