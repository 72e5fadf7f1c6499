import KubeAPI
import KubeClient

/// A list call the API server answered with an error, in words that say what to do about it.
public struct APIRequestError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 401: the credentials were not accepted.
        case unauthorized
        /// 403: RBAC does not allow the list (or the watch).
        case forbidden
        /// 410: the resourceVersion asked for is no longer in the server's history; only a new list helps.
        case expired
        /// 404 on metrics.k8s.io: no metrics-server (no APIService for it).
        case metricsAPIUnavailable
        /// The body was not the JSON it should be (malformed, truncated, wrong shape).
        case malformed
        /// No HTTP answer at all (connect, TLS, timeout, size).
        case transport
        /// Any other status.
        case server
    }

    public var kind: Kind
    public var description: String
    public var status: Int?

    /// Worth asking again at once: a cut or malformed answer, a broken connection or a timeout, 429, or a
    /// 5xx other than 501. Not: credentials, RBAC, TLS, configuration, an answer over the size limit.
    public var isTransient: Bool {
        switch kind {
        case .transport: return transportIsTransient
        case .malformed: return true
        case .server: return status.map { $0 == 429 || ($0 >= 500 && $0 != 501) } ?? true
        case .unauthorized, .forbidden, .expired, .metricsAPIUnavailable: return false
        }
    }
    var transportIsTransient = true

    public init(_ kind: Kind, _ description: String, status: Int? = nil) {
        self.kind = kind
        self.description = description
        self.status = status
    }

    /// Names the sources that need no metrics-server: the kubelets' Summary API, and this node's /proc.
    public static let metricsUnavailableText =
        "metrics API not available (is metrics-server installed?); without it, kubeglass --source summary reads usage from the kubelets (or --source local, on a Linux node)"

    /// The core resources kubeglass lists once and then watches.
    public static let watchedResources = "nodes, pods and events"

    /// What RBAC must grant for `resource`: a watched resource needs list and watch on all three.
    static func grantText(_ resource: String) -> String {
        ["nodes", "pods", "events"].contains(resource)
            ? "RBAC must grant list and watch on \(watchedResources)" : "RBAC must grant get and list on \(resource)"
    }

    /// The error for a non-2xx `response` to GET `path`, which lists (or, `watch`, watches) `resource`
    /// (`pods`, `nodes.metrics.k8s.io`).
    static func from(
        _ response: KubeResponse, path: String, resource: String, server: String, isMetricsAPI: Bool,
        watch: Bool = false
    ) -> APIRequestError {
        let status = KubeDecode.status(response.body)
        let said = status?.message.map { ": \($0)" } ?? ""
        let code = response.status
        let verb = watch ? "watch" : "list"
        switch code {
        case 401:
            return APIRequestError(
                .unauthorized,
                "\(server) refused our credentials when \(watch ? "watching" : "listing") \(resource) (401 Unauthorized\(said)); check the user in the kubeconfig, or log in again",
                status: code)
        case 403:
            return APIRequestError(
                .forbidden,
                "not allowed to \(verb) \(resource) on \(server) (403 Forbidden\(said)); \(grantText(resource))",
                status: code)
        case 410:
            return APIRequestError(
                .expired, "GET \(path) on \(server): the version asked for has expired (410 Gone\(said))", status: code)
        case 404 where isMetricsAPI:
            return APIRequestError(
                .metricsAPIUnavailable, "\(metricsUnavailableText): GET \(path) answered \(code)\(said)", status: code)
        case 503 where isMetricsAPI:
            // The APIService exists: metrics-server is there but not answering (starting, overloaded, failing).
            return APIRequestError(
                .server,
                "GET \(path) on \(server) answered 503 Service Unavailable\(said): the metrics API is registered but its server (metrics-server) is not answering",
                status: code)
        default:
            return APIRequestError(.server, "GET \(path) on \(server) failed with HTTP \(code)\(said)", status: code)
        }
    }
}
