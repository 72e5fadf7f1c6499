import KubeglassCore

// The label sets of the series store-backed sources write (SeriesNames), one struct per object.
// Sources build them once per node, pod and container and reuse them every poll: at 150,000 pods
// building and hashing label sets is the cost of a poll.

struct NodeSeriesKeys: Sendable {
    let cpuUsage, cpuAllocatable, cpuCapacity, memoryWorkingSet, memoryUsage, memoryAllocatable, memoryCapacity: Labels
    let networkReceive, networkTransmit, filesystemUsage, filesystemCapacity, pods, podCapacity: Labels
    let cpuRatio, memoryRatio: Labels

    init(node: String) {
        let shared = SharedLabels(sortedPairs: [Label("node", node)])
        func l(_ name: String) -> Labels { shared.labels(name: name) }
        cpuUsage = l(SeriesNames.nodeCPUUsage)
        cpuAllocatable = l(SeriesNames.nodeCPUAllocatable)
        cpuCapacity = l(SeriesNames.nodeCPUCapacity)
        memoryWorkingSet = l(SeriesNames.nodeMemoryWorkingSet)
        memoryUsage = l(SeriesNames.nodeMemoryUsage)
        memoryAllocatable = l(SeriesNames.nodeMemoryAllocatable)
        memoryCapacity = l(SeriesNames.nodeMemoryCapacity)
        networkReceive = l(SeriesNames.nodeNetworkReceive)
        networkTransmit = l(SeriesNames.nodeNetworkTransmit)
        filesystemUsage = l(SeriesNames.nodeFilesystemUsage)
        filesystemCapacity = l(SeriesNames.nodeFilesystemCapacity)
        pods = l(SeriesNames.nodePods)
        podCapacity = l(SeriesNames.nodePodCapacity)
        cpuRatio = l(SeriesNames.nodeCPUUsageRatio)
        memoryRatio = l(SeriesNames.nodeMemoryUsageRatio)
    }
}

struct PodSeriesKeys: Sendable {
    let cpuUsage, memoryWorkingSet, memoryUsage, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels
    let networkReceive, networkTransmit, restarts: Labels
    let cpuRequestRatio, cpuLimitRatio, memoryRequestRatio, memoryLimitRatio: Labels

    init(namespace: String, pod: String, node: String) {
        let shared = SharedLabels(sortedPairs: [Label("namespace", namespace), Label("node", node), Label("pod", pod)])
        func l(_ name: String) -> Labels { shared.labels(name: name) }
        cpuUsage = l(SeriesNames.podCPUUsage)
        memoryWorkingSet = l(SeriesNames.podMemoryWorkingSet)
        memoryUsage = l(SeriesNames.podMemoryUsage)
        cpuRequests = l(SeriesNames.podCPURequests)
        cpuLimits = l(SeriesNames.podCPULimits)
        memoryRequests = l(SeriesNames.podMemoryRequests)
        memoryLimits = l(SeriesNames.podMemoryLimits)
        networkReceive = l(SeriesNames.podNetworkReceive)
        networkTransmit = l(SeriesNames.podNetworkTransmit)
        restarts = l(SeriesNames.podRestarts)
        cpuRequestRatio = l(SeriesNames.podCPURequestRatio)
        cpuLimitRatio = l(SeriesNames.podCPULimitRatio)
        memoryRequestRatio = l(SeriesNames.podMemoryRequestRatio)
        memoryLimitRatio = l(SeriesNames.podMemoryLimitRatio)
    }
}

struct ContainerSeriesKeys: Sendable {
    let cpuUsage, memoryWorkingSet, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels

    init(namespace: String, pod: String, node: String, container: String) {
        let shared = SharedLabels(sortedPairs: [Label("container", container), Label("namespace", namespace), Label("node", node), Label("pod", pod)])
        func l(_ name: String) -> Labels { shared.labels(name: name) }
        cpuUsage = l(SeriesNames.containerCPUUsage)
        memoryWorkingSet = l(SeriesNames.containerMemoryWorkingSet)
        cpuRequests = l(SeriesNames.containerCPURequests)
        cpuLimits = l(SeriesNames.containerCPULimits)
        memoryRequests = l(SeriesNames.containerMemoryRequests)
        memoryLimits = l(SeriesNames.containerMemoryLimits)
    }
}

struct NamespaceSeriesKeys: Sendable {
    let pods, cpuUsage, memoryWorkingSet, cpuRequests, memoryRequests: Labels

    init(namespace: String) {
        let shared = SharedLabels(sortedPairs: [Label("namespace", namespace)])
        func l(_ name: String) -> Labels { shared.labels(name: name) }
        pods = l(SeriesNames.namespacePods)
        cpuUsage = l(SeriesNames.namespaceCPUUsage)
        memoryWorkingSet = l(SeriesNames.namespaceMemoryWorkingSet)
        cpuRequests = l(SeriesNames.namespaceCPURequests)
        memoryRequests = l(SeriesNames.namespaceMemoryRequests)
    }
}
