/// A Kubernetes event as panels show it (`kubectl get events`): what happened to which object, when,
/// and how often. Sources make these; the events panel lists them newest first.
public struct ClusterEvent: Sendable, Hashable {
    /// When it was last seen (ms since the epoch).
    public var time: Timestamp
    public var namespace: String
    /// The object it is about: `Pod`, `Node`, … and its name.
    public var objectKind: String
    public var objectName: String
    public var reason: String
    public var message: String
    /// How many times it happened (kubelet folds repeats into one event).
    public var count: Int
    /// `Warning` or `Normal`.
    public var type: String

    public init(
        time: Timestamp, namespace: String, objectKind: String, objectName: String, reason: String, message: String,
        count: Int = 1, type: String = "Warning"
    ) {
        self.time = time
        self.namespace = namespace
        self.objectKind = objectKind
        self.objectName = objectName
        self.reason = reason
        self.message = message
        self.count = count
        self.type = type
    }

    /// `pod/web-1`, as kubectl writes an object.
    public var object: String { objectKind.lowercased() + "/" + objectName }

    public var isWarning: Bool { type == "Warning" }
}
