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

    /// The dashboards to open, in the order given (the built-in Cluster one when none is given), and
    /// warnings about other files of the config directory that could not be read.
    static func open(_ values: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (dashboards: [Dashboards.Dashboard], warnings: [String]) {
        let catalog = DashboardCatalog.load(paths: values.filter(isPath), environment: environment)
        var chosen: [Dashboards.Dashboard] = []
        for value in values.isEmpty ? ["cluster"] : values {
            if isPath(value) {
                if let error = catalog.errors.first(where: { $0.file == value }) { throw DashboardChoiceError(message: error.description) }
                guard let entry = catalog.entries.first(where: { $0.origin == .commandLine(value) }) else {
                    throw DashboardChoiceError(message: "\(value): cannot read the dashboard file")
                }
                chosen.append(entry.dashboard)
            } else if let d = catalog.named(value) {
                chosen.append(d)
            } else {
                let known = catalog.dashboards.map(\.name).joined(separator: ", ")
                throw DashboardChoiceError(message: "no dashboard named \"\(value)\" (known: \(known)); `kubeglass dashboards list` shows where each comes from")
            }
        }
        let warnings = catalog.errors.filter { e in !values.contains(e.file) }.map { "skipped a dashboard file: \($0.description)" }
        return (chosen, warnings)
    }
}

struct DashboardChoiceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
