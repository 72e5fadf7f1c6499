import Foundation
import KubeAPI
import KubeglassCore

/// `--source cadvisor --cadvisor URL…`: each node's cAdvisor REST API (v1.3), as Heapster read it before
/// the kubelet's Summary API. `/api/v1.3/machine` gives the node's capacity, `/api/v1.3/subcontainers/`
/// every container's recent stats: cumulative CPU, network and disk counters become rates, memory and
/// filesystems are read as they are. Pods are named from the kubelet's labels on their containers. It
/// writes the series every store-backed source writes. A cAdvisor that is down leaves only its own node
/// stale (status Unknown, its series gone) while the others keep updating.
public actor CAdvisorSource: MetricSource {
    public nonisolated let id = "cadvisor"
    public nonisolated let displayName: String
    public let endpoints: [CAdvisorEndpoint]
    /// How long one cAdvisor may take to answer both requests (milliseconds).
    let timeout: Int64
    /// GET of a path from an endpoint; a parameter so tests can serve recorded answers.
    let fetch: @Sendable (CAdvisorEndpoint, String) async throws -> [UInt8]

    var counters = CAdvisorCounters()
    /// Each node's machine, kept from its last answer so a node that goes down keeps its capacity.
    private var machines: [String: CAdvisor.Machine] = [:]
    private var lastAnswer: [String: Timestamp] = [:]
    private var series = ClusterSeries()

    public init(
        endpoints: [CAdvisorEndpoint], timeout: Int64 = 10_000,
        fetch: (@Sendable (CAdvisorEndpoint, String) async throws -> [UInt8])? = nil
    ) {
        self.endpoints = endpoints
        self.timeout = max(100, timeout)
        self.fetch = fetch ?? { endpoint, path in try await endpoint.get(path, timeout: max(100, timeout)) }
        displayName =
            endpoints.count == 1
            ? "cAdvisor at \(endpoints[0].url) (\(endpoints[0].node))" : "cAdvisor on \(endpoints.count) nodes"
    }

    /// What one cAdvisor answered.
    struct Answer: Sendable {
        var machine: CAdvisor.Machine
        var containers: [CAdvisor.Container]
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        let results = await readAll()
        var usage = ClusterUsage()
        var nodes: [NodeObject] = []
        var pods: [PodObject] = []
        var extra = SampleBatch(time: time)
        var failures: [String] = []
        for (endpoint, result) in zip(endpoints, results) {
            switch result {
            case .success(let answer):
                machines[endpoint.node] = answer.machine
                lastAnswer[endpoint.node] = time
                nodes.append(
                    add(answer, of: endpoint.node, at: time, usage: &usage, pods: &pods, extra: &extra))
            case .failure(let error):
                var node = Self.nodeObject(endpoint.node, machines[endpoint.node])
                node.conditions = [NodeCondition(type: "Ready", status: "Unknown")]
                nodes.append(node)
                let stale = lastAnswer[endpoint.node].map { ", so its data is stale since " + Self.clockTime($0) } ?? ""
                failures.append("the cAdvisor of node \(endpoint.node) did not answer\(stale): \(error)")
            }
        }
        if failures.count == endpoints.count {
            throw CAdvisorError(
                failures.count == 1
                    ? failures[0] : "no cAdvisor answered (\(failures.count) of them); " + failures[0])
        }
        counters.forgetUnseen()
        var out = series.batch(at: time, nodes: nodes, pods: [pods], usage: usage)
        if let first = failures.first {
            out.warnings.append(
                failures.count == 1 ? first : "\(failures.count) of \(endpoints.count) cAdvisors are down; \(first)")
        }
        out.series += extra.series
        return out
    }

    /// Both requests of every cAdvisor at once, each within the timeout; in the endpoints' order.
    private func readAll() async -> [Result<Answer, Error>] {
        let fetch = self.fetch
        let timeout = self.timeout
        return await withTaskGroup(of: (Int, Result<Answer, Error>).self) { group in
            for (k, endpoint) in endpoints.enumerated() {
                group.addTask {
                    let result = await KubernetesSource.withTimeout(
                        milliseconds: timeout, what: "the cAdvisor at \(endpoint.url)"
                    ) {
                        async let machineBody = fetch(endpoint, "/api/v1.3/machine")
                        async let containersBody = fetch(endpoint, "/api/v1.3/subcontainers/")
                        let (m, c) = try await (machineBody, containersBody)
                        return try Answer(
                            machine: Self.decode(endpoint.url + "/api/v1.3/machine") {
                                try KubeDecode.cadvisorMachine(m)
                            },
                            containers: Self.decode(endpoint.url + "/api/v1.3/subcontainers/") {
                                try KubeDecode.cadvisorContainers(c)
                            })
                    }
                    return (k, result)
                }
            }
            var results = [Result<Answer, Error>](
                repeating: .failure(CancellationError()), count: endpoints.count)
            for await (k, result) in group { results[k] = result }
            return results
        }
    }

    private static func decode<T>(_ address: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw CAdvisorError("\(address): not the JSON cAdvisor answers: \(error)")
        }
    }

    static func clockTime(_ t: Timestamp) -> String {
        let s = (t / 1000) % 86_400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60)) UTC"
    }

    static func nodeObject(_ name: String, _ machine: CAdvisor.Machine?) -> NodeObject {
        var node = NodeObject(name: name)
        node.labels = ["kubernetes.io/hostname": name, "kubernetes.io/os": "linux"]
        if let cores = machine?.cores { node.capacity["cpu"] = Quantity(value: Int64(cores)) }
        if let memory = machine?.memoryCapacity {
            node.capacity["memory"] = Quantity(value: Int64(clamping: memory), format: .binarySI)
        }
        node.capacity["pods"] = Quantity(value: 110)
        node.allocatable = node.capacity
        node.conditions = [NodeCondition(type: "Ready", status: "True")]
        return node
    }
}
