import Foundation
import KubeglassCore
import Store

/// Where a run's store is saved between runs, and for which cluster: loaded at start, saved every
/// few minutes and on quit, so a restarted wall screen keeps what it had.
public struct SavedHistory: Sendable {
    public let path: String
    /// What the file must have been saved for (the context and its server, or the demo's shape).
    public let identity: String
    public let every: Milliseconds

    public init(path: String, identity: String, every: Milliseconds = 5 * Milliseconds.minute) {
        self.path = path
        self.identity = identity
        self.every = every
    }

    /// Loads the file into `store`: a line for the status bar, or nil when there was no file yet.
    public func load(into store: SeriesStore, now: Timestamp) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let loaded = try StoreFile.load(path, identity: identity, into: store)
            let age = DurationText.text(milliseconds: max(0, now - loaded.savedAt) / 1000 * 1000)
            return
                "history restored: \(loaded.series) series, \(loaded.samples) samples, \(loaded.buckets) buckets saved \(age) ago"
        } catch {
            return "history not restored: \(error.reason)"
        }
    }

    /// Saves `store`: nil when it went well, else a line saying why not.
    public func save(_ store: SeriesStore, now: Timestamp) -> String? {
        do {
            try StoreFile.save(store, identity: identity, to: path, now: now)
            return nil
        } catch {
            return "history not saved: \(error)"
        }
    }
}
