import DemoCluster
import KubeglassCore

extension DemoClusterSource {
    public func events() async -> [ClusterEvent] { events(at: clock.now()) }

    /// The Warning events the demo cluster would show at `time`, newest first: BackOff for each
    /// crash-looping pod, FailedScheduling for pending pods, and eviction and memory-pressure events
    /// on the node under memory pressure (the same story `kubeglass sim` tells).
    public func events(at time: Timestamp) -> [ClusterEvent] {
        var out: [ClusterEvent] = []
        let nodeCount = cluster.nodes.count
        for pod in cluster.pods where pod.crashLoops && pod.phase == .running {
            let container = pod.containers.first?.name ?? pod.name
            let restarts = cluster.restarts(pod, at: time)
            let last =
                cluster.isRunning(pod, at: time)
                ? cluster.lastRestart(of: pod, at: time) - 10_000 : time - (time % 10_000)
            out.append(
                ClusterEvent(
                    time: min(time, last), namespace: pod.namespace, objectKind: "Pod", objectName: pod.name,
                    reason: "BackOff",
                    message: "Back-off restarting failed container \(container) in pod \(pod.name)_\(pod.namespace)",
                    count: max(1, restarts * 27)))
        }
        for pod in cluster.pods.prefix(2000) where pod.phase == .pending {
            let attempts = Int(max(0, time - pod.createdAt) / Milliseconds.minute) + 1
            out.append(
                ClusterEvent(
                    time: min(time, pod.createdAt + Int64(attempts - 1) * Milliseconds.minute),
                    namespace: pod.namespace,
                    objectKind: "Pod", objectName: pod.name, reason: "FailedScheduling",
                    message: "0/\(nodeCount) nodes are available: \(nodeCount) Insufficient cpu.", count: attempts))
        }
        for (i, node) in cluster.nodes.enumerated() where node.underMemoryPressure {
            // An eviction every ten minutes, the victim a pod on the node, picked by the time.
            let every: Int64 = 600_000
            let last = time - (time % every)
            let victims = cluster.pods(onNode: i).filter { !$0.crashLoops }
            if let victim = victims.isEmpty ? nil : victims[Int((last / every) % Int64(victims.count))] {
                out.append(
                    ClusterEvent(
                        time: last, namespace: victim.namespace, objectKind: "Pod", objectName: victim.name,
                        reason: "Evicted",
                        message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 87Mi."))
            }
            out.append(
                ClusterEvent(
                    time: time - (time % Milliseconds.minute), namespace: "", objectKind: "Node", objectName: node.name,
                    reason: "EvictionThresholdMet", message: "Attempting to reclaim memory",
                    count: max(1, Int((time - node.createdAt) / every))))
        }
        return out.sorted { $0.time > $1.time }
    }
}
