import Foundation
import Query

/// Every dashboard kubeglass can open: the built-ins, the files in the config directory
/// (`$XDG_CONFIG_HOME/kubeglass/dashboards/`, default `~/.config/kubeglass/dashboards/`), and `--dashboard` files.
/// A broken file becomes an error and the others still load; a file with a built-in's name replaces it.
public struct DashboardCatalog: Sendable {
    public enum Origin: Sendable, Hashable {
        case builtin
        /// A file in the config directory.
        case config(String)
        /// A file named on the command line.
        case commandLine(String)

        public var description: String {
            switch self {
            case .builtin: return "built-in"
            case .config(let path), .commandLine(let path): return path
            }
        }
    }

    public struct Entry: Sendable {
        public var dashboard: Dashboard
        public var origin: Origin
        /// Notes from a Grafana import (what was left out or changed).
        public var notes: [String]
    }

    public private(set) var entries: [Entry] = []
    public private(set) var errors: [DashboardFileError] = []

    public var dashboards: [Dashboard] { entries.map(\.dashboard) }

    public func named(_ name: String) -> Dashboard? { entry(named: name)?.dashboard }

    public func entry(named name: String) -> Entry? { entries.first { $0.dashboard.name == name } }

    /// The config directory for dashboard files in this environment.
    public static func directory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/kubeglass/dashboards" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/kubeglass/dashboards"
    }

    public static func load(paths: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment)
        -> DashboardCatalog
    {
        var catalog = DashboardCatalog()
        do {
            catalog.entries = try BuiltinDashboards.all().map { Entry(dashboard: $0, origin: .builtin, notes: []) }
        } catch let e as DashboardFileError {
            catalog.errors.append(e)
        } catch {
            catalog.errors.append(
                DashboardFileError(file: "built-in dashboards", line: nil, column: nil, message: "\(error)"))
        }
        let dir = directory(environment: environment)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        for file in names where isDashboardFile(file) && !file.hasPrefix(".") {
            catalog.add(path: dir + "/" + file, origin: .config(dir + "/" + file))
        }
        for path in paths { catalog.add(path: path, origin: .commandLine(path)) }
        return catalog
    }

    static func isDashboardFile(_ name: String) -> Bool {
        let ext = URL(fileURLWithPath: name).pathExtension.lowercased()
        return ["yaml", "yml", "json"].contains(ext)
    }

    /// A YAML or Grafana JSON file (JSON by its extension, or by its first character when it has none).
    public static func read(path: String) throws -> (dashboard: Dashboard, notes: [String]) {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        var isJSON = ext == "json"
        if !["json", "yaml", "yml"].contains(ext), let data = FileManager.default.contents(atPath: path),
            let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) })
        {
            isJSON = first == UInt8(ascii: "{")
        }
        if isJSON {
            let result = try GrafanaImport.load(path: path)
            return (result.dashboard, result.notes)
        }
        return (try DashboardFile.load(path: path), [])
    }

    private mutating func add(path: String, origin: Origin) {
        do {
            let (dashboard, notes) = try DashboardCatalog.read(path: path)
            let entry = Entry(dashboard: dashboard, origin: origin, notes: notes)
            if let i = entries.firstIndex(where: { $0.dashboard.name == dashboard.name }) {
                entries[i] = entry
            } else {
                entries.append(entry)
            }
        } catch let e as DashboardFileError {
            errors.append(e)
        } catch {
            errors.append(DashboardFileError(file: path, line: nil, column: nil, message: "\(error)"))
        }
    }
}
