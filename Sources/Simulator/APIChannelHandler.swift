import Foundation
import KubeglassCore
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP/1.1 connection: checks credentials (HTTPS), applies faults, asks `SimulatedAPI` for the
/// response and writes it, streaming big bodies only as fast as the client reads them.
final class APIChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: SimulatedAPI
    private let policy: AccessPolicy?
    private let faults: FaultPlan
    private var head: HTTPRequestHead?
    private var streaming: (source: ChunkSource, keepAlive: Bool)?
    private var watching: (stream: WatchStream, keepAlive: Bool)?
    /// The next look at the open watch for changes.
    private var watchPoll: Scheduled<Void>?

    /// When set, every answer describes the cluster at this instant (`--freeze`); auth still runs on real time.
    private let frozenAt: Int64?
    /// Where "now" comes from: the wall clock, or a soak's fast clock.
    private let clock: any Clock

    init(
        api: SimulatedAPI, policy: AccessPolicy?, faults: FaultPlan, frozenAt: Int64? = nil,
        clock: any Clock = SystemClock()
    ) {
        self.api = api
        self.policy = policy
        self.faults = faults
        self.frozenAt = frozenAt
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            handle(head, context: context)
        }
    }

    private func handle(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let now = clock.now()
        let keepAlive = head.isKeepAlive
        var response: APIResponse
        var truncate = false
        if let policy {
            let certificate = (try? context.pipeline.syncOperations.nioSSL_peerCertificate()) ?? nil
            let verdict = policy.check(
                authorization: head.headers.first(name: "authorization"),
                verifiedClientCertificate: certificate != nil, now: now)
            if verdict != .allowed {
                send(
                    .failure(401, reason: "Unauthorized", message: "Unauthorized"), head: head, keepAlive: keepAlive,
                    truncate: false, context: context)
                return
            }
        }
        switch faults.draw() {
        case .error(let code):
            response =
                code == 503
                ? .failure(
                    503, reason: "ServiceUnavailable",
                    message: "the simulated API server is injecting faults (--error-rate)")
                : .failure(500, reason: "InternalError", message: "Internal error occurred: injected by --error-rate")
        case .truncate:
            truncate = true
            response = api.respond(
                to: APIRequest(
                    method: head.method.rawValue, uri: head.uri, accept: head.headers.first(name: "accept") ?? ""),
                at: frozenAt ?? now)
        case .none:
            response = api.respond(
                to: APIRequest(
                    method: head.method.rawValue, uri: head.uri, accept: head.headers.first(name: "accept") ?? ""),
                at: frozenAt ?? now)
        }
        if faults.latencyMilliseconds > 0 {
            let delayed = response
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(faults.latencyMilliseconds)) {
                self.send(delayed, head: head, keepAlive: keepAlive, truncate: truncate, context: context)
            }
        } else {
            send(response, head: head, keepAlive: keepAlive, truncate: truncate, context: context)
        }
    }

    private func send(
        _ response: APIResponse, head: HTTPRequestHead, keepAlive: Bool, truncate: Bool, context: ChannelHandlerContext
    ) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Cache-Control", value: "no-cache, private")
        if !keepAlive || truncate { headers.add(name: "Connection", value: "close") }
        var body: ByteBuffer?
        switch response.body {
        case .bytes(let b):
            body = b
            headers.add(name: "Content-Length", value: String(b.readableBytes))
        case .watch:
            // A watch ends when it says so, and only a client on HTTP/1.0 needs the close to see the end.
            if head.version.minor == 0 { headers.replaceOrAdd(name: "Connection", value: "close") }
        case .stream(let source):
            if truncate {
                var first = context.channel.allocator.buffer(capacity: ChunkSource.chunkSize)
                _ = source.next(into: &first)
                body = first
                headers.add(name: "Content-Length", value: String(first.readableBytes * 2 + 1))
            } else if head.version.minor == 0 {
                body = response.collectBody()
                headers.add(name: "Content-Length", value: String(body!.readableBytes))
            }
        }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method == .HEAD {
            finish(keepAlive: keepAlive, context: context)
            return
        }
        if truncate, var cut = body {
            // Half the body, then hang up: the client sees a short read.
            let half = cut.readSlice(length: cut.readableBytes / 2) ?? cut
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(half)))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        if let body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            finish(keepAlive: keepAlive, context: context)
            return
        }
        if case .stream(let source) = response.body {
            streaming = (source, keepAlive)
            pump(context: context)
        }
        if case .watch(let stream) = response.body {
            stream.frozenAt = frozenAt
            // Watches are never cut by --truncate-rate (they have --watch-cut-after); the header said close.
            watching = (stream, keepAlive && !truncate && head.version.minor > 0)
            context.flush()
            pumpWatch(context: context)
        }
    }

    /// Writes what the watch has now, as long as the client reads; then looks again a little later.
    private func pumpWatch(context: ChannelHandlerContext) {
        guard let current = watching else { return }
        while context.channel.isWritable {
            var buffer = context.channel.allocator.buffer(capacity: 16 * 1024)
            let step = current.stream.poll(now: clock.now(), into: &buffer)
            if step == .cut {
                // No end of the chunked body: the client sees its last event break off, then the close.
                watching = nil
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer)))).assumeIsolated()
                    .whenComplete { _ in context.close(promise: nil) }
                return
            }
            if buffer.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            switch step {
            case .more:
                context.flush()
            case .wait:
                context.flush()
                watchPoll?.cancel()
                watchPoll = context.eventLoop.assumeIsolated().scheduleTask(
                    in: .milliseconds(api.watchOptions.pollInterval)
                ) { self.pumpWatch(context: context) }
                return
            case .end:
                watching = nil
                finish(keepAlive: current.keepAlive, context: context)
                return
            case .cut:
                return
            }
        }
        context.flush()
    }

    private func pump(context: ChannelHandlerContext) {
        guard let current = streaming else { return }
        while context.channel.isWritable {
            var buffer = context.channel.allocator.buffer(capacity: ChunkSource.chunkSize + 16 * 1024)
            let more = current.source.next(into: &buffer)
            if buffer.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            if !more {
                streaming = nil
                finish(keepAlive: current.keepAlive, context: context)
                return
            }
            context.flush()
        }
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            pump(context: context)
            pumpWatch(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        streaming = nil
        watching = nil
        watchPoll?.cancel()
        watchPoll = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
