import Foundation

/// Files the tests read from this repository. Every test finds them here, so nothing reaches outside the clone.
public enum RepositoryFiles {
    /// The repository's root folder (this file is Tests/TestSupport/RepositoryFiles.swift).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file or folder by its path from the repository's root, e.g. `url("themes")`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A fixture by its path under Tests/Fixtures (see the README there for where each came from).
    public static func fixture(_ relativePath: String) -> URL {
        url("Tests/Fixtures/" + relativePath)
    }

    /// The files under a fixture folder whose names end in `suffix`, as paths relative to that folder, sorted.
    public static func fixtures(in folder: String, endingIn suffix: String) -> [String] {
        let directory = fixture(folder).path
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
    }
}
