import DemoCluster
import Foundation

/// Cumulative counters (CPU seconds, network bytes) integrated from the model's rates. The model
/// gives rates at any instant; a counter is their integral, advanced lazily per node when read,
/// so counters only grow and their rate over any window is the model's average rate.
public final class CounterLedger: @unchecked Sendable {
    private let cluster: ClusterModel
    private let podsByNode: [[Int]]
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var nodeTime: [Int64]
    private var nodeCPU: [Double], nodeRx: [Double], nodeTx: [Double]
    private var containerCPU: [Double]
    private var podRx: [Double], podTx: [Double]
    let containerOffset: [Int]

    /// Integration step: short enough that a 15 s scrape interval sees the model's shape.
    static let maxStep: Int64 = 5_000
    static let maxSteps: Int64 = 60

    public init(cluster: ClusterModel, podsByNode: [[Int]], startedAt: Int64) {
        self.cluster = cluster
        self.podsByNode = podsByNode
        var offsets: [Int] = []
        var total = 0
        offsets.reserveCapacity(cluster.pods.count)
        for pod in cluster.pods {
            offsets.append(total)
            total += pod.containers.count
        }
        containerOffset = offsets
        nodeTime = Array(repeating: startedAt, count: cluster.nodes.count)
        nodeCPU = Array(repeating: 0, count: cluster.nodes.count)
        nodeRx = nodeCPU
        nodeTx = nodeCPU
        containerCPU = Array(repeating: 0, count: total)
        podRx = Array(repeating: 0, count: cluster.pods.count)
        podTx = podRx
        // Start as if each object had run since it was created at about today's rate.
        for (p, pod) in cluster.pods.enumerated() where pod.nodeIndex != nil {
            let age = Double(max(0, startedAt - pod.createdAt)) / 1000 * 0.9
            let u = cluster.usage(of: pod, at: startedAt)
            podRx[p] = u.networkReceiveBytesPerSecond * age
            podTx[p] = u.networkTransmitBytesPerSecond * age
            for (k, c) in pod.containers.enumerated() {
                containerCPU[offsets[p] + k] = cluster.usage(of: c, in: pod, at: startedAt).cpuCores * age
            }
        }
        for n in cluster.nodes.indices {
            let age = Double(max(0, startedAt - cluster.nodes[n].createdAt)) / 1000 * 0.9
            let u = cluster.usage(ofNode: n, at: startedAt)
            nodeCPU[n] = u.cpuCores * age
            nodeRx[n] = u.networkReceiveBytesPerSecond * age
            nodeTx[n] = u.networkTransmitBytesPerSecond * age
        }
    }

    /// Counters of one node and its pods, as of `t`.
    public struct NodeCounters: Sendable {
        public var cpuSeconds: Double, receiveBytes: Double, transmitBytes: Double
    }

    public struct PodCounters: Sendable {
        public var containerCPUSeconds: [Double], receiveBytes: Double, transmitBytes: Double
        public var cpuSeconds: Double { containerCPUSeconds.reduce(0, +) }
    }

    /// Brings one node's counters (and its pods') forward to `t` and reads them.
    public func read<R>(node n: Int, at t: Int64, _ body: (NodeCounters, (Int) -> PodCounters) -> R) -> R {
        lock.withLock {
            advance(n, to: t)
            let node = NodeCounters(cpuSeconds: nodeCPU[n], receiveBytes: nodeRx[n], transmitBytes: nodeTx[n])
            return body(node) { p in podCounters(p) }
        }
    }

    public func pod(_ p: Int, at t: Int64) -> PodCounters {
        guard let n = cluster.pods[p].nodeIndex else {
            return PodCounters(
                containerCPUSeconds: Array(repeating: 0, count: cluster.pods[p].containers.count), receiveBytes: 0,
                transmitBytes: 0)
        }
        return read(node: n, at: t) { _, pod in pod(p) }
    }

    public func node(_ n: Int, at t: Int64) -> NodeCounters {
        read(node: n, at: t) { node, _ in node }
    }

    private func podCounters(_ p: Int) -> PodCounters {
        let o = containerOffset[p]
        return PodCounters(
            containerCPUSeconds: Array(containerCPU[o..<(o + cluster.pods[p].containers.count)]),
            receiveBytes: podRx[p], transmitBytes: podTx[p])
    }

    /// Midpoint-rule integration in steps of at most `maxStep`; a long gap uses at most `maxSteps` steps.
    private func advance(_ n: Int, to t: Int64) {
        let from = nodeTime[n]
        guard t > from else { return }
        let steps = min(CounterLedger.maxSteps, (t - from + CounterLedger.maxStep - 1) / CounterLedger.maxStep)
        var start = from
        for s in 1...steps {
            let end = s == steps ? t : from + (t - from) * s / steps
            let mid = (start + end) / 2
            let dt = Double(end - start) / 1000
            for p in podsByNode[n] {
                let pod = cluster.pods[p]
                guard cluster.isRunning(pod, at: mid) else { continue }
                for (k, c) in pod.containers.enumerated() {
                    containerCPU[containerOffset[p] + k] += cluster.usage(of: c, in: pod, at: mid).cpuCores * dt
                }
                let u = cluster.usage(of: pod, at: mid)
                podRx[p] += u.networkReceiveBytesPerSecond * dt
                podTx[p] += u.networkTransmitBytesPerSecond * dt
            }
            let u = cluster.usage(ofNode: n, at: mid)
            nodeCPU[n] += u.cpuCores * dt
            nodeRx[n] += u.networkReceiveBytesPerSecond * dt
            nodeTx[n] += u.networkTransmitBytesPerSecond * dt
            start = end
        }
        nodeTime[n] = t
    }
}

extension CounterLedger {
    /// Every counter, advanced to `t`: what one Prometheus scrape reads.
    public struct Snapshot: Sendable {
        public var nodes: [NodeCounters]
        public var pods: [PodCounters]
    }

    /// `only` limits the work to some nodes (one node's `/metrics/cadvisor`); others read as zero.
    public func snapshot(at t: Int64, only: [Int]? = nil) -> Snapshot {
        let zero = NodeCounters(cpuSeconds: 0, receiveBytes: 0, transmitBytes: 0)
        var nodes = Array(repeating: zero, count: cluster.nodes.count)
        var pods = Array(
            repeating: PodCounters(containerCPUSeconds: [], receiveBytes: 0, transmitBytes: 0),
            count: cluster.pods.count)
        for n in only ?? Array(cluster.nodes.indices) {
            nodes[n] = read(node: n, at: t) { node, pod in
                for p in podsByNode[n] { pods[p] = pod(p) }
                return node
            }
        }
        for (p, pod) in cluster.pods.enumerated() where pod.nodeIndex == nil {
            pods[p] = PodCounters(
                containerCPUSeconds: Array(repeating: 0, count: pod.containers.count), receiveBytes: 0, transmitBytes: 0
            )
        }
        return Snapshot(nodes: nodes, pods: pods)
    }
}
