import DemoCluster
import KubeglassCore

/// The built-in simulated cluster, polled in process: the default when no cluster is configured.
public struct DemoSource: MetricSource {
    public let cluster: SimulatedCluster
    public var id: String { "demo" }
    public var isSimulated: Bool { true }
    public var displayName: String { "demo cluster (\(cluster.nodes.count) nodes, \(cluster.pods.count) pods)" }

    public init(cluster: SimulatedCluster) {
        self.cluster = cluster
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        snapshot(at: time)
    }

    public func history(from: Timestamp, to: Timestamp, step: Int64) async throws -> [SampleBatch] {
        guard step > 0, from < to else { return [] }
        return stride(from: from, to: to, by: Int(step)).map { snapshot(at: $0) }
    }

    /// Every series of the cluster at `time`.
    public func snapshot(at time: Timestamp) -> SampleBatch {
        var batch = SampleBatch(time: time)
        batch.series.reserveCapacity(cluster.pods.count * 24 + cluster.nodes.count * 16)
        var nodeRequests = Array(repeating: (cpu: 0.0, memory: 0.0, pods: 0), count: cluster.nodes.count)
        for pod in cluster.pods {
            addPod(pod, at: time, to: &batch, nodeRequests: &nodeRequests)
        }
        for (i, node) in cluster.nodes.enumerated() {
            let n = ["node": node.name]
            let usage = cluster.usage(ofNode: i, at: time)
            batch.add(SeriesNames.nodeCPUUsage, n, usage.cpuCores)
            batch.add(SeriesNames.nodeCPUAllocatable, n, Double(node.cpuAllocatable) / 1000)
            batch.add(SeriesNames.nodeCPUCapacity, n, Double(node.cpuCapacity) / 1000)
            batch.add(SeriesNames.nodeMemoryWorkingSet, n, usage.memoryWorkingSetBytes)
            batch.add(SeriesNames.nodeMemoryUsage, n, usage.memoryUsageBytes)
            batch.add(SeriesNames.nodeMemoryAllocatable, n, Double(node.memoryAllocatable))
            batch.add(SeriesNames.nodeMemoryCapacity, n, Double(node.memoryCapacity))
            batch.add(SeriesNames.nodeNetworkReceive, n, usage.networkReceiveBytesPerSecond)
            batch.add(SeriesNames.nodeNetworkTransmit, n, usage.networkTransmitBytesPerSecond)
            batch.add(SeriesNames.nodeFilesystemUsage, n, usage.filesystemUsedBytes)
            batch.add(SeriesNames.nodeFilesystemCapacity, n, Double(node.filesystemCapacity))
            batch.add(SeriesNames.nodePods, n, Double(nodeRequests[i].pods))
            batch.add(SeriesNames.nodePodCapacity, n, Double(node.podCapacity))
            let conditions = cluster.conditions(ofNode: i)
            batch.add(SeriesNames.nodeInfo, [
                "node": node.name, "status": conditions.joined(separator: ","),
                "ready": conditions.first == "Ready" ? "true" : "false",
                "internal_ip": node.internalIP,
                "zone": node.labels["topology.kubernetes.io/zone"] ?? "",
                "instance_type": node.labels["node.kubernetes.io/instance-type"] ?? "",
            ], 1)
        }
        return batch
    }

    private func addPod(_ pod: SimulatedCluster.Pod, at time: Timestamp, to batch: inout SampleBatch,
                        nodeRequests: inout [(cpu: Double, memory: Double, pods: Int)]) {
        let nodeName = pod.nodeIndex.map { cluster.nodes[$0].name } ?? ""
        let p = ["namespace": pod.namespace, "pod": pod.name, "node": nodeName]
        batch.add(SeriesNames.podInfo, p.merging([
            "phase": pod.phase.rawValue, "status": cluster.status(pod, at: time),
            "owner_kind": pod.ownerKind, "owner_name": pod.ownerName,
        ]) { a, _ in a }, 1)
        guard pod.phase == .running || pod.phase == .pending else { return }
        var cpuRequests = 0.0, cpuLimits = 0.0, memoryRequests = 0.0, memoryLimits = 0.0
        for container in pod.containers {
            let c = p.merging(["container": container.name]) { a, _ in a }
            if let v = container.cpuRequest { cpuRequests += Double(v) / 1000; batch.add(SeriesNames.containerCPURequests, c, Double(v) / 1000) }
            if let v = container.cpuLimit { cpuLimits += Double(v) / 1000; batch.add(SeriesNames.containerCPULimits, c, Double(v) / 1000) }
            if let v = container.memoryRequest { memoryRequests += Double(v); batch.add(SeriesNames.containerMemoryRequests, c, Double(v)) }
            if let v = container.memoryLimit { memoryLimits += Double(v); batch.add(SeriesNames.containerMemoryLimits, c, Double(v)) }
            if cluster.isRunning(pod, at: time) {
                let u = cluster.usage(of: container, in: pod, at: time)
                batch.add(SeriesNames.containerCPUUsage, c, u.cpuCores)
                batch.add(SeriesNames.containerMemoryWorkingSet, c, u.memoryWorkingSetBytes)
            }
        }
        batch.add(SeriesNames.podCPURequests, p, cpuRequests)
        batch.add(SeriesNames.podMemoryRequests, p, memoryRequests)
        if cpuLimits > 0 { batch.add(SeriesNames.podCPULimits, p, cpuLimits) }
        if memoryLimits > 0 { batch.add(SeriesNames.podMemoryLimits, p, memoryLimits) }
        batch.add(SeriesNames.podRestarts, p, Double(cluster.restarts(pod, at: time)))
        if let n = pod.nodeIndex {
            nodeRequests[n].cpu += cpuRequests
            nodeRequests[n].memory += memoryRequests
            if pod.phase == .running { nodeRequests[n].pods += 1 }
        }
        guard cluster.isRunning(pod, at: time) else { return }
        let u = cluster.usage(of: pod, at: time)
        batch.add(SeriesNames.podCPUUsage, p, u.cpuCores)
        batch.add(SeriesNames.podMemoryWorkingSet, p, u.memoryWorkingSetBytes)
        batch.add(SeriesNames.podMemoryUsage, p, u.memoryUsageBytes)
        batch.add(SeriesNames.podNetworkReceive, p, u.networkReceiveBytesPerSecond)
        batch.add(SeriesNames.podNetworkTransmit, p, u.networkTransmitBytesPerSecond)
    }
}
