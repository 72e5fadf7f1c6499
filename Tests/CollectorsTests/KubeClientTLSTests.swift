import Collectors
import Foundation
import KubeClient
import TestSupport
import Testing

/// A context for a test server; the rest is filled in per test.
func testAccess(_ server: String) -> ClusterAccess {
    ClusterAccess(contextName: "test", clusterName: "test", userName: "tester", server: server)
}

/// Runs `body` against a fresh server and checks afterwards that it only ever saw GETs.
func withServer(
    tls: Bool = true, named: Bool = false, requireClientCertificate: Bool = false,
    reply: @escaping @Sendable (KubeClientTestServer.Seen) -> KubeClientTestServer.Reply = { _ in
        .json(#"{"kind":"PodList"}"#)
    },
    _ body: (KubeClientTestServer, KubeClientCertificates) async throws -> Void
) async throws {
    let certs = try KubeClientCertificates.shared.get()
    let server = try await KubeClientTestServer(
        tls: tls
            ? (named
                ? (certs.namedServerCertificate, certs.namedServerKey) : (certs.serverCertificate, certs.serverKey))
            : nil,
        requireClientCertificateFrom: requireClientCertificate ? certs.ca : nil,
        reply: reply
    )
    do {
        try await body(server, certs)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
    #expect(server.seen.allSatisfy { $0.method == "GET" }, "the server saw \(server.seen.map(\.method))")
}

/// The error a GET throws, or nil when it succeeded.
func getError(_ client: KubeClient, _ path: String = "/api/v1/pods") async -> KubeClientError? {
    do {
        _ = try await client.get(path)
        return nil
    } catch {
        return error
    }
}

@Suite struct KubeClientTLSTests {
    @Test func trustsTheClusterCAAndSendsKubectlHeaders() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            let client = try KubeClient(access)
            let response = try await client.get("/api/v1/pods?limit=500")
            await client.shutdown()
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"kind":"PodList"}"#)
            #expect(!client.isInsecure)
            let seen = try #require(server.seen.first)
            #expect(seen.uri == "/api/v1/pods?limit=500")
            #expect(seen.header("Accept") == "application/json")
            #expect(seen.header("Accept-Encoding") == "gzip")
            #expect(seen.header("User-Agent") == "kubeglass/0.1")
            #expect(seen.header("Authorization") == nil)
        }
    }

    @Test func acceptsCADataHoldingSeveralCertificates() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .data(Secret(certs.bytes(certs.otherCA) + certs.bytes(certs.ca)))
            let client = try KubeClient(access)
            let response = try await client.get("/version")
            await client.shutdown()
            #expect(response.status == 200)
        }
    }

    @Test func refusesAServerSignedByAnotherCA() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.otherCA)
            let client = try KubeClient(access)
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(error.kind == .tls)
            #expect(
                error.description
                    == "TLS handshake with \(server.url) failed: the server's certificate is not signed by the cluster's certificate authority (check certificate-authority in the kubeconfig)"
            )
            // One handshake, no retries until the connect timeout: a bad certificate will not get better.
            #expect(server.connections == 1)
            #expect(server.seen.isEmpty)
        }
    }

    @Test func insecureSkipTLSVerifyTrustsAnyServer() async throws {
        try await withServer { server, _ in
            var access = testAccess(server.url)
            access.insecureSkipTLSVerify = true
            let client = try KubeClient(access)
            let response = try await client.get("/api/v1/nodes")
            await client.shutdown()
            #expect(response.status == 200)
            #expect(client.isInsecure)
        }
    }

    @Test func tlsServerNameIsVerifiedInsteadOfTheHost() async throws {
        try await withServer(named: true) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            let plain = try KubeClient(access)
            let error = try #require(await getError(plain))
            await plain.shutdown()
            #expect(error.kind == .tls)
            #expect(
                error.description
                    == "TLS handshake with \(server.url) failed: the server's certificate is not valid for 127.0.0.1 (set tls-server-name in the kubeconfig to a name the certificate holds)"
            )

            access.tlsServerName = "api.kubeglass.test"
            let named = try KubeClient(access)
            let response = try await named.get("/api/v1/nodes")
            await named.shutdown()
            #expect(response.status == 200)
            // Connected to the server's address, and told it which host we meant.
            #expect(server.seen.last?.header("Host") == "127.0.0.1:\(server.port)")
        }
    }

    @Test func keepsThePathPrefixOfTheServerURL() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url + "/k8s/clusters/c-1/")
            access.certificateAuthority = .file(certs.ca)
            let client = try KubeClient(access)
            _ = try await client.get("/api/v1/namespaces")
            await client.shutdown()
            #expect(server.seen.map(\.uri) == ["/k8s/clusters/c-1/api/v1/namespaces"])
        }
    }

    @Test(arguments: ["RSA PKCS#8", "RSA PKCS#1", "EC SEC1"])
    func presentsAClientCertificateFromFiles(kind: String) async throws {
        try await withServer(requireClientCertificate: true) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            switch kind {
            case "RSA PKCS#8":
                access.clientCertificate = .file(certs.rsaClientCertificate)
                access.clientKey = .file(certs.rsaClientKey)
            case "RSA PKCS#1":
                access.clientCertificate = .file(certs.rsaClientCertificate)
                access.clientKey = .file(certs.rsaClientKeyPKCS1)
            default:
                access.clientCertificate = .file(certs.ecClientCertificate)
                access.clientKey = .file(certs.ecClientKey)
            }
            let client = try KubeClient(access)
            let response = try await client.get("/api/v1/pods")
            await client.shutdown()
            #expect(response.status == 200, "\(kind)")
        }
    }

    @Test func presentsAClientCertificateFromData() async throws {
        try await withServer(requireClientCertificate: true) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .data(Secret(certs.bytes(certs.ca)))
            access.clientCertificate = .data(Secret(certs.bytes(certs.ecClientCertificate)))
            access.clientKey = .data(Secret(certs.bytes(certs.ecClientKey)))
            let client = try KubeClient(access)
            let response = try await client.get("/api/v1/pods")
            await client.shutdown()
            #expect(response.status == 200)
        }
    }

    @Test func aServerThatWantsACertificateSaysSo() async throws {
        try await withServer(requireClientCertificate: true) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            for stranger in [false, true] {
                if stranger {
                    access.clientCertificate = .file(certs.strangerCertificate)
                    access.clientKey = .file(certs.strangerKey)
                }
                let client = try KubeClient(access)
                let error = try #require(await getError(client))
                await client.shutdown()
                let cause =
                    stranger
                    ? "the server refused our client certificate (is client-certificate signed by the cluster's CA, and still valid?)"
                    : "the server wants a client certificate and none was given (set client-certificate and client-key in the kubeconfig)"
                #expect(error == KubeClientError(.tls, "TLS handshake with \(server.url) failed: \(cause)"))
            }
            #expect(server.seen.isEmpty)
        }
    }

    @Test func unreadableCredentialFilesFailAtOnceWithTheirPath() throws {
        let certs = try KubeClientCertificates.shared.get()
        var access = testAccess("https://127.0.0.1:6443")
        access.clientCertificate = .file(certs.rsaClientCertificate)
        access.clientKey = .file("/nonexistent/client.key")
        #expect(
            throws: KubeClientError(.credentials, "could not read client-key /nonexistent/client.key: no such file")
        ) { try KubeClient(access) }

        access.clientKey = .file(certs.rsaClientCertificate)
        #expect(
            throws: KubeClientError(
                .credentials,
                "client-key \(certs.rsaClientCertificate) holds no PEM private key that kubeglass can use (RSA or EC, in PKCS#1, SEC1 or PKCS#8 form, unencrypted)"
            )
        ) { try KubeClient(access) }

        access = testAccess("https://127.0.0.1:6443")
        access.certificateAuthority = .file(certs.rsaClientKey)
        #expect(
            throws: KubeClientError(
                .invalidConfiguration,
                "certificate-authority \(certs.rsaClientKey) holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"
            )
        ) { try KubeClient(access) }

        access.certificateAuthority = .file("/nonexistent/ca.crt")
        #expect(
            throws: KubeClientError(
                .invalidConfiguration, "could not read certificate-authority /nonexistent/ca.crt: no such file")
        ) { try KubeClient(access) }

        #expect(throws: KubeClientError.self) { try KubeClient(testAccess("ftp://example")) }
    }

    @Test(.timeLimit(.minutes(2))) func aClosedPortIsAConnectionError() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} } // refusing until the test ends
        let port = refusing.port
        let client = try KubeClient(testAccess("https://127.0.0.1:\(port)"))
        let error = try #require(await getError(client))
        await client.shutdown()
        #expect(error.kind == .connection)
        #expect(
            error.description
                == "cannot connect to https://127.0.0.1:\(port): connection refused (is the API server running, and is the port right?)"
        )
    }

    @Test func anUnknownHostIsAConnectionError() async throws {
        let client = try KubeClient(testAccess("https://no-such-host.invalid:6443"))
        let error = try #require(await getError(client))
        await client.shutdown()
        #expect(
            error
                == KubeClientError(
                    .connection,
                    "cannot connect to https://no-such-host.invalid:6443: the name no-such-host.invalid could not be resolved"
                ))
    }

    @Test func aClientDroppedWithoutShutdownClosesItself() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            var client: KubeClient? = try KubeClient(access)
            #expect(try await client?.get("/version").status == 200)
            client = nil
            // AsyncHTTPClient traps in debug builds when a client is released unclosed; give the close time to run.
            try await Task.sleep(for: .milliseconds(200))
            #expect(server.seen.count == 1)
        }
    }

    @Test func requestsAfterShutdownFail() async throws {
        let client = try KubeClient(testAccess("https://127.0.0.1:6443"))
        await client.shutdown()
        let error = try #require(await getError(client, "/version"))
        #expect(error.kind == .connection)
        #expect(error.description == "the client for https://127.0.0.1:6443 was shut down before GET /version")
    }
}
