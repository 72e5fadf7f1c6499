import Collectors
import Foundation
import KubeClient
import Testing

/// A fresh folder under the system temp folder, removed when the test ends.
final class TempFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("kubeglass-kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func at(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

struct KubeconfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: dev-cluster
          cluster:
            server: https://dev.example:6443
            certificate-authority: certs/dev-ca.crt
        - name: shared
          cluster:
            server: https://shared-from-first:6443
        users:
        - name: dev-user
          user:
            client-certificate: certs/dev.crt
            client-key: /etc/keys/dev.key
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: web
        """

    static let second = """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: shared
          cluster:
            server: https://shared-from-second:6443
        - name: prod-cluster
          cluster:
            server: https://prod.example
            insecure-skip-tls-verify: true
        users:
        - name: prod-user
          user:
            tokenFile: ../tokens/prod
        contexts:
        - name: dev
          context:
            cluster: shared
            user: prod-user
        - name: prod
          context:
            cluster: prod-cluster
            user: prod-user
        - name: shared
          context:
            cluster: shared
        """

    @Test func mergesTheKUBECONFIGListAsKubectlDoes() throws {
        let dir = try TempFolder()
        let a = try dir.write("a/config", Self.first)
        let b = try dir.write("b/config", Self.second)
        let env = ["KUBECONFIG": "\(a):\(dir.at("missing")):\(b)::\(a)"]
        let config = try #require(
            try KubeconfigLoader.load(explicitPath: nil, environment: env, homeDirectory: dir.path))
        #expect(config.files == [a, b])
        #expect(config.currentContext == "prod", "the first file that sets current-context wins; a sets none")

        let prod = try config.resolve(context: nil)
        #expect(prod.contextName == "prod")
        #expect(prod.server == "https://prod.example")
        #expect(prod.insecureSkipTLSVerify)
        #expect(prod.tokenFile == dir.at("tokens/prod"), "relative to b's folder")
        #expect(prod.namespace == "default")

        let dev = try config.resolve(context: "dev")
        #expect(dev.clusterName == "dev-cluster", "the first file to define a context keeps it")
        #expect(dev.server == "https://dev.example:6443")
        #expect(dev.certificateAuthority == .file(dir.at("a/certs/dev-ca.crt")))
        #expect(dev.clientCertificate == .file(dir.at("a/certs/dev.crt")))
        #expect(dev.clientKey == .file("/etc/keys/dev.key"))
        #expect(dev.namespace == "web")

        #expect(
            try config.resolve(context: "shared").server == "https://shared-from-first:6443",
            "clusters merge by name too, first wins")
        #expect(try config.resolve(context: "shared").userName == "", "a context without a user is anonymous")
    }

    @Test func explicitPathOverridesTheListAndMustExist() throws {
        let dir = try TempFolder()
        let a = try dir.write("a", Self.first)
        let b = try dir.write("b", Self.second)
        let config = try #require(
            try KubeconfigLoader.load(explicitPath: a, environment: ["KUBECONFIG": b], homeDirectory: dir.path))
        #expect(config.files == [a])
        #expect(config.currentContext == nil)
        #expect(throws: KubeconfigError("kubeconfig \(dir.at("nope")) (from --kubeconfig) does not exist")) {
            try KubeconfigLoader.load(explicitPath: dir.at("nope"), environment: [:], homeDirectory: dir.path)
        }
    }

    @Test func fallsBackToHomeAndReturnsNilWhenThereIsNoFile() throws {
        let dir = try TempFolder()
        #expect(try KubeconfigLoader.load(explicitPath: nil, environment: [:], homeDirectory: dir.path) == nil)
        #expect(
            try KubeconfigLoader.load(
                explicitPath: nil, environment: ["KUBECONFIG": dir.at("none")], homeDirectory: dir.path) == nil)
        let home = try dir.write(".kube/config", Self.second)
        #expect(
            try KubeconfigLoader.load(explicitPath: nil, environment: [:], homeDirectory: dir.path)?.files == [home])
        #expect(
            try KubeconfigLoader.load(
                explicitPath: nil, environment: ["KUBECONFIG": dir.at("none")], homeDirectory: dir.path) == nil,
            "a set KUBECONFIG never falls back to ~/.kube/config")
    }

    @Test func decodesDataFields() throws {
        let yaml = """
            current-context: c
            clusters:
            - name: k
              cluster:
                server: https://k:6443
                certificate-authority-data: Q0EgUEVN
            users:
            - name: u
              user:
                client-certificate-data: |
                  Q0VSVA==
                client-key-data: S0VZIEJZVEVT
            contexts:
            - name: c
              context: {cluster: k, user: u, namespace: ""}
            """
        let access = try KubeconfigLoader.parse(yaml: yaml, file: "/k/config").resolve(context: nil)
        #expect(access.certificateAuthority == .data(Secret("CA PEM")))
        #expect(access.clientCertificate == .data(Secret("CERT")))
        #expect(access.clientKey == .data(Secret("KEY BYTES")))
        #expect(access.namespace == "default")
    }

    @Test func rejectsBadDataFields() throws {
        let bad = """
            clusters:
            - name: k
              cluster:
                server: https://k
                certificate-authority-data: "not base64!"
            """
        #expect(
            throws: KubeconfigError("/k/config:5:33: certificate-authority-data of this cluster is not valid base64")
        ) {
            try KubeconfigLoader.parse(yaml: bad, file: "/k/config")
        }
        let both = """
            users:
            - name: u
              user:
                client-key: k.pem
                client-key-data: S0VZ
            clusters:
            - {name: k, cluster: {server: "https://k"}}
            contexts:
            - {name: c, context: {cluster: k, user: u}}
            - {name: fine, context: {cluster: k}}
            """
        let config = try KubeconfigLoader.parse(yaml: both, file: "/k/config")
        #expect(throws: KubeconfigError("/k/config:4:5: this user sets both client-key and client-key-data; keep one"))
        {
            try config.resolve(context: "c")
        }
        #expect(throws: KubeconfigError("context \"other\" not found in /k/config (contexts: c, fine)")) {
            try config.resolve(context: "other")
        }
        #expect(
            try config.resolve(context: "fine").server == "https://k",
            "like kubectl, only the context in use is validated")
    }

    @Test func missingThingsAreNamedWithTheFile() throws {
        let dir = try TempFolder()
        let a = try dir.write("a", Self.first)
        let b = try dir.write("b", Self.second)
        let merged = try #require(
            try KubeconfigLoader.load(
                explicitPath: nil, environment: ["KUBECONFIG": "\(a):\(b)"], homeDirectory: dir.path))
        #expect(throws: KubeconfigError("context \"x\" not found in \(a), \(b) (contexts: dev, prod, shared)")) {
            try merged.resolve(context: "x")
        }
        let onlyA = try KubeconfigLoader.parse(file: a)
        // A file that cannot be read says why, as kubectl's error does.
        #expect(throws: KubeconfigError("cannot read kubeconfig \(dir.path) (Is a directory)")) {
            try KubeconfigLoader.parse(file: dir.path)
        }
        #expect(throws: KubeconfigError("cannot read kubeconfig \(dir.path)/none (No such file or directory)")) {
            try KubeconfigLoader.parse(file: dir.path + "/none")
        }
        #expect(
            throws: KubeconfigError(
                "no context chosen: \(a) sets no current-context (pick one with --context; contexts: dev)")
        ) { try onlyA.resolve(context: nil) }

        let dangling = try KubeconfigLoader.parse(
            yaml: """
                contexts:
                - name: c
                  context: {cluster: gone, user: nobody}
                - name: d
                  context: {cluster: here, user: nobody}
                clusters:
                - name: here
                  cluster: {server: "https://here"}
                - name: empty
                  cluster: {insecure-skip-tls-verify: false}
                - name: both
                  cluster: {server: "https://both", insecure-skip-tls-verify: true, certificate-authority: /ca}
                """, file: "/f")
        #expect(
            throws: KubeconfigError("cluster \"gone\" of context \"c\" not found in /f (clusters: both, empty, here)")
        ) { try dangling.resolve(context: "c") }
        #expect(throws: KubeconfigError("user \"nobody\" of context \"d\" not found in /f (users: none)")) {
            try dangling.resolve(context: "d")
        }
    }

    @Test func clusterAndUserRulesKubectlValidates() throws {
        let config = try KubeconfigLoader.parse(
            yaml: """
                clusters:
                - {name: none, cluster: {insecure-skip-tls-verify: false}}
                - {name: both, cluster: {server: "https://both", insecure-skip-tls-verify: true, certificate-authority: /ca}}
                - {name: ok, cluster: {server: "https://ok"}}
                users:
                - {name: two, user: {token: t, username: admin, password: p}}
                - {name: half, user: {client-certificate: /c.crt}}
                contexts:
                - {name: none, context: {cluster: none}}
                - {name: both, context: {cluster: both}}
                - {name: two, context: {cluster: ok, user: two}}
                - {name: half, context: {cluster: ok, user: half}}
                """, file: "/f")
        #expect(throws: KubeconfigError("cluster \"none\" in /f has no server (add `server: https://HOST:PORT`)")) {
            try config.resolve(context: "none")
        }
        #expect(
            throws: KubeconfigError(
                "cluster \"both\" in /f sets both a certificate authority and insecure-skip-tls-verify; keep one")
        ) { try config.resolve(context: "both") }
        #expect(
            throws: KubeconfigError(
                "user \"two\" in /f has both a token and basic auth; only one authentication method is allowed")
        ) { try config.resolve(context: "two") }
        #expect(
            throws: KubeconfigError(
                "user \"half\" in /f needs client-key (or client-key-data) too: a client certificate and its key go together"
            )
        ) { try config.resolve(context: "half") }
    }

    @Test func brokenYAMLNamesFileAndLine() throws {
        let dir = try TempFolder()
        let path = try dir.write("config", "clusters:\n- name: a\n  cluster:\n    server: [unclosed\n")
        let error = try #require(throws: KubeconfigError.self) {
            try KubeconfigLoader.load(explicitPath: path, environment: [:], homeDirectory: dir.path)
        }
        #expect(error.description.hasPrefix("\(path):5:1: not valid YAML: "), "\(error)")

        #expect(throws: KubeconfigError("/f:1:1: a kubeconfig must be a mapping with clusters, users and contexts")) {
            try KubeconfigLoader.parse(yaml: "- a\n- b\n", file: "/f")
        }
        #expect(throws: KubeconfigError("/f:3:3: two clusters are named \"a\"")) {
            try KubeconfigLoader.parse(
                yaml: "clusters:\n- {name: a, cluster: {server: x}}\n- {name: a, cluster: {server: y}}\n", file: "/f")
        }
        #expect(throws: KubeconfigError("/f:2:3: users[0] has no name")) {
            try KubeconfigLoader.parse(yaml: "users:\n- user: {token: x}\n", file: "/f")
        }
        #expect(try KubeconfigLoader.parse(yaml: "", file: "/f").contexts.isEmpty)
    }

    @Test func readsExecPlugins() throws {
        let config = try KubeconfigLoader.parse(
            yaml: """
                current-context: eks
                clusters:
                - {name: eks, cluster: {server: "https://eks.example"}}
                users:
                - name: aws
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: aws
                      args: [eks, get-token, --cluster-name, prod]
                      env:
                      - name: AWS_PROFILE
                        value: prod
                      installHint: install the AWS CLI
                      provideClusterInfo: true
                - name: local
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./bin/cred-helper
                      interactiveMode: Never
                contexts:
                - {name: eks, context: {cluster: eks, user: aws}}
                - {name: local, context: {cluster: eks, user: local}}
                """, file: "/home/me/.kube/config")
        #expect(
            try config.resolve(context: nil).exec
                == ExecPlugin(
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", "prod"],
                    env: [.init(name: "AWS_PROFILE", value: "prod")],
                    installHint: "install the AWS CLI",
                    provideClusterInfo: true,
                    interactiveMode: "IfAvailable"
                ))
        let local = try #require(try config.resolve(context: "local").exec)
        #expect(
            local.command == "/home/me/.kube/bin/cred-helper", "a command with a slash is relative to the kubeconfig")
        #expect(local.interactiveMode == "Never")
        #expect(local.provideClusterInfo == false)

        let tail =
            "clusters:\n- {name: k, cluster: {server: x}}\ncontexts:\n- {name: c, context: {cluster: k, user: u}}\n"
        #expect(
            throws: KubeconfigError(
                "/f:4:11: exec with apiVersion client.authentication.k8s.io/v1 needs interactiveMode (Never, IfAvailable or Always)"
            )
        ) {
            try KubeconfigLoader.parse(
                yaml:
                    "users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: x}\n"
                    + tail, file: "/f"
            ).resolve(context: "c")
        }
        #expect(throws: KubeconfigError("/f:4:11: exec needs a command")) {
            try KubeconfigLoader.parse(
                yaml: "users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1}\n"
                    + tail, file: "/f"
            ).resolve(context: "c")
        }
        #expect(
            throws: KubeconfigError("/f:4:11: exec needs an apiVersion (client.authentication.k8s.io/v1 or v1beta1)")
        ) {
            try KubeconfigLoader.parse(yaml: "users:\n- name: u\n  user:\n    exec: {command: x}\n" + tail, file: "/f")
                .resolve(context: "c")
        }
        #expect(throws: KubeconfigError("/f:4:18: exec `args` must be a list of text")) {
            try KubeconfigLoader.parse(
                yaml: "users:\n- name: u\n  user:\n    exec: {args: oops, apiVersion: v, command: x}\n", file: "/f")
        }
    }

    @Test func secretsNeverShowInDescriptions() throws {
        let config = try KubeconfigLoader.parse(
            yaml: """
                current-context: c
                clusters:
                - {name: k, cluster: {server: "https://k:6443", certificate-authority-data: Q0EgUEVN}}
                users:
                - name: t
                  user: {token: s3cr3t-t0ken}
                - name: b
                  user: {username: admin, password: hunter2}
                - name: cert
                  user: {client-certificate-data: Q0VSVA==, client-key-data: UFJJVkFURS1LRVk=}
                - name: e
                  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: helper, args: [--secret=argval], env: [{name: TOKEN, value: envsecret}]}}
                contexts:
                - {name: c, context: {cluster: k, user: t}}
                - {name: b, context: {cluster: k, user: b}}
                - {name: cert, context: {cluster: k, user: cert}}
                - {name: e, context: {cluster: k, user: e}}
                """, file: "/f")
        let token = try config.resolve(context: "c")
        #expect(token.token?.text == "s3cr3t-t0ken")
        #expect(
            token.description == "context \"c\": https://k:6443, namespace \"default\", token, CA inline data (6 bytes)"
        )
        let all = try ["c", "b", "cert", "e"].map { try config.resolve(context: $0) }
        for access in all {
            var dumped = ""
            dump(access, to: &dumped)
            for text in [String(describing: access), String(reflecting: access), "\(access)", dumped] {
                for secret in ["s3cr3t-t0ken", "hunter2", "PRIVATE-KEY", "UFJJVkFURS1LRVk", "envsecret", "argval"] {
                    #expect(!text.contains(secret), "\(access.contextName) shows \(secret)")
                }
            }
        }
        #expect(
            all[2].description
                == "context \"cert\": https://k:6443, namespace \"default\", client certificate inline data (4 bytes), client key inline data (11 bytes), CA inline data (6 bytes)"
        )
        #expect(
            all[3].description
                == "context \"e\": https://k:6443, namespace \"default\", exec plugin helper (client.authentication.k8s.io/v1beta1) with env TOKEN, CA inline data (6 bytes)"
        )
    }

    @Test func inClusterUsesTheServiceAccount() throws {
        let dir = try TempFolder()
        #expect(try ClusterAccess.inCluster(environment: [:], directory: dir.path) == nil)
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        #expect(
            throws: KubeconfigError(
                "running in a pod (KUBERNETES_SERVICE_HOST is set) but the service account token \(dir.at("token")) cannot be read (is automountServiceAccountToken false?)"
            )
        ) {
            try ClusterAccess.inCluster(environment: env, directory: dir.path)
        }
        try dir.write("token", "eyJhbGciOi.sa-token")
        let bare = try #require(try ClusterAccess.inCluster(environment: env, directory: dir.path))
        #expect(
            bare
                == ClusterAccess(
                    contextName: "in-cluster", clusterName: "in-cluster", userName: "service account",
                    server: "https://10.96.0.1:443",
                    token: Secret("eyJhbGciOi.sa-token"), tokenFile: dir.at("token"), namespace: "default"))
        try dir.write("ca.crt", "PEM")
        try dir.write("namespace", "monitoring\n")
        let full = try #require(try ClusterAccess.inCluster(environment: env, directory: dir.path))
        #expect(full.certificateAuthority == .file(dir.at("ca.crt")))
        #expect(full.namespace == "monitoring")
        #expect(!String(describing: full).contains("sa-token"))
        var ipv6 = env
        ipv6["KUBERNETES_SERVICE_HOST"] = "fd00::1"
        ipv6["POD_NAMESPACE"] = "from-env"
        let v6 = try #require(try ClusterAccess.inCluster(environment: ipv6, directory: dir.path))
        #expect(v6.server == "https://[fd00::1]:443")
        #expect(v6.namespace == "from-env")

        let read = try #require(
            try ClusterAccess.inCluster(
                environment: env, directory: "/sa", fileReader: { $0 == "/sa/token" ? Array("t".utf8) : nil }))
        #expect(
            read.token == Secret("t") && read.tokenFile == "/sa/token" && read.certificateAuthority == nil
                && read.namespace == "default")
    }
}
