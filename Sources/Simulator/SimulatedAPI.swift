import DemoCluster
import NIOCore

/// The simulated API server's routes: a request and an instant in, a response out. No sockets here,
/// so tests can call it directly; `SimulatorServer` puts it behind HTTP and HTTPS.
public final class SimulatedAPI: Sendable {
    public let catalog: ClusterCatalog
    public let counters: CounterLedger
    let events: EventFeed
    /// Whether metrics.k8s.io is served (`--no-metrics-api` turns it off, as a cluster without metrics-server).
    public let servesMetricsAPI: Bool

    /// Every change since start, and the objects as they are now; lists and watches read it.
    let log: ChangeLog
    /// How watch streams behave (bookmarks, faults).
    public let watchOptions: WatchOptions

    /// - Parameters:
    ///   - churnPerMinute: pods created, deleted, restarted or failed per minute (`--churn`).
    public init(
        catalog: ClusterCatalog, servesMetricsAPI: Bool = true, startedAt: Int64, churnPerMinute: Double = 0,
        watchOptions: WatchOptions = WatchOptions()
    ) {
        self.catalog = catalog
        self.servesMetricsAPI = servesMetricsAPI
        self.watchOptions = watchOptions
        counters = CounterLedger(cluster: catalog.cluster, podsByNode: catalog.podsByNode, startedAt: startedAt)
        let feed = EventFeed(catalog: catalog)
        events = feed
        let base = catalog.renderer.resourceVersionBase
        let initialEvents = feed.events(at: startedAt).enumerated().map { n, e in
            (e.namespace + "/" + e.name, EventRecord(event: e, resourceVersion: base + 900_000 + Int64(n)))
        }
        let state = ClusterState(
            revision: base + ChangeLog.firstRevision, time: startedAt,
            pods: LivePods(catalog: catalog, startedAt: startedAt),
            nodes: catalog.cluster.nodes.indices.map { catalog.renderer.initialRecord(node: $0, at: startedAt) },
            events: Dictionary(initialEvents, uniquingKeysWith: { a, _ in a }))
        let churn = PodChurn(
            perMinute: churnPerMinute, seed: catalog.cluster.options.seed, startedAt: startedAt,
            cluster: catalog.cluster)
        log = ChangeLog(
            schedule: ChangeSchedule(catalog: catalog, feed: feed, churn: churn, startedAt: startedAt), state: state,
            history: watchOptions.history)
    }

    public var cluster: ClusterModel { catalog.cluster }

    /// What the change log holds (`kubeglass soak` prints it beside the process's memory).
    public var logFigures: ChangeLogFigures { log.figures }

    /// Applies every change due by `t`, as any request does first (`kubeglass soak --sim-only` moves the
    /// cluster on without a client).
    public func advance(to t: Int64) { _ = log.advance(to: t) }

    public func respond(to request: APIRequest, at t: Int64) -> APIResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .failure(
                405, reason: "MethodNotAllowed",
                message: "the simulated cluster is read-only: \(request.method) is not allowed (only GET)")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        do {
            return try route(parts, request, at: t)
        } catch {
            return .failure(400, reason: "BadRequest", message: error.message)
        }
    }

    private func route(_ p: [String], _ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        switch p.count {
        case 0: return Discovery.rootPaths(servesMetricsAPI: servesMetricsAPI)
        case 1 where ["healthz", "readyz", "livez"].contains(p[0]): return .text("ok")
        case 1 where p[0] == "version": return Discovery.version()
        case 1 where p[0] == "api": return Discovery.coreVersions()
        case 1 where p[0] == "apis": return Discovery.groups(servesMetricsAPI: servesMetricsAPI)
        case 1 where p[0] == "metrics": return Exposition.response(self, families: Exposition.Family.allCases, at: t)
        case 2 where p[0] == "metrics":
            guard let family = Exposition.Family(rawValue: p[1]) else { return .notFound(r.path) }
            return Exposition.response(self, families: [family], at: t)
        default: break
        }
        // A fake cAdvisor per node: /cadvisor/<node>/api/v1.3/{machine,subcontainers}.
        if p.first == "cadvisor", p.count >= 4, p[2] == "api", p[3] == "v1.3" {
            guard let n = catalog.nodeIndexByName[p[1]],
                let response = FakeCAdvisor.response(self, node: n, request: Array(p.dropFirst(4)), at: t)
            else { return .notFound(r.path) }
            return response
        }
        if p.first == "api" {
            guard p.count >= 2, p[1] == "v1" else { return .notFound(r.path) }
            return try core(Array(p.dropFirst(2)), r, at: t)
        }
        if p.first == "apis", p.count >= 2, p[1] == "metrics.k8s.io", servesMetricsAPI {
            if p.count == 2 { return Discovery.metricsGroup() }
            guard p[2] == "v1beta1" else { return .notFound(r.path) }
            return try metricsAPI(Array(p.dropFirst(3)), r, at: t)
        }
        return .notFound(r.path)
    }

    private func core(_ p: [String], _ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        switch p.count {
        case 0: return Discovery.coreResources()
        case 1 where r.isWatch:
            switch p[0] {
            case "nodes": return try watch(.nodes, r, namespace: nil, at: t)
            case "pods": return try watch(.pods, r, namespace: nil, at: t)
            case "events": return try watch(.events, r, namespace: nil, at: t)
            default: return .notFound(r.path)
            }
        case 1:
            switch p[0] {
            case "nodes": return try listNodes(r, at: t)
            case "pods": return try listPods(r, namespace: nil, at: t)
            case "namespaces": return try listNamespaces(r, at: t)
            case "events": return try events.list(r, namespace: nil, api: self, at: t)
            default: return .notFound(r.path)
            }
        case 2 where p[0] == "nodes": return getNode(p[1], r, at: t)
        case 2 where p[0] == "namespaces": return getNamespace(p[1], r, at: t)
        case 3 where p[0] == "namespaces":
            guard catalog.namespaces.contains(p[1]) else {
                return .notFound(kind: "Namespace", resource: "namespaces", name: p[1])
            }
            switch p[2] {
            case "pods" where r.isWatch: return try watch(.pods, r, namespace: p[1], at: t)
            case "events" where r.isWatch: return try watch(.events, r, namespace: p[1], at: t)
            case "pods": return try listPods(r, namespace: p[1], at: t)
            case "events": return try events.list(r, namespace: p[1], api: self, at: t)
            default: return .notFound(r.path)
            }
        case 4 where p[0] == "namespaces" && p[2] == "pods": return getPod(namespace: p[1], name: p[3], r, at: t)
        case 4... where p[0] == "nodes" && p[2] == "proxy":
            guard let n = catalog.nodeIndexByName[p[1]] else {
                return .notFound(kind: "Node", resource: "nodes", name: p[1])
            }
            let rest = p.dropFirst(3).joined(separator: "/")
            switch rest {
            case "stats/summary": return Summary.response(self, node: n, at: t)
            case "metrics/cadvisor": return Exposition.kubeletResponse(self, node: n, resource: false, at: t)
            case "metrics/resource": return Exposition.kubeletResponse(self, node: n, resource: true, at: t)
            default: return .notFound(r.path)
            }
        default: return .notFound(r.path)
        }
    }

    private func metricsAPI(_ p: [String], _ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        switch p.count {
        case 0: return Discovery.metricsResources()
        case 1 where p[0] == "nodes": return try MetricsAPI.nodes(self, r, at: t)
        case 1 where p[0] == "pods": return try MetricsAPI.pods(self, r, namespace: nil, at: t)
        case 2 where p[0] == "nodes": return MetricsAPI.node(self, name: p[1], at: t)
        case 3 where p[0] == "namespaces" && p[2] == "pods": return try MetricsAPI.pods(self, r, namespace: p[1], at: t)
        case 4 where p[0] == "namespaces" && p[2] == "pods":
            return MetricsAPI.pod(self, namespace: p[1], name: p[3], at: t)
        default: return .notFound(r.path)
        }
    }
}
