/// One line of a watch stream: `{"type":"ADDED","object":{…}}`.
public struct WatchEvent<Object: Sendable>: Sendable {
    public enum Kind: String, Sendable, Equatable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        /// Only a newer `resourceVersion`: nothing changed, but a resumed watch may start there.
        case bookmark = "BOOKMARK"
        /// The object is a `Status`; a 410 (`Expired`, `Gone`) means the version is too old to watch from.
        case error = "ERROR"
    }

    public var kind: Kind
    /// The object of ADDED, MODIFIED and DELETED (for DELETED, its last state); nil for BOOKMARK and ERROR.
    public var object: Object?
    /// The object's `metadata.resourceVersion` (a BOOKMARK's only news).
    public var resourceVersion: String?
    /// The `Status` of an ERROR.
    public var status: KubeStatus?

    public init(kind: Kind, object: Object? = nil, resourceVersion: String? = nil, status: KubeStatus? = nil) {
        self.kind = kind
        self.object = object
        self.resourceVersion = resourceVersion
        self.status = status
    }

    /// An ERROR that says the version watched from is gone from the server's history (410 Gone, reason
    /// `Expired` or `Gone`): only a new list brings the watch back.
    /// The server has not reached the version asked for (504 "Too large resource version"): it restarted with
    /// new versions, or its watch cache lags. Only a new list from the server's own latest helps.
    public var isAheadOfServer: Bool {
        guard kind == .error, let status else { return false }
        return status.isResourceVersionTooLarge
    }

    public var isExpired: Bool {
        guard kind == .error, let status else { return false }
        return status.code == 410 || status.reason == "Expired" || status.reason == "Gone"
    }
}
