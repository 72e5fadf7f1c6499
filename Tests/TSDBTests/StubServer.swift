import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import TSDB

/// A tiny HTTP server on 127.0.0.1 for answers a real Prometheus will not give on demand
/// (a proxy's 503, HTML, silence). It records each request's URI and Authorization header.
final class StubServer: Sendable {
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType = "application/json"
        var body: String
        /// Never answer (for timeouts).
        var silent = false
    }

    struct Seen: Sendable { var uri: String; var authorization: String? }

    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let seen: SeenLog

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [Seen] { seen.items.withLock { $0 } }

    final class SeenLog: Sendable { let items = Mutex<[Seen]>([]) }

    init(_ answer: @escaping @Sendable (String) -> Answer) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let seen = SeenLog()
        let log: @Sendable (Seen) -> Void = { item in seen.items.withLock { $0.append(item) } }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(StubHandler(answer: answer, log: log))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.group = group
        self.seen = seen
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class StubHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let answer: @Sendable (String) -> StubServer.Answer
    let log: @Sendable (StubServer.Seen) -> Void
    private let uri = Mutex<String>("")

    init(answer: @escaping @Sendable (String) -> StubServer.Answer, log: @escaping @Sendable (StubServer.Seen) -> Void) {
        self.answer = answer
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri.withLock { $0 = head.uri }
            log(StubServer.Seen(uri: head.uri, authorization: head.headers.first(name: "Authorization")))
        case .body:
            break
        case .end:
            let reply = answer(uri.withLock { $0 })
            guard !reply.silent else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: reply.contentType)
            headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// Limits for clients of the real servers: `swift test` runs everything at once on two cores,
/// and a first query can then wait far longer than a user's 30 s.
let patient: TSDBLimits = {
    var limits = TSDBLimits()
    limits.requestTimeout = .seconds(180)
    return limits
}()
