import ArgumentParser
import Dashboards
import Foundation

/// `kubeglass dashboards list|show|import`: the dashboards kubeglass can open, and Grafana JSON → our YAML.
struct DashboardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboards",
        abstract: "List, show and import dashboards (kubeglass YAML files and Grafana JSON).",
        discussion: """
            kubeglass reads its built-in dashboards, then every *.yaml, *.yml and *.json (Grafana) file in \
            $XDG_CONFIG_HOME/kubeglass/dashboards/ (default ~/.config/kubeglass/dashboards/). A file with a \
            built-in's name replaces it. Open one with `kubeglass --dashboard NAME` or `--dashboard FILE`.

            Examples:
              kubeglass dashboards list
              kubeglass dashboards show cluster > mine.yaml
              kubeglass dashboards import k8s-resources-pod.json --output ~/.config/kubeglass/dashboards/pods.yaml
            """,
        subcommands: [ListCommand.self, ShowCommand.self, ImportCommand.self]
    )

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data("kubeglass: \(text)\n".utf8))
    }

    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract:
                "List every dashboard: name, title, panel count and where it comes from; then the files that could not be read."
        )

        @Option(
            name: .long, help: ArgumentHelp("Also read this dashboard file (YAML or Grafana JSON).", valueName: "path"))
        var dashboard: [String] = []

        func run() throws {
            let catalog = DashboardCatalog.load(paths: dashboard)
            let rows = catalog.entries.map { e in
                [
                    e.dashboard.name, e.dashboard.title, String(DashboardsCommand.panelCount(e.dashboard)),
                    e.origin.description,
                ]
            }
            let header = ["NAME", "TITLE", "PANELS", "FROM"]
            let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
            for row in [header] + rows {
                let cells = row.enumerated().map { c, text in
                    c == 2
                        ? String(repeating: " ", count: widths[c] - text.count) + text
                        : c == row.count - 1 ? text : text + String(repeating: " ", count: widths[c] - text.count)
                }
                print(cells.joined(separator: "  "))
            }
            if !catalog.errors.isEmpty {
                print("\nCould not read:")
                for e in catalog.errors { print("  \(e.description)") }
            }
            if catalog.entries.isEmpty { throw ExitCode(1) }
        }
    }

    struct ShowCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a dashboard as kubeglass YAML (a YAML file as it is, a Grafana JSON file converted)."
        )

        @Argument(
            help: ArgumentHelp("A dashboard name from `kubeglass dashboards list`, or a file.", valueName: "name"))
        var name: String

        func run() throws {
            let isPath = DashboardChoice.isPath(name)
            let catalog = DashboardCatalog.load(paths: isPath ? [name] : [])
            if isPath, let error = catalog.errors.first(where: { $0.file == name }) {
                DashboardsCommand.printError(error.description)
                throw ExitCode(1)
            }
            let entry =
                isPath ? catalog.entries.first(where: { $0.origin == .commandLine(name) }) : catalog.entry(named: name)
            guard let entry else {
                DashboardsCommand.printError(
                    "no dashboard named \"\(name)\" (known: \(catalog.dashboards.map(\.name).joined(separator: ", ")))")
                throw ExitCode(1)
            }
            switch entry.origin {
            case .builtin:
                guard let text = BuiltinDashboards.text(named: entry.dashboard.name) else { throw ExitCode(1) }
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            case .config(let path), .commandLine(let path):
                if entry.dashboard.file == path, !path.lowercased().hasSuffix(".json"), entry.notes.isEmpty,
                    let data = FileManager.default.contents(atPath: path),
                    let text = String(data: data, encoding: .utf8),
                    !text.trimmingCharacters(in: .whitespaces).hasPrefix("{")
                {
                    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                } else {
                    for n in entry.notes { DashboardsCommand.printError("note: \(n)") }
                    print(
                        DashboardWriter.yaml(
                            entry.dashboard, comments: ["Converted from the Grafana dashboard \(path) by kubeglass."]),
                        terminator: "")
                }
            }
        }
    }

    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Convert a Grafana dashboard JSON file to kubeglass YAML (to stdout, or --output PATH).",
            discussion: """
                Notes on what was left out or changed go to stderr. Panels kubeglass cannot draw \
                (heatmaps, pie charts, plugins) are kept in place and say why. The JSON file is never overwritten.
                """
        )

        @Argument(
            help: ArgumentHelp("The Grafana dashboard JSON (Share → Export → Save to file).", valueName: "file.json"))
        var file: String

        @Option(name: .long, help: ArgumentHelp("Write the YAML here instead of stdout.", valueName: "path"))
        var output: String?

        func run() throws {
            let result: GrafanaImport.Result
            do {
                result = try GrafanaImport.load(path: file)
            } catch {
                DashboardsCommand.printError("\(error)")
                throw ExitCode(1)
            }
            let source = URL(fileURLWithPath: file).lastPathComponent
            let yaml = DashboardWriter.yaml(
                result.dashboard, comments: ["Imported from the Grafana dashboard \(source) by kubeglass."])
            for n in result.notes { DashboardsCommand.printError("note: \(n)") }
            guard let output else {
                print(yaml, terminator: "")
                return
            }
            let into = URL(fileURLWithPath: output).resolvingSymlinksInPath().standardizedFileURL
            let from = URL(fileURLWithPath: file).resolvingSymlinksInPath().standardizedFileURL
            guard into.path != from.path else {
                DashboardsCommand.printError(
                    "--output \(output) is the Grafana file itself; give another path (e.g. \(from.deletingPathExtension().lastPathComponent).yaml)"
                )
                throw ExitCode(1)
            }
            do {
                try FileManager.default.createDirectory(
                    at: into.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(yaml.utf8).write(to: into, options: .atomic)
            } catch {
                DashboardsCommand.printError("cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            DashboardsCommand.printError("wrote \(output) (\(DashboardsCommand.panelCount(result.dashboard)) panels)")
        }
    }

    /// Panels a person sees: rows' folded panels count, row bars do not.
    static func panelCount(_ d: Dashboard) -> Int {
        d.panels.reduce(0) { $0 + ($1.kind == .row ? 0 : 1) + $1.children.filter { $0.kind != .row }.count }
    }
}
