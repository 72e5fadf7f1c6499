import ArgumentParser
import Dashboards
import Foundation

/// What `--dashboard` names: a file (kubeglass YAML or Grafana JSON) or a dashboard of the catalog by name.
enum DashboardChoice {
    static func isPath(_ value: String) -> Bool {
        value.contains("/") || ["yaml", "yml", "json"].contains(URL(fileURLWithPath: value).pathExtension.lowercased())
            || isFile(value)
    }

    private static func isFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
    }

    /// The dashboards to open, in the order given (the built-in Cluster one when none is given), the catalog and
    /// the file each of its dashboards came from (by name), and warnings about other files of the config directory
    /// that could not be read.
    /// `fallback` opens when no dashboard is named (the TSDB's Cluster flavour when only a TSDB is given).
    static func open(
        _ values: [String], default fallback: String = "cluster",
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws -> (dashboards: [Dashboard], catalog: [Dashboard], files: [String: String], warnings: [String])
    {
        let catalog = DashboardCatalog.load(paths: values.filter(isPath), environment: environment)
        var chosen: [Dashboard] = []
        let first = catalog.named(fallback) != nil ? fallback : "cluster"
        for value in values.isEmpty ? [first] : values {
            if isPath(value) {
                if let error = catalog.errors.first(where: { $0.file == value }) {
                    throw DashboardChoiceError(message: error.description)
                }
                guard let entry = catalog.entries.first(where: { $0.origin == .commandLine(value) }) else {
                    throw DashboardChoiceError(message: "\(value): cannot read the dashboard file")
                }
                chosen.append(entry.dashboard)
            } else if let d = catalog.named(value) {
                chosen.append(d)
            } else {
                let known = catalog.dashboards.map(\.name).joined(separator: ", ")
                throw DashboardChoiceError(
                    message:
                        "no dashboard named \"\(value)\" (known: \(known)); `kubeglass dashboards list` shows where each comes from"
                )
            }
        }
        let warnings = catalog.errors.filter { e in !values.contains(e.file) }.map {
            "skipped a dashboard file: \($0.description)"
        }
        var files: [String: String] = [:]
        for entry in catalog.entries {
            switch entry.origin {
            case .builtin: break
            case .config(let path), .commandLine(let path): files[entry.dashboard.name] = path
            }
        }
        return (chosen, catalog.dashboards, files, warnings)
    }

    /// `--var name=value[,value]` flags as selections.
    static func selections(_ flags: [String]) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for flag in flags {
            guard let eq = flag.firstIndex(of: "="), eq != flag.startIndex else {
                throw ValidationError("--var wants name=value (got \"\(flag)\")")
            }
            let values = flag[flag.index(after: eq)...].split(separator: ",").map(String.init)
            out[String(flag[..<eq])] = values.isEmpty ? [""] : values.map { $0 == "All" ? Variable.all : $0 }
        }
        return out
    }
}

struct DashboardChoiceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
