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

    /// Writes the dashboard's YAML; returns the path written.
    @discardableResult
    public static func save(_ dashboard: Dashboard, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> String
    {
        let path = path(for: dashboard, environment: environment)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        var comments: [String] = []
        if let file = dashboard.file, file != path { comments.append("Imported from \(file) by kubeglass.") }
        try DashboardWriter.yaml(dashboard, comments: comments).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
