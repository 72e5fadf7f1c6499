import ArgumentParser
import Foundation
import TerminalUI

extension ColorChoice: ExpressibleByArgument {}
extension SymbolSet: ExpressibleByArgument {}

/// Flags for the terminal the dashboard draws on: colour, characters, and how often it may redraw.
struct TerminalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colour: auto uses the terminal's colours unless $NO_COLOR is set; never keeps only bold, reverse and underline.",
            valueName: "auto|always|never"))
    var color: ColorChoice = .auto

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Characters for charts and borders (default: braille with a UTF-8 locale, else ascii).",
            valueName: "braille|block|ascii"))
    var symbols: SymbolSet?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Redraw at most this many times a second (fewer bytes on a slow link).", valueName: "n"))
    var maxFps: Int?

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Leave the mouse to the terminal (select and paste text as usual); by default a click focuses a panel or selects a row, the wheel scrolls or zooms, a double click opens full screen."
        ))
    var noMouse = false

    func validate() throws {
        if let maxFps, !(1...120).contains(maxFps) {
            throw ValidationError("--max-fps must be between 1 and 120 frames a second (got \(maxFps))")
        }
    }

    /// Ends the run with exit code 2 and one line saying what to use instead, when there is no terminal
    /// to draw on: `TERM=dumb` (or none), or output that is a pipe or a file.
    func requireTerminal(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let term = environment["TERM"] ?? ""
        let reason: String
        if term.isEmpty || term == "dumb" {
            reason = "this terminal (TERM=\(term.isEmpty ? "<unset>" : term)) cannot draw the dashboard"
        } else if isatty(STDOUT_FILENO) != 1 {
            reason = "output is not a terminal"
        } else {
            return
        }
        FileHandle.standardError.write(
            Data(
                "kubeglass: \(reason); use `kubeglass once` for a snapshot or `kubeglass top` for a table.\n".utf8))
        throw ExitCode(2)
    }
}
