import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

@testable import Collectors
@testable import KubeClient

@Suite struct KubeClientLimitsTests {
    /// `text` gzipped by the gzip program, so the client is checked against an independent compressor.
    static func gzip(_ text: String) throws -> [UInt8] {
        let folder = try TempFolder()
        let path = try folder.write("body", text)
        let result = try spawn(["gzip", "-9", path])
        try #require(result.status == 0, "\(result.output)")
        return Array(try #require(FileManager.default.contents(atPath: path + ".gz")))
    }

    func makeClient(
        _ server: KubeClientTestServer, _ certs: KubeClientCertificates, options: KubeClient.Options = .init()
    ) throws -> KubeClient {
        var access = testAccess(server.url)
        access.certificateAuthority = .file(certs.ca)
        return try KubeClient(access, options: options)
    }

    @Test func decompressesAGzipBody() async throws {
        let text =
            #"{"kind":"PodList","items":["#
            + Array(repeating: #"{"metadata":{"name":"web"}}"#, count: 500).joined(separator: ",") + "]}"
        let compressed = try Self.gzip(text)
        #expect(compressed.count < text.utf8.count / 10)
        try await withServer(reply: { _ in
            .respond(status: 200, headers: [("Content-Encoding", "gzip")], body: compressed)
        }) { server, certs in
            let client = try makeClient(server, certs)
            let response = try await client.get("/api/v1/pods")
            await client.shutdown()
            #expect(String(decoding: response.body, as: UTF8.self) == text)
            #expect(server.seen.first?.header("Accept-Encoding") == "gzip")
        }
    }

    @Test func aBodyOverTheLimitIsTooLarge() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 5000)
        try await withServer(reply: { _ in .respond(status: 200, body: body) }) { server, certs in
            let client = try makeClient(server, certs, options: .init(maximumResponseBytes: 1000))
            let error = try #require(await getError(client, "/api/v1/pods"))
            await client.shutdown()
            #expect(
                error
                    == KubeClientError(
                        .tooLarge,
                        "the answer of \(server.url) to GET /api/v1/pods is 5000 bytes, over the 1000 bytes limit; it was not read further (ask for less, e.g. with ?limit=, or raise --max-response-size)"
                    ))
        }
    }

    @Test func aChunkedBodyOverTheLimitStopsBeingReadAtTheLimit() async throws {
        let part = [UInt8](repeating: UInt8(ascii: "x"), count: 4096)
        try await withServer(reply: { _ in
            .stream(parts: Array(repeating: part, count: 8), every: .milliseconds(5), then: .end)
        }) { server, certs in
            let client = try makeClient(server, certs, options: .init(maximumResponseBytes: 10_000))
            let error = try #require(await getError(client, "/api/v1/pods"))
            await client.shutdown()
            #expect(error.kind == .tooLarge)
            // No Content-Length: it says how far it read, which is past the limit by at most what came at once.
            #expect(error.description.contains(" passed "), "\(error)")
            #expect(error.description.contains(", over the 10000 bytes limit; it was not read further"), "\(error)")
        }
    }

    @Test func answersReadAtOnceShareTheLimit() async throws {
        // Each answer (150,000 bytes, no Content-Length, in slow parts) fits the 200,000-byte limit alone;
        // two read at once would hold 300,000: one of them is stopped and says why.
        let part = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        try await withServer(reply: { _ in
            .stream(parts: Array(repeating: part, count: 15), every: .milliseconds(40), then: .end)
        }) { server, certs in
            let client = try makeClient(server, certs, options: .init(maximumResponseBytes: 200_000))
            #expect(try await client.get("/api/v1/pods").body.count == 150_000, "alone, it fits")
            async let a = getError(client, "/api/v1/pods")
            async let b = getError(client, "/api/v1/nodes")
            let errors = [await a, await b].compactMap { $0 }
            #expect(client.reading.inUse == 0, "every read gave back what it took")
            await client.shutdown()
            #expect(errors.count == 1, "\(errors)")
            #expect(errors.first?.kind == .connection, "worth asking again")
            #expect(
                errors.first?.description.contains("answers being read at once already held") == true,
                "\(String(describing: errors.first))")
        }
    }

    @Test func aBodyCutShortNamesTheByteOffsetWhereItEnded() async throws {
        let parts = [Array(#"{"kind":"PodList","items":["#.utf8), [UInt8](repeating: UInt8(ascii: " "), count: 1000)]
        try await withServer(reply: { _ in .stream(parts: parts, every: .milliseconds(5), then: .cut) }) {
            server, certs in
            let client = try makeClient(server, certs)
            let error = try #require(await getError(client, "/api/v1/pods"))
            await client.shutdown()
            #expect(error.kind == .connection)
            #expect(
                error.description.contains(
                    "cut its answer to GET /api/v1/pods short: the body ended at byte offset \(parts[0].count + 1000)"),
                "\(error)")
            #expect(!error.description.contains("HTTPParserError"))
        }
    }

    @Test func aGzipBombIsTooLargeToo() async throws {
        let compressed = try Self.gzip(String(repeating: "0", count: 200_000))
        try await withServer(reply: { _ in
            .respond(status: 200, headers: [("Content-Encoding", "gzip")], body: compressed)
        }) { server, certs in
            let client = try makeClient(server, certs, options: .init(maximumResponseBytes: 10 << 10))
            #expect(compressed.count < 10 << 10)
            let error = try #require(await getError(client, "/api/v1/pods"))
            await client.shutdown()
            #expect(error.kind == .tooLarge, "\(error)")
            #expect(error.description.contains("10 KiB limit"))
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: [false, true])
    func aServerThatNeverAnswersTimesOut(sendsHead: Bool) async throws {
        try await withServer(reply: { _ in sendsHead ? .headThenSilence : .silence }) { server, certs in
            let client = try makeClient(server, certs, options: .init(requestTimeout: .milliseconds(500)))
            let started = ContinuousClock.now
            let error = try #require(await getError(client, "/api/v1/pods"))
            let elapsed = ContinuousClock.now - started
            await client.shutdown()
            #expect(error == KubeClientError(.timeout, "\(server.url) did not answer GET /api/v1/pods within 0.5s"))
            // No upper bound on the clock: a busy test process may resume us late; the message says which timeout fired.
            #expect(elapsed >= .milliseconds(450), "\(elapsed)")
        }
    }

    @Test func plainHTTPToATLSServerIsExplained() async throws {
        try await withServer(tls: false) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            let client = try KubeClient(access)
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(error.kind == .tls)
            #expect(
                error.description
                    == "TLS handshake with \(server.url) failed: the server does not speak TLS (should the server URL start with http://?)"
            )
        }
    }

    @Test func speaksPlainHTTPWhenTheServerURLSaysSo() async throws {
        try await withServer(tls: false) { server, _ in
            let client = try KubeClient(testAccess("http://127.0.0.1:\(server.port)"))
            #expect(try await client.get("/healthz").status == 200)
            await client.shutdown()
        }
    }
}

/// Causes that are hard to provoke on loopback, mapped directly.
@Suite struct KubeClientErrorTextTests {
    @Test func connectAndHandshakeTimeoutsSayWhichTimeout() {
        let options = KubeClient.Options(connectTimeout: .seconds(5), requestTimeout: .seconds(15))
        let server = "https://10.0.0.1:6443"
        #expect(
            KubeClientError.from(HTTPClientError.connectTimeout, server: server, path: "/api/v1/pods", options: options)
                == KubeClientError(
                    .timeout,
                    "cannot connect to https://10.0.0.1:6443: no answer within 5s (is the API server up, and is the address reachable from here?)"
                ))
        #expect(
            KubeClientError.from(
                HTTPClientError.deadlineExceeded, server: server, path: "/api/v1/pods", options: options)
                == KubeClientError(.timeout, "https://10.0.0.1:6443 did not answer GET /api/v1/pods within 15s"))
        #expect(
            KubeClientError.from(
                HTTPClientError.remoteConnectionClosed, server: server, path: "/api/v1/pods", options: options)
                == KubeClientError(.connection, "https://10.0.0.1:6443 closed the connection during GET /api/v1/pods"))
        // Header values carry the token; only the short description, without values, may show.
        let leaky = HTTPClientError.invalidHeaderFieldValues(["Bearer secret-in-a-header"])
        let text = KubeClientError.from(leaky, server: server, path: "/api/v1/pods", options: options).description
        #expect(!text.contains("secret-in-a-header"))
        #expect(text == "GET /api/v1/pods from https://10.0.0.1:6443 failed: invalid header field values")
    }
}
