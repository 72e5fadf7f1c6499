import Foundation
import KubeAPI
import KubeClient
import KubeglassCore

/// A real cluster through its API server: `metrics` reads usage from metrics.k8s.io (what
/// `kubectl top` reads), `summary` from each kubelet's Summary API through the node proxy (what
/// Heapster read; adds network and filesystem). Both list nodes and pods for allocatable,
/// requests, limits, phase and restarts, one list call per resource per poll. Only GET.
public actor KubernetesSource: MetricSource {
    public enum Usage: String, Sendable, CaseIterable {
        case metrics
        case summary
    }

    public struct Options: Sendable {
        /// nil: every namespace (`-A`); else only this namespace's pods and events.
        public var namespace: String?
        /// Items per page of a list call (`limit=`): bounds the memory one response takes.
        public var pageSize: Int
        /// How many kubelets are asked for their summary at once.
        public var summaryConcurrency: Int
        /// A kubelet slower than this is skipped for this poll; the others are not held up.
        public var summaryTimeout: Int64
        /// How many series the store keeps (`--max-series`). A poll that brings more writes the busiest
        /// pods' series first, so that a store that cannot keep every pod keeps those (its first ones).
        public var seriesBudget: Int?
        public init(
            namespace: String? = nil, pageSize: Int = 5000, summaryConcurrency: Int = 16,
            summaryTimeout: Int64 = 10_000,
            seriesBudget: Int? = nil
        ) {
            self.namespace = namespace
            self.pageSize = max(1, pageSize)
            self.summaryConcurrency = max(1, summaryConcurrency)
            self.summaryTimeout = max(100, summaryTimeout)
            self.seriesBudget = seriesBudget
        }
    }

    public nonisolated let id: String
    public nonisolated let displayName: String
    public nonisolated let headerWarning: String?
    public let usage: Usage
    nonisolated let transport: any KubeTransport
    nonisolated let options: Options
    private var series = ClusterSeries()
    var counters = SummaryCounters()
    /// The newest Warning events, newest first, from the last poll that could list them.
    public private(set) var warningEvents: [EventObject] = []

    public init(
        transport: any KubeTransport, usage: Usage = .metrics, contextName: String, options: Options = Options()
    ) {
        self.transport = transport
        self.usage = usage
        self.options = options
        id = usage.rawValue
        let scope = options.namespace.map { "namespace \($0)" } ?? "all namespaces"
        displayName =
            "\(contextName) · \(transport.server) · \(usage == .metrics ? "metrics API" : "kubelet summary") · \(scope)"
        headerWarning = transport.isInsecure ? "TLS NOT VERIFIED" : nil
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        // Handed off in a box: an `async let` keeps its value until the end of this function, where a big
        // cluster's pods would be freed on the poll's path; taken from the box, they go to `releaseLater`.
        async let nodesResult = Handoff(list(path: "/api/v1/nodes", resource: "nodes", decode: KubeDecode.nodeList))
        // No series carries a pod's labels: they are skipped.
        async let podsResult = Handoff(
            pages(
                path: scoped("pods"), resource: "pods",
                decode: { (body, items) throws(KubeDecodeError) in
                    try KubeDecode.podList(body, appendingTo: &items, labels: false)
                }))
        async let eventsResult = list(
            path: scoped("events") + "?fieldSelector=type%3DWarning", resource: "events",
            decode: KubeDecode.eventList, paginate: false)
        var warnings: [String] = []
        var usageNow: ClusterUsage?
        let nodes = try await nodesResult.take()
        switch usage {
        case .metrics:
            do {
                usageNow = try await metricsUsage()
            } catch let error as APIRequestError where error.kind == .metricsAPIUnavailable || error.kind == .forbidden
            {
                warnings.append(
                    error.kind == .metricsAPIUnavailable ? APIRequestError.metricsUnavailableText : error.description)
            }
        case .summary:
            let (u, problems) = await summaryUsage(nodes: nodes, at: time)
            usageNow = u
            warnings += problems
        }
        let pods = try await podsResult.take()
        do {
            warningEvents = Array(try await eventsResult.sorted { ($0.lastSeen ?? 0) > ($1.lastSeen ?? 0) }.prefix(200))
        } catch let error as APIRequestError where error.kind == .forbidden {
            warnings.append(error.description)
        }
        var batch = series.batch(at: time, nodes: nodes, pods: pods, usage: usageNow, budget: options.seriesBudget)
        batch.warnings = warnings
        releaseLater((consume nodes, consume pods, consume usageNow))
        return batch
    }

    /// The Warning events of the last poll, as panels show them.
    public func events() async -> [ClusterEvent] {
        warningEvents.map { e in
            ClusterEvent(
                time: e.lastSeen ?? e.firstSeen ?? 0, namespace: e.involvedNamespace ?? e.namespace,
                objectKind: e.involvedKind ?? "", objectName: e.involvedName ?? e.name, reason: e.reason ?? "",
                message: e.message ?? "", count: e.count, type: e.type ?? "Warning")
        }
    }

    private func scoped(_ resource: String) -> String {
        options.namespace.map { "/api/v1/namespaces/\(Self.escapePath($0))/\(resource)" } ?? "/api/v1/\(resource)"
    }

    private func metricsUsage() async throws -> ClusterUsage {
        let base = "/apis/metrics.k8s.io/v1beta1"
        let podPath = options.namespace.map { "\(base)/namespaces/\(Self.escapePath($0))/pods" } ?? "\(base)/pods"
        async let nodeMetrics = list(
            path: "\(base)/nodes", resource: "nodes.metrics.k8s.io", decode: KubeDecode.nodeMetricsList, paginate: false
        )
        async let podMetrics = list(
            path: podPath, resource: "pods.metrics.k8s.io", decode: KubeDecode.podMetricsList, paginate: false)
        var usage = ClusterUsage()
        for n in try await nodeMetrics {
            usage.nodes[n.name] = ClusterUsage.Node(
                cpuCores: n.cpu.doubleValue, memoryWorkingSetBytes: n.memory.doubleValue)
        }
        let pods = try await podMetrics
        usage.pods.reserveCapacity(pods.count)
        for p in pods {
            usage.pods[ClusterUsage.podKey(p.namespace, p.name)] = ClusterUsage.Pod(
                containers: p.containers.map {
                    ClusterUsage.Container(
                        name: $0.name, cpuCores: $0.cpu.doubleValue, memoryWorkingSetBytes: $0.memory.doubleValue)
                })
        }
        return usage
    }

    /// Every item of a list (see `pages`), in one array.
    nonisolated func list<Item: Sendable>(
        path: String, resource: String,
        decode: @escaping @Sendable ([UInt8], inout [Item]) throws(KubeDecodeError) -> KubeList<Item>,
        paginate: Bool = true
    ) async throws -> [Item] {
        let pages = try await pages(path: path, resource: resource, decode: decode, paginate: paginate)
        return pages.count == 1 ? pages[0] : Array(pages.joined())
    }

    /// Every item of a list, page by page (`limit` / `continue`), as the pages came: a big list is not
    /// copied together. The next page is asked for as soon as a page's token is read, and pages are
    /// decoded as they come, several at once on every core; nonisolated, so the lists of one poll
    /// decode at once too.
    nonisolated func pages<Item: Sendable>(
        path: String, resource: String,
        decode: @escaping @Sendable ([UInt8], inout [Item]) throws(KubeDecodeError) -> KubeList<Item>,
        paginate: Bool = true
    ) async throws -> [[Item]] {
        let isMetricsAPI = path.hasPrefix("/apis/metrics.k8s.io")
        func url(_ continueToken: String?) -> String {
            var query: [String] = []
            if paginate { query.append("limit=\(options.pageSize)") }
            if let c = continueToken { query.append("continue=\(Self.escapeQuery(c))") }
            let separator = path.contains("?") ? "&" : "?"
            return query.isEmpty ? path : path + separator + query.joined(separator: "&")
        }
        let server = transport.server
        @Sendable func decodePage(_ body: [UInt8]) throws -> (items: [Item], page: KubeList<Item>) {
            var items: [Item] = []
            do {
                let page = try decode(body, &items)
                return (items, page)
            } catch {
                throw APIRequestError(
                    .malformed, "the answer to GET \(path) from \(server) is not valid \(resource) JSON: \(error)")
            }
        }
        func decodeTask(_ body: [UInt8]) -> Task<[Item], any Error> {
            Task { try decodePage(body).items }
        }
        var pages: [[Item]] = []
        // Pages being decoded, oldest first; a few at most, so that bodies do not pile up in memory.
        var decoding: [Task<[Item], any Error>] = []
        let mostDecoding = max(2, ProcessInfo.processInfo.activeProcessorCount)
        do {
            var body = try await get(url(nil), resource: resource, isMetricsAPI: isMetricsAPI)
            while true {
                let token: String?
                if !paginate {
                    token = nil
                    decoding.append(decodeTask(body))
                } else if case .some(let next) = KubeDecode.continueToken(body) {
                    token = next
                    decoding.append(decodeTask(body))
                } else {
                    // The token comes after the items: this page is decoded before the next is asked for.
                    let (items, page) = try decodePage(body)
                    token = page.continueToken.flatMap { $0.isEmpty ? nil : $0 }
                    decoding.append(Task { items })
                }
                body = [] // the decoding task holds the bytes; they go when it is done
                let next = token.map { token in
                    Task { try await self.get(url(token), resource: resource, isMetricsAPI: isMetricsAPI) }
                }
                do {
                    while decoding.count > mostDecoding { pages.append(try await decoding.removeFirst().value) }
                } catch {
                    next?.cancel()
                    throw error
                }
                guard let next else { break }
                body = try await withTaskCancellationHandler {
                    try await next.value
                } onCancel: {
                    next.cancel()
                }
            }
            for d in decoding { pages.append(try await d.value) }
        } catch {
            for d in decoding { d.cancel() }
            throw error
        }
        return pages
    }

    nonisolated func get(_ path: String, resource: String, isMetricsAPI: Bool) async throws -> [UInt8] {
        let response: KubeResponse
        do { response = try await transport.get(path) } catch {
            throw APIRequestError(.transport, error.description)
        }
        guard (200..<300).contains(response.status) else {
            throw APIRequestError.from(
                response, path: path.split(separator: "?").first.map(String.init) ?? path,
                resource: resource, server: transport.server, isMetricsAPI: isMetricsAPI)
        }
        return response.body
    }

    static func escapePath(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? s
    }

    static func escapeQuery(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~"])) ?? s
    }
}
