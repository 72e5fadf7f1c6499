import Foundation

/// What an exec credential plugin hands back (`status` of an ExecCredential): a token or a client
/// certificate, valid until `expiry` (nil: until the server rejects it).
struct ExecCredential: Sendable {
    var token: Secret?
    var identity: ClientIdentity?
    var expiry: Date?

    /// Runs `plugin` as client-go does and reads its answer. Errors name the command and show the start of
    /// its stderr, never its stdout (which holds the token).
    static func obtain(from plugin: ExecPlugin, cluster: ClusterAccess, timeout: Duration) async throws(KubeClientError)
        -> ExecCredential
    {
        let name = "exec plugin \(plugin.command)"
        guard
            plugin.apiVersion == "client.authentication.k8s.io/v1"
                || plugin.apiVersion == "client.authentication.k8s.io/v1beta1"
        else {
            throw KubeClientError(
                .invalidConfiguration,
                "\(name) asks for apiVersion \(plugin.apiVersion), which kubeglass does not speak (use client.authentication.k8s.io/v1 or v1beta1)"
            )
        }
        if plugin.interactiveMode == "Always" {
            throw KubeClientError(
                .credentials,
                "\(name) needs a terminal to ask for input (interactiveMode: Always), and kubeglass does not give it one; log in with the plugin first or set interactiveMode: IfAvailable"
            )
        }
        var environment = ProcessInfo.processInfo.environment
        for variable in plugin.env { environment[variable.name] = variable.value.text }
        environment["KUBERNETES_EXEC_INFO"] = execInfo(plugin, cluster: cluster)

        let run: PluginRun
        do throws(PluginRun.Failure) {
            run = try await PluginRun.run(
                command: plugin.command, arguments: plugin.args, environment: environment, timeout: timeout)
        } catch {
            switch error {
            case .notFound:
                let hint =
                    plugin.installHint.map { ": \($0.trimmingCharacters(in: .whitespacesAndNewlines))" }
                    ?? " (is it installed and in PATH?)"
                throw KubeClientError(.credentials, "\(name) was not found\(hint)")
            case .cannotStart(let code):
                throw KubeClientError(.credentials, "\(name) could not be started: \(String(cString: strerror(code)))")
            }
        }
        if run.timedOut {
            throw KubeClientError(
                .credentials,
                "\(name) ran longer than \(KubeClientError.seconds(timeout)) and was stopped\(stderrTail(run))")
        }
        guard run.status == 0 else {
            throw KubeClientError(.credentials, "\(name) failed with exit code \(run.status)\(stderrTail(run))")
        }
        // Decoding errors may quote the input, which is the secret: say only what was wrong.
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(run.stdout)) else {
            throw KubeClientError(.credentials, "\(name) did not print an ExecCredential as JSON on stdout")
        }
        guard reply.kind == "ExecCredential" else {
            throw KubeClientError(
                .credentials, "\(name) printed kind \(reply.kind ?? "nothing") instead of ExecCredential")
        }
        guard reply.apiVersion == plugin.apiVersion else {
            throw KubeClientError(
                .credentials,
                "\(name) answered with apiVersion \(reply.apiVersion ?? "none") but was asked for \(plugin.apiVersion)")
        }
        guard let status = reply.status else {
            throw KubeClientError(.credentials, "\(name) printed an ExecCredential without a status")
        }
        var credential = ExecCredential()
        if let text = status.expirationTimestamp, !text.isEmpty {
            guard let date = parseRFC3339(text) else {
                throw KubeClientError(.credentials, "\(name) gave an expirationTimestamp that is not an RFC 3339 time")
            }
            credential.expiry = date
        }
        let certificate = status.clientCertificateData ?? ""
        let key = status.clientKeyData ?? ""
        if !certificate.isEmpty || !key.isEmpty {
            guard !certificate.isEmpty, !key.isEmpty else {
                throw KubeClientError(
                    .credentials,
                    "\(name) gave \(certificate.isEmpty ? "clientKeyData" : "clientCertificateData") without \(certificate.isEmpty ? "clientCertificateData" : "clientKeyData"); they go together"
                )
            }
            credential.identity = try ClientIdentity(
                certificate: Array(certificate.utf8), certificateOrigin: "the clientCertificateData of \(name)",
                key: Secret(key), keyOrigin: "the clientKeyData of \(name)"
            )
        }
        if let token = status.token, !token.isEmpty { credential.token = Secret(token) }
        guard credential.token != nil || credential.identity != nil else {
            throw KubeClientError(.credentials, "\(name) gave neither a token nor a client certificate")
        }
        return credential
    }

    private struct Reply: Decodable {
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    /// `KUBERNETES_EXEC_INFO`: we never run the plugin interactively.
    static func execInfo(_ plugin: ExecPlugin, cluster: ClusterAccess) -> String {
        var spec: [String: Any] = ["interactive": false]
        if plugin.provideClusterInfo {
            var info: [String: Any] = ["server": cluster.server]
            if let name = cluster.tlsServerName { info["tls-server-name"] = name }
            if cluster.insecureSkipTLSVerify { info["insecure-skip-tls-verify"] = true }
            if let ca = cluster.certificateAuthority, let bytes = try? ca.contents() {
                info["certificate-authority-data"] = Data(bytes).base64EncodedString()
            }
            spec["cluster"] = info
        }
        let object: [String: Any] = ["apiVersion": plugin.apiVersion, "kind": "ExecCredential", "spec": spec]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The first lines of stderr, for the message: what the plugin says went wrong.
    private static func stderrTail(_ run: PluginRun) -> String {
        let lines = String(decoding: run.stderr, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { return "" }
        var shown = lines.prefix(5).joined(separator: " / ")
        if shown.count > 600 { shown = String(shown.prefix(600)) + "…" }
        return ": \(shown)"
    }

    static func parseRFC3339(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
