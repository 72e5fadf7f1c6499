import KubeglassCore

/// How watch streams behave: bookmarks, history, and the faults `kubeglass sim` can inject into them.
public struct WatchOptions: Sendable {
    /// How often a watch that asked for bookmarks (`allowWatchBookmarks=true`) gets one.
    public var bookmarkInterval: Milliseconds = 60_000
    /// Cut every watch stream this long after it starts, in the middle of an event, and close the
    /// connection (`--watch-cut-after`).
    public var cutAfter: Milliseconds? = nil
    /// Watch streams send nothing at all, not even bookmarks, until the client hangs up (`--watch-silent`).
    public var silent = false
    /// How long a watch without `timeoutSeconds` lasts (the API server picks 30 to 60 minutes).
    public var defaultTimeout: Milliseconds = 30 * Milliseconds.minute
    /// How often an open watch looks for new changes.
    public var pollInterval: Milliseconds = 100
    /// A watch may start from any resourceVersion of the last `historyWindow`, within the last
    /// `historyCapacity` changes; from an older one it gets 410 Expired.
    public var historyWindow: Milliseconds = 5 * Milliseconds.minute
    public var historyCapacity = 65_536

    public init() {}

    var history: ChangeLog.History { ChangeLog.History(window: historyWindow, capacity: historyCapacity) }
}
