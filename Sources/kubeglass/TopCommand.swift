import ArgumentParser
import Collectors
import Foundation
import KubeAPI
import KubeClient
import KubeglassCore

/// `kubeglass top nodes|pods`: what `kubectl top` prints, from the same metrics API, byte for byte.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Print node or pod usage from the metrics API, as `kubectl top` does.",
        subcommands: [TopNodesCommand.self, TopPodsCommand.self]
    )
}

struct TopFlags: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?

    @Option(
        name: .long, help: ArgumentHelp("The kubeconfig context to use.", valueName: "name"),
        completion: ValueCompletion.contexts)
    var context: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read kubeconfig and context from this settings file instead of $XDG_CONFIG_HOME/kubeglass/config.yaml.",
            valueName: "path"))
    var config: String?

    @Option(
        name: .long, help: ArgumentHelp("Sort by cpu or memory (descending); default by name.", valueName: "cpu|memory")
    )
    var sortBy: String?

    @Flag(name: .long, help: "Print no header line.")
    var noHeaders = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Node percentage headers as kubectl 1.32+ (CPU(%)) or older ones (CPU%).", valueName: "new|old"))
    var headers: String = "new"

    func sortOrder() throws -> KubeTop.SortOrder {
        guard let sortBy else { return .name }
        guard sortBy == "cpu" || sortBy == "memory" else {
            throw ValidationError("--sort-by must be cpu or memory (got \"\(sortBy)\")")
        }
        return KubeTop.SortOrder(rawValue: sortBy)!
    }

    func connect() async throws -> (ClusterAccess, KubeClient) {
        var options = try SourceOptions.parse([])
        options.kubeconfig = kubeconfig
        options.context = context
        guard let access = try options.clusterAccess() else {
            throw ValidationError(
                "no cluster configured: no kubeconfig ($KUBECONFIG, ~/.kube/config or --kubeconfig) and not running in a pod"
            )
        }
        return (access, try KubeClient(access))
    }
}

/// Fetches one list for `top`, turning error answers into the sentences the dashboards show.
private func fetch<Item>(
    _ client: KubeClient, _ path: String, _ resource: String,
    _ decode: ([UInt8]) throws(KubeDecodeError) -> KubeList<Item>
) async throws -> [Item] {
    let response: KubeResponse
    do { response = try await client.get(path) } catch { throw TopError(error.description) }
    guard (200..<300).contains(response.status) else {
        let said = KubeDecode.status(response.body)?.message.map { ": \($0)" } ?? ""
        if path.hasPrefix("/apis/metrics.k8s.io") && (response.status == 404 || response.status == 503) {
            throw TopError("\(APIRequestError.metricsUnavailableText) (GET \(path): HTTP \(response.status)\(said))")
        }
        if response.status == 403 {
            throw TopError(
                "not allowed to list \(resource) (403 Forbidden\(said)); RBAC must grant get and list on \(resource)")
        }
        throw TopError("GET \(path) on \(client.server) failed with HTTP \(response.status)\(said)")
    }
    do { return try decode(response.body).items } catch {
        throw TopError("the answer to GET \(path) is not valid \(resource) JSON: \(error)")
    }
}

struct TopError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// A resource that does not exist, as kubectl top says it (the metrics API's resource names it):
    /// `Error from server (NotFound): nodemetrics.metrics.k8s.io "x" not found`.
    static func notFound(_ resource: String, _ name: String) -> TopError {
        TopError("Error from server (NotFound): \(resource) \"\(name)\" not found")
    }

    /// The line printed to stderr: kubectl's `error: ` before our own sentences, not before the server's.
    var line: String { description.hasPrefix("Error from server") ? description : "error: \(description)" }
}

struct TopNodesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nodes", abstract: "Node CPU and memory, as `kubectl top nodes`.", aliases: ["node", "no"])

    @OptionGroup var flags: TopFlags

    @Argument(help: "Only this node.")
    var name: String?

    func run() async throws {
        let (_, client) = try await flags.connect()
        do {
            var metrics = try await fetch(
                client, "/apis/metrics.k8s.io/v1beta1/nodes", "nodes.metrics.k8s.io", KubeDecode.nodeMetricsList)
            var nodes = try await fetch(client, "/api/v1/nodes", "nodes", KubeDecode.nodeList)
            if let name {
                metrics = metrics.filter { $0.name == name }
                nodes = nodes.filter { $0.name == name }
                if nodes.isEmpty && metrics.isEmpty { throw TopError.notFound("nodemetrics.metrics.k8s.io", name) }
                if metrics.isEmpty { throw TopError("metrics not available yet for node \(name)") }
            }
            let allocatable = Dictionary(nodes.map { ($0.name, $0.allocatable) }, uniquingKeysWith: { a, _ in a })
            let rows = metrics.map { m in
                NodeUsageRow(
                    name: m.name, cpu: m.cpu, memory: m.memory,
                    allocatableCPU: allocatable[m.name]?["cpu"], allocatableMemory: allocatable[m.name]?["memory"])
            }
            if rows.isEmpty { throw TopError("metrics not available yet") }
            let withMetrics = Set(metrics.map(\.name))
            print(
                KubeTop.nodes(
                    rows, withoutMetrics: nodes.map(\.name).filter { !withMetrics.contains($0) },
                    sortBy: try flags.sortOrder(), noHeaders: flags.noHeaders,
                    headers: flags.headers == "old" ? .bare : .parenthesized), terminator: "")
        } catch let error as TopError {
            FileHandle.standardError.write(Data("\(error.line)\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct TopPodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pods", abstract: "Pod CPU and memory, as `kubectl top pods`.", aliases: ["pod", "po"])

    @OptionGroup var flags: TopFlags

    @Option(
        name: [.short, .long], help: ArgumentHelp("The namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "Every namespace.")
    var allNamespaces = false

    @Flag(name: .long, help: "One line per container.")
    var containers = false

    @Argument(help: "Only this pod.")
    var name: String?

    func run() async throws {
        let (access, client) = try await flags.connect()
        let namespace = self.namespace ?? access.namespace
        let path =
            allNamespaces
            ? "/apis/metrics.k8s.io/v1beta1/pods"
            : "/apis/metrics.k8s.io/v1beta1/namespaces/\(namespace)/pods"
        do {
            var metrics = try await fetch(client, path, "pods.metrics.k8s.io", KubeDecode.podMetricsList)
            if let name { metrics = metrics.filter { $0.name == name } }
            if metrics.isEmpty {
                if let name { throw TopError.notFound("podmetrics.metrics.k8s.io", name) }
                FileHandle.standardError.write(
                    Data(
                        (allNamespaces ? "No resources found\n" : "No resources found in \(namespace) namespace.\n")
                            .utf8))
                return
            }
            let rows = metrics.map { m in
                PodUsageRow(
                    namespace: m.namespace, name: m.name,
                    containers: m.containers.map {
                        PodUsageRow.Container(name: $0.name, cpu: $0.cpu, memory: $0.memory)
                    })
            }
            print(
                KubeTop.pods(
                    rows, allNamespaces: allNamespaces, containers: containers, sortBy: try flags.sortOrder(),
                    noHeaders: flags.noHeaders), terminator: "")
        } catch let error as TopError {
            FileHandle.standardError.write(Data("\(error.line)\n".utf8))
            throw ExitCode(1)
        }
    }
}
