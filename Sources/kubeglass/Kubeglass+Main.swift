import ArgumentParser
import Foundation

extension Kubeglass {
    /// ArgumentParser's own `main`, except that a `ValidationError` thrown by a subcommand's `run` (a
    /// `--panel` no dashboard has) shows that subcommand's usage, not `kubeglass <subcommand>`'s.
    /// The settings file's values are added to the command line first, for every flag not given.
    static func main() async {
        var command: ParsableCommand
        let (arguments, note) = SettingsScope.arguments(Array(CommandLine.arguments.dropFirst()))
        do {
            command = try await asyncParseAsRoot(arguments)
        } catch {
            // A value from the settings file that does not go with a flag: say where it came from.
            if let note, exitCode(for: error) != .success { FileHandle.standardError.write(Data(note.utf8)) }
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data(usageError(error.message, for: type(of: command)).utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    /// What ArgumentParser prints for a bad flag: the error, the subcommand's usage, and where its help is.
    static func usageError(_ message: String, for subcommand: ParsableCommand.Type) -> String {
        let usage = usageString(for: subcommand)
        // The command's words (`kubeglass top nodes`) come before its first option or argument.
        let words = usage.split(separator: " ").prefix { !"[<-".contains($0.first ?? "-") }
        return
            "Error: \(message)\nUsage: \(usage)\n  See '\(words.joined(separator: " ")) --help' for more information.\n"
    }
}
