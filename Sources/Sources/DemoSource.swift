import DemoCluster
import KubeglassCore

/// The built-in simulated cluster, polled in process: the default when no cluster is configured.
public struct DemoSource: MetricSource {
    public let cluster: SimulatedCluster
    public var id: String { "demo" }
    public var isSimulated: Bool { true }
    public var displayName: String { "demo cluster (\(cluster.nodes.count) nodes, \(cluster.pods.count) pods)" }
    /// Label sets built once: a poll (and an hour of history) then only fills in values.
    private let keys: LabelCache

    public init(cluster: SimulatedCluster) {
        self.cluster = cluster
        keys = LabelCache(cluster)
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
        var runningPods = Array(repeating: 0, count: cluster.nodes.count)
        var namespaces = Array(repeating: NamespaceTotals(), count: keys.namespaces.count)
        for (i, pod) in cluster.pods.enumerated() {
            addPod(pod, keys.pods[i], at: time, to: &batch, totals: &namespaces[keys.pods[i].namespaceIndex])
            if let n = pod.nodeIndex, pod.phase == .running { runningPods[n] += 1 }
        }
        for (totals, k) in zip(namespaces, keys.namespaces) {
            batch.series += [(k.pods, Double(totals.pods)), (k.cpuRequests, totals.cpuRequests), (k.memoryRequests, totals.memoryRequests),
                             (k.cpuUsage, totals.cpuUsage), (k.memoryWorkingSet, totals.memoryWorkingSet)]
        }
        for (i, node) in cluster.nodes.enumerated() {
            let k = keys.nodes[i]
            let usage = cluster.usage(ofNode: i, at: time)
            batch.series += [
                (k.cpuUsage, usage.cpuCores),
                (k.cpuAllocatable, Double(node.cpuAllocatable) / 1000),
                (k.cpuCapacity, Double(node.cpuCapacity) / 1000),
                (k.memoryWorkingSet, usage.memoryWorkingSetBytes),
                (k.memoryUsage, usage.memoryUsageBytes),
                (k.memoryAllocatable, Double(node.memoryAllocatable)),
                (k.memoryCapacity, Double(node.memoryCapacity)),
                (k.networkReceive, usage.networkReceiveBytesPerSecond),
                (k.networkTransmit, usage.networkTransmitBytesPerSecond),
                (k.filesystemUsage, usage.filesystemUsedBytes),
                (k.filesystemCapacity, Double(node.filesystemCapacity)),
                (k.pods, Double(runningPods[i])),
                (k.podCapacity, Double(node.podCapacity)),
                (k.info, 1),
                (k.cpuRatio, usage.cpuCores / (Double(node.cpuAllocatable) / 1000)),
                (k.memoryRatio, usage.memoryWorkingSetBytes / Double(node.memoryAllocatable)),
            ]
        }
        return batch
    }

    private struct NamespaceTotals {
        var pods = 0
        var cpuUsage = 0.0, memoryWorkingSet = 0.0, cpuRequests = 0.0, memoryRequests = 0.0
    }

    private func addPod(_ pod: SimulatedCluster.Pod, _ k: LabelCache.PodKeys, at time: Timestamp, to batch: inout SampleBatch,
                        totals: inout NamespaceTotals) {
        let running = cluster.isRunning(pod, at: time)
        batch.series.append((running || pod.phase != .running ? k.info : k.infoWaiting, 1))
        guard pod.phase == .running || pod.phase == .pending else { return }
        var cpuRequests = 0.0, cpuLimits = 0.0, memoryRequests = 0.0, memoryLimits = 0.0
        for (container, ck) in zip(pod.containers, k.containers) {
            if let v = container.cpuRequest { cpuRequests += Double(v) / 1000; batch.series.append((ck.cpuRequests, Double(v) / 1000)) }
            if let v = container.cpuLimit { cpuLimits += Double(v) / 1000; batch.series.append((ck.cpuLimits, Double(v) / 1000)) }
            if let v = container.memoryRequest { memoryRequests += Double(v); batch.series.append((ck.memoryRequests, Double(v))) }
            if let v = container.memoryLimit { memoryLimits += Double(v); batch.series.append((ck.memoryLimits, Double(v))) }
            if running {
                let u = cluster.usage(of: container, in: pod, at: time)
                batch.series.append((ck.cpuUsage, u.cpuCores))
                batch.series.append((ck.memoryWorkingSet, u.memoryWorkingSetBytes))
            }
        }
        batch.series.append((k.cpuRequests, cpuRequests))
        batch.series.append((k.memoryRequests, memoryRequests))
        if cpuLimits > 0 { batch.series.append((k.cpuLimits, cpuLimits)) }
        if memoryLimits > 0 { batch.series.append((k.memoryLimits, memoryLimits)) }
        batch.series.append((k.restarts, Double(cluster.restarts(pod, at: time))))
        totals.pods += 1
        totals.cpuRequests += cpuRequests
        totals.memoryRequests += memoryRequests
        guard running else { return }
        let u = cluster.usage(of: pod, at: time)
        totals.cpuUsage += u.cpuCores
        totals.memoryWorkingSet += u.memoryWorkingSetBytes
        if cpuRequests > 0 { batch.series.append((k.cpuRequestRatio, u.cpuCores / cpuRequests)) }
        if memoryRequests > 0 { batch.series.append((k.memoryRequestRatio, u.memoryWorkingSetBytes / memoryRequests)) }
        if k.allCPULimited, cpuLimits > 0 { batch.series.append((k.cpuLimitRatio, u.cpuCores / cpuLimits)) }
        if k.allMemoryLimited, memoryLimits > 0 { batch.series.append((k.memoryLimitRatio, u.memoryWorkingSetBytes / memoryLimits)) }
        batch.series += [
            (k.cpuUsage, u.cpuCores),
            (k.memoryWorkingSet, u.memoryWorkingSetBytes),
            (k.memoryUsage, u.memoryUsageBytes),
            (k.networkReceive, u.networkReceiveBytesPerSecond),
            (k.networkTransmit, u.networkTransmitBytesPerSecond),
        ]
    }
}

/// The label set of every series the demo reports, built once per cluster.
private struct LabelCache: Sendable {
    struct NodeKeys: Sendable {
        var cpuUsage, cpuAllocatable, cpuCapacity, memoryWorkingSet, memoryUsage, memoryAllocatable, memoryCapacity: Labels
        var networkReceive, networkTransmit, filesystemUsage, filesystemCapacity, pods, podCapacity: Labels
        var cpuRatio, memoryRatio, info: Labels
    }
    struct NamespaceKeys: Sendable {
        var pods, cpuUsage, memoryWorkingSet, cpuRequests, memoryRequests: Labels
    }
    struct ContainerKeys: Sendable {
        var cpuUsage, memoryWorkingSet, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels
    }
    struct PodKeys: Sendable {
        var cpuUsage, memoryWorkingSet, memoryUsage, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels
        var networkReceive, networkTransmit, restarts: Labels
        var cpuRequestRatio, cpuLimitRatio, memoryRequestRatio, memoryLimitRatio: Labels
        var allCPULimited, allMemoryLimited: Bool
        var namespaceIndex: Int
        /// The info series while running (or in its phase), and while waiting in CrashLoopBackOff.
        var info, infoWaiting: Labels
        var containers: [ContainerKeys]
    }

    let nodes: [NodeKeys]
    let pods: [PodKeys]
    let namespaces: [NamespaceKeys]

    init(_ cluster: SimulatedCluster) {
        nodes = cluster.nodes.enumerated().map { i, node in
            let n = ["node": node.name]
            func l(_ name: String) -> Labels { Labels(name: name, n) }
            let conditions = cluster.conditions(ofNode: i)
            return NodeKeys(
                cpuUsage: l(SeriesNames.nodeCPUUsage), cpuAllocatable: l(SeriesNames.nodeCPUAllocatable),
                cpuCapacity: l(SeriesNames.nodeCPUCapacity), memoryWorkingSet: l(SeriesNames.nodeMemoryWorkingSet),
                memoryUsage: l(SeriesNames.nodeMemoryUsage), memoryAllocatable: l(SeriesNames.nodeMemoryAllocatable),
                memoryCapacity: l(SeriesNames.nodeMemoryCapacity), networkReceive: l(SeriesNames.nodeNetworkReceive),
                networkTransmit: l(SeriesNames.nodeNetworkTransmit), filesystemUsage: l(SeriesNames.nodeFilesystemUsage),
                filesystemCapacity: l(SeriesNames.nodeFilesystemCapacity), pods: l(SeriesNames.nodePods),
                podCapacity: l(SeriesNames.nodePodCapacity),
                cpuRatio: l(SeriesNames.nodeCPUUsageRatio), memoryRatio: l(SeriesNames.nodeMemoryUsageRatio),
                info: Labels(name: SeriesNames.nodeInfo, [
                    "node": node.name, "status": conditions.joined(separator: ","),
                    "ready": conditions.first == "Ready" ? "true" : "false",
                    "internal_ip": node.internalIP,
                    "zone": node.labels["topology.kubernetes.io/zone"] ?? "",
                    "instance_type": node.labels["node.kubernetes.io/instance-type"] ?? "",
                ]))
        }
        namespaces = cluster.namespaces.map { ns in
            let n = ["namespace": ns]
            return NamespaceKeys(
                pods: Labels(name: SeriesNames.namespacePods, n), cpuUsage: Labels(name: SeriesNames.namespaceCPUUsage, n),
                memoryWorkingSet: Labels(name: SeriesNames.namespaceMemoryWorkingSet, n),
                cpuRequests: Labels(name: SeriesNames.namespaceCPURequests, n),
                memoryRequests: Labels(name: SeriesNames.namespaceMemoryRequests, n))
        }
        let namespaceIndex = Dictionary(uniqueKeysWithValues: cluster.namespaces.enumerated().map { ($1, $0) })
        pods = cluster.pods.map { pod in
            let nodeName = pod.nodeIndex.map { cluster.nodes[$0].name } ?? ""
            let p = ["namespace": pod.namespace, "pod": pod.name, "node": nodeName]
            func l(_ name: String) -> Labels { Labels(name: name, p) }
            func info(_ status: String) -> Labels {
                Labels(name: SeriesNames.podInfo, p.merging([
                    "phase": pod.phase.rawValue, "status": status, "owner_kind": pod.ownerKind, "owner_name": pod.ownerName,
                ]) { a, _ in a })
            }
            let running = [SimulatedCluster.Phase.running: "Running", .pending: "Pending", .succeeded: "Completed", .failed: "Error"][pod.phase]!
            return PodKeys(
                cpuUsage: l(SeriesNames.podCPUUsage), memoryWorkingSet: l(SeriesNames.podMemoryWorkingSet),
                memoryUsage: l(SeriesNames.podMemoryUsage), cpuRequests: l(SeriesNames.podCPURequests),
                cpuLimits: l(SeriesNames.podCPULimits), memoryRequests: l(SeriesNames.podMemoryRequests),
                memoryLimits: l(SeriesNames.podMemoryLimits), networkReceive: l(SeriesNames.podNetworkReceive),
                networkTransmit: l(SeriesNames.podNetworkTransmit), restarts: l(SeriesNames.podRestarts),
                cpuRequestRatio: l(SeriesNames.podCPURequestRatio), cpuLimitRatio: l(SeriesNames.podCPULimitRatio),
                memoryRequestRatio: l(SeriesNames.podMemoryRequestRatio), memoryLimitRatio: l(SeriesNames.podMemoryLimitRatio),
                allCPULimited: !pod.containers.isEmpty && pod.containers.allSatisfy { $0.cpuLimit != nil },
                allMemoryLimited: !pod.containers.isEmpty && pod.containers.allSatisfy { $0.memoryLimit != nil },
                namespaceIndex: namespaceIndex[pod.namespace] ?? 0,
                info: info(running), infoWaiting: info("CrashLoopBackOff"),
                containers: pod.containers.map { c in
                    let cl = p.merging(["container": c.name]) { a, _ in a }
                    func k(_ name: String) -> Labels { Labels(name: name, cl) }
                    return ContainerKeys(
                        cpuUsage: k(SeriesNames.containerCPUUsage), memoryWorkingSet: k(SeriesNames.containerMemoryWorkingSet),
                        cpuRequests: k(SeriesNames.containerCPURequests), cpuLimits: k(SeriesNames.containerCPULimits),
                        memoryRequests: k(SeriesNames.containerMemoryRequests), memoryLimits: k(SeriesNames.containerMemoryLimits))
                })
        }
    }
}
