import Foundation
import KubeAPI
import NIOCore
import TestSupport
import Testing

@testable import Collectors
@testable import KubeClient

/// KubeClient's watches against a real HTTPS server on 127.0.0.1 that answers in chunks, as an API server does.
@Suite struct KubeClientWatchTests {
    /// Over plain HTTP when `tls` is false: a watch given up over TLS waits, at shutdown, five seconds for this test
    /// server's TLS close (which it never sends mid-answer), though the client closed its end at once.
    func makeClient(
        _ server: KubeClientTestServer, _ certs: KubeClientCertificates, tls: Bool = true,
        options: KubeClient.Options = .init()
    ) throws -> KubeClient {
        var access = testAccess(tls ? server.url : "http://127.0.0.1:\(server.port)")
        access.certificateAuthority = .file(certs.ca)
        access.token = Secret("watch-token-0815")
        return try KubeClient(access, options: options)
    }

    /// Every line the watch brought, and how it ended (nil: the server ended it).
    func read(_ response: KubeWatchResponse) async -> (lines: [String], error: KubeClientError?) {
        var lines: [String] = []
        do {
            for try await line in response.events { lines.append(String(decoding: line, as: UTF8.self)) }
            return (lines, nil)
        } catch {
            return (lines, error as? KubeClientError ?? KubeClientError(.connection, "not a KubeClientError: \(error)"))
        }
    }

    static let added = #"{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}"#
    static let deleted = #"{"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"6"}}}"#
    static let bookmark = #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}}"#

    @Test func eventsComeAsWholeLinesWhereverTheChunksAreCut() async throws {
        let text = Self.added + "\n" + Self.deleted + "\n\n" + Self.bookmark + "\n"
        let bytes = Array(text.utf8)
        // Cut in the middle of the first event, between the second and third, and one byte at the end.
        let parts = [Array(bytes[0..<30]), Array(bytes[30..<(bytes.count - 1)]), [bytes[bytes.count - 1]]]
        try await withServer(reply: { _ in .stream(parts: parts, every: .milliseconds(20), then: .end) }) {
            server, certs in
            let client = try makeClient(server, certs)
            let response = try await client.watch(
                "/api/v1/pods?watch=1&resourceVersion=4&timeoutSeconds=300", idleTimeout: .seconds(10))
            let (lines, error) = await read(response)
            await client.shutdown()
            #expect(response.status == 200)
            #expect(error == nil)
            #expect(lines == [Self.added, Self.deleted, Self.bookmark])
            let seen = try #require(server.seen.first)
            #expect(seen.uri == "/api/v1/pods?watch=1&resourceVersion=4&timeoutSeconds=300")
            #expect(seen.header("Authorization") == "Bearer watch-token-0815", "the same credentials as a list")
            let events = try lines.map { try KubeDecode.podEvent(Array($0.utf8)) }
            #expect(events.map(\.kind) == [.added, .deleted, .bookmark])
            #expect(events.map(\.resourceVersion) == ["5", "6", "7"])
        }
    }

    @Test func anEventArrivesBeforeTheWatchEnds() async throws {
        // Nothing comes after the first event: it must not wait for more.
        try await withServer(
            tls: false,
            reply: { _ in
                .stream(parts: [Array((Self.added + "\n").utf8)], every: .milliseconds(10), then: .silence)
            }
        ) { server, certs in
            let client = try makeClient(server, certs, tls: false)
            let response = try await client.watch("/api/v1/pods?watch=1", idleTimeout: .seconds(30))
            var iterator = response.events.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first.map { String(decoding: $0, as: UTF8.self) } == Self.added)
            await client.shutdown()
        }
    }

    @Test func anEventOverTheLimitEndsTheWatchWithItsSizeAndTheLimit() async throws {
        let big = #"{"type":"ADDED","object":{"metadata":{"name":""# + String(repeating: "x", count: 300) + #""}}}"#
        let parts = [
            Array((Self.added + "\n").utf8), Array(big.utf8.prefix(100)), Array((big.dropFirst(100) + "\n").utf8),
        ]
        try await withServer(reply: { _ in .stream(parts: parts, every: .milliseconds(10), then: .end) }) {
            server, certs in
            let client = try makeClient(server, certs, options: .init(maximumWatchEventBytes: 200))
            let (lines, error) = await read(try await client.watch("/api/v1/pods?watch=1", idleTimeout: .seconds(10)))
            await client.shutdown()
            #expect(lines == [Self.added])
            #expect(error?.kind == .tooLarge)
            #expect(
                error?.description
                    == "one event of the watch GET /api/v1/pods?watch=1 from \(server.url) is \(big.utf8.count) bytes, over the 200 bytes limit for one event"
            )
        }
    }

    @Test func aSilentWatchIsGivenUpAfterItsIdleTimeout() async throws {
        try await withServer(
            tls: false,
            reply: { _ in
                .stream(parts: [Array((Self.added + "\n").utf8)], every: .milliseconds(10), then: .silence)
            }
        ) { server, certs in
            let client = try makeClient(server, certs, tls: false)
            let started = ContinuousClock.now
            let (lines, error) = await read(
                try await client.watch("/api/v1/pods?watch=1&timeoutSeconds=1", idleTimeout: .milliseconds(400)))
            let took = ContinuousClock.now - started
            await client.shutdown()
            #expect(lines == [Self.added])
            #expect(error?.kind == .timeout)
            #expect(
                error?.description
                    == "http://127.0.0.1:\(server.port) sent nothing on the watch GET /api/v1/pods?watch=1&timeoutSeconds=1 for 0.4s, longer than its timeoutSeconds allows; the watch was given up"
            )
            #expect(took >= .milliseconds(400), "not before the silence lasted the idle timeout")
        }
    }

    @Test func aCutConnectionEndsTheWatchWithAnError() async throws {
        try await withServer(reply: { _ in
            .stream(parts: [Array((Self.added + "\n").utf8)], every: .milliseconds(10), then: .cut)
        }) { server, certs in
            let client = try makeClient(server, certs)
            let (lines, error) = await read(try await client.watch("/api/v1/pods?watch=1", idleTimeout: .seconds(10)))
            await client.shutdown()
            #expect(lines == [Self.added])
            #expect(error?.kind == .connection)
            #expect(error?.description.contains("GET /api/v1/pods?watch=1") == true)
        }
    }

    @Test func aRefusedWatchComesBackWithItsStatusAndMessage() async throws {
        let status =
            #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods is forbidden: User \"jane\" cannot watch resource \"pods\"","reason":"Forbidden","code":403}"#
        try await withServer(reply: { _ in .json(status, status: 403) }) { server, certs in
            let client = try makeClient(server, certs)
            let response = try await client.watch("/api/v1/pods?watch=1", idleTimeout: .seconds(10))
            let (lines, error) = await read(response)
            await client.shutdown()
            #expect(response.status == 403 && lines.isEmpty && error == nil)
            let said = APIRequestError.from(
                KubeResponse(status: response.status, body: response.body), path: "/api/v1/pods", resource: "pods",
                server: server.url, isMetricsAPI: false, watch: true)
            #expect(said.kind == .forbidden)
            #expect(
                said.description
                    == "not allowed to watch pods on \(server.url) (403 Forbidden: pods is forbidden: User \"jane\" cannot watch resource \"pods\"); RBAC must grant list and watch on nodes, pods and events"
            )
        }
    }

    @Test func linesAreCutAtNewlinesAndALongLineIsMeasuredToItsEnd() throws {
        var lines = WatchLines(limit: 8)
        var out: [String] = []
        func feed(_ text: String) throws {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { raw in
                try lines.append(raw) { out.append(String(decoding: $0, as: UTF8.self)) }
            }
        }
        try feed("ab\ncd")
        try feed("ef\n\n  \ngh")
        #expect(out == ["ab", "cdef"])
        #expect(try lines.finish().map { String(decoding: $0, as: UTF8.self) } == "gh")
        var long = WatchLines(limit: 8)
        let error = #expect(throws: WatchLines.TooLong.self) {
            for part in ["12345", "67890", "123", "\nnext\n"] {
                try Array(part.utf8).withUnsafeBytes { raw in
                    try long.append(raw) { _ in }
                }
            }
        }
        #expect(error == WatchLines.TooLong(bytes: 13, isWhole: true))
    }
}
