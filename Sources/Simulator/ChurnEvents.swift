import DemoCluster
import KubeglassCore

/// The events churn leaves behind, as the scheduler and kubelet record them: Scheduled for a new
/// pod, BackOff (Warning) for a restart, Failed (Warning) for a pod that failed, Killing for a
/// deleted one. A second one for the same pod and reason counts up (MODIFIED), as the event
/// recorder does. They expire after an hour, as the API server's event TTL does, and only the
/// newest few thousand are kept (each expiry is DELETED).
extension ChangeSchedule {
    static let churnEventTTL: Int64 = Milliseconds.hour
    static let churnEventLimit = 2000

    mutating func recordEvent(
        for record: PodRecord, reason: String, type: String, message: String, component: String = "kubelet",
        at t: Int64, in state: inout ClusterState, record report: (Change) -> Void
    ) {
        let pod = record.pod
        let name = EventFeed.eventName(pod.name, reason)
        let key = pod.namespace + "/" + name
        let host = pod.nodeIndex.map { catalog.cluster.nodes[$0].name }
        if var old = state.events[key] {
            old.event.count += 1
            old.event.last = t
            old.event.message = message
            old.resourceVersion = state.nextRevision()
            state.events[key] = old
            report(Change(revision: old.resourceVersion, time: t, type: .modified, object: .event(old)))
            return
        }
        let field = reason == "Scheduled" ? nil : pod.containers.first.map { "spec.containers{\($0.name)}" }
        let event = EventFeed.Event(
            namespace: pod.namespace, name: name, objectKind: "Pod", objectName: pod.name,
            objectNamespace: pod.namespace, objectUID: pod.uid, fieldPath: field, reason: reason, message: message,
            type: type, count: 1, first: t, last: t, component: component, host: host)
        let added = EventRecord(event: event, resourceVersion: state.nextRevision())
        state.events[key] = added
        churnEvents.append(key)
        report(Change(revision: added.resourceVersion, time: t, type: .added, object: .event(added)))
    }

    /// Deletes churn's events past their TTL, and the oldest beyond the limit.
    mutating func expireChurnEvents(at t: Int64, in state: inout ClusterState, record report: (Change) -> Void) {
        while churnEventsHead < churnEvents.count {
            let key = churnEvents[churnEventsHead]
            let live = churnEvents.count - churnEventsHead
            if let e = state.events[key], e.event.last >= t - ChangeSchedule.churnEventTTL,
                live <= ChangeSchedule.churnEventLimit
            {
                break
            }
            churnEventsHead += 1
            guard var gone = state.events.removeValue(forKey: key) else { continue }
            gone.resourceVersion = state.nextRevision()
            report(Change(revision: gone.resourceVersion, time: t, type: .deleted, object: .event(gone)))
        }
        if churnEventsHead > 1024 {
            churnEvents.removeFirst(churnEventsHead)
            churnEventsHead = 0
        }
    }
}
