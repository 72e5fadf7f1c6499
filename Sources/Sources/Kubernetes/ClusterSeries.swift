import KubeAPI
import KubeglassCore

/// Turns API objects and usage into the series every store-backed source writes (`SeriesNames`),
/// the same ones the demo writes, so that one dashboard shows either. Label sets are built once per
/// pod and node and reused while the object stays the same: at 150,000 pods hashing is the cost.
struct ClusterSeries {
    private struct PodKeys {
        var node: String
        var series: PodSeriesKeys
        /// In the pod's order: a pod has a few containers, a scan beats hashing their names.
        var containers: [(name: String, keys: ContainerSeriesKeys)]

        func container(_ name: String) -> ContainerSeriesKeys? {
            for c in containers where c.name == name { return c.keys }
            return nil
        }
    }

    private var nodeKeys: [String: NodeSeriesKeys] = [:]
    private var podKeys: [String: PodKeys] = [:]
    /// The info series of each pod, while its status, phase and node stay the same.
    private var infoKeys: [String: (status: String, phase: String, node: String?, labels: Labels)] = [:]

    /// Every series for this state of the cluster. `usage` nil: no usage this poll (metrics API absent).
    mutating func batch(at time: Timestamp, nodes: [NodeObject], pods: [PodObject], usage: ClusterUsage?) -> SampleBatch {
        var batch = SampleBatch(time: time)
        batch.series.reserveCapacity(pods.count * 20 + nodes.count * 18 + 1000)
        // Nodes and namespaces first: when a huge cluster fills the store, the cluster-wide panels still work.
        var runningPods: [String: Int] = [:]
        var namespaces: [String: NamespaceTotals] = [:]
        for pod in pods where pod.phase == "Running" {
            if let node = pod.nodeName { runningPods[node, default: 0] += 1 }
        }
        var seenNodes = Set<String>()
        for node in nodes {
            seenNodes.insert(node.name)
            addNode(node, usage: usage?.nodes[node.name], runningPods: runningPods[node.name] ?? 0, to: &batch)
        }
        if nodeKeys.count > seenNodes.count { nodeKeys = nodeKeys.filter { seenNodes.contains($0.key) } }

        let nodeSeries = batch.series.count
        var seenPods = Set<String>()
        seenPods.reserveCapacity(pods.count)
        for pod in pods {
            let key = ClusterUsage.podKey(pod.namespace, pod.name)
            seenPods.insert(key)
            addPod(pod, key: key, usage: usage?.pods[key], to: &batch, totals: &namespaces[pod.namespace, default: NamespaceTotals()])
        }
        if podKeys.count > seenPods.count { podKeys = podKeys.filter { seenPods.contains($0.key) } }
        if infoKeys.count > seenPods.count { infoKeys = infoKeys.filter { seenPods.contains($0.key) } }

        var namespaceSeries = SampleBatch(time: time)
        for (namespace, totals) in namespaces {
            let n = ["namespace": namespace]
            namespaceSeries.add(SeriesNames.namespacePods, n, Double(totals.pods))
            namespaceSeries.add(SeriesNames.namespaceCPURequests, n, totals.cpuRequests)
            namespaceSeries.add(SeriesNames.namespaceMemoryRequests, n, totals.memoryRequests)
            if usage != nil {
                namespaceSeries.add(SeriesNames.namespaceCPUUsage, n, totals.cpuUsage)
                namespaceSeries.add(SeriesNames.namespaceMemoryWorkingSet, n, totals.memoryWorkingSet)
            }
        }
        // Moving millions of pod series up is one memmove; appending them to a second array retained each.
        batch.series.insert(contentsOf: namespaceSeries.series, at: nodeSeries)
        return batch
    }

    private struct NamespaceTotals {
        var pods = 0
        var cpuUsage = 0.0, memoryWorkingSet = 0.0, cpuRequests = 0.0, memoryRequests = 0.0
    }

    private mutating func addNode(_ node: NodeObject, usage: ClusterUsage.Node?, runningPods: Int, to batch: inout SampleBatch) {
        let k = keys(for: node)
        let allocatableCPU = node.allocatable["cpu"].map(\.doubleValue)
        let allocatableMemory = node.allocatable["memory"].map(\.doubleValue)
        func add(_ labels: Labels, _ value: Double?) { if let value { batch.series.append((labels, value)) } }
        add(k.cpuAllocatable, allocatableCPU)
        add(k.cpuCapacity, node.capacity["cpu"].map(\.doubleValue))
        add(k.memoryAllocatable, allocatableMemory)
        add(k.memoryCapacity, node.capacity["memory"].map(\.doubleValue))
        add(k.podCapacity, node.allocatable["pods"].map(\.doubleValue))
        add(k.pods, Double(runningPods))
        let conditions = KubectlStatus.node(node)
        batch.add(SeriesNames.nodeInfo, [
            "node": node.name, "status": conditions.joined(separator: ","),
            "ready": conditions.first == "Ready" ? "true" : "false",
            "internal_ip": node.internalIP ?? "",
            "zone": node.labels["topology.kubernetes.io/zone"] ?? "",
            "instance_type": node.labels["node.kubernetes.io/instance-type"] ?? "",
        ], 1)
        guard let usage else { return }
        add(k.cpuUsage, usage.cpuCores)
        add(k.memoryWorkingSet, usage.memoryWorkingSetBytes)
        add(k.memoryUsage, usage.memoryUsageBytes)
        add(k.networkReceive, usage.networkReceiveBytesPerSecond)
        add(k.networkTransmit, usage.networkTransmitBytesPerSecond)
        add(k.filesystemUsage, usage.filesystemUsedBytes)
        add(k.filesystemCapacity, usage.filesystemCapacityBytes ?? node.capacity["ephemeral-storage"].map(\.doubleValue))
        if let a = allocatableCPU, a > 0 { add(k.cpuRatio, usage.cpuCores / a) }
        if let a = allocatableMemory, a > 0 { add(k.memoryRatio, usage.memoryWorkingSetBytes / a) }
    }

    private mutating func keys(for node: NodeObject) -> NodeSeriesKeys {
        if let k = nodeKeys[node.name] { return k }
        let k = NodeSeriesKeys(node: node.name)
        nodeKeys[node.name] = k
        return k
    }

    private mutating func addPod(_ pod: PodObject, key: String, usage: ClusterUsage.Pod?, to batch: inout SampleBatch, totals: inout NamespaceTotals) {
        let status = KubectlStatus.pod(pod)
        let phase = pod.phase ?? "Unknown"
        if let cached = infoKeys[key], cached.status == status, cached.phase == phase, cached.node == pod.nodeName {
            batch.series.append((cached.labels, 1))
        } else {
            let labels = Labels(name: SeriesNames.podInfo, [
                "namespace": pod.namespace, "pod": pod.name, "node": pod.nodeName ?? "",
                "phase": phase, "status": status,
                "owner_kind": pod.ownerKind ?? "", "owner_name": pod.ownerName ?? "",
            ])
            infoKeys[key] = (status, phase, pod.nodeName, labels)
            batch.series.append((labels, 1))
        }
        // Finished pods hold no resources: like the scheduler, count only pending and running ones.
        guard pod.phase == "Running" || pod.phase == "Pending" else { return }
        let k = keys(for: pod, key: key)
        totals.pods += 1
        var cpuRequests = 0.0, cpuLimits = 0.0, memoryRequests = 0.0, memoryLimits = 0.0
        var allCPULimited = !pod.containers.isEmpty, allMemoryLimited = !pod.containers.isEmpty
        for container in pod.containers {
            guard let ck = k.container(container.name) else { continue }
            if let v = container.requests["cpu"]?.doubleValue { cpuRequests += v; batch.series.append((ck.cpuRequests, v)) }
            if let v = container.limits["cpu"]?.doubleValue { cpuLimits += v; batch.series.append((ck.cpuLimits, v)) } else { allCPULimited = false }
            if let v = container.requests["memory"]?.doubleValue { memoryRequests += v; batch.series.append((ck.memoryRequests, v)) }
            if let v = container.limits["memory"]?.doubleValue { memoryLimits += v; batch.series.append((ck.memoryLimits, v)) } else { allMemoryLimited = false }
        }
        // The pod's effective request: init containers run one at a time, before the others.
        for container in pod.initContainers {
            cpuRequests = max(cpuRequests, container.requests["cpu"]?.doubleValue ?? 0)
            memoryRequests = max(memoryRequests, container.requests["memory"]?.doubleValue ?? 0)
        }
        batch.series.append((k.series.cpuRequests, cpuRequests))
        batch.series.append((k.series.memoryRequests, memoryRequests))
        if cpuLimits > 0 { batch.series.append((k.series.cpuLimits, cpuLimits)) }
        if memoryLimits > 0 { batch.series.append((k.series.memoryLimits, memoryLimits)) }
        batch.series.append((k.series.restarts, Double(KubectlStatus.restarts(pod))))
        totals.cpuRequests += cpuRequests
        totals.memoryRequests += memoryRequests
        guard let usage else { return }
        for c in usage.containers {
            guard let ck = k.container(c.name) else { continue }
            batch.series.append((ck.cpuUsage, c.cpuCores))
            batch.series.append((ck.memoryWorkingSet, c.memoryWorkingSetBytes))
        }
        let cpu = usage.cpuCores, memory = usage.memoryWorkingSetBytes
        totals.cpuUsage += cpu
        totals.memoryWorkingSet += memory
        batch.series.append((k.series.cpuUsage, cpu))
        batch.series.append((k.series.memoryWorkingSet, memory))
        if let v = usage.memoryUsageBytes { batch.series.append((k.series.memoryUsage, v)) }
        if let v = usage.networkReceiveBytesPerSecond { batch.series.append((k.series.networkReceive, v)) }
        if let v = usage.networkTransmitBytesPerSecond { batch.series.append((k.series.networkTransmit, v)) }
        if cpuRequests > 0 { batch.series.append((k.series.cpuRequestRatio, cpu / cpuRequests)) }
        if memoryRequests > 0 { batch.series.append((k.series.memoryRequestRatio, memory / memoryRequests)) }
        if allCPULimited, cpuLimits > 0 { batch.series.append((k.series.cpuLimitRatio, cpu / cpuLimits)) }
        if allMemoryLimited, memoryLimits > 0 { batch.series.append((k.series.memoryLimitRatio, memory / memoryLimits)) }
    }

    private mutating func keys(for pod: PodObject, key: String) -> PodKeys {
        let node = pod.nodeName ?? ""
        if let k = podKeys[key], k.node == node, k.containers.count == pod.containers.count,
           zip(k.containers, pod.containers).allSatisfy({ $0.name == $1.name }) { return k }
        var containers: [(name: String, keys: ContainerSeriesKeys)] = []
        containers.reserveCapacity(pod.containers.count)
        for c in pod.containers where !containers.contains(where: { $0.name == c.name }) {
            containers.append((c.name, ContainerSeriesKeys(namespace: pod.namespace, pod: pod.name, node: node, container: c.name)))
        }
        let k = PodKeys(node: node, series: PodSeriesKeys(namespace: pod.namespace, pod: pod.name, node: node), containers: containers)
        podKeys[key] = k
        return k
    }
}
