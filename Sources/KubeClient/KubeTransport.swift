/// One GET to a Kubernetes API server. `KubeClient` is the real one; tests may serve their own.
public protocol KubeTransport: Sendable {
    /// `https://host:port` as in the kubeconfig, for messages.
    var server: String { get }
    /// True when TLS verification is off (`insecure-skip-tls-verify`): the header shows a warning.
    var isInsecure: Bool { get }
    /// GET `path` (with its query, e.g. `/api/v1/pods?limit=500`). Any HTTP status comes back as a
    /// response; only transport failures (DNS, connect, TLS, timeout, size limit, credentials) throw
    /// `KubeClientError`.
    func get(_ path: String) async throws(KubeClientError) -> KubeResponse
    /// GET `path` as a watch (its query holds `watch=1`): the answer's head, and on 200 its events one JSON
    /// line at a time as they arrive. A watch silent for longer than `idleTimeout` ends with a `.timeout`
    /// error; a line longer than the client's limit with `.tooLarge`; a cut connection with `.connection`.
    /// Any other status comes back with its body, as `get` would give it.
    func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse
}

public struct KubeResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// The answer to a watch: 200 and a stream of event lines, or another status and its body (a `Status`).
public struct KubeWatchResponse: Sendable {
    public var status: Int
    /// The body of a refused watch; empty on 200.
    public var body: [UInt8]
    /// One complete event line at a time (without its newline). It finishes when the server ends the
    /// watch (at its `timeoutSeconds`) and throws `KubeClientError` when the watch breaks. Ending the
    /// iteration (or its task) closes the request.
    public var events: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, body: [UInt8] = [], events: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.body = body
        self.events = events
    }

    /// A refused watch: a status, a body, no events.
    public init(refused status: Int, body: [UInt8]) {
        self.init(status: status, body: body, events: AsyncThrowingStream { $0.finish() })
    }
}

/// Why a request got no HTTP response. `description` is a sentence for the status bar;
/// it names the server and path and never contains a token, password or key.
public struct KubeClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connection, tls, timeout, tooLarge, credentials, invalidConfiguration
    }
    public var kind: Kind
    public var description: String
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
