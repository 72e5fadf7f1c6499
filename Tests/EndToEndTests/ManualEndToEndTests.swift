import Foundation
import TestSupport
import Testing

/// The man page: `docs/kubeglass.1` is what `kubeglass manual` makes from the commands' definitions
/// (so it cannot drift from `--help`), and man renders it without a warning.
@Suite struct ManualEndToEndTests {
    @Test func theCommittedPageIsUpToDate() async throws {
        let (status, page) = try await spawn([try kubeglassBinary(), "manual"])
        #expect(status == 0, "\(page)")
        let committed = try String(contentsOf: RepositoryFiles.url("docs/kubeglass.1"), encoding: .utf8)
        #expect(
            page == committed,
            "docs/kubeglass.1 is out of date: run `.build/debug/kubeglass manual > docs/kubeglass.1`")
        for words in ["kubeglass config show", "kubeglass top nodes", "\\-\\-theme", "\\-\\-scrape", "config.yaml"] {
            #expect(page.contains(words), "\(words)")
        }
    }

    @Test func manRendersItWithoutWarnings() async throws {
        let path = RepositoryFiles.url("docs/kubeglass.1").path
        let (status, warnings) = try await spawn(["groff", "-man", "-Tutf8", "-ww", "-z", path])
        #expect(status == 0 && warnings.isEmpty, "\(warnings)")
        let (manStatus, text) = try await spawn(["MANWIDTH=100", "man", "--no-hyphenation", "-l", path])
        #expect(manStatus == 0, "\(text)")
        #expect(text.contains("KUBEGLASS(1)") && text.contains("--refresh"), "\(text.prefix(400))")
    }
}
