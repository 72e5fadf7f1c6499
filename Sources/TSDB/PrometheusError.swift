/// Why a Prometheus request failed, as a sentence that names the server. A server-side error keeps
/// Prometheus' own `errorType` (`bad_data`, `execution`, `timeout`, `canceled`, `unavailable`, …)
/// and its `error` text verbatim, so a panel can show exactly what the server said.
public struct PrometheusError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server answered `"status": "error"` (any HTTP status).
        case server
        /// An HTTP error status without a Prometheus JSON body (a proxy's 502, a starting server's 503).
        case http(status: Int)
        case unreachable, timeout, tls, tooLarge
        /// Not JSON, or JSON that is not a Prometheus API answer.
        case malformed
        case invalidConfiguration
    }

    public let kind: Kind
    /// `bad_data`, `execution`, `timeout`, … when the server said so.
    public let errorType: String?
    /// The server's `error` text, verbatim.
    public let error: String?
    public let description: String

    init(_ kind: Kind, _ description: String, errorType: String? = nil, error: String? = nil) {
        self.kind = kind
        self.description = description
        self.errorType = errorType
        self.error = error
    }

    init(_ failure: TSDBTransportFailure) { self.init(failure.kind(as: Kind.self), failure.message) }
}

extension PrometheusError.Kind: TransportFailureKinds {}
