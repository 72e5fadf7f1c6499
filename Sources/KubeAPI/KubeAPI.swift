import KubeglassCore

/// Kubernetes API objects (nodes, pods, events, metrics.k8s.io, the kubelet Summary) as kubeglass
/// needs them, and their fast decoding from JSON bytes (`KubeDecode`). No networking here:
/// `Sources` fetches, this module reads. Only the fields kubeglass uses are kept; the rest is skipped.
public enum KubeAPI {}

/// `requests`, `limits`, `capacity`, `allocatable`, `usage`: resource name → quantity, used like a
/// dictionary. CPU and memory, which nearly every list has, sit in fields and any other resource in a
/// dictionary: a big cluster's pod list holds hundreds of thousands of these, and two dictionaries per
/// container were a tenth of its allocations and of the time freeing them.
public struct ResourceList: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var cpu: Quantity?
    private var memory: Quantity?
    private var others: [String: Quantity] = [:]

    public init() {}

    public init(dictionaryLiteral elements: (String, Quantity)...) {
        for (name, quantity) in elements { self[name] = quantity }
    }

    public subscript(name: String) -> Quantity? {
        get {
            switch name {
            case "cpu": cpu
            case "memory": memory
            default: others.isEmpty ? nil : others[name]
            }
        }
        set {
            switch name {
            case "cpu": cpu = newValue
            case "memory": memory = newValue
            default: others[name] = newValue
            }
        }
    }

    public var isEmpty: Bool { cpu == nil && memory == nil && others.isEmpty }
    public var count: Int { (cpu == nil ? 0 : 1) + (memory == nil ? 0 : 1) + others.count }

    /// Every resource, as a dictionary.
    public var dictionary: [String: Quantity] {
        var all = others
        if let cpu { all["cpu"] = cpu }
        if let memory { all["memory"] = memory }
        return all
    }

    public var description: String { dictionary.description }
}

/// A `…List` response: its items and list metadata.
public struct KubeList<Item: Sendable>: Sendable {
    public var items: [Item]
    public var resourceVersion: String?
    /// `metadata.continue`: set when the server paginated (`limit=`); pass it back as `continue=`.
    public var continueToken: String?
    public init(items: [Item] = [], resourceVersion: String? = nil, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// `kind: Status`, the body of an API error (`{"kind":"Status","status":"Failure","reason":"Forbidden","code":403,…}`).
public struct KubeStatus: Sendable, Equatable {
    public var code: Int?
    public var reason: String?
    public var message: String?
    /// 504 "Too large resource version" (its cause's reason is ResourceVersionTooLarge), as client-go tells it.
    public var isResourceVersionTooLarge: Bool {
        message?.range(of: "too large resource version", options: .caseInsensitive) != nil
    }
    public init(code: Int? = nil, reason: String? = nil, message: String? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
    }
}

public struct NodeCondition: Sendable, Equatable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
    public init(type: String, status: String, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// A core v1 Node.
public struct NodeObject: Sendable, Equatable {
    public var name: String
    public var labels: [String: String] = [:]
    /// Milliseconds since the epoch, from `metadata.creationTimestamp`.
    public var createdAt: Int64?
    public var unschedulable = false
    public var capacity: ResourceList = [:]
    public var allocatable: ResourceList = [:]
    public var conditions: [NodeCondition] = []
    /// The first `InternalIP` of `status.addresses`.
    public var internalIP: String?
    public var kubeletVersion: String?
    public init(name: String) { self.name = name }

    /// `Ready` condition is `True`.
    public var isReady: Bool { conditions.contains { $0.type == "Ready" && $0.status == "True" } }
}

public struct ContainerSpec: Sendable, Equatable {
    public var name: String
    public var image: String?
    public var requests: ResourceList = [:]
    public var limits: ResourceList = [:]
    public init(name: String) { self.name = name }
}

public struct ContainerStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case running
        case waiting(reason: String?)
        case terminated(reason: String?, exitCode: Int?)
        case unknown
    }
    public var name: String
    public var ready = false
    public var restartCount = 0
    public var state: State = .unknown
    public init(name: String) { self.name = name }
}

/// A core v1 Pod.
public struct PodObject: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String?
    public var labels: [String: String] = [:]
    public var createdAt: Int64?
    /// Set while the pod is terminating.
    public var deletedAt: Int64?
    /// The controller `ownerReference` (or the first one): `ReplicaSet`, `DaemonSet`, `Job`, …
    public var ownerKind: String?
    public var ownerName: String?
    public var nodeName: String?
    /// `status.phase`: Pending, Running, Succeeded, Failed, Unknown.
    public var phase: String?
    /// `status.reason`, e.g. `Evicted`.
    public var reason: String?
    public var containers: [ContainerSpec] = []
    public var initContainers: [ContainerSpec] = []
    public var containerStatuses: [ContainerStatus] = []
    public var initContainerStatuses: [ContainerStatus] = []
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
}

/// metrics.k8s.io/v1beta1 NodeMetrics.
public struct NodeMetricsObject: Sendable, Equatable {
    public var name: String
    /// Milliseconds since the epoch.
    public var timestamp: Int64?
    /// The window in milliseconds (`"30s"` → 30000).
    public var window: Int64?
    public var cpu: Quantity = .zero
    public var memory: Quantity = .zero
    public init(name: String) { self.name = name }
}

public struct ContainerMetrics: Sendable, Equatable {
    public var name: String
    public var cpu: Quantity
    public var memory: Quantity
    public init(name: String, cpu: Quantity, memory: Quantity) {
        self.name = name
        self.cpu = cpu
        self.memory = memory
    }
}

/// metrics.k8s.io/v1beta1 PodMetrics.
public struct PodMetricsObject: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var timestamp: Int64?
    public var window: Int64?
    public var containers: [ContainerMetrics] = []
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
}

/// A core v1 Event.
public struct EventObject: Sendable, Equatable {
    public var namespace: String
    public var name: String
    /// `Normal` or `Warning`.
    public var type: String?
    public var reason: String?
    public var message: String?
    public var involvedKind: String?
    public var involvedNamespace: String?
    public var involvedName: String?
    public var count = 1
    /// Milliseconds since the epoch: `lastTimestamp`, else `eventTime`, else `firstTimestamp`.
    public var lastSeen: Int64?
    public var firstSeen: Int64?
    /// `source.component`, else `reportingComponent`.
    public var component: String?
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
}

// MARK: - The kubelet Summary API (/stats/summary)

public struct CPUStats: Sendable, Equatable {
    public var time: Int64?
    public var usageNanoCores: UInt64?
    public var usageCoreNanoSeconds: UInt64?
    public init() {}
}

public struct MemoryStats: Sendable, Equatable {
    public var time: Int64?
    public var availableBytes: UInt64?
    public var usageBytes: UInt64?
    public var workingSetBytes: UInt64?
    public var rssBytes: UInt64?
    public init() {}
}

public struct InterfaceStats: Sendable, Equatable {
    public var name: String
    public var rxBytes: UInt64?
    public var txBytes: UInt64?
    public init(name: String) { self.name = name }
}

/// `network`: the default interface's counters at the top level, plus every interface.
public struct NetworkStats: Sendable, Equatable {
    public var time: Int64?
    public var name: String?
    /// Cumulative bytes received / sent on the default interface.
    public var rxBytes: UInt64?
    public var txBytes: UInt64?
    public var interfaces: [InterfaceStats] = []
    public init() {}
}

public struct FsStats: Sendable, Equatable {
    public var availableBytes: UInt64?
    public var capacityBytes: UInt64?
    public var usedBytes: UInt64?
    public init() {}
}

public struct ContainerStats: Sendable, Equatable {
    public var name: String
    public var cpu: CPUStats?
    public var memory: MemoryStats?
    public var rootfs: FsStats?
    public var logs: FsStats?
    public init(name: String) { self.name = name }
}

public struct PodStats: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String?
    public var cpu: CPUStats?
    public var memory: MemoryStats?
    public var network: NetworkStats?
    public var containers: [ContainerStats] = []
    /// `ephemeral-storage`.
    public var ephemeralStorage: FsStats?
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }
}

public struct NodeStats: Sendable, Equatable {
    public var nodeName: String
    public var cpu: CPUStats?
    public var memory: MemoryStats?
    public var network: NetworkStats?
    public var fs: FsStats?
    public init(nodeName: String) { self.nodeName = nodeName }
}

/// The kubelet's `/stats/summary`.
public struct Summary: Sendable, Equatable {
    public var node: NodeStats
    public var pods: [PodStats]
    public init(node: NodeStats, pods: [PodStats] = []) {
        self.node = node
        self.pods = pods
    }
}

/// Malformed or truncated JSON, or JSON of the wrong shape: where, and what was expected.
public struct KubeDecodeError: Error, Equatable, CustomStringConvertible {
    /// Byte offset in the body.
    public var offset: Int
    public var message: String
    /// Where a wrong-shaped value is, from the document's root (`items`, `[3]`, `spec`, `containers`, `[0]`), as the
    /// reader knew it when the error was made; nil for syntax errors and once the message names the field.
    var path: [PathSegment]?

    enum PathSegment: Equatable {
        case member(String)
        case element(Int)
    }
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
    public var description: String { "\(message) (at byte \(offset))" }
}
