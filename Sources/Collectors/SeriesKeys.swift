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
        func l(_ name: MetricName) -> Labels { shared.labels(name) }
        cpuUsage = l(.nodeCPUUsage)
        cpuAllocatable = l(.nodeCPUAllocatable)
        cpuCapacity = l(.nodeCPUCapacity)
        memoryWorkingSet = l(.nodeMemoryWorkingSet)
        memoryUsage = l(.nodeMemoryUsage)
        memoryAllocatable = l(.nodeMemoryAllocatable)
        memoryCapacity = l(.nodeMemoryCapacity)
        networkReceive = l(.nodeNetworkReceive)
        networkTransmit = l(.nodeNetworkTransmit)
        filesystemUsage = l(.nodeFilesystemUsage)
        filesystemCapacity = l(.nodeFilesystemCapacity)
        pods = l(.nodePods)
        podCapacity = l(.nodePodCapacity)
        cpuRatio = l(.nodeCPUUsageRatio)
        memoryRatio = l(.nodeMemoryUsageRatio)
    }
}

struct PodSeriesKeys: Sendable {
    let cpuUsage, memoryWorkingSet, memoryUsage, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels
    let networkReceive, networkTransmit, restarts: Labels
    let cpuRequestRatio, cpuLimitRatio, memoryRequestRatio, memoryLimitRatio: Labels

    init(namespace: String, pod: String, node: String) {
        let shared = SharedLabels(sortedPairs: [Label("namespace", namespace), Label("node", node), Label("pod", pod)])
        func l(_ name: MetricName) -> Labels { shared.labels(name) }
        cpuUsage = l(.podCPUUsage)
        memoryWorkingSet = l(.podMemoryWorkingSet)
        memoryUsage = l(.podMemoryUsage)
        cpuRequests = l(.podCPURequests)
        cpuLimits = l(.podCPULimits)
        memoryRequests = l(.podMemoryRequests)
        memoryLimits = l(.podMemoryLimits)
        networkReceive = l(.podNetworkReceive)
        networkTransmit = l(.podNetworkTransmit)
        restarts = l(.podRestarts)
        cpuRequestRatio = l(.podCPURequestRatio)
        cpuLimitRatio = l(.podCPULimitRatio)
        memoryRequestRatio = l(.podMemoryRequestRatio)
        memoryLimitRatio = l(.podMemoryLimitRatio)
    }
}

struct ContainerSeriesKeys: Sendable {
    let cpuUsage, memoryWorkingSet, cpuRequests, cpuLimits, memoryRequests, memoryLimits: Labels

    init(namespace: String, pod: String, node: String, container: String) {
        let shared = SharedLabels(sortedPairs: [
            Label("container", container), Label("namespace", namespace), Label("node", node), Label("pod", pod),
        ])
        func l(_ name: MetricName) -> Labels { shared.labels(name) }
        cpuUsage = l(.containerCPUUsage)
        memoryWorkingSet = l(.containerMemoryWorkingSet)
        cpuRequests = l(.containerCPURequests)
        cpuLimits = l(.containerCPULimits)
        memoryRequests = l(.containerMemoryRequests)
        memoryLimits = l(.containerMemoryLimits)
    }
}

struct NamespaceSeriesKeys: Sendable {
    let namespace: String
    let pods, cpuUsage, memoryWorkingSet, cpuRequests, memoryRequests, cpuLimits, memoryLimits: Labels

    init(namespace: String) {
        self.namespace = namespace
        let shared = SharedLabels(sortedPairs: [Label("namespace", namespace)])
        func l(_ name: MetricName) -> Labels { shared.labels(name) }
        pods = l(.namespacePods)
        cpuUsage = l(.namespaceCPUUsage)
        memoryWorkingSet = l(.namespaceMemoryWorkingSet)
        cpuRequests = l(.namespaceCPURequests)
        memoryRequests = l(.namespaceMemoryRequests)
        cpuLimits = l(.namespaceCPULimits)
        memoryLimits = l(.namespaceMemoryLimits)
    }

    /// The count of the namespace's pods whose kubectl STATUS is `status`.
    func podsByStatus(_ status: String) -> Labels {
        Labels(
            name: SeriesNames.namespacePodsByStatus,
            sortedPairs: [Label("namespace", namespace), Label("status", status)])
    }
}

// The names above, each hashed once for the process.
extension MetricName {
    static let containerCPULimits = MetricName(SeriesNames.containerCPULimits)
    static let containerCPURequests = MetricName(SeriesNames.containerCPURequests)
    static let containerCPUUsage = MetricName(SeriesNames.containerCPUUsage)
    static let containerMemoryLimits = MetricName(SeriesNames.containerMemoryLimits)
    static let containerMemoryRequests = MetricName(SeriesNames.containerMemoryRequests)
    static let containerMemoryWorkingSet = MetricName(SeriesNames.containerMemoryWorkingSet)
    static let namespaceCPULimits = MetricName(SeriesNames.namespaceCPULimits)
    static let namespaceCPURequests = MetricName(SeriesNames.namespaceCPURequests)
    static let namespaceCPUUsage = MetricName(SeriesNames.namespaceCPUUsage)
    static let namespaceMemoryLimits = MetricName(SeriesNames.namespaceMemoryLimits)
    static let namespaceMemoryRequests = MetricName(SeriesNames.namespaceMemoryRequests)
    static let namespaceMemoryWorkingSet = MetricName(SeriesNames.namespaceMemoryWorkingSet)
    static let namespacePods = MetricName(SeriesNames.namespacePods)
    static let nodeCPUAllocatable = MetricName(SeriesNames.nodeCPUAllocatable)
    static let nodeCPUCapacity = MetricName(SeriesNames.nodeCPUCapacity)
    static let nodeCPUUsage = MetricName(SeriesNames.nodeCPUUsage)
    static let nodeCPUUsageRatio = MetricName(SeriesNames.nodeCPUUsageRatio)
    static let nodeFilesystemCapacity = MetricName(SeriesNames.nodeFilesystemCapacity)
    static let nodeFilesystemUsage = MetricName(SeriesNames.nodeFilesystemUsage)
    static let nodeMemoryAllocatable = MetricName(SeriesNames.nodeMemoryAllocatable)
    static let nodeMemoryCapacity = MetricName(SeriesNames.nodeMemoryCapacity)
    static let nodeMemoryUsage = MetricName(SeriesNames.nodeMemoryUsage)
    static let nodeMemoryUsageRatio = MetricName(SeriesNames.nodeMemoryUsageRatio)
    static let nodeMemoryWorkingSet = MetricName(SeriesNames.nodeMemoryWorkingSet)
    static let nodeNetworkReceive = MetricName(SeriesNames.nodeNetworkReceive)
    static let nodeNetworkTransmit = MetricName(SeriesNames.nodeNetworkTransmit)
    static let nodePodCapacity = MetricName(SeriesNames.nodePodCapacity)
    static let nodePods = MetricName(SeriesNames.nodePods)
    static let podCPULimitRatio = MetricName(SeriesNames.podCPULimitRatio)
    static let podCPULimits = MetricName(SeriesNames.podCPULimits)
    static let podCPURequestRatio = MetricName(SeriesNames.podCPURequestRatio)
    static let podCPURequests = MetricName(SeriesNames.podCPURequests)
    static let podCPUUsage = MetricName(SeriesNames.podCPUUsage)
    static let podMemoryLimitRatio = MetricName(SeriesNames.podMemoryLimitRatio)
    static let podMemoryLimits = MetricName(SeriesNames.podMemoryLimits)
    static let podMemoryRequestRatio = MetricName(SeriesNames.podMemoryRequestRatio)
    static let podMemoryRequests = MetricName(SeriesNames.podMemoryRequests)
    static let podMemoryUsage = MetricName(SeriesNames.podMemoryUsage)
    static let podMemoryWorkingSet = MetricName(SeriesNames.podMemoryWorkingSet)
    static let podNetworkReceive = MetricName(SeriesNames.podNetworkReceive)
    static let podNetworkTransmit = MetricName(SeriesNames.podNetworkTransmit)
    static let podRestarts = MetricName(SeriesNames.podRestarts)
}
