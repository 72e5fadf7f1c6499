import DemoCluster
import NIOCore

/// What one scrape of `/metrics` reads, computed once: the usage of every container, pod and node
/// at the scrape time, and the counters advanced to it.
final class Scrape {
    typealias Metric = Exposition.Metric
    let api: SimulatedAPI
    let cluster: ClusterModel
    let t: Int64
    /// Pods (all, or one node's) and their running containers as (pod, container index).
    let pods: [Int]
    let nodes: [Int]
    let containers: [(pod: Int, index: Int)]
    let containerUsage: [ResourceUsage]
    let podUsage: [Int: ResourceUsage]
    let networkPods: [Int]
    let nodeUsage: [ResourceUsage]
    let counters: CounterLedger.Snapshot?
    /// Served as the kubelet itself serves it: without the target labels (`instance`, `node`) Prometheus adds.
    var asKubelet = false

    init(api: SimulatedAPI, node: Int?, at t: Int64, needsCounters: Bool) {
        self.api = api
        cluster = api.cluster
        self.t = t
        pods = node.map { api.catalog.podsByNode[$0] } ?? Array(api.cluster.pods.indices)
        nodes = node.map { [$0] } ?? Array(api.cluster.nodes.indices)
        var containers: [(pod: Int, index: Int)] = []
        var usage: [ResourceUsage] = []
        var podUsage: [Int: ResourceUsage] = [:]
        var networkPods: [Int] = []
        for p in pods {
            let pod = cluster.pods[p]
            guard cluster.isRunning(pod, at: t) || (pod.crashLoops && pod.phase == .running) else { continue }
            for (k, c) in pod.containers.enumerated() {
                containers.append((p, k))
                usage.append(cluster.usage(of: c, in: pod, at: t))
            }
            podUsage[p] = cluster.usage(of: pod, at: t)
            networkPods.append(p)
        }
        self.containers = containers
        containerUsage = usage
        self.podUsage = podUsage
        self.networkPods = networkPods
        nodeUsage = nodes.map { api.cluster.usage(ofNode: $0, at: t) }
        counters = needsCounters ? api.counters.snapshot(at: t, only: node.map { [$0] }) : nil
    }

    /// The cgroup path cAdvisor reports as `id`.
    func cgroup(_ p: Int) -> String {
        let pod = cluster.pods[p]
        let qos = api.catalog.renderer.qosClass(pod).lowercased()
        let uid = pod.uid.replacing("-", with: "_")
        return qos == "guaranteed"
            ? "/kubepods.slice/kubepods-pod\(uid).slice"
            : "/kubepods.slice/kubepods-\(qos).slice/kubepods-\(qos)-pod\(uid).slice"
    }

    func containerID(_ p: Int, _ k: Int) -> String {
        let pod = cluster.pods[p]
        return derivedHex(pod.uid + pod.containers[k].name)
    }

    func nodeName(_ p: Int) -> String { cluster.pods[p].nodeIndex.map { cluster.nodes[$0].name } ?? "" }
}
