import Foundation
import TestSupport
import Testing

@testable import Simulator

/// The server over real sockets, driven by curl: auth on HTTPS, the open HTTP port, injected faults.
@Suite struct SimulatorServerTests {
    /// A started server and its credentials as files, for curl.
    final class Running {
        let server: SimulatorServer
        let dir: String
        init(_ configure: (inout Simulator.Configuration) -> Void = { _ in }) async throws {
            var config = Simulator.Configuration()
            config.cluster = .init(nodes: 4, pods: 40, seed: 2)
            config.port = 0
            config.httpPort = 0
            config.token = "sim-test-token"
            configure(&config)
            server = try SimulatorServer(config)
            try await server.start()
            dir =
                FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-sim-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try server.credentials.caPEM.write(toFile: dir + "/ca.crt", atomically: true, encoding: .utf8)
            try server.credentials.clientCertificatePEM.write(
                toFile: dir + "/client.crt", atomically: true, encoding: .utf8)
            try server.credentials.clientKeyPEM.write(toFile: dir + "/client.key", atomically: true, encoding: .utf8)
        }

        /// curl's exit status, the HTTP status and the body.
        func curl(_ path: String, https: Bool = true, _ extra: [String] = []) throws -> (
            exit: Int32, code: Int, body: String
        ) {
            let out = dir + "/body-\(UUID().uuidString)"
            let base = https ? server.httpsURL : server.httpURL!
            let (status, output) = try spawn(
                ["curl", "-sS", "-o", out, "-w", "%{http_code}", "--max-time", "20", "--cacert", dir + "/ca.crt"]
                    + extra + [base + path])
            let body = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            return (status, Int(output.suffix(3)) ?? 0, body)
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    func withSim(
        _ configure: (inout Simulator.Configuration) -> Void = { _ in }, _ body: (Running) async throws -> Void
    ) async throws {
        let sim = try await Running(configure)
        do { try await body(sim) } catch {
            await sim.stop()
            throw error
        }
        await sim.stop()
    }

    @Test func httpsNeedsACertificateOrTheToken() async throws {
        try await withSim { sim in
            let none = try sim.curl("/api/v1/nodes")
            #expect(none.code == 401)
            #expect(none.body.contains("\"kind\":\"Status\"") && none.body.contains("Unauthorized"))
            #expect(try sim.curl("/api/v1/nodes", ["-H", "Authorization: Bearer wrong"]).code == 401)
            #expect(try sim.curl("/api/v1/nodes", ["-H", "Authorization: Bearer sim-test-token"]).code == 200)
            #expect(
                try sim.curl("/api/v1/nodes", ["-H", "Authorization: Bearer sim-test-token.session-2"]).code == 200)
            let cert = try sim.curl(
                "/api/v1/nodes", ["--cert", sim.dir + "/client.crt", "--key", sim.dir + "/client.key"])
            #expect(cert.code == 200 && cert.body.contains("\"kind\":\"NodeList\""))
            let http = try sim.curl("/api/v1/pods?limit=3", https: false)
            #expect(http.code == 200 && http.body.contains("\"kind\":\"PodList\""))
            #expect(try sim.curl("/api/v1/pods", https: false, ["-X", "DELETE"]).code == 405)
            #expect(try sim.curl("/nope", https: false).code == 404)
        }
    }

    @Test func bigListsStreamWhole() async throws {
        try await withSim({ $0.cluster = .init(nodes: 40, pods: 4000, seed: 2) }) { sim in
            let list = try sim.curl("/api/v1/pods", https: false)
            #expect(list.code == 200)
            let json = try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any]
            #expect((json?["items"] as? [Any])?.count == 4000)
        }
    }

    @Test func tokensExpireAfterFirstUse() async throws {
        try await withSim({ $0.expireTokenAfterMilliseconds = 400 }) { sim in
            let first = ["-H", "Authorization: Bearer sim-test-token.a"]
            #expect(try sim.curl("/version", first).code == 200)
            try await Task.sleep(for: .milliseconds(600))
            #expect(try sim.curl("/version", first).code == 401)
            #expect(
                try sim.curl("/version", ["-H", "Authorization: Bearer sim-test-token.b"]).code == 200,
                "a new token starts its own clock")
        }
    }

    @Test func injectedErrorsAreStatusObjects() async throws {
        try await withSim({ $0.faults = FaultPlan(errorRate: 1) }) { sim in
            let r = try sim.curl("/api/v1/nodes", https: false)
            #expect(r.code == 500 || r.code == 503)
            #expect(r.body.contains("\"kind\":\"Status\""))
        }
    }

    @Test func truncatedResponsesEndEarly() async throws {
        try await withSim({ $0.faults = FaultPlan(truncateRate: 1) }) { sim in
            let r = try sim.curl("/api/v1/pods", https: false)
            #expect(r.exit == 18, "curl reports a partial transfer (exit 18), got \(r.exit)")
            #expect((try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) == nil)
        }
    }

    @Test func latencyIsAdded() async throws {
        try await withSim({ $0.faults = FaultPlan(latencyMilliseconds: 300) }) { sim in
            let started = Date()
            let health = try sim.curl("/healthz", https: false)
            #expect(health.code == 200)
            #expect(Date().timeIntervalSince(started) >= 0.3)
        }
    }
}
