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
}

public struct KubeResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
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
