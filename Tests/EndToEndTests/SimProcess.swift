import Foundation
import TestSupport

/// `kubeglass sim` started for a test: a simulated cluster on free loopback ports, with the
/// kubeconfig it wrote. Stopped when the value goes away.
final class SimProcess {
    let process: ChildProcess
    let directory: URL
    let kubeconfig: String
    let httpsURL: String
    let httpURL: String
    let log: String

    init(_ arguments: [String] = [], auth: String? = nil, port: Int = 0, httpPort: Int = 0) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kg-sim-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        log = directory.appendingPathComponent("sim.log").path
        var args =
            ["sim", "--port", "\(port)", "--http-port", "\(httpPort)", "--kubeconfig-out", kubeconfig] + arguments
        if let auth { args += ["--auth", auth] }
        process = try ChildProcess(try kubeglassBinary(), args, logPath: log)
        let deadline = Date().addingTimeInterval(120)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("https://") }),
                let https = SimProcess.url(in: String(line), scheme: "https"),
                let http = SimProcess.url(in: String(line), scheme: "http"),
                FileManager.default.fileExists(atPath: kubeconfig)
            {
                httpsURL = https
                httpURL = http
                return
            }
            guard process.isRunning else { break }
            usleep(50_000)
        }
        process.stop()
        throw SpawnError(message: "kubeglass sim did not start; its output:\n\(text)")
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func stop() { process.stop() }

    private static func url(in line: String, scheme: String) -> String? {
        guard let range = line.range(of: "\(scheme)://[0-9a-zA-Z.:\\[\\]]+", options: .regularExpression) else {
            return nil
        }
        return String(line[range])
    }

    /// A kubeconfig in this sim's folder that reaches `server` without credentials (the plain-HTTP port).
    func writeKubeconfig(named name: String, server: String, user: String = "{}") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sim
          cluster:
            server: \(server)
        users:
        - name: someone
          user: \(user)
        contexts:
        - name: \(name)
          context: {cluster: sim, user: someone}
        current-context: \(name)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A kubeconfig for the sim's HTTPS port (its CA) whose user runs the exec plugin at `plugin`; its path.
    func writeExecKubeconfig(plugin: String) throws -> String {
        let ca = try String(contentsOfFile: kubeconfig, encoding: .utf8).split(separator: "\n")
            .first { $0.contains("certificate-authority-data") }
            .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
        guard let ca else { throw TestServerError("the sim's kubeconfig has no certificate-authority-data") }
        let path = directory.appendingPathComponent("exec-kubeconfig").path
        try """
        apiVersion: v1
        kind: Config
        clusters: [{name: sim, cluster: {server: "\(httpsURL)", certificate-authority-data: \(ca)}}]
        users:
        - name: plugin
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1, command: "\(plugin)", interactiveMode: Never}
        contexts: [{name: exec-sim, context: {cluster: sim, user: plugin}}]
        current-context: exec-sim
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
