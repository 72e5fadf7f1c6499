import Foundation
import Query
import TestSupport
import Testing

/// Exact screens of the built-in Cluster dashboard over the demo cluster at a fixed time, at the
/// sizes people use. A change to any widget, layout or the demo shows up here as a diff.
/// To accept a deliberate change: KUBEGLASS_UPDATE_GOLDEN=1 swift test --filter GoldenScreenTests
struct GoldenScreenTests {
    static let directory = RepositoryFiles.url("Tests/DashboardUITests/Golden")

    /// Compares `text` with the golden file `name` (or, with KUBEGLASS_UPDATE_GOLDEN=1, writes it),
    /// recording the first line that differs.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KUBEGLASS_UPDATE_GOLDEN"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        guard text != expected else { return }
        let a = expected.components(separatedBy: "\n")
        let b = text.components(separatedBy: "\n")
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record(
            """
            \(name) differs from line \(first + 1):
            expected: \(first < a.count ? a[first] : "<end>")
            actual:   \(first < b.count ? b[first] : "<end>")
            (KUBEGLASS_UPDATE_GOLDEN=1 accepts a deliberate change)
            """, sourceLocation: sourceLocation)
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func clusterDashboard(width: Int, height: Int) async throws {
        let screen = try await DashboardViewTests.frame(width: width, height: height)
        try Self.expectGolden(screen.trimmedLines.joined(separator: "\n") + "\n", "cluster-\(width)x\(height).txt")
    }
}
