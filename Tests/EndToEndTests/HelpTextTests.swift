import Foundation
import TestSupport
import Testing

/// `--help` as a person reads it in an 80-column terminal.
struct HelpTextTests {
    func help(_ args: [String], columns: Int) throws -> String {
        let (status, output) = try spawn(["env", "COLUMNS=\(columns)", try kubeglassBinary()] + args)
        #expect(status == 0, "\(args): \(output)")
        return output
    }

    /// The part we write by hand (abstract and discussion), before ArgumentParser's USAGE section.
    func overview(_ help: String) -> String {
        help.components(separatedBy: "\nUSAGE:")[0]
    }

    @Test func simHelpIsLaidOutForEightyColumns() throws {
        let narrow = try help(["sim", "--help"], columns: 80)
        let wide = try help(["sim", "--help"], columns: 200)
        #expect(overview(narrow).contains("Watches: ?watch=1"))
        // ArgumentParser re-wraps a line longer than the terminal, leaving a short ragged line after it
        // ("pods, namespaces and" / "events, …"): at 80 columns nothing may need re-wrapping.
        #expect(overview(narrow) == overview(wide), "the overview re-wraps at 80 columns")
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(overview(try help(["help", "sim"], columns: 80)) == overview(narrow))
    }

    @Test func onceHelpIsLaidOutForEightyColumns() throws {
        let narrow = try help(["once", "--help"], columns: 80)
        #expect(overview(narrow).contains("--format csv and --format tsv print tables"))
        #expect(overview(narrow) == overview(try help(["once", "--help"], columns: 200)))
    }

    @Test func mainHelpIsLaidOutForEightyColumns() throws {
        let narrow = try help(["--help"], columns: 80)
        #expect(overview(narrow).contains("--theme NAME|FILE"))
        #expect(overview(narrow) == overview(try help(["--help"], columns: 200)))
    }
}
