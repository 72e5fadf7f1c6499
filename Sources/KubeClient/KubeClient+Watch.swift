import AsyncHTTPClient
import KubeglassCore
import NIOCore
import Synchronization

extension KubeClient {
    /// A watch over the same connection, TLS and credentials as `get` (a refused plugin token gets one
    /// more try); the head must come within the request timeout, and the events may then take as long as
    /// the server keeps the watch open, as long as it is never silent for longer than `idleTimeout`.
    public func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse {
        let path = path.hasPrefix("/") ? path : "/" + path
        let presented = try await credentials.current()
        let response = try await openWatch(path, presented, idleTimeout: idleTimeout)
        guard response.status == 401, await credentials.rejected(presented) else { return response }
        return try await openWatch(path, try await credentials.current(), idleTimeout: idleTimeout)
    }

    private enum WatchHead: Sendable {
        case open(HTTPClientResponse)
        case refused(status: Int, body: [UInt8])
    }

    private func openWatch(_ path: String, _ presented: Presented, idleTimeout: Duration)
        async throws(KubeClientError) -> KubeWatchResponse
    {
        let http = try client(for: presented.identity, path: path)
        // API servers do not compress watches; were one to, the decompressor passes each chunk on as it comes.
        let prepared = request(path, presented)
        let limit = options.maximumResponseBytes
        let timeout = options.requestTimeout
        let head = await withDeadline(timeout, orFailWith: HTTPClientError.deadlineExceeded) { () -> WatchHead in
            let response = try await http.execute(prepared, timeout: TimeAmount(timeout))
            guard response.status == .ok else {
                let body = try await response.body.collect(upTo: limit)
                return .refused(status: Int(response.status.code), body: Array(buffer: body))
            }
            return .open(response)
        }
        switch head {
        case .failure(let error):
            throw KubeClientError.from(error, server: server, path: path, options: options)
        case .success(.refused(let status, let body)):
            return KubeWatchResponse(refused: status, body: body)
        case .success(.open(let response)):
            let (events, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let reading = WatchReading(
                server: server, path: path, lineLimit: options.maximumWatchEventBytes, idleTimeout: idleTimeout,
                options: options)
            let pump = Task { await reading.pump(response.body, into: continuation) }
            continuation.onTermination = { _ in pump.cancel() }
            return KubeWatchResponse(status: 200, events: events)
        }
    }
}

/// Reads one watch's body into its lines, and gives up on a watch that stays silent.
private struct WatchReading: Sendable {
    let server: String
    let path: String
    let lineLimit: Int
    let idleTimeout: Duration
    let options: KubeClient.Options

    func pump(
        _ body: HTTPClientResponse.Body, into continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    ) async {
        let lastHeard = LastHeard()
        let outcome = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do {
                    var lines = WatchLines(limit: lineLimit)
                    for try await chunk in body {
                        lastHeard.time.withLock { $0 = .now }
                        try chunk.withUnsafeReadableBytes { bytes in
                            try lines.append(bytes) { continuation.yield($0) }
                        }
                    }
                    if let last = try lines.finish() { continuation.yield(last) }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                while true {
                    let deadline = lastHeard.time.withLock { $0 } + idleTimeout
                    if ContinuousClock.now >= deadline { return .failure(Silent()) }
                    do { try await Task.sleep(until: deadline) } catch { return nil }
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(CancellationError())
        }
        switch outcome {
        case .success: continuation.finish()
        case .failure(let error): continuation.finish(throwing: describe(error))
        }
    }

    private struct Silent: Error {}

    /// When the server last sent anything, shared by the reader and the watchdog.
    private final class LastHeard: Sendable {
        let time = Mutex(ContinuousClock.now)
    }

    private func describe(_ error: any Error) -> KubeClientError {
        if error is Silent {
            return KubeClientError(
                .timeout,
                "\(server) sent nothing on the watch GET \(path) for \(KubeClientError.seconds(idleTimeout)), longer than its timeoutSeconds allows; the watch was given up"
            )
        }
        if let long = error as? WatchLines.TooLong {
            return KubeClientError(
                .tooLarge,
                "one event of the watch GET \(path) from \(server) is \(long.isWhole ? "" : "at least ")\(long.bytes) bytes, over the \(KubeClientError.byteText(lineLimit)) limit for one event"
            )
        }
        return KubeClientError.from(error, server: server, path: path, options: options)
    }
}
