/// Where each setting in force came from, and the arguments to parse: the command line with the settings
/// file's values added for every key no flag gives. Flags win over the file, the file over the defaults.
public struct Settings: Sendable, Equatable {
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        case byDefault
        case file(path: String, line: Int)
        /// In the file, but left out because a flag chooses otherwise (`source` with `--scrape`).
        case fileUnused(path: String, line: Int, because: String)
        case flag(String)
        case environment(String)

        public var description: String {
            switch self {
            case .byDefault: return "default"
            case .file(let path, let line): return "\(path):\(line)"
            case .fileUnused(let path, let line, let reason): return "\(path):\(line), unused: \(reason)"
            case .flag(let flag): return "flag \(flag)"
            case .environment(let name): return "environment $\(name)"
            }
        }
    }

    public var file: SettingsFile?
    public var arguments: [String]
    public var origins: [SettingKey: Origin]

    /// Flags that choose the data themselves, so the file's `source` gives way to them.
    static let sourceDeciders = ["--scrape", "--demo", "--cadvisor"]

    /// - Parameters:
    ///   - arguments: the command line, without the program's name.
    ///   - insertAt: where the command's own words end (`top nodes` is 2), where the file's flags go.
    ///   - keys: the keys this command takes.
    public static func resolve(
        arguments: [String], insertAt: Int, keys: [SettingKey], file: SettingsFile?, environment: [String: String]
    ) -> Settings {
        let words = Array(arguments.prefix { $0 != "--" })
        func given(_ flag: String) -> Bool { words.contains { $0 == flag || $0.hasPrefix(flag + "=") } }
        var added: [String] = []
        var origins: [SettingKey: Origin] = [:]
        for key in keys {
            if given(key.flag) {
                origins[key] = .flag(key.flag)
                continue
            }
            if let file, let entry = file.entries[key] {
                if key == .source, let decider = sourceDeciders.first(where: given) {
                    origins[key] = .fileUnused(path: file.path, line: entry.line, because: "\(decider) given")
                    continue
                }
                if key == .dashboard, given("--playlist") {
                    origins[key] = .fileUnused(path: file.path, line: entry.line, because: "--playlist given")
                    continue
                }
                origins[key] = .file(path: file.path, line: entry.line)
                // A path in the file starts at home as the shell's `~/` would have made it.
                let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
                for value in entry.values {
                    let expanded = value.hasPrefix("~/") ? home.map { $0 + value.dropFirst() } ?? value : value
                    added += [key.flag, expanded]
                }
                continue
            }
            if key == .kubeconfig, let value = environment["KUBECONFIG"], !value.isEmpty {
                origins[key] = .environment("KUBECONFIG")
            } else if key == .color, let value = environment["NO_COLOR"], !value.isEmpty {
                origins[key] = .environment("NO_COLOR")
            } else {
                origins[key] = .byDefault
            }
        }
        var result = arguments
        result.insert(contentsOf: added, at: min(insertAt, arguments.count))
        return Settings(file: file, arguments: result, origins: origins)
    }
}
