import KubeAPI
import KubeglassCore

extension KubernetesSource {
    /// Usage from every node's kubelet Summary, a bounded number of nodes at a time; a node that fails
    /// or is slow only loses its own data for this poll.
    func summaryUsage(nodes: [NodeObject], at time: Timestamp) async -> (ClusterUsage, [String]) {
        var usage = ClusterUsage()
        var failures: [(String, String)] = []
        let timeout = options.summaryTimeout
        await withTaskGroup(of: (String, Result<Summary, Error>).self) { group in
            var pending = nodes.map(\.name)[...]
            func startNext() {
                guard let name = pending.popFirst() else { return }
                group.addTask { [self] in
                    (
                        name,
                        await Self.withTimeout(milliseconds: timeout, what: "the kubelet on \(name)") {
                            let body = try await self.lists.get(
                                "/api/v1/nodes/\(ListReader.escapePath(name))/proxy/stats/summary",
                                resource: "nodes/proxy", isMetricsAPI: false)
                            do { return try KubeDecode.summary(body) } catch {
                                throw APIRequestError(
                                    .malformed, "the summary of node \(name) is not valid JSON: \(error)")
                            }
                        }
                    )
                }
            }
            for _ in 0..<options.summaryConcurrency { startNext() }
            for await (name, result) in group {
                switch result {
                case .success(let summary): add(summary, to: &usage, at: time)
                case .failure(let error): failures.append((name, "\(error)"))
                }
                startNext()
            }
        }
        counters.forget(except: usage)
        var warnings: [String] = []
        if let (name, error) = failures.min(by: { $0.0 < $1.0 }) {
            warnings.append(
                failures.count == 1
                    ? "node \(name): \(error)"
                    : "\(failures.count) of \(nodes.count) nodes gave no summary; \(name): \(error)")
        }
        return (usage, warnings)
    }

    private func add(_ summary: Summary, to usage: inout ClusterUsage, at time: Timestamp) {
        let n = summary.node
        var node = ClusterUsage.Node(
            cpuCores: Double(n.cpu?.usageNanoCores ?? 0) / 1e9,
            memoryWorkingSetBytes: Double(n.memory?.workingSetBytes ?? 0))
        node.memoryUsageBytes = n.memory?.usageBytes.map { Double($0) }
        node.filesystemUsedBytes = n.fs?.usedBytes.map { Double($0) }
        node.filesystemCapacityBytes = n.fs?.capacityBytes.map { Double($0) }
        if let net = n.network {
            let t = net.time ?? time
            node.networkReceiveBytesPerSecond = counters.rate("node/\(n.nodeName)/rx", net.rxBytes, at: t)
            node.networkTransmitBytesPerSecond = counters.rate("node/\(n.nodeName)/tx", net.txBytes, at: t)
        }
        usage.nodes[n.nodeName] = node
        for p in summary.pods {
            let key = ClusterUsage.podKey(p.namespace, p.name)
            var pod = ClusterUsage.Pod(
                containers: p.containers.map {
                    ClusterUsage.Container(
                        name: $0.name, cpuCores: Double($0.cpu?.usageNanoCores ?? 0) / 1e9,
                        memoryWorkingSetBytes: Double($0.memory?.workingSetBytes ?? 0))
                })
            pod.memoryUsageBytes = p.memory?.usageBytes.map { Double($0) }
            if let net = p.network {
                let t = net.time ?? time
                pod.networkReceiveBytesPerSecond = counters.rate("pod/\(key)/rx", net.rxBytes, at: t)
                pod.networkTransmitBytesPerSecond = counters.rate("pod/\(key)/tx", net.txBytes, at: t)
            }
            usage.pods[key] = pod
        }
    }

    /// The operation's result, or a timeout error once `milliseconds` have passed (the operation is cancelled).
    static func withTimeout<T: Sendable>(
        milliseconds: Int64, what: String, _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, Error> {
        await withTaskGroup(of: Result<T, Error>?.self) { group in
            group.addTask {
                do { return .success(try await operation()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
                return Task.isCancelled
                    ? nil
                    : .failure(
                        APIRequestError(
                            .transport, "\(what) did not answer within \(DurationText.text(milliseconds: milliseconds))"
                        ))
            }
            var outcome: Result<T, Error> = .failure(CancellationError())
            for await result in group {
                if let result {
                    outcome = result
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }
}

/// Byte counters from the Summary API turned into rates between two polls; a counter that went
/// back (a restarted pod) starts over instead of giving a negative rate.
struct SummaryCounters {
    private var last: [String: (value: UInt64, time: Timestamp)] = [:]
    private var seen = Set<String>()

    mutating func rate(_ key: String, _ value: UInt64?, at time: Timestamp) -> Double? {
        guard let value else { return nil }
        seen.insert(key)
        defer { last[key] = (value, time) }
        guard let previous = last[key], time > previous.time, value >= previous.value else { return nil }
        return Double(value - previous.value) * 1000 / Double(time - previous.time)
    }

    /// Drops counters not seen since the last call, so deleted pods do not pile up.
    mutating func forget(except _: ClusterUsage) {
        last = last.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}
