import Foundation
import KubeglassCore
import TerminalUI
import Yams

/// A key of the settings file (`$XDG_CONFIG_HOME/kubeglass/config.yaml`). Each key is named as the flag it
/// stands for (`memory-budget` is `--memory-budget`), and a flag given on the command line wins over it.
public enum SettingKey: String, CaseIterable, Sendable {
    case theme
    case dashboard
    case refresh
    case retention
    case memoryBudget = "memory-budget"
    case source
    case kubeconfig
    case context
    case prometheus
    case influxdb
    case color
    case symbols

    /// The long flag it stands for.
    public var flag: String { "--" + rawValue }

    /// What a value must be, as the error says it; nil when any non-empty text will do.
    var rule: String? {
        switch self {
        case .refresh: return "a duration of at least 100ms, like 5s or 1m"
        case .retention: return "a duration, like 1h or 30m"
        case .memoryBudget: return "a size, like 512MB or 2GB, or none"
        case .source: return "one of metrics, summary, kubelet, local, cadvisor"
        case .prometheus, .influxdb: return "an http:// or https:// URL"
        case .color: return "one of " + ColorChoice.allCases.map(\.rawValue).joined(separator: ", ")
        case .symbols: return "one of " + SymbolSet.allCases.map(\.rawValue).joined(separator: ", ")
        case .theme, .dashboard, .kubeconfig, .context: return nil
        }
    }

    /// Whether `value` is good for this key (the same checks the flag gets).
    func accepts(_ value: String) -> Bool {
        guard !value.isEmpty else { return false }
        switch self {
        case .refresh: return (DurationText.milliseconds(value) ?? 0) >= 100
        case .retention: return (DurationText.milliseconds(value) ?? 0) > 0
        case .memoryBudget: return ByteSize(value) != nil
        case .source: return ["metrics", "summary", "kubelet", "local", "cadvisor"].contains(value)
        case .prometheus, .influxdb: return value.hasPrefix("http://") || value.hasPrefix("https://")
        case .color: return ColorChoice(rawValue: value) != nil
        case .symbols: return SymbolSet(rawValue: value) != nil
        case .theme, .dashboard, .kubeconfig, .context: return true
        }
    }
}

/// A settings file that cannot be used: where, and what is wrong, in one line.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// The settings file, read: each key's values (several only for `dashboard`) and the line it is on.
public struct SettingsFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var values: [String]
        public var line: Int

        public init(values: [String], line: Int) {
            self.values = values
            self.line = line
        }
    }

    public var path: String
    public var entries: [SettingKey: Entry] = [:]
    /// Keys kubeglass does not know (ignored), each as one line naming the file, the line and the key.
    public var warnings: [String] = []

    /// `$XDG_CONFIG_HOME/kubeglass/config.yaml`, else `~/.config/kubeglass/config.yaml`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/kubeglass/config.yaml" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/kubeglass/config.yaml"
    }

    /// The file `--config` names (it must exist), else the default one (nil when there is none).
    public static func load(named: String?, environment: [String: String]) throws(SettingsError) -> SettingsFile? {
        let path = named ?? defaultPath(environment: environment)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if named == nil { return nil }
            throw SettingsError(file: path, line: nil, message: "no such settings file (given by --config)")
        }
        let data: Data
        switch FileContents.read(path) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            throw SettingsError(file: path, line: nil, message: "cannot read the settings file (\(failure.reason))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SettingsError(file: path, line: nil, message: "not UTF-8 text")
        }
        return try parse(yaml: text, path: path)
    }

    /// Reads the YAML: a mapping of keys to values. An unknown key is a warning; a bad value is an error.
    public static func parse(yaml text: String, path: String) throws(SettingsError) -> SettingsFile {
        var file = SettingsFile(path: path)
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw SettingsError(file: path, line: mark.line, message: "not valid YAML: \(problem)")
            default:
                throw SettingsError(file: path, line: nil, message: "not valid YAML: \(error)")
            }
        } catch {
            throw SettingsError(file: path, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return file } // An empty file (or only comments) sets nothing.
        guard case .mapping(let top) = root else {
            throw SettingsError(
                file: path, line: root.mark?.line, message: "expected a mapping of settings (like `theme: nord`)")
        }
        for (keyNode, value) in top {
            let line = keyNode.mark?.line ?? 0
            let name = keyNode.string ?? "\(keyNode)"
            guard let key = SettingKey(rawValue: name) else {
                let known = SettingKey.allCases.map(\.rawValue).joined(separator: ", ")
                file.warnings.append("\(path):\(line): unknown key \"\(name)\" (ignored); known keys: \(known)")
                continue
            }
            var values: [String]
            switch value {
            case .scalar(let scalar):
                values = [scalar.string]
            case .sequence(let list) where key == .dashboard:
                values = []
                for item in list {
                    guard case .scalar(let scalar) = item else {
                        throw SettingsError(
                            file: path, line: item.mark?.line ?? line,
                            message: "\(name): each dashboard is a name or a file")
                    }
                    values.append(scalar.string)
                }
            default:
                throw SettingsError(
                    file: path, line: line,
                    message: "\(name): expected \(key == .dashboard ? "a name, a file or a list of them" : "one value")"
                )
            }
            for v in values where !key.accepts(v) {
                let rule = key.rule.map { ", expected \($0)" } ?? ", expected a value"
                throw SettingsError(
                    file: path, line: value.mark?.line ?? line, message: "\(name): bad value \"\(v)\"\(rule)")
            }
            file.entries[key] = Entry(values: values, line: line)
        }
        return file
    }
}
