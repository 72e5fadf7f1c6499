import DemoCluster
import Foundation
import KubeglassCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Serves a `SimulatedAPI` on HTTPS (client certificate or bearer token) and, optionally, on plain
/// HTTP without auth like `kubectl proxy` (for Prometheus scraping and simple tests).
public final class SimulatorServer: @unchecked Sendable {
    public let api: SimulatedAPI
    public let credentials: SimulatorPKI
    public let token: String
    public let configuration: Simulator.Configuration
    /// The instant each request is answered at: the wall clock, or a fast one a soak advances by hand (the
    /// cluster's churn, metrics and watch deadlines all move with it).
    public let clock: any Clock
    public private(set) var httpsPort = 0
    public private(set) var httpPort: Int?
    private let group: MultiThreadedEventLoopGroup
    private var channels: [Channel] = []

    /// Builds the cluster model, its pre-rendered objects and the certificates (no sockets yet); the cluster
    /// starts at `now` (default: the clock's now).
    public init(_ configuration: Simulator.Configuration, now: Int64? = nil, clock: any Clock = SystemClock()) throws {
        self.configuration = configuration
        self.clock = clock
        let now = now ?? clock.now()
        let cluster = ClusterModel(configuration.cluster, createdAt: now)
        api = SimulatedAPI(
            catalog: ClusterCatalog(cluster: cluster, resourceVersionBase: configuration.resourceVersionBase),
            servesMetricsAPI: configuration.servesMetricsAPI, startedAt: now,
            churnPerMinute: configuration.frozenAt == nil ? configuration.churnPerMinute : 0,
            watchOptions: configuration.watch)
        let extra = ["127.0.0.1", "localhost", "::1"].contains(configuration.address) ? [] : [configuration.address]
        credentials = try SimulatorPKI(hosts: extra)
        token = configuration.token ?? AccessPolicy.randomToken()
        // At least four loops even on two cores: an API server answers requests side by side, and a
        // 54 MB pod metrics answer rendering on a loop would hold up the pod list pages that share it
        // (on 2 cores with 2 loops, a 150,000-pod poll stood 0.4 s waiting with a core idle).
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(4, min(8, System.coreCount)))
    }

    /// Binds the ports; returns once both listen.
    public func start() async throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(try NIOSSLCertificate(bytes: Array(credentials.serverCertificatePEM.utf8), format: .pem))
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.serverKeyPEM.utf8), format: .pem)))
        tls.certificateVerification = .optionalVerification
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(credentials.caPEM.utf8), format: .pem)])
        tls.applicationProtocols = ["http/1.1"]
        let ssl = try NIOSSLContext(configuration: tls)
        let policy = AccessPolicy(token: token, expireAfterMilliseconds: configuration.expireTokenAfterMilliseconds)

        let secure = try await bind(port: configuration.port, ssl: ssl, policy: policy)
        channels.append(secure)
        httpsPort = secure.localAddress?.port ?? configuration.port
        if let port = configuration.httpPort {
            let plain = try await bind(port: port, ssl: nil, policy: nil)
            channels.append(plain)
            httpPort = plain.localAddress?.port ?? port
        }
    }

    private func bind(port: Int, ssl: NIOSSLContext?, policy: AccessPolicy?) async throws -> Channel {
        let api = self.api
        let faults = configuration.faults
        let frozenAt = configuration.frozenAt
        let clock = self.clock
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let ssl { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: ssl)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        APIChannelHandler(api: api, policy: policy, faults: faults, frozenAt: frozenAt, clock: clock))
                }
            }
        do {
            return try await bootstrap.bind(host: configuration.address, port: port).get()
        } catch {
            throw SimulatorError(
                "cannot listen on \(configuration.address):\(port) (\(error)); pick another port with --port / --http-port, or 0 for a free one"
            )
        }
    }

    public var httpsURL: String { "https://\(SimulatorServer.hostForURL(configuration.address)):\(httpsPort)" }
    public var httpURL: String? { httpPort.map { "http://\(SimulatorServer.hostForURL(configuration.address)):\($0)" } }

    static func hostForURL(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }

    /// Closes the listeners and stops the event loops.
    public func stop() async {
        for c in channels { try? await c.close() }
        channels = []
        try? await group.shutdownGracefully()
    }

    /// A kubeconfig for the HTTPS endpoint, context `kubeglass-sim`.
    public func kubeconfig(authentication: Simulator.Authentication) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        let user: String
        switch authentication {
        case .certificate:
            user = """
                    client-certificate-data: \(b64(credentials.clientCertificatePEM))
                    client-key-data: \(b64(credentials.clientKeyPEM))
                """
        case .token:
            user = "    token: \(token)"
        }
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kubeglass-sim
              cluster:
                server: \(httpsURL)
                certificate-authority-data: \(b64(credentials.caPEM))
            users:
            - name: kubeglass-sim-admin
              user:
            \(user)
            contexts:
            - name: kubeglass-sim
              context:
                cluster: kubeglass-sim
                user: kubeglass-sim-admin
            current-context: kubeglass-sim
            preferences: {}

            """
    }
}

public struct SimulatorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
