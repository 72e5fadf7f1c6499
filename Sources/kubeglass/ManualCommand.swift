import ArgumentParser
import Foundation

/// `kubeglass manual`: the man page, in roff, made from the commands' own definitions (ArgumentParser's
/// `--experimental-dump-help`), so it says what `--help` says. `docs/kubeglass.1` is its output; a test
/// regenerates it and compares.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual", abstract: "Print the man page (roff) made from the commands' definitions.",
        shouldDisplay: false)

    func run() throws {
        print(try Self.page(), terminator: "")
    }

    // The parts of ArgumentParser's tool description (ToolInfoV0) the page uses.
    struct Tool: Decodable { var command: Command }
    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var shouldDisplay: Bool?
        var subcommands: [Command]?
        var arguments: [Argument]?
    }
    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var kind: String
        var shouldDisplay: Bool
        var names: [Name]?
        var valueName: String?
        var defaultValue: String?
        var isRepeating: Bool
        var abstract: String?
        var discussion: String?
    }

    /// The whole page.
    static func page() throws -> String {
        let json: String
        do {
            _ = try Kubeglass.parseAsRoot(["--experimental-dump-help"])
            throw ValidationError("ArgumentParser printed no description of the commands")
        } catch let error as ValidationError {
            throw error
        } catch {
            json = Kubeglass.fullMessage(for: error)
        }
        let root = try JSONDecoder().decode(Tool.self, from: Data(json.utf8)).command
        var out = [
            #".\" The kubeglass man page, made by `kubeglass manual` from the commands' definitions. Do not edit."#,
            ".TH KUBEGLASS 1 \"\" \"kubeglass \(Kubeglass.configuration.version)\" \"User Commands\"",
            ".SH NAME",
            "kubeglass \\- " + text(root.abstract ?? ""),
            ".SH SYNOPSIS",
            ".B kubeglass",
            "[\\fIcommand\\fR] [\\fIoptions\\fR]",
            ".SH DESCRIPTION",
        ]
        out += preformatted(root.discussion ?? "")
        out += [".SH COMMANDS"]
        for command in root.subcommands ?? [] { out += section(command, path: ["kubeglass"]) }
        out += files
        return out.joined(separator: "\n") + "\n"
    }

    /// A command's section, then its subcommands'.
    static func section(_ command: Command, path: [String]) -> [String] {
        guard command.shouldDisplay ?? true, command.commandName != "help" else { return [] }
        let words = path + [command.commandName]
        var out = [".SS " + text(words.joined(separator: " "))]
        if let abstract = command.abstract, !abstract.isEmpty { out += [text(abstract)] }
        if let discussion = command.discussion, !discussion.isEmpty { out += preformatted(discussion) }
        for argument in command.arguments ?? [] where argument.shouldDisplay {
            out += [".TP", synopsis(argument)]
            var help = argument.abstract ?? ""
            if argument.kind == "option", let value = argument.defaultValue, !value.isEmpty,
                !help.contains("default")
            {
                help += " (default: \(value))"
            }
            out += [text(help)]
            if let discussion = argument.discussion, !discussion.isEmpty { out += preformatted(discussion) }
        }
        for sub in command.subcommands ?? [] { out += section(sub, path: words) }
        return out
    }

    /// `\fB\-n\fR, \fB\-\-namespace\fR \fInamespace\fR`.
    static func synopsis(_ argument: Argument) -> String {
        let value = argument.valueName.map { "\\fI" + text($0) + "\\fR" + (argument.isRepeating ? " ..." : "") }
        guard argument.kind != "positional" else { return value ?? "" }
        let names = (argument.names ?? []).map { name in
            let dashes = name.kind == "long" ? "\\-\\-" : "\\-"
            return "\\fB" + dashes + name.name.replacingOccurrences(of: "-", with: "\\-") + "\\fR"
        }
        let joined = names.joined(separator: ", ")
        return argument.kind == "option" ? joined + " " + (value ?? "") : joined
    }

    /// Text as roff reads it: backslashes escaped, no line taken for a request, and anything not ASCII
    /// (…, →) as a `\[uXXXX]` escape, so man renders it whatever the locale.
    static func text(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\e").unicodeScalars.map { scalar in
            scalar.isASCII ? String(scalar) : "\\[u" + String(format: "%04X", scalar.value) + "]"
        }.joined()
        return escaped.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") || $0.hasPrefix("'") ? "\\&" + $0 : String($0) }.joined(separator: "\n")
    }

    /// A discussion as written, its lines and indents kept.
    static func preformatted(_ s: String) -> [String] {
        [".PP", ".nf"] + s.split(separator: "\n", omittingEmptySubsequences: false).map { text(String($0)) } + [".fi"]
    }

    static let files: [String] = [
        ".SH FILES",
        ".TP",
        ".I $XDG_CONFIG_HOME/kubeglass/config.yaml",
        "Settings (default ~/.config/kubeglass/config.yaml; --config names another): theme, dashboard, refresh, retention, memory-budget, source, kubeconfig, context, prometheus, influxdb, color, symbols. Flags win over it. \\fBkubeglass config show\\fR prints what is in force and where each setting came from.",
        ".TP",
        ".I $XDG_CONFIG_HOME/kubeglass/themes/",
        "Your own themes, NAME.yaml.",
        ".TP",
        ".I $XDG_CONFIG_HOME/kubeglass/dashboards/",
        "Your own dashboards (kubeglass YAML or Grafana JSON).",
        ".TP",
        ".I $XDG_STATE_HOME/kubeglass/",
        "Kept history, one file per cluster (default ~/.local/state/kubeglass).",
        ".SH ENVIRONMENT",
        ".TP",
        ".B KUBECONFIG",
        "The kubeconfig files, as kubectl reads them.",
        ".TP",
        ".B NO_COLOR",
        "When set, --color auto draws without colour.",
        ".TP",
        ".B XDG_CONFIG_HOME, XDG_STATE_HOME",
        "Where the files above are.",
        ".SH SEE ALSO",
        ".BR kubectl (1)",
    ]
}
