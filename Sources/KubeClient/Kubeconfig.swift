import Foundation
import KubeglassCore
import Yams

public struct KubeconfigError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One or more kubeconfig files merged as kubectl merges them. Paths inside are already absolute.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var server: String?
        public var certificateAuthority: CredentialSource?
        public var insecureSkipTLSVerify = false
        public var tlsServerName: String?
        /// The file that defined this cluster (for error messages).
        public var file: String
        /// What kubectl's validation rejects, reported only when a context uses this cluster, as kubectl does.
        public var problem: KubeconfigError?
    }

    public struct User: Sendable, Equatable {
        public var clientCertificate: CredentialSource?
        public var clientKey: CredentialSource?
        public var token: Secret?
        public var tokenFile: String?
        public var username: String?
        public var password: Secret?
        public var exec: ExecPlugin?
        public var file: String
        public var problem: KubeconfigError?
    }

    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?
        public var file: String
    }

    /// The files merged, in order of precedence.
    public var files: [String] = []
    public var currentContext: String?
    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]

    public init() {}

    /// kubectl's rule: the first file to define a name keeps it whole; the first `current-context` wins.
    public mutating func merge(_ later: Kubeconfig) {
        files += later.files
        if currentContext == nil { currentContext = later.currentContext }
        clusters.merge(later.clusters) { first, _ in first }
        users.merge(later.users) { first, _ in first }
        contexts.merge(later.contexts) { first, _ in first }
    }

    private var fileList: String { files.joined(separator: ", ") }

    /// The access for `context` (`--context`), or for `current-context` when nil.
    public func resolve(context requested: String?) throws(KubeconfigError) -> ClusterAccess {
        let contextNames = contexts.keys.sorted().joined(separator: ", ")
        guard let name = requested.flatMap({ $0.isEmpty ? nil : $0 }) ?? currentContext else {
            throw KubeconfigError(
                "no context chosen: \(fileList) sets no current-context (pick one with --context; contexts: \(contextNames.isEmpty ? "none" : contextNames))"
            )
        }
        guard let context = contexts[name] else {
            throw KubeconfigError(
                "context \"\(name)\" not found in \(fileList) (contexts: \(contextNames.isEmpty ? "none" : contextNames))"
            )
        }
        guard let cluster = clusters[context.cluster] else {
            let names = clusters.keys.sorted().joined(separator: ", ")
            throw KubeconfigError(
                "cluster \"\(context.cluster)\" of context \"\(name)\" not found in \(fileList) (clusters: \(names.isEmpty ? "none" : names))"
            )
        }
        if let problem = cluster.problem { throw problem }
        guard let server = cluster.server, !server.isEmpty else {
            throw KubeconfigError(
                "cluster \"\(context.cluster)\" in \(cluster.file) has no server (add `server: https://HOST:PORT`)")
        }
        var user = User(file: context.file)
        // kubectl goes on anonymously when the named user is missing; a typo deserves an error instead.
        if !context.user.isEmpty {
            guard let found = users[context.user] else {
                let names = users.keys.sorted().joined(separator: ", ")
                throw KubeconfigError(
                    "user \"\(context.user)\" of context \"\(name)\" not found in \(fileList) (users: \(names.isEmpty ? "none" : names))"
                )
            }
            user = found
        }
        if let problem = user.problem { throw problem }
        if cluster.insecureSkipTLSVerify && cluster.certificateAuthority != nil {
            throw KubeconfigError(
                "cluster \"\(context.cluster)\" in \(cluster.file) sets both a certificate authority and insecure-skip-tls-verify; keep one"
            )
        }
        if (user.token != nil || user.tokenFile != nil) && (user.username != nil || user.password != nil) {
            throw KubeconfigError(
                "user \"\(context.user)\" in \(user.file) has both a token and basic auth; only one authentication method is allowed"
            )
        }
        if (user.clientCertificate == nil) != (user.clientKey == nil) {
            let missing = user.clientKey == nil ? "client-key" : "client-certificate"
            throw KubeconfigError(
                "user \"\(context.user)\" in \(user.file) needs \(missing) (or \(missing)-data) too: a client certificate and its key go together"
            )
        }
        return ClusterAccess(
            contextName: name,
            clusterName: context.cluster,
            userName: context.user,
            server: server,
            certificateAuthority: cluster.certificateAuthority,
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
            tlsServerName: cluster.tlsServerName,
            clientCertificate: user.clientCertificate,
            clientKey: user.clientKey,
            token: user.token,
            tokenFile: user.tokenFile,
            username: user.username,
            password: user.password,
            exec: user.exec,
            namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        )
    }
}

extension Kubeconfig.User {
    init(file: String) { self.file = file }
}

// MARK: - Loading

public enum KubeconfigLoader {
    /// The kubeconfig kubectl would use: `--kubeconfig PATH` alone; else every existing file of the
    /// colon-separated `KUBECONFIG` list, merged; else `~/.kube/config`. Nil when there is no file.
    public static func load(explicitPath: String?, environment: [String: String], homeDirectory: String)
        throws(KubeconfigError) -> Kubeconfig?
    {
        if let explicitPath, !explicitPath.isEmpty {
            let path = absolute(explicitPath)
            guard FileManager.default.fileExists(atPath: path) else {
                throw KubeconfigError("kubeconfig \(path) (from --kubeconfig) does not exist")
            }
            return try parse(file: path)
        }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen: Set<String> = []
            var merged: Kubeconfig?
            for entry in list.split(separator: ":", omittingEmptySubsequences: true) {
                let path = absolute(String(entry))
                guard seen.insert(path).inserted, FileManager.default.fileExists(atPath: path) else { continue }
                let config = try parse(file: path)
                if merged == nil { merged = config } else { merged!.merge(config) }
            }
            return merged
        }
        let home = (homeDirectory as NSString).appendingPathComponent(".kube/config")
        return FileManager.default.fileExists(atPath: home) ? try parse(file: home) : nil
    }

    public static func parse(file path: String) throws(KubeconfigError) -> Kubeconfig {
        let data: Data
        switch FileContents.read(path) {
        case .success(let bytes): data = bytes
        case .failure(let failure): throw KubeconfigError("cannot read kubeconfig \(path) (\(failure.reason))")
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses one file's text; relative paths inside are resolved against `file`'s folder.
    public static func parse(yaml text: String, file: String) throws(KubeconfigError) -> Kubeconfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                throw KubeconfigError("\(file):\(mark.line):\(mark.column): not valid YAML: \(problem)")
            default:
                throw KubeconfigError("\(file): not valid YAML: \(error)")
            }
        } catch {
            throw KubeconfigError("\(file): not valid YAML: \(error)")
        }
        var config = Kubeconfig()
        config.files = [file]
        guard let root, root.null == nil else { return config }
        let reader = Reader(file: file, folder: (file as NSString).deletingLastPathComponent)
        guard root.mapping != nil else {
            throw reader.error(root, "a kubeconfig must be a mapping with clusters, users and contexts")
        }
        config.currentContext = try reader.text(root["current-context"], "current-context").flatMap {
            $0.isEmpty ? nil : $0
        }
        config.clusters = try reader.named(root, list: "clusters", item: "cluster", reader.cluster)
        config.users = try reader.named(root, list: "users", item: "user", reader.user)
        config.contexts = try reader.named(root, list: "contexts", item: "context", reader.context)
        return config
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString)
            .standardizingPath
    }
}

/// Typed reads of one kubeconfig file's nodes, with errors that name the file and line.
private struct Reader {
    let file: String
    let folder: String

    func error(_ node: Node?, _ message: String) -> KubeconfigError {
        if let mark = node?.mark { return KubeconfigError("\(file):\(mark.line):\(mark.column): \(message)") }
        return KubeconfigError("\(file): \(message)")
    }

    func text(_ node: Node?, _ key: String) throws(KubeconfigError) -> String? {
        guard let node, node.null == nil else { return nil }
        guard let scalar = node.scalar else { throw error(node, "`\(key)` must be text") }
        return scalar.string
    }

    func bool(_ node: Node?, _ key: String) throws(KubeconfigError) -> Bool {
        guard let node, node.null == nil else { return false }
        guard let value = node.bool else { throw error(node, "`\(key)` must be true or false") }
        return value
    }

    func path(_ node: Node?, _ key: String) throws(KubeconfigError) -> String? {
        guard let value = try text(node, key), !value.isEmpty else { return nil }
        if value.hasPrefix("/") { return value }
        return ((folder as NSString).appendingPathComponent(value) as NSString).standardizingPath
    }

    /// `key` (a file, relative to this kubeconfig) or `key-data` (base64); both at once is an error, as in kubectl.
    func source(_ map: Node, _ key: String, owner: String, problem: inout KubeconfigError?) throws(KubeconfigError)
        -> CredentialSource?
    {
        let filePath = try path(map[key], key)
        let encoded = try text(map[key + "-data"], key + "-data")
        switch (filePath, encoded) {
        case (nil, nil): return nil
        case (let p?, nil): return .file(p)
        case (_?, _?):
            problem = problem ?? error(map, "\(owner) sets both \(key) and \(key)-data; keep one")
            return nil
        case (nil, let e?):
            let cleaned = e.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: cleaned) else {
                throw error(map[key + "-data"], "\(key)-data of \(owner) is not valid base64")
            }
            return .data(Secret(Array(data)))
        }
    }

    func named<T>(_ root: Node, list key: String, item: String, _ read: (Node) throws(KubeconfigError) -> T)
        throws(KubeconfigError) -> [String: T]
    {
        guard let listNode = root[key], listNode.null == nil else { return [:] }
        guard let entries = listNode.sequence else {
            throw error(listNode, "`\(key)` must be a list of entries with `name` and `\(item)`")
        }
        var out: [String: T] = [:]
        for (index, entry) in entries.enumerated() {
            guard entry.mapping != nil, let name = try text(entry["name"], "name"), !name.isEmpty else {
                throw error(entry, "\(key)[\(index)] has no name")
            }
            guard out[name] == nil else { throw error(entry, "two \(key) are named \"\(name)\"") }
            guard let body = entry[item], body.mapping != nil else {
                throw error(entry, "\(item) \"\(name)\" has no `\(item)` mapping")
            }
            out[name] = try read(body)
        }
        return out
    }

    func cluster(_ node: Node) throws(KubeconfigError) -> Kubeconfig.Cluster {
        var problem: KubeconfigError?
        let certificateAuthority = try source(node, "certificate-authority", owner: "this cluster", problem: &problem)
        return Kubeconfig.Cluster(
            server: try text(node["server"], "server"),
            certificateAuthority: certificateAuthority,
            insecureSkipTLSVerify: try bool(node["insecure-skip-tls-verify"], "insecure-skip-tls-verify"),
            tlsServerName: try text(node["tls-server-name"], "tls-server-name"),
            file: file,
            problem: problem
        )
    }

    func user(_ node: Node) throws(KubeconfigError) -> Kubeconfig.User {
        var user = Kubeconfig.User(file: file)
        user.clientCertificate = try source(node, "client-certificate", owner: "this user", problem: &user.problem)
        user.clientKey = try source(node, "client-key", owner: "this user", problem: &user.problem)
        user.token = try text(node["token"], "token").flatMap { $0.isEmpty ? nil : Secret($0) }
        user.tokenFile = try path(node["tokenFile"], "tokenFile")
        user.username = try text(node["username"], "username").flatMap { $0.isEmpty ? nil : $0 }
        user.password = try text(node["password"], "password").flatMap { $0.isEmpty ? nil : Secret($0) }
        if let execNode = node["exec"], execNode.null == nil {
            user.exec = try exec(execNode, problem: &user.problem)
        }
        return user
    }

    func exec(_ node: Node, problem: inout KubeconfigError?) throws(KubeconfigError) -> ExecPlugin {
        guard node.mapping != nil else { throw error(node, "`exec` must be a mapping with apiVersion and command") }
        let apiVersion = try text(node["apiVersion"], "apiVersion") ?? ""
        let command = try text(node["command"], "command") ?? ""
        let interactiveMode = try text(node["interactiveMode"], "interactiveMode")
        if apiVersion.isEmpty {
            problem = problem ?? error(node, "exec needs an apiVersion (client.authentication.k8s.io/v1 or v1beta1)")
        } else if command.isEmpty {
            problem = problem ?? error(node, "exec needs a command")
        } else if apiVersion == "client.authentication.k8s.io/v1" && (interactiveMode ?? "").isEmpty {
            problem =
                problem
                ?? error(
                    node,
                    "exec with apiVersion client.authentication.k8s.io/v1 needs interactiveMode (Never, IfAvailable or Always)"
                )
        }
        var args: [String] = []
        if let argsNode = node["args"], argsNode.null == nil {
            guard let list = argsNode.sequence else { throw error(argsNode, "exec `args` must be a list of text") }
            for arg in list {
                guard let value = try text(arg, "args") else { throw error(arg, "exec `args` must be a list of text") }
                args.append(value)
            }
        }
        var env: [ExecPlugin.EnvVar] = []
        if let envNode = node["env"], envNode.null == nil {
            guard let list = envNode.sequence else {
                throw error(envNode, "exec `env` must be a list of name and value")
            }
            for item in list {
                guard item.mapping != nil, let name = try text(item["name"], "name"), !name.isEmpty else {
                    throw error(item, "exec `env` entries need a name")
                }
                env.append(.init(name: name, value: try text(item["value"], "value") ?? ""))
            }
        }
        // Only a command with a slash is a path (and so relative to this file); a bare name is looked up in PATH.
        let resolvedCommand = command.contains("/") ? (try path(node["command"], "command") ?? command) : command
        return ExecPlugin(
            apiVersion: apiVersion,
            command: resolvedCommand,
            args: args,
            env: env,
            installHint: try text(node["installHint"], "installHint"),
            provideClusterInfo: try bool(node["provideClusterInfo"], "provideClusterInfo"),
            interactiveMode: interactiveMode ?? (apiVersion.hasSuffix("/v1beta1") ? "IfAvailable" : nil)
        )
    }

    func context(_ node: Node) throws(KubeconfigError) -> Kubeconfig.Context {
        Kubeconfig.Context(
            cluster: try text(node["cluster"], "cluster") ?? "",
            user: try text(node["user"], "user") ?? "",
            namespace: try text(node["namespace"], "namespace"),
            file: file
        )
    }
}
