import Foundation
import KubeglassCore

/// A simulated Kubernetes cluster: nodes, namespaces, workloads and pods, with load that is a
/// pure function of (seed, time). The in-process demo source and `kubeglass sim` share it.
public struct ClusterModel: Sendable {
    public struct Options: Sendable {
        public var nodes: Int
        public var pods: Int
        public var seed: UInt64
        /// Length of the demo's compressed "day": load rises and falls once per day.
        public var dayLength: Int64
        public init(
            nodes: Int = 12, pods: Int = 300, seed: UInt64 = 1, dayLength: Milliseconds = 30 * Milliseconds.minute
        ) {
            self.nodes = max(1, nodes)
            self.pods = max(0, pods)
            self.seed = seed
            self.dayLength = max(Milliseconds.minute, dayLength)
        }
    }

    public let options: Options
    public let nodes: [Node]
    public let pods: [Pod]
    public let namespaces: [String]
    /// When the cluster was "created" (pods' start times are before the first poll).
    public let createdAt: Int64
    let noise: Noise
    /// Pod indices per node index, for node totals.
    let podsByNode: [[Int]]

    public init(_ options: Options = Options(), createdAt: Int64 = 1_700_000_000_000) {
        self.options = options
        self.createdAt = createdAt
        noise = Noise(seed: options.seed)
        var generator = ClusterGenerator(options: options, createdAt: createdAt)
        nodes = generator.makeNodes()
        pods = generator.makePods(nodes: nodes)
        namespaces = Array(Set(pods.map(\.namespace))).sorted()
        var byNode = Array(repeating: [Int](), count: nodes.count)
        for (i, pod) in pods.enumerated() { if let n = pod.nodeIndex { byNode[n].append(i) } }
        podsByNode = byNode
    }
}

extension ClusterModel {
    public struct Node: Sendable, Hashable {
        public var name: String
        public var cpuCapacity: Int64 // millicores
        public var memoryCapacity: Int64 // bytes
        public var cpuAllocatable: Int64 // millicores
        public var memoryAllocatable: Int64 // bytes
        public var podCapacity: Int
        public var filesystemCapacity: Int64 // bytes
        public var labels: [String: String]
        public var internalIP: String
        public var createdAt: Int64
        /// This node is kept near its memory limit and reports MemoryPressure.
        public var underMemoryPressure: Bool
        public var ready: Bool
        let key: UInt64
        /// CPU (millicores) and memory (bytes) the system itself uses, outside pods.
        let systemCPU: Int64
        let systemMemory: Int64
    }

    public struct Container: Sendable, Hashable {
        public var name: String
        public var image: String
        public var cpuRequest: Int64? // millicores
        public var cpuLimit: Int64?
        public var memoryRequest: Int64? // bytes
        public var memoryLimit: Int64?
        /// Typical usage at the middle of the day.
        let baseCPU: Double // millicores
        let baseMemory: Double // bytes
        let key: UInt64
    }

    public enum Phase: String, Sendable {
        case pending = "Pending"
        case running = "Running"
        case succeeded = "Succeeded"
        case failed = "Failed"
    }

    public struct Pod: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var uid: String
        public var nodeIndex: Int?
        public var ownerKind: String
        public var ownerName: String
        public var labels: [String: String]
        public var containers: [Container]
        public var phase: Phase
        public var podIP: String?
        public var createdAt: Int64
        /// Restarts every few minutes and spends most of its time in CrashLoopBackOff.
        public var crashLoops: Bool
        let key: UInt64
        let burstiness: Double
        let networkBase: Double // bytes per second
    }
}
