import Foundation
import TestSupport
import Testing

/// `--help` as a person reads it in an 80-column terminal.
struct HelpTextTests {
    func help(_ args: [String], columns: Int) async throws -> String {
        let (status, output) = try await spawn(["env", "COLUMNS=\(columns)", try kubeglassBinary()] + args)
        #expect(status == 0, "\(args): \(output)")
        return output
    }

    /// The part we write by hand (abstract and discussion), before ArgumentParser's USAGE section.
    func overview(_ help: String) -> String {
        help.components(separatedBy: "\nUSAGE:")[0]
    }

    @Test func simHelpIsLaidOutForEightyColumns() async throws {
        let narrow = try await help(["sim", "--help"], columns: 80)
        let wide = try await help(["sim", "--help"], columns: 200)
        #expect(overview(narrow).contains("Watches: ?watch=1"))
        // ArgumentParser re-wraps a line longer than the terminal, leaving a short ragged line after it
        // ("pods, namespaces and" / "events, …"): at 80 columns nothing may need re-wrapping.
        #expect(overview(narrow) == overview(wide), "the overview re-wraps at 80 columns")
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 80 })
        await #expect(overview(try help(["help", "sim"], columns: 80)) == overview(narrow))
    }

    @Test func onceHelpIsLaidOutForEightyColumns() async throws {
        let narrow = try await help(["once", "--help"], columns: 80)
        #expect(overview(narrow).contains("--format csv and --format tsv print tables"))
        await #expect(overview(narrow) == overview(try help(["once", "--help"], columns: 200)))
    }

    @Test func mainHelpIsLaidOutForEightyColumns() async throws {
        let narrow = try await help(["--help"], columns: 80)
        #expect(overview(narrow).contains("--theme NAME|FILE"))
        await #expect(overview(narrow) == overview(try help(["--help"], columns: 200)))
    }
}
