import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 server (TLS or plain) on 127.0.0.1 for KubeClient tests: it records every request
/// it sees and answers what the test's `reply` says.
final class KubeClientTestServer: Sendable {
    struct Seen: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: [UInt8])
        /// Reads the request and never answers.
        case silence
        /// Sends the head (promising a body) and then nothing.
        case headThenSilence
        /// A chunked answer, as a watch is: the head at once, then one part every `every`, then `then`.
        case stream(status: Int = 200, parts: [[UInt8]], every: TimeAmount, then: StreamEnd)

        enum StreamEnd: Sendable {
            /// The last chunk: the answer is complete.
            case end
            /// Nothing more; the connection stays open.
            case silence
            /// The connection is closed without the last chunk.
            case cut
        }

        static func json(_ text: String, status: Int = 200) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
        }
    }

    let port: Int
    private let channel: any Channel
    private let log: SeenLog

    private final class SeenLog: Sendable {
        let entries = Mutex<[Seen]>([])
        let connections = Mutex(0)
    }

    var url: String { "https://127.0.0.1:\(port)" }
    var seen: [Seen] { log.entries.withLock { $0 } }
    /// Connections accepted, whether or not their TLS handshake succeeded.
    var connections: Int { log.connections.withLock { $0 } }

    /// `tls` nil serves plain HTTP. `requireClientCertificateFrom` (a CA file) makes TLS demand a client certificate.
    init(
        tls: (certificate: String, key: String)?, requireClientCertificateFrom clientCA: String? = nil,
        reply: @escaping @Sendable (Seen) -> Reply
    ) async throws {
        var context: NIOSSLContext?
        if let tls {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
            )
            if let clientCA {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            }
            context = try NIOSSLContext(configuration: configuration)
        }
        let log = SeenLog()
        self.log = log
        let sslContext = context
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                log.connections.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Recorder(log: log, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let log: SeenLog
        let reply: @Sendable (Seen) -> Reply
        var head: HTTPRequestHead?

        init(log: SeenLog, reply: @escaping @Sendable (Seen) -> Reply) {
            self.log = log
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                let seen = Seen(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) })
                log.entries.withLock { $0.append(seen) }
                switch reply(seen) {
                case .silence:
                    break
                case .headThenSilence:
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Length", value: "1000")
                    context.writeAndFlush(
                        wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                        promise: nil)
                case .stream(let status, let parts, let every, let end):
                    let head = HTTPResponseHead(
                        version: .http1_1, status: HTTPResponseStatus(statusCode: status),
                        headers: ["Content-Type": "application/json", "Transfer-Encoding": "chunked"])
                    context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
                    let loop = context.eventLoop
                    let bound = NIOLoopBound(context, eventLoop: loop)
                    for (i, part) in parts.enumerated() {
                        loop.scheduleTask(in: every * Int64(i + 1)) {
                            let chunk = HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: part)))
                            bound.value.writeAndFlush(NIOAny(chunk), promise: nil)
                        }
                    }
                    loop.scheduleTask(in: every * Int64(parts.count + 1)) {
                        switch end {
                        case .end: bound.value.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
                        case .silence: break
                        case .cut: bound.value.close(promise: nil)
                        }
                    }
                case .respond(let status, let extra, let body):
                    var headers = HTTPHeaders(extra)
                    headers.add(name: "Content-Length", value: "\(body.count)")
                    context.write(
                        wrapOutboundOut(
                            .head(
                                HTTPResponseHead(
                                    version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
                            )), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                self.head = nil
            }
        }
    }
}
