import App
import ArgumentParser
import Foundation

/// Which settings-file keys each command takes, and where its own words end on the command line.
enum SettingsScope {
    /// The keys of the flags in `SourceOptions`.
    static let sourceKeys: [SettingKey] = [
        .refresh, .retention, .memoryBudget, .source, .kubeconfig, .context, .prometheus, .influxdb,
    ]

    /// Arguments that print help, completions or the version: these run without the settings file, so a bad
    /// file never hides the help.
    static let bypass: Set<String> = [
        "-h", "--help", "--help-hidden", "--version", "--generate-completion-script", "---completion",
        "--experimental-dump-help",
    ]

    /// nil when the command takes no settings.
    static func scope(of arguments: [String]) -> (insertAt: Int, keys: [SettingKey])? {
        switch arguments.first {
        case "dashboard": return (1, SettingKey.allCases)
        case "once": return (1, sourceKeys + [.dashboard])
        case "query", "poll": return (1, sourceKeys)
        case "top":
            guard arguments.count > 1, ["nodes", "node", "no", "pods", "pod", "po"].contains(arguments[1]) else {
                return nil
            }
            return (2, [.kubeconfig, .context])
        case "config":
            return arguments.count > 1 && arguments[1] == "show" ? (2, SettingKey.allCases) : nil
        case "dashboards", "sim", "help", "manual": return nil
        default: return (0, SettingKey.allCases) // The default command, `dashboard`.
        }
    }

    /// The value of `--config PATH` (or `--config=PATH`), if given.
    static func configFlag(in arguments: [String]) -> String? {
        var named: String?
        var index = 0
        while index < arguments.count, arguments[index] != "--" {
            let word = arguments[index]
            if word == "--config", index + 1 < arguments.count {
                named = arguments[index + 1]
                index += 1
            } else if word.hasPrefix("--config=") {
                named = String(word.dropFirst("--config=".count))
            }
            index += 1
        }
        return named
    }

    /// The settings for a command line: the file read, where each setting comes from, and the arguments
    /// to parse. nil for commands that take no settings, and for help, version and completions.
    static func resolve(_ arguments: [String], environment: [String: String]) throws(SettingsError) -> Settings? {
        guard !arguments.contains(where: bypass.contains), let scope = scope(of: arguments) else { return nil }
        let file = try SettingsFile.load(named: configFlag(in: arguments), environment: environment)
        return Settings.resolve(
            arguments: arguments, insertAt: scope.insertAt, keys: scope.keys, file: file, environment: environment)
    }

    /// The arguments ArgumentParser parses: the command line with the file's settings added, and a note
    /// naming the settings the file gave (nil when it gave none), for when the flags do not go together.
    /// A bad file ends the run with one line naming the file, the line and the key; unknown keys are warnings.
    static func arguments(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (arguments: [String], note: String?) {
        do {
            guard let settings = try resolve(arguments, environment: environment) else { return (arguments, nil) }
            for warning in settings.file?.warnings ?? [] {
                FileHandle.standardError.write(Data("kubeglass: warning: \(warning)\n".utf8))
            }
            let given = SettingKey.allCases.compactMap { key -> String? in
                guard case .file(_, let line) = settings.origins[key] else { return nil }
                return "\(key.rawValue) (line \(line))"
            }
            let note =
                given.isEmpty || settings.file == nil
                ? nil : "kubeglass: note: \(settings.file!.path) gave \(given.joined(separator: ", "))\n"
            return (settings.arguments, note)
        } catch {
            FileHandle.standardError.write(Data("kubeglass: \(error)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
    }
}
