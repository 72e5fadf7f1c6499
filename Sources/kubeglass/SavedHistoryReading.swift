import App
import ArgumentParser
import Foundation
import Store

/// `query` and `once` with `--state-dir`: the history a dashboard saved, read without polling (as
/// promtool reads a TSDB directory).
enum SavedHistoryReading {
    /// Loads the file the flags' cluster would save to, or the directory's only file, into `store`.
    static func load(_ options: SourceOptions, into store: SeriesStore) throws -> StoreFile.Loaded {
        guard let directory = options.stateDir, let history = try options.savedHistory() else {
            throw ValidationError("--state-dir names the directory of saved history to read")
        }
        var path = history.path
        if !FileManager.default.fileExists(atPath: path) {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".store") }.sorted()
            guard files.count == 1 else {
                let held = files.isEmpty ? "it holds none" : "it holds \(files.joined(separator: ", "))"
                throw ValidationError(
                    "no saved history \((path as NSString).lastPathComponent) in \(directory) (\(held)); choose the cluster with --context, --demo or --scrape"
                )
            }
            path = (directory as NSString).appendingPathComponent(files[0])
        }
        do {
            return try StoreFile.load(path, identity: nil, into: store)
        } catch {
            throw ValidationError("cannot read saved history \(error.path): \(error.reason)")
        }
    }
}
