import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP server on 127.0.0.1 for answers a real Prometheus will not give on demand
/// (a proxy's 503, HTML, silence). It records each request's URI and Authorization header.
public final class StubServer: Sendable {
    public struct Answer: Sendable {
        public var status: HTTPResponseStatus
        public var contentType = "application/json"
        public var body: String
        /// Never answer (for timeouts).
        public var silent = false
        /// Answer only after this many milliseconds (a slow server).
        public var delay: Int64 = 0

        public init(
            status: HTTPResponseStatus, contentType: String = "application/json", body: String, silent: Bool = false,
            delay: Int64 = 0
        ) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.silent = silent
            self.delay = delay
        }
    }

    public struct Seen: Sendable {
        public var uri: String
        public var authorization: String?
    }

    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let seen: SeenLog

    public var url: String { "http://127.0.0.1:\(port)" }
    public var requests: [Seen] { seen.items.withLock { $0 } }

    final class SeenLog: Sendable { let items = Mutex<[Seen]>([]) }

    public init(_ answer: @escaping @Sendable (String) -> Answer) async throws {
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

    public func stop() async {
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

    init(answer: @escaping @Sendable (String) -> StubServer.Answer, log: @escaping @Sendable (StubServer.Seen) -> Void)
    {
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
            guard reply.delay <= 0 else {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(reply.delay)) {
                    self.write(reply, context: context)
                }
                return
            }
            write(reply, context: context)
        }
    }

    private func write(_ reply: StubServer.Answer, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
