/// What a cluster uses right now, from the metrics API or the kubelet Summary, before it becomes series.
/// Absent values (nil) are ones the source cannot see (the metrics API has no network or filesystem).
public struct ClusterUsage: Sendable {
    public struct Node: Sendable {
        public var cpuCores: Double
        public var memoryWorkingSetBytes: Double
        public var memoryUsageBytes: Double?
        public var networkReceiveBytesPerSecond: Double?
        public var networkTransmitBytesPerSecond: Double?
        public var filesystemUsedBytes: Double?
        public var filesystemCapacityBytes: Double?
        public init(cpuCores: Double, memoryWorkingSetBytes: Double) {
            self.cpuCores = cpuCores
            self.memoryWorkingSetBytes = memoryWorkingSetBytes
        }
    }

    public struct Container: Sendable {
        public var name: String
        public var cpuCores: Double
        public var memoryWorkingSetBytes: Double
        public init(name: String, cpuCores: Double, memoryWorkingSetBytes: Double) {
            self.name = name
            self.cpuCores = cpuCores
            self.memoryWorkingSetBytes = memoryWorkingSetBytes
        }
    }

    public struct Pod: Sendable {
        public var containers: [Container]
        public var memoryUsageBytes: Double?
        public var networkReceiveBytesPerSecond: Double?
        public var networkTransmitBytesPerSecond: Double?
        public init(containers: [Container]) { self.containers = containers }
        public var cpuCores: Double { containers.reduce(0) { $0 + $1.cpuCores } }
        public var memoryWorkingSetBytes: Double { containers.reduce(0) { $0 + $1.memoryWorkingSetBytes } }
    }

    /// By node name.
    public var nodes: [String: Node] = [:]
    /// By `namespace/name`.
    public var pods: [String: Pod] = [:]
    public init() {}

    public static func podKey(_ namespace: String, _ name: String) -> String { namespace + "/" + name }
}
