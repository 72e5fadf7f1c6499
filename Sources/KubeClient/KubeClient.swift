import AsyncHTTPClient
import Foundation
import KubeglassCore
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// GETs from a real Kubernetes API server the way kubectl does: the kubeconfig's CA, client certificate,
/// token, token file, basic auth or exec plugin; gzip; a connect timeout, a request timeout and a size limit.
/// Call `shutdown()` when done.
public final class KubeClient: KubeTransport, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Options: Sendable {
        /// Time to open the TCP connection and finish the TLS handshake.
        public var connectTimeout: Duration = .seconds(5)
        /// Time for a whole request, from sending it to the last byte of the body.
        public var requestTimeout: Duration = .seconds(15)
        /// A larger (decompressed) body fails with `.tooLarge`; reading stops there, so it is never held
        /// whole. A page of 5,000 pods (kubeglass's page size) is 15-40 MiB of JSON.
        public var maximumResponseBytes: Int = KubeClient.defaultMaximumResponseBytes
        /// client-go re-reads a token file at most once a minute.
        public var tokenFileRefresh: Duration = .seconds(60)
        /// An exec credential plugin that runs longer is killed.
        public var execTimeout: Duration = .seconds(30)
        public var userAgent: String = "kubeglass/0.1"
        /// One watch event (one line) larger than this ends its watch with `.tooLarge`. etcd keeps objects
        /// of at most 1.5 MiB; this leaves room for what an API server adds.
        public var maximumWatchEventBytes: Int = 16 << 20

        public init(
            connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(15),
            maximumResponseBytes: Int = KubeClient.defaultMaximumResponseBytes,
            tokenFileRefresh: Duration = .seconds(60),
            execTimeout: Duration = .seconds(30), userAgent: String = "kubeglass/0.1",
            maximumWatchEventBytes: Int = 16 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.maximumResponseBytes = maximumResponseBytes
            self.tokenFileRefresh = tokenFileRefresh
            self.execTimeout = execTimeout
            self.userAgent = userAgent
            self.maximumWatchEventBytes = maximumWatchEventBytes
        }
    }

    /// `--max-response-size`'s default.
    public static let defaultMaximumResponseBytes = 128 << 20

    public let server: String
    public let isInsecure: Bool
    public let options: Options
    private let access: ClusterAccess
    let credentials: ClientCredentials
    /// The URL we request: the server's, or with the host replaced by tls-server-name (see `dnsOverride`).
    private let requestBase: String
    /// The Host header when the URL's host is tls-server-name.
    private let hostHeader: String?
    private let baseTLS: TLSConfiguration
    private let dnsOverride: [String: String]
    private let clients: Mutex<Clients>

    /// The HTTP clients: one per client certificate (exec plugins may hand out new ones), old ones kept until shutdown.
    private struct Clients {
        var current: HTTPClient
        var identity: [UInt8]?
        var retired: [HTTPClient] = []
        var isShutDown = false
    }

    /// Reads the certificates and keys now, so a wrong path fails here rather than on the first request.
    public init(_ access: ClusterAccess, options: Options = Options()) throws(KubeClientError) {
        var serverText = access.server
        while serverText.hasSuffix("/") { serverText.removeLast() }
        guard let url = URLComponents(string: serverText), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty
        else {
            throw KubeClientError(
                .invalidConfiguration,
                "server \(access.server) of context \"\(access.contextName)\" is not an https:// URL with a host (check server in the kubeconfig)"
            )
        }
        self.server = serverText
        self.access = access
        self.options = options
        self.isInsecure = access.insecureSkipTLSVerify
        self.credentials = ClientCredentials(
            access, tokenFileRefresh: options.tokenFileRefresh, execTimeout: options.execTimeout)

        var tls = TLSConfiguration.makeClientConfiguration()
        if access.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else if let ca = access.certificateAuthority {
            let bytes: [UInt8]
            do { bytes = try ca.contents() } catch {
                throw KubeClientError(
                    .invalidConfiguration, "could not read \(ca.named("certificate-authority")): \(error)")
            }
            guard let roots = try? NIOSSLCertificate.fromPEMBytes(bytes), !roots.isEmpty else {
                throw KubeClientError(
                    .invalidConfiguration,
                    "\(ca.named("certificate-authority")) holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"
                )
            }
            // The cluster's CA alone, as kubectl: the system's roots do not vouch for a cluster.
            tls.trustRoots = .certificates(roots)
        }
        self.baseTLS = tls

        var identity: ClientIdentity?
        if let certificate = access.clientCertificate, let key = access.clientKey {
            identity = try ClientIdentity(certificate: certificate, key: key)
        }

        // tls-server-name: ask for (and verify) that name, but connect to the server's address.
        if let name = access.tlsServerName, !name.isEmpty, name != host, scheme == "https" {
            var replaced = url
            replaced.host = name
            self.requestBase = replaced.string ?? serverText
            self.dnsOverride = [name: host]
            self.hostHeader = url.port.map { "\(host.contains(":") ? "[\(host)]" : host):\($0)" } ?? host
        } else {
            self.requestBase = serverText
            self.dnsOverride = [:]
            self.hostHeader = nil
        }
        let first = Self.makeHTTPClient(tls: tls, identity: identity, dnsOverride: dnsOverride, options: options)
        self.clients = Mutex(Clients(current: first, identity: identity?.fingerprint))
    }

    deinit {
        // Without shutdown() the clients would leak (and AsyncHTTPClient traps in debug builds): close them in the background.
        let open = clients.withLock { (state: inout Clients) -> [HTTPClient] in
            guard !state.isShutDown else { return [] }
            state.isShutDown = true
            return [state.current] + state.retired
        }
        for client in open { client.shutdown { _ in } }
    }

    /// Closes every connection; later requests fail with `.connection`.
    public func shutdown() async {
        let open = clients.withLock { (state: inout Clients) -> [HTTPClient] in
            guard !state.isShutDown else { return [] }
            state.isShutDown = true
            return [state.current] + state.retired
        }
        for client in open { try? await client.shutdown() }
    }

    public var description: String { "KubeClient(\(access))" }
    public var debugDescription: String { description }

    public func get(_ path: String) async throws(KubeClientError) -> KubeResponse {
        let path = path.hasPrefix("/") ? path : "/" + path
        let presented = try await credentials.current()
        let response = try await send(path, presented)
        // A refused plugin token or rotated token file gets one more try, as client-go does.
        guard response.status == 401, await credentials.rejected(presented) else { return response }
        return try await send(path, try await credentials.current())
    }

    private func send(_ path: String, _ presented: Presented) async throws(KubeClientError) -> KubeResponse {
        let http = try client(for: presented.identity, path: path)
        let prepared = request(path, presented)
        let limit = options.maximumResponseBytes
        let timeout = options.requestTimeout
        let result = await withDeadline(timeout, orFailWith: HTTPClientError.deadlineExceeded) {
            let response = try await http.execute(prepared, timeout: TimeAmount(timeout))
            let body = try await BodyReading.read(response, upTo: limit)
            return KubeResponse(status: Int(response.status.code), body: body)
        }
        switch result {
        case .success(let response): return response
        case .failure(let error): throw KubeClientError.from(error, server: server, path: path, options: options)
        }
    }

    /// A GET of `path` with our headers and the presented credentials.
    func request(_ path: String, _ presented: Presented) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: requestBase + path)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        request.headers.add(name: "User-Agent", value: options.userAgent)
        if let hostHeader { request.headers.add(name: "Host", value: hostHeader) }
        if let authorization = presented.authorization {
            request.headers.add(name: "Authorization", value: authorization.text)
        }
        return request
    }

    /// The client whose TLS presents `identity` (from an exec plugin), else the kubeconfig's own.
    func client(for identity: ClientIdentity?, path: String) throws(KubeClientError) -> HTTPClient {
        let made: HTTPClient? = clients.withLock { (state: inout Clients) -> HTTPClient? in
            guard !state.isShutDown else { return nil }
            if let identity, identity.fingerprint != state.identity {
                state.retired.append(state.current)
                state.current = Self.makeHTTPClient(
                    tls: baseTLS, identity: identity, dnsOverride: dnsOverride, options: options)
                state.identity = identity.fingerprint
            }
            return state.current
        }
        guard let made else {
            throw KubeClientError(.connection, "the client for \(server) was shut down before GET \(path)")
        }
        return made
    }

    private static func makeHTTPClient(
        tls base: TLSConfiguration, identity: ClientIdentity?, dnsOverride: [String: String], options: Options
    ) -> HTTPClient {
        var tls = base
        if let identity {
            tls.certificateChain = identity.chain.map { .certificate($0) }
            tls.privateKey = .privateKey(identity.key)
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(options.connectTimeout)),
            decompression: .enabled(limit: .size(options.maximumResponseBytes))
        )
        // Fail at once on a refused connection or a bad certificate instead of retrying until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = dnsOverride
        // Each watch holds a connection for as long as it runs (over HTTP/1.1): room for them and a poll's lists.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
