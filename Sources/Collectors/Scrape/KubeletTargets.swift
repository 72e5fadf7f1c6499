import KubeAPI
import KubeClient
import KubeglassCore

/// The kubelet's own metrics of every node, read through the API server's node proxy
/// (`/api/v1/nodes/{node}/proxy/metrics/cadvisor` and `/metrics/resource`), labelled as Prometheus'
/// kubernetes_sd (role node) with the usual relabelling does: `job="kubelet"`, `instance` and `node`
/// the node's name, `metrics_path` the kubelet path. Only GET.
public enum KubeletTargets {
    public static let paths = ["/metrics/cadvisor", "/metrics/resource"]

    /// A source that lists the nodes on every poll, then scrapes each node's two endpoints,
    /// `concurrency` at a time, each within `timeout` milliseconds.
    public static func source(
        transport: any KubeTransport, contextName: String, concurrency: Int = 16, timeout: Int64 = 10_000
    ) -> ScrapeSource {
        ScrapeSource(
            id: "kubelet", displayName: "\(contextName) · \(transport.server) · kubelet metrics",
            headerWarning: transport.isInsecure ? "TLS NOT VERIFIED" : nil,
            concurrency: concurrency, timeout: timeout
        ) {
            try await targets(nodes: nodeNames(transport), transport: transport)
        }
    }

    public static func targets(nodes: [String], transport: any KubeTransport) -> [ScrapeTarget] {
        nodes.flatMap { node in
            paths.map { path in
                let proxyPath = "/api/v1/nodes/\(ListReader.escapePath(node))/proxy\(path)"
                return ScrapeTarget(
                    labels: ["job": "kubelet", "instance": node, "node": node, "metrics_path": path],
                    name: "node \(node)'s \(path)"
                ) {
                    let response: KubeResponse
                    do { response = try await transport.get(proxyPath) } catch { throw ScrapeError("\(error)") }
                    guard response.status == 200 else {
                        let said = KubeDecode.status(response.body)?.message.map { ": \($0)" } ?? ""
                        let hint = response.status == 403 ? "; RBAC must grant get on nodes/proxy" : ""
                        throw ScrapeError(
                            "GET \(proxyPath) on \(transport.server) failed with HTTP \(response.status)\(said)\(hint)")
                    }
                    // Asked without an Accept header, the kubelet answers in the Prometheus text format.
                    return ScrapeBody(bytes: response.body, format: .prometheusText)
                }
            }
        }
    }

    /// Every node's name, a page at a time.
    static func nodeNames(_ transport: any KubeTransport) async throws -> [String] {
        var names: [String] = []
        var continueToken: String?
        repeat {
            var path = "/api/v1/nodes?limit=500"
            if let c = continueToken { path += "&continue=\(ListReader.escapeQuery(c))" }
            let response: KubeResponse
            do { response = try await transport.get(path) } catch {
                throw APIRequestError(.transport, error.description)
            }
            guard response.status == 200 else {
                throw APIRequestError.from(
                    response, path: "/api/v1/nodes", resource: "nodes", server: transport.server, isMetricsAPI: false)
            }
            let page: KubeList<NodeObject>
            do { page = try KubeDecode.nodeList(response.body) } catch {
                throw APIRequestError(.malformed, "the node list from \(transport.server) is not valid: \(error)")
            }
            names += page.items.map(\.name)
            continueToken = page.continueToken
        } while continueToken != nil
        return names
    }
}
