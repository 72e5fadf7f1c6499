import DemoCluster
import KubeglassCore

/// The built-in demo cluster, polled in process: the default when no cluster is configured.
public struct DemoClusterSource: MetricSource {
    public let cluster: ClusterModel
    public var id: String { "demo" }
    public var isSimulated: Bool { true }
    public var displayName: String { "demo cluster (\(cluster.nodes.count) nodes, \(cluster.pods.count) pods)" }
    /// Label sets built once: a poll (and an hour of history) then only fills in values.
    private let keys: LabelCache
    /// "Now" for `events()` (tests and replays pin it).
    public var clock: any Clock = SystemClock()

    public init(cluster: ClusterModel) {
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
            batch.series += [
                (k.pods, Double(totals.pods)), (k.cpuRequests, totals.cpuRequests),
                (k.memoryRequests, totals.memoryRequests),
                (k.cpuUsage, totals.cpuUsage), (k.memoryWorkingSet, totals.memoryWorkingSet),
            ]
            if totals.cpuLimits > 0 { batch.series.append((k.cpuLimits, totals.cpuLimits)) }
            if totals.memoryLimits > 0 { batch.series.append((k.memoryLimits, totals.memoryLimits)) }
            for (status, count) in totals.statuses.sorted(by: { $0.key < $1.key }) {
                batch.series.append((k.podsByStatus(status), Double(count)))
            }
        }
        for (i, node) in cluster.nodes.enumerated() {
            let k = keys.nodes[i]
            let usage = cluster.usage(ofNode: i, at: time)
            batch.series += [
                (k.series.cpuUsage, usage.cpuCores),
                (k.series.cpuAllocatable, Double(node.cpuAllocatable) / 1000),
                (k.series.cpuCapacity, Double(node.cpuCapacity) / 1000),
                (k.series.memoryWorkingSet, usage.memoryWorkingSetBytes),
                (k.series.memoryUsage, usage.memoryUsageBytes),
                (k.series.memoryAllocatable, Double(node.memoryAllocatable)),
                (k.series.memoryCapacity, Double(node.memoryCapacity)),
                (k.series.networkReceive, usage.networkReceiveBytesPerSecond),
                (k.series.networkTransmit, usage.networkTransmitBytesPerSecond),
                (k.series.filesystemUsage, usage.filesystemUsedBytes),
                (k.series.filesystemCapacity, Double(node.filesystemCapacity)),
                (k.series.pods, Double(runningPods[i])),
                (k.series.podCapacity, Double(node.podCapacity)),
                (k.info, 1),
                (k.series.cpuRatio, usage.cpuCores / (Double(node.cpuAllocatable) / 1000)),
                (k.series.memoryRatio, usage.memoryWorkingSetBytes / Double(node.memoryAllocatable)),
            ]
        }
        return batch
    }

    private struct NamespaceTotals {
        var pods = 0
        var cpuUsage = 0.0, memoryWorkingSet = 0.0, cpuRequests = 0.0, memoryRequests = 0.0, cpuLimits = 0.0,
            memoryLimits = 0.0
        var statuses: [String: Int] = [:]
    }

    private func addPod(
        _ pod: ClusterModel.Pod, _ k: LabelCache.PodKeys, at time: Timestamp, to batch: inout SampleBatch,
        totals: inout NamespaceTotals
    ) {
        let running = cluster.isRunning(pod, at: time)
        let waiting = !running && pod.phase == .running
        batch.series.append((waiting ? k.infoWaiting : k.info, 1))
        totals.statuses[waiting ? LabelCache.waitingStatus : k.status, default: 0] += 1
        guard pod.phase == .running || pod.phase == .pending else { return }
        var cpuRequests = 0.0
        var cpuLimits = 0.0
        var memoryRequests = 0.0
        var memoryLimits = 0.0
        for (container, ck) in zip(pod.containers, k.containers) {
            if let v = container.cpuRequest {
                cpuRequests += Double(v) / 1000
                batch.series.append((ck.cpuRequests, Double(v) / 1000))
            }
            if let v = container.cpuLimit {
                cpuLimits += Double(v) / 1000
                batch.series.append((ck.cpuLimits, Double(v) / 1000))
            }
            if let v = container.memoryRequest {
                memoryRequests += Double(v)
                batch.series.append((ck.memoryRequests, Double(v)))
            }
            if let v = container.memoryLimit {
                memoryLimits += Double(v)
                batch.series.append((ck.memoryLimits, Double(v)))
            }
            if running {
                let u = cluster.usage(of: container, in: pod, at: time)
                batch.series.append((ck.cpuUsage, u.cpuCores))
                batch.series.append((ck.memoryWorkingSet, u.memoryWorkingSetBytes))
            }
        }
        batch.series.append((k.series.cpuRequests, cpuRequests))
        batch.series.append((k.series.memoryRequests, memoryRequests))
        if cpuLimits > 0 { batch.series.append((k.series.cpuLimits, cpuLimits)) }
        if memoryLimits > 0 { batch.series.append((k.series.memoryLimits, memoryLimits)) }
        batch.series.append((k.series.restarts, Double(cluster.restarts(pod, at: time))))
        totals.pods += 1
        totals.cpuRequests += cpuRequests
        totals.memoryRequests += memoryRequests
        totals.cpuLimits += cpuLimits
        totals.memoryLimits += memoryLimits
        guard running else { return }
        let u = cluster.usage(of: pod, at: time)
        totals.cpuUsage += u.cpuCores
        totals.memoryWorkingSet += u.memoryWorkingSetBytes
        if cpuRequests > 0 { batch.series.append((k.series.cpuRequestRatio, u.cpuCores / cpuRequests)) }
        if memoryRequests > 0 {
            batch.series.append((k.series.memoryRequestRatio, u.memoryWorkingSetBytes / memoryRequests))
        }
        if k.allCPULimited, cpuLimits > 0 { batch.series.append((k.series.cpuLimitRatio, u.cpuCores / cpuLimits)) }
        if k.allMemoryLimited, memoryLimits > 0 {
            batch.series.append((k.series.memoryLimitRatio, u.memoryWorkingSetBytes / memoryLimits))
        }
        batch.series += [
            (k.series.cpuUsage, u.cpuCores),
            (k.series.memoryWorkingSet, u.memoryWorkingSetBytes),
            (k.series.memoryUsage, u.memoryUsageBytes),
            (k.series.networkReceive, u.networkReceiveBytesPerSecond),
            (k.series.networkTransmit, u.networkTransmitBytesPerSecond),
        ]
    }
}

/// The label set of every series the demo reports, built once per cluster.
private struct LabelCache: Sendable {
    struct NodeKeys: Sendable {
        var series: NodeSeriesKeys
        var info: Labels
    }
    struct PodKeys: Sendable {
        var series: PodSeriesKeys
        var allCPULimited, allMemoryLimited: Bool
        var namespaceIndex: Int
        /// The info series while running (or in its phase), and while waiting in CrashLoopBackOff.
        var info, infoWaiting: Labels
        /// The status label of `info`.
        var status: String
        var containers: [ContainerSeriesKeys]
    }

    let nodes: [NodeKeys]
    let pods: [PodKeys]
    let namespaces: [NamespaceSeriesKeys]
    static let waitingStatus = "CrashLoopBackOff"

    init(_ cluster: ClusterModel) {
        nodes = cluster.nodes.enumerated().map { i, node in
            let conditions = cluster.conditions(ofNode: i)
            return NodeKeys(
                series: NodeSeriesKeys(node: node.name),
                info: Labels(
                    name: SeriesNames.nodeInfo,
                    [
                        "node": node.name, "status": conditions.joined(separator: ","),
                        "ready": conditions.first == "Ready" ? "true" : "false",
                        "internal_ip": node.internalIP,
                        "zone": node.labels["topology.kubernetes.io/zone"] ?? "",
                        "instance_type": node.labels["node.kubernetes.io/instance-type"] ?? "",
                    ]))
        }
        namespaces = cluster.namespaces.map { NamespaceSeriesKeys(namespace: $0) }
        let namespaceIndex = Dictionary(uniqueKeysWithValues: cluster.namespaces.enumerated().map { ($1, $0) })
        pods = cluster.pods.map { pod in
            let nodeName = pod.nodeIndex.map { cluster.nodes[$0].name } ?? ""
            let p = ["namespace": pod.namespace, "pod": pod.name, "node": nodeName]
            func info(_ status: String) -> Labels {
                Labels(
                    name: SeriesNames.podInfo,
                    p.merging([
                        "phase": pod.phase.rawValue, "status": status, "owner_kind": pod.ownerKind,
                        "owner_name": pod.ownerName,
                    ]) { a, _ in a })
            }
            let running = [
                ClusterModel.Phase.running: "Running", .pending: "Pending", .succeeded: "Completed", .failed: "Error",
            ][pod.phase]!
            return PodKeys(
                series: PodSeriesKeys(namespace: pod.namespace, pod: pod.name, node: nodeName),
                allCPULimited: !pod.containers.isEmpty && pod.containers.allSatisfy { $0.cpuLimit != nil },
                allMemoryLimited: !pod.containers.isEmpty && pod.containers.allSatisfy { $0.memoryLimit != nil },
                namespaceIndex: namespaceIndex[pod.namespace] ?? 0,
                info: info(running), infoWaiting: info(Self.waitingStatus), status: running,
                containers: pod.containers.map {
                    ContainerSeriesKeys(namespace: pod.namespace, pod: pod.name, node: nodeName, container: $0.name)
                })
        }
    }
}
