import Foundation

extension Theme {
    /// Themes compiled into the binary (from `themes/*.yaml`), so it needs no files beside it.
    static let builtinFiles: [(name: String, bytes: [UInt8])] = [
        ("default", PackageResources.default_yaml),
        ("light", PackageResources.light_yaml),
        ("nord", PackageResources.nord_yaml),
        ("gruvbox-dark", PackageResources.gruvbox_dark_yaml),
        ("solarized-dark", PackageResources.solarized_dark_yaml),
        ("solarized-light", PackageResources.solarized_light_yaml),
        ("dracula", PackageResources.dracula_yaml),
        ("catppuccin-mocha", PackageResources.catppuccin_mocha_yaml),
        ("high-contrast", PackageResources.high_contrast_yaml),
        ("mono", PackageResources.mono_yaml),
    ]

    public static var builtinNames: [String] { builtinFiles.map(\.name) }

    /// Where a user's own themes live: `$XDG_CONFIG_HOME/kubeglass/themes`, else `~/.config/kubeglass/themes`.
    public static func userDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/kubeglass/themes" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/kubeglass/themes"
    }

    /// The user's theme names (files `NAME.yaml` or `NAME.yml` in the user directory), sorted.
    public static func userNames(environment: [String: String]) -> [String] {
        let dir = userDirectory(environment: environment)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }.sorted()
    }

    /// Every theme a name can open: the built-ins, then the user's own (a user file with a built-in's name
    /// replaces that built-in, so it is listed once).
    public static func availableNames(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        let builtins = builtinNames
        return builtins + userNames(environment: environment).filter { !builtins.contains($0) }
    }

    /// A theme by name (the user's directory first, then the built-ins) or a theme file by path.
    public static func named(
        _ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        warnings: inout [String]
    ) throws -> Theme {
        if !nameOrPath.contains("/") {
            let dir = userDirectory(environment: environment)
            for ext in ["yaml", "yml"] where FileManager.default.fileExists(atPath: "\(dir)/\(nameOrPath).\(ext)") {
                return try load(
                    file: "\(dir)/\(nameOrPath).\(ext)", shownAs: shortened("\(dir)/\(nameOrPath).\(ext)", environment),
                    warnings: &warnings)
            }
        }
        if let file = builtinFiles.first(where: { $0.name == nameOrPath }) {
            return try load(
                yaml: String(decoding: file.bytes, as: UTF8.self), file: "themes/\(file.name).yaml", warnings: &warnings
            )
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
            || FileManager.default.fileExists(atPath: nameOrPath)
        {
            return try load(file: nameOrPath, warnings: &warnings)
        }
        throw LoadError(
            file: nameOrPath,
            message:
                "no such theme; T picks one (themes: \(availableNames(environment: environment).joined(separator: ", ")); or give a path to a theme file)"
        )
    }

    /// A theme to draw with, whatever happens: the one asked for, or the default when it cannot be read.
    /// `problems` says what was wrong, for the status bar.
    public static func chosen(
        _ nameOrPath: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (theme: Theme, problems: [String]) {
        var warnings: [String] = []
        do {
            return (try named(nameOrPath, environment: environment, warnings: &warnings), warnings)
        } catch {
            return (.default, warnings + ["using the default theme: \(error)"])
        }
    }

    /// A path under the home folder as `~/…`, as a person would write it (the status bar is short).
    static func shortened(_ path: String, _ environment: [String: String]) -> String {
        guard let home = environment["HOME"], !home.isEmpty, home != "/", path.hasPrefix(home + "/") else {
            return path
        }
        return "~" + path.dropFirst(home.count)
    }

    /// Problems as one status-bar line: the first, and how many more.
    public static func summary(of problems: [String]) -> String? {
        guard let first = problems.first else { return nil }
        return problems.count > 1 ? "\(first) (+\(problems.count - 1) more)" : first
    }
}
