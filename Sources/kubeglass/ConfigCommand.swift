import App
import ArgumentParser
import Foundation
import TerminalUI

/// `kubeglass config show|path`: the settings file and what is in force.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the settings in force and where each comes from, or where the settings file is.",
        discussion: """
            The settings file is $XDG_CONFIG_HOME/kubeglass/config.yaml (default
            ~/.config/kubeglass/config.yaml), or the file --config names. Its keys are the
            flags' names without the dashes:
              theme: nord
              dashboard: nodes          # or a list: [cluster, pods]
              refresh: 10s
              retention: 2h
              memory-budget: 1GB
              source: summary
              kubeconfig: ~/.kube/work.yaml
              context: staging
              prometheus: http://127.0.0.1:9090
              influxdb: http://127.0.0.1:8086
              color: auto
              symbols: braille
            A flag on the command line wins over the file; the file wins over the defaults.
            """,
        subcommands: [ShowCommand.self, PathCommand.self]
    )

    struct ShowCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract:
                "Print every setting in force and where it came from (default, the file and line, a flag, the environment).",
            discussion: "Give it the flags you would give `kubeglass dashboard` to see what they change."
        )

        @OptionGroup var source: SourceOptions

        @OptionGroup(title: "Terminal") var terminal: TerminalOptions

        @Option(
            name: .long, help: ArgumentHelp("Colour theme.", valueName: "name|path"), completion: ValueCompletion.themes
        )
        var theme: String = "default"

        @Option(
            name: .long, help: ArgumentHelp("Dashboard to open.", valueName: "name|path"),
            completion: ValueCompletion.dashboards)
        var dashboard: [String] = []

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let settings: Settings
            do {
                guard
                    let resolved = try SettingsScope.resolve(
                        Array(CommandLine.arguments.dropFirst()), environment: environment)
                else { throw ExitCode(1) }
                settings = resolved
            } catch let error as SettingsError {
                throw ValidationError(error.description)
            }
            print(Self.render(settings: settings, values: values(environment: environment), environment: environment))
        }

        /// Each key's value in force, as text.
        func values(environment: [String: String]) -> [SettingKey: String] {
            let home = environment["HOME"] ?? NSHomeDirectory()
            let kubeconfig =
                source.kubeconfig ?? environment["KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
                ?? home + "/.kube/config"
            return [
                .theme: theme,
                .dashboard: dashboard.isEmpty ? source.defaultDashboard() : dashboard.joined(separator: ", "),
                .refresh: source.refresh,
                .retention: source.retention,
                .memoryBudget: source.memoryBudget,
                .source: source.scrape.isEmpty ? source.source.rawValue : "scrape",
                .kubeconfig: kubeconfig,
                .context: source.context ?? "(the kubeconfig's current-context)",
                .prometheus: source.tsdb.prometheus ?? "(none)",
                .influxdb: source.tsdb.influxdb ?? "(none)",
                .color: terminal.color.rawValue,
                .symbols: terminal.symbols?.rawValue ?? "(braille with a UTF-8 locale, else ascii)",
            ]
        }

        static func render(settings: Settings, values: [SettingKey: String], environment: [String: String]) -> String {
            let path = settings.file?.path ?? SettingsFile.defaultPath(environment: environment)
            var lines = ["settings file: \(path)\(settings.file == nil ? " (none there: nothing read)" : "")"]
            let rows =
                [("SETTING", "VALUE", "FROM")]
                + SettingKey.allCases.map { key in
                    (key.rawValue, values[key] ?? "", settings.origins[key]?.description ?? "default")
                }
            let keyWidth = rows.map(\.0.count).max() ?? 0
            let valueWidth = rows.map(\.1.count).max() ?? 0
            for (key, value, origin) in rows {
                let padded = key.padding(toLength: keyWidth, withPad: " ", startingAt: 0)
                let paddedValue = value.padding(toLength: valueWidth, withPad: " ", startingAt: 0)
                lines.append("\(padded)  \(paddedValue)  \(origin)")
            }
            return lines.joined(separator: "\n")
        }
    }

    struct PathCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path", abstract: "Print where the settings file is read from (whether or not it exists).")

        @Option(name: .long, help: ArgumentHelp("A settings file instead of the default one.", valueName: "path"))
        var config: String?

        func run() {
            print(config ?? SettingsFile.defaultPath(environment: ProcessInfo.processInfo.environment))
        }
    }
}
