import Collectors
import Foundation
import KubeClient
import TestSupport
import Testing

@Suite struct KubeClientAuthTests {
    static let token = "eyJhbGciOiJSUzI1NiJ9.secret-token-4711"

    @Test func sendsTheBearerToken() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            access.token = Secret(Self.token)
            let client = try KubeClient(access)
            _ = try await client.get("/api/v1/pods")
            await client.shutdown()
            #expect(server.seen.map { $0.header("Authorization") } == ["Bearer \(Self.token)"])
        }
    }

    @Test func sendsBasicAuth() async throws {
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            access.username = "admin"
            access.password = Secret("pa:ss-w0rd")
            let client = try KubeClient(access)
            _ = try await client.get("/api/v1/pods")
            await client.shutdown()
            // base64("admin:pa:ss-w0rd")
            #expect(server.seen.map { $0.header("Authorization") } == ["Basic YWRtaW46cGE6c3MtdzByZA=="])
        }
    }

    @Test(arguments: [false, true])
    func rereadsTheTokenFileOnlyAfterItsPeriod(periodHasPassed: Bool) async throws {
        let folder = try TempFolder()
        let tokenFile = try folder.write("token", "first-token\n")
        try await withServer { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            access.tokenFile = tokenFile
            // A zero period has always passed; an hour never does within a test.
            let client = try KubeClient(
                access, options: .init(tokenFileRefresh: periodHasPassed ? .zero : .seconds(3600)))
            _ = try await client.get("/api/v1/pods")
            try "second-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            _ = try await client.get("/api/v1/pods")
            await client.shutdown()
            let second = periodHasPassed ? "Bearer second-token" : "Bearer first-token"
            #expect(server.seen.map { $0.header("Authorization") ?? "" } == ["Bearer first-token", second])
        }
    }

    @Test func aRefusedTokenFileIsReadAgainAtOnce() async throws {
        let folder = try TempFolder()
        let tokenFile = try folder.write("token", "old-token")
        try await withServer(reply: { seen in
            seen.header("Authorization") == "Bearer new-token"
                ? .json("{}") : .json(#"{"kind":"Status","code":401}"#, status: 401)
        }) { server, certs in
            var access = testAccess(server.url)
            access.certificateAuthority = .file(certs.ca)
            access.tokenFile = tokenFile
            let client = try KubeClient(access)
            #expect(try await client.get("/api/v1/pods").status == 401)
            try "new-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            #expect(try await client.get("/api/v1/pods").status == 200)
            await client.shutdown()
            #expect(
                server.seen.map { $0.header("Authorization") ?? "" } == [
                    "Bearer old-token", "Bearer old-token", "Bearer new-token",
                ])
        }
    }

    @Test func aMissingTokenFileIsACredentialsError() async throws {
        var access = testAccess("https://127.0.0.1:6443")
        access.tokenFile = "/nonexistent/token"
        let client = try KubeClient(access)
        let error = try #require(await getError(client))
        await client.shutdown()
        #expect(error == KubeClientError(.credentials, "could not read tokenFile /nonexistent/token: no such file"))
    }

    @Test func inClusterAccessWorksAndFollowsTheRotatingToken() async throws {
        let folder = try TempFolder()
        try await withServer { server, certs in
            try folder.write("token", "pod-token-1")
            try folder.write("namespace", "monitoring")
            try FileManager.default.copyItem(atPath: certs.ca, toPath: folder.at("ca.crt"))
            let environment = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.port)"]
            let access = try #require(try ClusterAccess.inCluster(environment: environment, directory: folder.path))
            let client = try KubeClient(access, options: .init(tokenFileRefresh: .zero))
            _ = try await client.get("/api/v1/namespaces/monitoring/pods")
            try folder.write("token", "pod-token-2")
            _ = try await client.get("/api/v1/namespaces/monitoring/pods")
            await client.shutdown()
            #expect(
                server.seen.map { $0.header("Authorization") ?? "" } == ["Bearer pod-token-1", "Bearer pod-token-2"])
        }
    }

    @Test func secretsNeverShowInDescriptionsOrErrors() async throws {
        let certs = try KubeClientCertificates.shared.get()
        let port = try freeLoopbackPort()
        let keyText = String(decoding: certs.bytes(certs.ecClientKey), as: UTF8.self)
        var access = testAccess("https://127.0.0.1:\(port)")
        access.token = Secret(Self.token)
        access.username = "admin"
        access.password = Secret("hunter2-password")
        access.clientCertificate = .data(Secret(certs.bytes(certs.ecClientCertificate)))
        access.clientKey = .data(Secret(certs.bytes(certs.ecClientKey)))
        access.exec = ExecPlugin(
            apiVersion: "client.authentication.k8s.io/v1", command: "/bin/false",
            env: [.init(name: "PLUGIN_SECRET", value: "env-secret-value")])
        let client = try KubeClient(access)
        let error = try #require(await getError(client))
        await client.shutdown()
        let keyLine = try #require(keyText.split(separator: "\n").dropFirst().first.map(String.init))
        for text in [String(describing: client), String(reflecting: client), "\(error)", String(reflecting: error)] {
            #expect(!text.isEmpty)
            for secret in [Self.token, "hunter2-password", "env-secret-value", keyLine] {
                #expect(!text.contains(secret), "\(text)")
            }
        }
        #expect(String(describing: client).contains("https://127.0.0.1:\(port)"))
    }
}
