/// The cluster's changing objects at one revision. A value: a list streams from its own copy.
struct ClusterState: Sendable {
    var revision: Int64
    /// The instant the log has reached.
    var time: Int64
    var pods: LivePods
    var nodes: [NodeRecord]
    /// Events by `namespace/name`.
    var events: [String: EventRecord]

    /// The next revision, for the change being made.
    mutating func nextRevision() -> Int64 {
        revision += 1
        return revision
    }

    /// Events in list order (namespace, then name).
    func sortedEvents(namespace: String?) -> [EventRecord] {
        events.values.filter { namespace == nil || $0.event.namespace == namespace }
            .sorted { ($0.event.namespace, $0.event.name) < ($1.event.namespace, $1.event.name) }
    }
}
