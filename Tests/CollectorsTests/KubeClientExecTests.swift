import Collectors
import Foundation
import KubeClient
import TestSupport
import Testing

/// A credential plugin written as a shell script: it counts its runs in `count`, keeps the
/// KUBERNETES_EXEC_INFO of each run in `info-N`, and prints token `tok-N`.
struct FakePlugin {
    let folder: TempFolder
    let path: String

    init(apiVersion: String, expiry: Date? = nil, script extra: String = "") throws {
        folder = try TempFolder()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let expiryText = expiry.map { formatter.string(from: $0) } ?? ""
        let status = expiry == nil ? #""token":"tok-%s""# : #""token":"tok-%s","expirationTimestamp":"\#(expiryText)""#
        path = try folder.write(
            "plugin.sh",
            """
            #!/bin/sh
            dir="$(dirname "$0")"
            n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$dir/count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info-$n"
            echo "args: $*; PLUGIN_REGION=$PLUGIN_REGION; stdin is a tty: $(test -t 0 && echo yes || echo no)" > "$dir/seen-$n"
            \(extra)
            printf '{"apiVersion":"\(apiVersion)","kind":"ExecCredential","status":{\(status)}}' "$n"
            """)
        chmod(path, 0o755)
    }

    var runs: Int {
        Int(
            (try? String(contentsOfFile: folder.at("count"), encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines) ?? "0") ?? 0
    }

    func file(_ name: String) -> String { (try? String(contentsOfFile: folder.at(name), encoding: .utf8)) ?? "" }

    func plugin(_ apiVersion: String) -> ExecPlugin {
        ExecPlugin(
            apiVersion: apiVersion, command: path, args: ["get-token", "--cluster=test"],
            env: [.init(name: "PLUGIN_REGION", value: "eu-1")], interactiveMode: "IfAvailable")
    }
}

@Suite struct KubeClientExecTests {
    static let v1 = "client.authentication.k8s.io/v1"
    static let v1beta1 = "client.authentication.k8s.io/v1beta1"

    func makeClient(
        _ server: KubeClientTestServer, _ certs: KubeClientCertificates, _ plugin: ExecPlugin,
        options: KubeClient.Options = .init()
    ) throws -> KubeClient {
        var access = testAccess(server.url)
        access.certificateAuthority = .file(certs.ca)
        access.exec = plugin
        return try KubeClient(access, options: options)
    }

    @Test(arguments: [v1, v1beta1])
    func runsThePluginOnceAndCachesItsToken(apiVersion: String) async throws {
        let fake = try FakePlugin(apiVersion: apiVersion, expiry: Date().addingTimeInterval(3600))
        try await withServer { server, certs in
            let client = try makeClient(server, certs, fake.plugin(apiVersion))
            _ = try await client.get("/api/v1/pods")
            _ = try await client.get("/api/v1/nodes")
            await client.shutdown()
            #expect(fake.runs == 1)
            #expect(server.seen.map { $0.header("Authorization") ?? "" } == ["Bearer tok-1", "Bearer tok-1"])
            let info = try JSONSerialization.jsonObject(with: Data(fake.file("info-1").utf8)) as? [String: Any]
            #expect(info?["apiVersion"] as? String == apiVersion)
            #expect(info?["kind"] as? String == "ExecCredential")
            #expect((info?["spec"] as? [String: Any])?["interactive"] as? Bool == false)
            #expect(fake.file("seen-1") == "args: get-token --cluster=test; PLUGIN_REGION=eu-1; stdin is a tty: no\n")
        }
    }

    @Test func givesThePluginTheClusterWhenAskedTo() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1)
        try await withServer { server, certs in
            var plugin = fake.plugin(Self.v1)
            plugin.provideClusterInfo = true
            let client = try makeClient(server, certs, plugin)
            _ = try await client.get("/api/v1/pods")
            await client.shutdown()
            let info = try JSONSerialization.jsonObject(with: Data(fake.file("info-1").utf8)) as? [String: Any]
            let cluster = (info?["spec"] as? [String: Any])?["cluster"] as? [String: Any]
            #expect(cluster?["server"] as? String == server.url)
            let caData = (cluster?["certificate-authority-data"] as? String).flatMap { Data(base64Encoded: $0) }
            #expect(caData.map { Array($0) } == certs.bytes(certs.ca))
        }
    }

    @Test func aPluginThatMustAskTheUserIsRefused() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1)
        var plugin = fake.plugin(Self.v1)
        plugin.interactiveMode = "Always"
        let client = try KubeClient(
            {
                var access = testAccess("https://127.0.0.1:6443")
                access.exec = plugin
                return access
            }())
        let error = try #require(await getError(client))
        await client.shutdown()
        #expect(error.kind == .credentials)
        #expect(error.description.hasPrefix("exec plugin \(fake.path) needs a terminal"))
        #expect(fake.runs == 0)
    }

    @Test func runsThePluginAgainOnceTheCredentialHasExpired() async throws {
        // Expired as soon as it is handed out, so each request needs a fresh one (the cached case is above).
        let fake = try FakePlugin(apiVersion: Self.v1, expiry: Date().addingTimeInterval(-10))
        try await withServer { server, certs in
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            _ = try await client.get("/api/v1/pods")
            _ = try await client.get("/api/v1/pods")
            await client.shutdown()
            #expect(fake.runs == 2)
            #expect(server.seen.map { $0.header("Authorization") ?? "" } == ["Bearer tok-1", "Bearer tok-2"])
        }
    }

    @Test func aRefusedTokenRunsThePluginOnceMoreAndRetries() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1)
        try await withServer(reply: { seen in
            seen.header("Authorization") == "Bearer tok-2"
                ? .json("{}") : .json(#"{"kind":"Status","code":401}"#, status: 401)
        }) { server, certs in
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            let response = try await client.get("/api/v1/pods")
            #expect(response.status == 200)
            #expect(fake.runs == 2)
            #expect(try await client.get("/api/v1/pods").status == 200)
            await client.shutdown()
            #expect(fake.runs == 2)
            #expect(
                server.seen.map { $0.header("Authorization") ?? "" } == [
                    "Bearer tok-1", "Bearer tok-2", "Bearer tok-2",
                ])
        }
    }

    @Test func aServerThatKeepsRefusingGetsOneRetryNotALoop() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1)
        try await withServer(reply: { _ in .json(#"{"kind":"Status","code":401}"#, status: 401) }) { server, certs in
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            #expect(try await client.get("/api/v1/pods").status == 401)
            await client.shutdown()
            #expect(fake.runs == 2)
            #expect(server.seen.count == 2)
        }
    }

    @Test func concurrentRequestsShareOneRun() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1, script: "sleep 0.3")
        try await withServer { server, certs in
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await client.get("/api/v1/pods").status } }
                for try await status in group { #expect(status == 200) }
            }
            await client.shutdown()
            #expect(fake.runs == 1)
        }
    }

    @Test func aFailingPluginShowsItsStderrButNeverItsStdout() async throws {
        let fake = try FakePlugin(
            apiVersion: Self.v1,
            script: """
                echo '{"status":{"token":"STDOUT-SECRET-TOKEN"}}'
                echo "error: your session for eu-1 has expired" >&2
                echo "run: cloud login" >&2
                exit 3
                """)
        try await withServer { server, certs in
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(error.kind == .credentials)
            #expect(
                error.description
                    == "exec plugin \(fake.path) failed with exit code 3: error: your session for eu-1 has expired / run: cloud login"
            )
            #expect(!error.description.contains("STDOUT-SECRET-TOKEN"))
            #expect(server.seen.isEmpty)
        }
    }

    @Test func aMissingPluginShowsItsInstallHint() async throws {
        try await withServer { server, certs in
            let plugin = ExecPlugin(
                apiVersion: Self.v1beta1, command: "kubeglass-no-such-credential-plugin",
                installHint: "Install it with: apt install kubeglass-login\n")
            let client = try makeClient(server, certs, plugin)
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(
                error
                    == KubeClientError(
                        .credentials,
                        "exec plugin kubeglass-no-such-credential-plugin was not found: Install it with: apt install kubeglass-login"
                    ))
        }
    }

    @Test func aHangingPluginIsKilled() async throws {
        // The plugin waits on a child of its own: the timeout must end both.
        let fake = try FakePlugin(
            apiVersion: Self.v1, script: "echo still thinking >&2; sleep 300 & echo $! > \"$dir/sleeper\"; wait")
        try await withServer { server, certs in
            let client = try makeClient(
                server, certs, fake.plugin(Self.v1), options: .init(execTimeout: .milliseconds(500)))
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(
                error
                    == KubeClientError(
                        .credentials, "exec plugin \(fake.path) ran longer than 0.5s and was stopped: still thinking"))
            let sleeper = try #require(pid_t(fake.file("sleeper").trimmingCharacters(in: .whitespacesAndNewlines)))
            var alive = kill(sleeper, 0) == 0
            let deadline = ContinuousClock.now + .seconds(10)
            while alive, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                alive = kill(sleeper, 0) == 0
            }
            #expect(!alive, "the plugin's child \(sleeper) survived the timeout")
        }
    }

    @Test func aWrongAnswerIsExplainedWithoutQuotingIt() async throws {
        let fake = try FakePlugin(apiVersion: Self.v1beta1)
        try await withServer { server, certs in
            // Asked for v1, the script answers v1beta1.
            let client = try makeClient(server, certs, fake.plugin(Self.v1))
            let error = try #require(await getError(client))
            await client.shutdown()
            #expect(
                error
                    == KubeClientError(
                        .credentials,
                        "exec plugin \(fake.path) answered with apiVersion \(Self.v1beta1) but was asked for \(Self.v1)"
                    ))
        }
    }

    @Test func aPluginCanHandOutAClientCertificate() async throws {
        let certs = try KubeClientCertificates.shared.get()
        let fake = try FakePlugin(apiVersion: Self.v1)
        let reply: [String: Any] = [
            "apiVersion": Self.v1, "kind": "ExecCredential",
            "status": [
                "clientCertificateData": String(decoding: certs.bytes(certs.rsaClientCertificate), as: UTF8.self),
                "clientKeyData": String(decoding: certs.bytes(certs.rsaClientKey), as: UTF8.self),
            ],
        ]
        let replyPath = fake.folder.at("reply.json")
        try JSONSerialization.data(withJSONObject: reply).write(to: URL(fileURLWithPath: replyPath))
        let plugin = ExecPlugin(apiVersion: Self.v1, command: "/bin/cat", args: [replyPath], interactiveMode: "Never")
        try await withServer(requireClientCertificate: true) { server, certs in
            let client = try makeClient(server, certs, plugin)
            #expect(try await client.get("/api/v1/pods").status == 200)
            #expect(try await client.get("/api/v1/nodes").status == 200)
            await client.shutdown()
            #expect(server.seen.allSatisfy { $0.header("Authorization") == nil })
            #expect(server.seen.count == 2)
        }
    }
}
