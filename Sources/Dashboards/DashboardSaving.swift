import Foundation
import Query

/// Where `w` writes a dashboard: back to its YAML file; beside an imported Grafana JSON (never over it);
/// a built-in into the config directory, where it then replaces the built-in.
public enum DashboardSaving {
    public static func path(
        for dashboard: Dashboard, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        guard let file = dashboard.file else {
            return DashboardCatalog.directory(environment: environment) + "/\(dashboard.name).yaml"
        }
        let ext = URL(fileURLWithPath: file).pathExtension.lowercased()
        if ext == "yaml" || ext == "yml" { return file }
        return URL(fileURLWithPath: file).deletingPathExtension().appendingPathExtension("yaml").path
    }

    /// What `w` did: the file, and whether only the changed queries were written into its text (comments kept)
    /// or the file was written whole.
    public struct Saved: Sendable, Equatable {
        public var path: String
        /// Queries written in place (0 when the file was written whole).
        public var changed: Int
        public var inPlace: Bool
    }

    /// The text a dashboard was read from, when it was YAML: the file `w` writes (once written), its own file,
    /// or the built-in it came from.
    public static func originalText(
        for dashboard: Dashboard, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        let target = path(for: dashboard, environment: environment)
        if let data = FileManager.default.contents(atPath: target) { return String(data: data, encoding: .utf8) }
        if dashboard.file == nil { return BuiltinDashboards.text(named: dashboard.name) }
        return nil
    }

    /// Writes the dashboard's YAML; returns the path written. Into a YAML text it was read from, only the queries
    /// that changed are written, each in its place, so the file keeps its comments; otherwise the file is written
    /// whole. Nothing is written when nothing changed.
    @discardableResult
    public static func save(_ dashboard: Dashboard, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Saved
    {
        let path = path(for: dashboard, environment: environment)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        if let text = originalText(for: dashboard, environment: environment),
            let before = try? DashboardFile.parse(yaml: text, file: path, name: dashboard.name),
            let changes = DashboardTextEdit.changes(from: before, to: dashboard),
            let edited = DashboardTextEdit.apply(changes, to: text),
            let check = try? DashboardFile.parse(yaml: edited, file: path, name: dashboard.name),
            DashboardTextEdit.changes(from: check, to: dashboard)?.isEmpty == true
        {
            if !changes.isEmpty || !FileManager.default.fileExists(atPath: path) {
                try edited.write(toFile: path, atomically: true, encoding: .utf8)
            }
            return Saved(path: path, changed: changes.count, inPlace: true)
        }
        var comments: [String] = []
        if let file = dashboard.file, file != path { comments.append("Imported from \(file) by kubeglass.") }
        try DashboardWriter.yaml(dashboard, comments: comments).write(toFile: path, atomically: true, encoding: .utf8)
        return Saved(path: path, changed: 0, inPlace: false)
    }
}
