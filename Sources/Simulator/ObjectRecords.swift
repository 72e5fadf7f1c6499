import DemoCluster

/// A pod as the change log holds it at one revision: the model's pod (spec, phase) and what changed
/// since the model made it. Everything a pod's JSON shows comes from here, so a watch event renders
/// the pod as it was at that event, not as it is now.
struct PodRecord: Sendable {
    /// Where the pod lives in `LivePods` (below the model's pod count: the model's pod of that index).
    var slot: Int
    var pod: ClusterModel.Pod
    var labels: [(key: String, value: String)]
    var resourceVersion: Int64
    /// The instant whose status the pod shows (a crash-looping pod's status moves only by changes).
    var asOf: Int64
    /// Container restarts churn added (the crash-looping pod counts its own through the model).
    var extraRestarts = 0
    /// When churn last restarted its containers.
    var lastStart: Int64? = nil
    /// When churn ended it (Succeeded or Failed).
    var finishedAt: Int64? = nil
    /// Whether the pod still equals the model's pod byte for byte (so its pre-rendered JSON serves).
    var pristine = false

    var namespacedName: String { pod.namespace + "/" + pod.name }
}

/// A node at one revision: only its status heartbeat moves.
struct NodeRecord: Sendable {
    var index: Int
    var resourceVersion: Int64
    /// When its kubelet last reported status (lastHeartbeatTime of every condition).
    var heartbeat: Int64
}

/// A core/v1 Event at one revision.
struct EventRecord: Sendable {
    var event: EventFeed.Event
    var resourceVersion: Int64

    var key: String { event.namespace + "/" + event.name }
}
