import Foundation

/// Bytes that must never reach a log, an error or the screen: tokens, passwords, private keys.
/// Its description, debug description and mirror all say `<redacted>`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}

/// Where a certificate, key or CA comes from: a file path (absolute), or the decoded bytes of a `-data` field.
public enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case data(Secret)

    public var description: String {
        switch self {
        case .file(let path): "file \(path)"
        case .data(let secret): "inline data (\(secret.bytes.count) bytes)"
        }
    }
}

/// An exec credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`).
public struct ExecPlugin: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public struct EnvVar: Sendable, Equatable {
        public var name: String
        public var value: Secret
        public init(name: String, value: String) {
            self.name = name
            self.value = Secret(value)
        }
    }

    public var apiVersion: String
    /// A bare name is looked up in PATH; a path with a slash is absolute (resolved against the kubeconfig's folder).
    public var command: String
    public var args: [String]
    public var env: [EnvVar]
    public var installHint: String?
    public var provideClusterInfo: Bool
    /// `Never`, `IfAvailable` or `Always`; v1beta1 defaults to `IfAvailable`.
    public var interactiveMode: String?

    public init(
        apiVersion: String, command: String, args: [String] = [], env: [EnvVar] = [], installHint: String? = nil,
        provideClusterInfo: Bool = false, interactiveMode: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }

    /// Arguments and environment values often carry secrets, so only the command and env names show.
    public var description: String {
        let names = env.isEmpty ? "" : " with env \(env.map(\.name).joined(separator: ", "))"
        return "exec plugin \(command) (\(apiVersion))\(names)"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["apiVersion": apiVersion, "command": command, "env": env.map(\.name)])
    }
}

/// Everything needed to reach one cluster as one user: what `kubectl` builds from a kubeconfig
/// context or from a pod's service account.
public struct ClusterAccess: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var contextName: String
    public var clusterName: String
    public var userName: String
    public var server: String
    public var certificateAuthority: CredentialSource?
    public var insecureSkipTLSVerify: Bool
    public var tlsServerName: String?
    public var clientCertificate: CredentialSource?
    public var clientKey: CredentialSource?
    public var token: Secret?
    /// Read again before each use: service account tokens rotate.
    public var tokenFile: String?
    public var username: String?
    public var password: Secret?
    public var exec: ExecPlugin?
    public var namespace: String

    public init(
        contextName: String, clusterName: String, userName: String, server: String,
        certificateAuthority: CredentialSource? = nil, insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil,
        clientCertificate: CredentialSource? = nil, clientKey: CredentialSource? = nil,
        token: Secret? = nil, tokenFile: String? = nil, username: String? = nil, password: Secret? = nil,
        exec: ExecPlugin? = nil, namespace: String = "default"
    ) {
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.token = token
        self.tokenFile = tokenFile
        self.username = username
        self.password = password
        self.exec = exec
        self.namespace = namespace
    }

    /// How the user authenticates, without any secret: `token`, `client certificate file /a/b.crt`, …
    public var authentication: [String] {
        var parts: [String] = []
        if let clientCertificate { parts.append("client certificate \(clientCertificate)") }
        if let clientKey { parts.append("client key \(clientKey)") }
        if token != nil { parts.append("token") }
        if let tokenFile { parts.append("token file \(tokenFile)") }
        if let username { parts.append("basic auth as \(username)") }
        if let exec { parts.append("\(exec)") }
        return parts
    }

    public var description: String {
        var text = "context \"\(contextName)\": \(server), namespace \"\(namespace)\""
        let auth = authentication
        text += auth.isEmpty ? ", anonymous" : ", \(auth.joined(separator: ", "))"
        if let certificateAuthority { text += ", CA \(certificateAuthority)" }
        if insecureSkipTLSVerify { text += ", TLS verification OFF (insecure-skip-tls-verify)" }
        return text
    }

    public var debugDescription: String { description }
}

// MARK: - In cluster

extension ClusterAccess {
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The pod's own service account, as client-go's `InClusterConfig` builds it; nil outside a pod
    /// (no `KUBERNETES_SERVICE_HOST` / `KUBERNETES_SERVICE_PORT`). `fileReader` returns nil for a missing file.
    public static func inCluster(
        environment: [String: String],
        directory: String = serviceAccountDirectory,
        fileReader readFile: (String) -> [UInt8]? = { FileManager.default.contents(atPath: $0).map { Array($0) } }
    ) throws(KubeconfigError) -> ClusterAccess? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else { return nil }
        let tokenPath = directory + "/token"
        guard let token = readFile(tokenPath) else {
            throw KubeconfigError(
                "running in a pod (KUBERNETES_SERVICE_HOST is set) but the service account token \(tokenPath) cannot be read (is automountServiceAccountToken false?)"
            )
        }
        let caPath = directory + "/ca.crt"
        let namespace =
            environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? readFile(directory + "/namespace").map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            .flatMap { $0.isEmpty ? nil : $0 }
            ?? "default"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return ClusterAccess(
            contextName: "in-cluster",
            clusterName: "in-cluster",
            userName: "service account",
            server: "https://\(hostPart):\(port)",
            certificateAuthority: readFile(caPath) == nil ? nil : .file(caPath),
            token: Secret(token),
            tokenFile: tokenPath,
            namespace: namespace
        )
    }
}
