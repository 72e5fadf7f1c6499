import Foundation
import KubeAPI
import KubeClient
import KubeglassCore

/// A real cluster through its API server: `metrics` reads usage from metrics.k8s.io (what
/// `kubectl top` reads), `summary` from each kubelet's Summary API through the node proxy (what
/// Heapster read; adds network and filesystem). Both need nodes and pods for allocatable,
/// requests, limits, phase and restarts, and Warning events: those are listed once and then
/// watched (`WatchedList`), so that a poll asks only for usage. Only GET.
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
        /// How nodes, pods and events are watched after their first list; nil: listed on every poll.
        public var watch: WatchTiming?
        /// How a request that failed for a passing reason is asked again within the poll.
        var retry = RequestRetry()
        public init(
            namespace: String? = nil, pageSize: Int = 5000, summaryConcurrency: Int = 16,
            summaryTimeout: Int64 = 10_000,
            seriesBudget: Int? = nil, watch: WatchTiming? = WatchTiming()
        ) {
            self.namespace = namespace
            self.pageSize = max(1, pageSize)
            self.summaryConcurrency = max(1, summaryConcurrency)
            self.summaryTimeout = max(100, summaryTimeout)
            self.seriesBudget = seriesBudget
            self.watch = watch
        }
    }

    public nonisolated let id: String
    public nonisolated let displayName: String
    public nonisolated let headerWarning: String?
    public nonisolated let progress: PollProgress?
    public let usage: Usage
    nonisolated let transport: any KubeTransport
    nonisolated let options: Options
    nonisolated let lists: ListReader
    nonisolated let nodeList: WatchedList<NodeObject>
    nonisolated let podList: WatchedList<PodObject>
    /// Warning events only.
    nonisolated let eventList: WatchedList<EventObject>
    private var series = ClusterSeries()
    var counters = SummaryCounters()
    /// The newest Warning events, newest first, from the last poll that could list them.
    public private(set) var warningEvents: [EventObject] = []
    /// The metric names of the last poll that brought usage, refreshed now and then: when a later poll's
    /// usage request fails, the names it lacks are the ones to keep stale rather than drop.
    private var namesWithUsage: Set<String> = []
    private var pollsSinceNames = 0

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
        let progress = PollProgress()
        self.progress = progress
        let lists = ListReader(
            transport: transport, pageSize: options.pageSize, progress: progress, retry: options.retry)
        self.lists = lists
        let podsPath = Self.scoped("pods", options.namespace)
        let eventsPath = Self.scoped("events", options.namespace) + "?fieldSelector=type%3DWarning"
        nodeList = WatchedList(
            resource: "nodes", path: "/api/v1/nodes", transport: transport, timing: options.watch,
            list: { try await lists.pages(path: "/api/v1/nodes", resource: "nodes", decode: KubeDecode.nodeList) },
            decode: { (line) throws(KubeDecodeError) in try KubeDecode.nodeEvent(line) })
        // No series carries a pod's labels: they are skipped.
        podList = WatchedList(
            resource: "pods", path: podsPath, transport: transport, timing: options.watch,
            list: {
                try await lists.pages(
                    path: podsPath, resource: "pods",
                    decode: { (body, items) throws(KubeDecodeError) in
                        try KubeDecode.podList(body, appendingTo: &items, labels: false)
                    })
            },
            decode: { (line) throws(KubeDecodeError) in try KubeDecode.podEvent(line, labels: false) })
        eventList = WatchedList(
            resource: "events", path: eventsPath, transport: transport, timing: options.watch,
            list: {
                try await lists.pages(
                    path: eventsPath, resource: "events", decode: KubeDecode.eventList, paginate: false)
            },
            decode: { (line) throws(KubeDecodeError) in try KubeDecode.eventEvent(line) })
    }

    deinit {
        nodeList.stop()
        podList.stop()
        eventList.stop()
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        // After their first list these come from the watches at once; only usage is asked for every poll.
        async let nodesNow = nodeList.current()
        async let podsNow = podList.current()
        async let eventsNow = eventList.current()
        var warnings: [String] = []
        var usageNow: ClusterUsage?
        /// Why this poll has no usage though the cluster has a metrics API: a request failed, even after retries.
        var usageFailure: String?
        let nodeSnapshot = try await nodesNow
        let nodes = nodeSnapshot.pages.count == 1 ? nodeSnapshot.pages[0] : Array(nodeSnapshot.pages.joined())
        switch usage {
        case .metrics:
            do {
                usageNow = try await metricsUsage()
            } catch let error as APIRequestError where error.kind == .metricsAPIUnavailable || error.kind == .forbidden
            {
                warnings.append(
                    error.kind == .metricsAPIUnavailable ? APIRequestError.metricsUnavailableText : error.description)
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as APIRequestError where error.kind == .transport {
                // No answer at all. The nodes and pods of the watches are only as fresh as their last event:
                // when their watches are cut too, the server is gone and the poll is a failure, not a part.
                let nodesCut = await nodeList.trouble != nil
                let podsCut = await podList.trouble != nil
                if nodesCut || podsCut || error.description.hasPrefix("cannot connect to") { throw error }
                usageFailure = "usage not read this poll: \(error); its panels show the last values, stale"
            } catch {
                usageFailure = "usage not read this poll: \(error); its panels show the last values, stale"
            }
        case .summary:
            let (u, problems) = await summaryUsage(nodes: nodes, at: time)
            usageNow = u
            warnings += problems
        }
        let podSnapshot = try await podsNow
        do {
            let events = try await eventsNow
            warningEvents = Array(events.pages.joined().sorted { ($0.lastSeen ?? 0) > ($1.lastSeen ?? 0) }.prefix(200))
            if let trouble = events.trouble { warnings.append(trouble) }
        } catch let error as APIRequestError where error.kind == .forbidden {
            warnings.append(error.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The events of the last poll that could list them stay.
            warnings.append("events not listed this poll: \(error)")
        }
        warnings += [nodeSnapshot.trouble, podSnapshot.trouble].compactMap { $0 }
        var batch = series.batch(
            at: time, nodes: nodes, pods: podSnapshot.pages, usage: usageNow, budget: options.seriesBudget)
        if let usageFailure {
            warnings.insert(usageFailure, at: 0)
            batch.missing = namesWithUsage.subtracting(Self.names(of: batch))
        } else if usageNow != nil {
            pollsSinceNames += 1
            if namesWithUsage.isEmpty || pollsSinceNames >= 60 {
                namesWithUsage = Self.names(of: batch)
                pollsSinceNames = 0
            }
        }
        batch.warnings = warnings
        releaseLater((consume nodes, consume usageNow))
        return batch
    }

    /// The metric names of `batch`'s series (a node's or a pod's series come together, so a name is mostly
    /// the same as the one before).
    static func names(of batch: SampleBatch) -> Set<String> {
        var names = Set<String>()
        var previous = ""
        for (labels, _) in batch.series {
            guard let name = labels.name, name != previous else { continue }
            previous = name
            names.insert(name)
        }
        return names
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

    private static func scoped(_ resource: String, _ namespace: String?) -> String {
        namespace.map { "/api/v1/namespaces/\(ListReader.escapePath($0))/\(resource)" } ?? "/api/v1/\(resource)"
    }

    private func metricsUsage() async throws -> ClusterUsage {
        let base = "/apis/metrics.k8s.io/v1beta1"
        let podPath = options.namespace.map { "\(base)/namespaces/\(ListReader.escapePath($0))/pods" } ?? "\(base)/pods"
        async let nodeMetrics = lists.list(
            path: "\(base)/nodes", resource: "nodes.metrics.k8s.io", decode: KubeDecode.nodeMetricsList, paginate: false
        )
        async let podMetrics = lists.list(
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
}
