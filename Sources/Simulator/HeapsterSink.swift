import AsyncHTTPClient
import DemoCluster
import Foundation
import NIOCore

/// Writes the demo cluster into an InfluxDB 1.x the way Heapster's InfluxDB sink did: database
/// `k8s`, one measurement per metric (`cpu/usage_rate`, `memory/working_set`, …) with one field
/// `value`, and tags `type` (cluster, ns, node, pod, pod_container), `nodename`, `hostname`,
/// `host_id`, `namespace_name`, `pod_namespace`, `pod_name`, `container_name`, `labels`.
/// Units as Heapster's: CPU in millicores (`cpu/usage` a cumulative ns counter), memory and
/// filesystem in bytes, network rates in bytes/s (`network/rx` cumulative bytes), uptime in ms.
/// It only ever writes to the InfluxDB it is given, never to a cluster.
public actor HeapsterSink {
    public struct Configuration: Sendable {
        /// The InfluxDB root, e.g. `http://127.0.0.1:8086`.
        public var url: String
        public var database = "k8s"
        /// Time between two points of a series (Heapster's default resolution was 60 s).
        public var interval: Int64 = 10_000
        /// History written at start, ms (0: none).
        public var backfill: Int64 = 0
        /// Lines per write request.
        public var batchLines = 5_000
        public init(url: String) { self.url = url }
    }

    public let configuration: Configuration
    private let cluster: ClusterModel
    private let http: HTTPClient
    private let baseURL: String
    /// Per-series tag sets, rendered once (`,hostname=…,nodename=…,type=node`), in line-protocol order.
    private let nodeTags: [String]
    private let podTags: [String]
    private let containerTags: [[String]]
    private let namespaceTags: [String: String]
    /// Cumulative counters, advanced at each written instant (Heapster wrote cAdvisor's counters).
    private var nodeCPU: [Double], nodeRx: [Double], nodeTx: [Double]
    private var containerCPU: [[Double]]
    private var podRx: [Double], podTx: [Double]
    private var counterTime: Int64?
    public private(set) var linesWritten = 0
    public private(set) var requestsSent = 0

    public init(cluster: ClusterModel, configuration: Configuration) {
        self.cluster = cluster
        self.configuration = configuration
        var base = configuration.url
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: .init(
                redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60))))
        nodeTags = cluster.nodes.map { node in
            Self.tags([
                ("host_id", node.internalIP), ("hostname", node.name), ("labels", Self.labelsTag(node.labels)),
                ("nodename", node.name), ("type", "node"),
            ])
        }
        podTags = cluster.pods.map { pod in
            let node = pod.nodeIndex.map { cluster.nodes[$0] }
            return Self.tags([
                ("host_id", node?.internalIP ?? ""), ("hostname", node?.name ?? ""),
                ("labels", Self.labelsTag(pod.labels)),
                ("namespace_name", pod.namespace), ("nodename", node?.name ?? ""),
                ("pod_name", pod.name), ("pod_namespace", pod.namespace), ("type", "pod"),
            ])
        }
        containerTags = cluster.pods.map { pod in
            let node = pod.nodeIndex.map { cluster.nodes[$0] }
            return pod.containers.map { c in
                Self.tags([
                    ("container_name", c.name), ("host_id", node?.internalIP ?? ""),
                    ("hostname", node?.name ?? ""), ("labels", Self.labelsTag(pod.labels)),
                    ("namespace_name", pod.namespace),
                    ("nodename", node?.name ?? ""), ("pod_name", pod.name), ("pod_namespace", pod.namespace),
                    ("type", "pod_container"),
                ])
            }
        }
        namespaceTags = Dictionary(
            uniqueKeysWithValues: cluster.namespaces.map { ($0, Self.tags([("namespace_name", $0), ("type", "ns")])) })
        nodeCPU = Array(repeating: 0, count: cluster.nodes.count)
        nodeRx = nodeCPU
        nodeTx = nodeCPU
        containerCPU = cluster.pods.map { Array(repeating: 0, count: $0.containers.count) }
        podRx = Array(repeating: 0, count: cluster.pods.count)
        podTx = podRx
    }

    private var isShutDown = false

    deinit {
        // AsyncHTTPClient traps on a client freed without shutdown.
        if !isShutDown { http.shutdown { _ in } }
    }

    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        try? await http.shutdown()
    }

    /// `CREATE DATABASE` (InfluxDB does nothing when it exists).
    public func createDatabase() async throws(SimulatorError) {
        let q = "CREATE DATABASE \"\(configuration.database.replacing("\"", with: "\\\""))\""
        try await post(
            "/query?q=" + Self.encode(q), body: "", expect: 200, what: "create the database \(configuration.database)")
    }

    /// Writes `configuration.backfill` of history ending at `now`, oldest first; returns the lines written.
    /// Up to three requests are in flight, so InfluxDB parses one batch while the next is built.
    @discardableResult
    public func backfill(until now: Int64) async throws(SimulatorError) -> Int {
        let step = max(1000, configuration.interval)
        var t = (now - configuration.backfill) / step * step
        // Counters start again at the oldest point, so a retried backfill writes the same growing history.
        counterTime = nil
        let path = writePath
        let http = self.http
        let baseURL = self.baseURL
        let result: Result<Int, SimulatorError> = await withTaskGroup(of: Result<Int, SimulatorError>.self) { group in
            var inFlight = 0
            var lines = 0
            var failure: SimulatorError?
            while t < now, failure == nil {
                var batch = ""
                var count = 0
                while t < now, count < configuration.batchLines {
                    count += appendLines(at: t, into: &batch)
                    t += step
                }
                let body = batch
                let n = count
                group.addTask {
                    do throws(SimulatorError) {
                        try await Self.post(
                            http, baseURL + path, body: body, expect: 204, what: "write points", server: baseURL)
                        return .success(n)
                    } catch {
                        return .failure(error)
                    }
                }
                inFlight += 1
                requestsSent += 1
                if inFlight >= 3, let outcome = await group.next() {
                    inFlight -= 1
                    switch outcome {
                    case .success(let n): lines += n
                    case .failure(let error): failure = failure ?? error
                    }
                }
            }
            for await outcome in group {
                switch outcome {
                case .success(let n): lines += n
                case .failure(let error): failure = failure ?? error
                }
            }
            return failure.map { .failure($0) } ?? .success(lines)
        }
        switch result {
        case .success(let n):
            linesWritten += n
            return n
        case .failure(let error):
            throw error
        }
    }

    /// Writes the cluster as of `t` (ms).
    public func write(at t: Int64) async throws(SimulatorError) {
        var text = ""
        _ = appendLines(at: t, into: &text)
        try await write(text)
    }

    /// Creates the database, backfills, then writes every interval until cancelled. Failures are
    /// reported through `report` (once per distinct message) and retried at the next interval.
    public func run(report: @escaping @Sendable (String) -> Void) async {
        var last = ""
        func note(_ message: String) {
            if message != last {
                report(message)
                last = message
            }
        }
        let step = max(1000, configuration.interval)
        var ready = false
        while !Task.isCancelled {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            do {
                if !ready {
                    try await createDatabase()
                    if configuration.backfill > 0 {
                        let clock = ContinuousClock.now
                        let lines = try await backfill(until: now)
                        let elapsed = (ContinuousClock.now - clock).components
                        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                        report(
                            "influxdb sink: wrote \(lines) points of history to \(baseURL) (database \(configuration.database)) in \(String(format: "%.1f", seconds)) s"
                        )
                    }
                    ready = true
                } else {
                    try await write(at: now / step * step)
                }
                if !last.isEmpty {
                    report("influxdb sink: writing again")
                    last = ""
                }
            } catch {
                if Task.isCancelled { break }
                note(error.description)
            }
            let next = (Int64(Date().timeIntervalSince1970 * 1000) / step + 1) * step
            try? await Task.sleep(for: .milliseconds(max(10, next - Int64(Date().timeIntervalSince1970 * 1000))))
        }
    }

    // MARK: - Lines

    /// Appends every series' point at `t` in line protocol; returns the line count.
    func appendLines(at t: Int64, into out: inout String) -> Int {
        advanceCounters(to: t)
        var count = 0
        let ts = " " + String(t) + "\n"
        func line(_ measurement: String, _ tags: String, _ value: Double) {
            out += measurement
            out += tags
            out += " value="
            out += Self.number(value)
            out += ts
            count += 1
        }
        struct Totals {
            var cpu = 0.0, memUsage = 0.0, memWS = 0.0, cpuReq = 0.0, cpuLim = 0.0, memReq = 0.0, memLim = 0.0,
                rx = 0.0, tx = 0.0
        }
        var namespaces: [String: Totals] = [:]
        var clusterTotals = Totals()
        var nodeRequests = Array(
            repeating: (cpuReq: 0.0, cpuLim: 0.0, memReq: 0.0, memLim: 0.0), count: cluster.nodes.count)

        for (p, pod) in cluster.pods.enumerated() where pod.phase == .running && pod.nodeIndex != nil {
            let n = pod.nodeIndex!
            let u = cluster.usage(of: pod, at: t)
            let restarts = Double(cluster.restarts(pod, at: t))
            let uptime = Double(max(0, t - cluster.lastRestart(of: pod, at: t)))
            let node = cluster.nodes[n]
            var podReq = (cpu: 0.0, cpuLim: 0.0, mem: 0.0, memLim: 0.0)
            for (k, c) in pod.containers.enumerated() {
                let cu = cluster.usage(of: c, in: pod, at: t)
                let tags = containerTags[p][k]
                line("cpu/usage_rate", tags, (cu.cpuCores * 1000).rounded())
                line("cpu/usage", tags, (containerCPU[p][k] * 1e9).rounded())
                line("cpu/request", tags, Double(c.cpuRequest ?? 0))
                line("cpu/limit", tags, Double(c.cpuLimit ?? 0))
                line("memory/usage", tags, cu.memoryUsageBytes)
                line("memory/working_set", tags, cu.memoryWorkingSetBytes)
                line("memory/request", tags, Double(c.memoryRequest ?? 0))
                line("memory/limit", tags, Double(c.memoryLimit ?? 0))
                line("uptime", tags, uptime)
                line("restart_count", tags, restarts)
                podReq.cpu += Double(c.cpuRequest ?? 0)
                podReq.cpuLim += Double(c.cpuLimit ?? 0)
                podReq.mem += Double(c.memoryRequest ?? 0)
                podReq.memLim += Double(c.memoryLimit ?? 0)
            }
            let tags = podTags[p]
            line("cpu/usage_rate", tags, (u.cpuCores * 1000).rounded())
            line("cpu/usage", tags, (containerCPU[p].reduce(0, +) * 1e9).rounded())
            line("cpu/request", tags, podReq.cpu)
            line("cpu/limit", tags, podReq.cpuLim)
            line("memory/usage", tags, u.memoryUsageBytes)
            line("memory/working_set", tags, u.memoryWorkingSetBytes)
            line("memory/request", tags, podReq.mem)
            line("memory/limit", tags, podReq.memLim)
            line("network/rx_rate", tags, u.networkReceiveBytesPerSecond.rounded())
            line("network/tx_rate", tags, u.networkTransmitBytesPerSecond.rounded())
            line("network/rx", tags, podRx[p].rounded(.down))
            line("network/tx", tags, podTx[p].rounded(.down))
            line("filesystem/usage", tags, u.filesystemUsedBytes.rounded())
            line("filesystem/limit", tags, Double(node.filesystemCapacity))
            line("uptime", tags, Double(max(0, t - pod.createdAt)))
            line("restart_count", tags, restarts)
            nodeRequests[n].cpuReq += podReq.cpu
            nodeRequests[n].cpuLim += podReq.cpuLim
            nodeRequests[n].memReq += podReq.mem
            nodeRequests[n].memLim += podReq.memLim
            var ns = namespaces[pod.namespace, default: Totals()]
            ns.cpu += u.cpuCores * 1000
            ns.memUsage += u.memoryUsageBytes
            ns.memWS += u.memoryWorkingSetBytes
            ns.cpuReq += podReq.cpu
            ns.cpuLim += podReq.cpuLim
            ns.memReq += podReq.mem
            ns.memLim += podReq.memLim
            ns.rx += u.networkReceiveBytesPerSecond
            ns.tx += u.networkTransmitBytesPerSecond
            namespaces[pod.namespace] = ns
        }
        for (n, node) in cluster.nodes.enumerated() {
            let u = cluster.usage(ofNode: n, at: t)
            let tags = nodeTags[n]
            line("cpu/usage_rate", tags, (u.cpuCores * 1000).rounded())
            line("cpu/usage", tags, (nodeCPU[n] * 1e9).rounded())
            line("cpu/request", tags, nodeRequests[n].cpuReq)
            // A node's limit is the machine (cAdvisor's root container), as Heapster reported it.
            line("cpu/limit", tags, Double(node.cpuCapacity))
            line("cpu/node_capacity", tags, Double(node.cpuCapacity))
            line("cpu/node_allocatable", tags, Double(node.cpuAllocatable))
            line("cpu/node_reservation", tags, nodeRequests[n].cpuReq / Double(max(1, node.cpuAllocatable)))
            line("cpu/node_utilization", tags, u.cpuCores * 1000 / Double(max(1, node.cpuAllocatable)))
            line("memory/usage", tags, u.memoryUsageBytes.rounded())
            line("memory/working_set", tags, u.memoryWorkingSetBytes.rounded())
            line("memory/request", tags, nodeRequests[n].memReq)
            line("memory/limit", tags, Double(node.memoryCapacity))
            line("memory/node_capacity", tags, Double(node.memoryCapacity))
            line("memory/node_allocatable", tags, Double(node.memoryAllocatable))
            line("memory/node_reservation", tags, nodeRequests[n].memReq / Double(max(1, node.memoryAllocatable)))
            line("memory/node_utilization", tags, u.memoryWorkingSetBytes / Double(max(1, node.memoryAllocatable)))
            line("network/rx_rate", tags, u.networkReceiveBytesPerSecond.rounded())
            line("network/tx_rate", tags, u.networkTransmitBytesPerSecond.rounded())
            line("network/rx", tags, nodeRx[n].rounded(.down))
            line("network/tx", tags, nodeTx[n].rounded(.down))
            line("filesystem/usage", tags, u.filesystemUsedBytes.rounded())
            line("filesystem/limit", tags, Double(node.filesystemCapacity))
            line("filesystem/available", tags, (Double(node.filesystemCapacity) - u.filesystemUsedBytes).rounded())
            line("uptime", tags, Double(max(0, t - node.createdAt)))
            clusterTotals.cpu += u.cpuCores * 1000
            clusterTotals.memUsage += u.memoryUsageBytes
            clusterTotals.memWS += u.memoryWorkingSetBytes
            clusterTotals.cpuReq += nodeRequests[n].cpuReq
            clusterTotals.cpuLim += nodeRequests[n].cpuLim
            clusterTotals.memReq += nodeRequests[n].memReq
            clusterTotals.memLim += nodeRequests[n].memLim
            clusterTotals.rx += u.networkReceiveBytesPerSecond
            clusterTotals.tx += u.networkTransmitBytesPerSecond
        }
        func totals(_ tags: String, _ x: Totals) {
            line("cpu/usage_rate", tags, x.cpu.rounded())
            line("cpu/request", tags, x.cpuReq)
            line("cpu/limit", tags, x.cpuLim)
            line("memory/usage", tags, x.memUsage.rounded())
            line("memory/working_set", tags, x.memWS.rounded())
            line("memory/request", tags, x.memReq)
            line("memory/limit", tags, x.memLim)
            line("network/rx_rate", tags, x.rx.rounded())
            line("network/tx_rate", tags, x.tx.rounded())
        }
        for (name, x) in namespaces.sorted(by: { $0.key < $1.key }) {
            totals(namespaceTags[name] ?? Self.tags([("namespace_name", name), ("type", "ns")]), x)
        }
        totals(Self.tags([("type", "cluster")]), clusterTotals)
        return count
    }

    /// Integrates the model's rates up to `t`; the first call starts the counters as if every
    /// object had run since its creation at about today's rate (as `CounterLedger` does).
    private func advanceCounters(to t: Int64) {
        guard let from = counterTime else {
            for (p, pod) in cluster.pods.enumerated() where pod.nodeIndex != nil && pod.phase == .running {
                let age = Double(max(0, t - pod.createdAt)) / 1000 * 0.9
                let u = cluster.usage(of: pod, at: t)
                podRx[p] = u.networkReceiveBytesPerSecond * age
                podTx[p] = u.networkTransmitBytesPerSecond * age
                for (k, c) in pod.containers.enumerated() {
                    containerCPU[p][k] = cluster.usage(of: c, in: pod, at: t).cpuCores * age
                }
            }
            for n in cluster.nodes.indices {
                let age = Double(max(0, t - cluster.nodes[n].createdAt)) / 1000 * 0.9
                let u = cluster.usage(ofNode: n, at: t)
                nodeCPU[n] = u.cpuCores * age
                nodeRx[n] = u.networkReceiveBytesPerSecond * age
                nodeTx[n] = u.networkTransmitBytesPerSecond * age
            }
            counterTime = t
            return
        }
        guard t > from else { return }
        let dt = Double(t - from) / 1000
        let mid = from + (t - from) / 2
        for (p, pod) in cluster.pods.enumerated() where pod.nodeIndex != nil && pod.phase == .running {
            let u = cluster.usage(of: pod, at: mid)
            podRx[p] += u.networkReceiveBytesPerSecond * dt
            podTx[p] += u.networkTransmitBytesPerSecond * dt
            for (k, c) in pod.containers.enumerated() {
                containerCPU[p][k] += cluster.usage(of: c, in: pod, at: mid).cpuCores * dt
            }
        }
        for n in cluster.nodes.indices {
            let u = cluster.usage(ofNode: n, at: mid)
            nodeCPU[n] += u.cpuCores * dt
            nodeRx[n] += u.networkReceiveBytesPerSecond * dt
            nodeTx[n] += u.networkTransmitBytesPerSecond * dt
        }
        counterTime = t
    }

    // MARK: - HTTP

    private var writePath: String { "/write?db=" + Self.encode(configuration.database) + "&precision=ms" }

    private func write(_ lines: String) async throws(SimulatorError) {
        guard !lines.isEmpty else { return }
        requestsSent += 1
        try await Self.post(http, baseURL + writePath, body: lines, expect: 204, what: "write points", server: baseURL)
        linesWritten += lines.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    private func post(_ path: String, body: String, expect: Int, what: String) async throws(SimulatorError) {
        requestsSent += 1
        try await Self.post(http, baseURL + path, body: body, expect: expect, what: what, server: baseURL)
    }

    private static func post(_ http: HTTPClient, _ url: String, body: String, expect: Int, what: String, server: String)
        async throws(SimulatorError)
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            guard Int(response.status.code) == expect || (expect == 204 && response.status.code == 200) else {
                throw SimulatorError(
                    "influxdb sink: \(server) refused to \(what) (HTTP \(response.status.code)): \(text.prefix(300))")
            }
        } catch let error as SimulatorError {
            throw error
        } catch {
            throw SimulatorError(
                "influxdb sink: cannot \(what) at \(server): \(cause(error)) (is InfluxDB running there?)")
        }
    }

    /// The short reason of a failed request: NIO's descriptions nest the errno text in a lot of words.
    private static func cause(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Connection refused") { return "connection refused" }
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout { return "no answer within 60 s" }
            return error.shortDescription.lowercased()
        }
        return text
    }

    // MARK: - Line protocol

    /// `,k=v,k=v` for the non-empty tags (InfluxDB wants them sorted by key; the callers pass them sorted).
    static func tags(_ pairs: [(String, String)]) -> String {
        var out = ""
        for (key, value) in pairs where !value.isEmpty { out += "," + key + "=" + escapeTag(value) }
        return out
    }

    /// Heapster's `labels` tag: `key:value` pairs sorted and joined by commas.
    static func labelsTag(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    /// Line protocol escapes commas, spaces and equals signs in tag values.
    static func escapeTag(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == " " || $0 == "=" }) else { return value }
        var out = ""
        for c in value {
            if c == "," || c == " " || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// A float field: whole numbers without a fraction (still floats in line protocol, no `i`).
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
