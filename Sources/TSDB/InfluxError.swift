/// Why an InfluxDB request failed, as a sentence naming the server. `error` keeps InfluxDB's own
/// text verbatim (a parse error's position, a per-statement error).
public struct InfluxError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// HTTP 400 with `{"error": "..."}`: InfluxQL that does not parse.
        case parse
        /// HTTP 401/403: wrong or missing user and password.
        case unauthorized
        /// Another HTTP error status (with or without an `error` text).
        case http(status: Int)
        case unreachable, timeout, tls, tooLarge, malformed, invalidConfiguration
    }

    public let kind: Kind
    public let error: String?
    public let description: String

    init(_ kind: Kind, _ description: String, error: String? = nil) {
        self.kind = kind
        self.description = description
        self.error = error
    }

    init(_ failure: TSDBTransportFailure) { self.init(failure.kind(as: Kind.self), failure.message) }
}

extension InfluxError.Kind: TransportFailureKinds {}
