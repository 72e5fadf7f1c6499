/// What cAdvisor's REST API v1.3 answers (its `info/v1` types), as far as kubeglass reads it.
/// Every field is optional: older and newer cAdvisors leave some out.
public enum CAdvisor {
    /// `/api/v1.3/machine`.
    public struct Machine: Sendable {
        public var cores: Int?
        public var memoryCapacity: UInt64?
        public var filesystems: [Filesystem] = []
        /// `"major:minor"` → the disk's name (`sda`), from `disk_map`.
        public var disks: [String: String] = [:]
        public init() {}
    }

    /// One element of `/api/v1.3/subcontainers/`: a cgroup, its spec and its recent stats.
    public struct Container: Sendable {
        /// The cgroup path (`/kubepods/burstable/pod…/…`); `/` is the whole machine.
        public var name: String
        public var aliases: [String] = []
        public var labels: [String: String] = [:]
        public var cpuShares: UInt64?
        public var cpuQuota: UInt64?
        public var cpuPeriod: UInt64?
        /// `UInt64.max` (2^64−1, written by some JSON writers as 1.8446744073709552e19) means no limit.
        public var memoryLimit: UInt64?
        /// Oldest first.
        public var stats: [Stats] = []
        public init(name: String) { self.name = name }
    }

    public struct Stats: Sendable {
        /// Milliseconds since the epoch.
        public var time: Int64
        /// Cumulative CPU time in nanoseconds.
        public var cpuTotal: UInt64?
        public var memoryUsage: UInt64?
        public var memoryWorkingSet: UInt64?
        /// Per interface; a cAdvisor without `interfaces` gives its one top-level interface here.
        public var interfaces: [Interface] = []
        public var filesystems: [Filesystem] = []
        /// `io_service_bytes`, cumulative per disk.
        public var disks: [DiskIO] = []
        public init(time: Int64) { self.time = time }
    }

    public struct Interface: Sendable {
        public var name: String
        public var receiveBytes: UInt64
        public var transmitBytes: UInt64
        public init(name: String, receiveBytes: UInt64, transmitBytes: UInt64) {
            (self.name, self.receiveBytes, self.transmitBytes) = (name, receiveBytes, transmitBytes)
        }
    }

    public struct Filesystem: Sendable {
        public var device: String
        public var type: String?
        public var capacity: UInt64?
        public var usage: UInt64?
        public init(device: String) { self.device = device }
    }

    public struct DiskIO: Sendable {
        public var major: UInt64
        public var minor: UInt64
        public var readBytes: UInt64?
        public var writeBytes: UInt64?
        public init(major: UInt64, minor: UInt64) { (self.major, self.minor) = (major, minor) }
    }
}
