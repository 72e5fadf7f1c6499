import ArgumentParser
import Foundation
import KubeglassCore
import Sources

extension KubernetesSource.Usage: ExpressibleByArgument {}

/// Flags shared by every command that reads a cluster.
struct SourceOptions: ParsableArguments {
    @Flag(name: .long, help: "Show the built-in simulated cluster, even when a kubeconfig exists.")
    var demo = false

    @OptionGroup(title: "Prometheus and InfluxDB")
    var tsdb: TSDBOptions

    @Option(name: .long, help: ArgumentHelp("How often to poll, e.g. 5s, 1m.", valueName: "duration"))
    var refresh: String = "5s"

    @Option(name: .long, help: ArgumentHelp("How much history to keep in memory, e.g. 1h, 30m.", valueName: "duration"))
    var retention: String = "1h"

    @Option(name: .long, help: ArgumentHelp("Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?

    @Option(name: .long, help: ArgumentHelp("The kubeconfig context to use (default: its current-context).", valueName: "name"))
    var context: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Only this namespace's pods (default: every namespace on dashboards; the context's namespace for `top pods`).", valueName: "namespace"))
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "Every namespace (the default on dashboards).")
    var allNamespaces = false

    @Option(name: .long, help: ArgumentHelp("Where usage comes from on a real cluster: metrics (metrics.k8s.io, as kubectl top) or summary (each kubelet's Summary API, adds network and filesystem).", valueName: "metrics|summary"))
    var source: KubernetesSource.Usage = .metrics

    @Option(name: .long, help: ArgumentHelp("At most this many series in memory; the longest-silent go first (each keeps up to --retention of samples).", valueName: "n"))
    var maxSeries: Int = 200_000

    @Option(name: .long, help: ArgumentHelp("Nodes in the demo cluster.", valueName: "n"))
    var demoNodes: Int = 12

    @Option(name: .long, help: ArgumentHelp("Pods in the demo cluster.", valueName: "n"))
    var demoPods: Int = 300

    @Option(name: .long, help: ArgumentHelp("Seed of the demo cluster (same seed, same cluster).", valueName: "n"))
    var seed: UInt64 = 1

    var refreshMilliseconds: Int64 { DurationText.milliseconds(refresh) ?? 5000 }
    var retentionMilliseconds: Int64 { DurationText.milliseconds(retention) ?? 3_600_000 }

    mutating func validate() throws {
        guard let r = DurationText.milliseconds(refresh), r >= 100 else {
            throw ValidationError("--refresh must be a duration of at least 100ms, like 5s or 1m (got \"\(refresh)\")")
        }
        guard let k = DurationText.milliseconds(retention), k >= r else {
            throw ValidationError("--retention must be a duration no shorter than --refresh, like 1h (got \"\(retention)\")")
        }
        if allNamespaces && namespace != nil { throw ValidationError("-A and -n go against each other: give one") }
        guard maxSeries >= 1000 else { throw ValidationError("--max-series must be at least 1000") }
        guard (1...5000).contains(demoNodes) else { throw ValidationError("--demo-nodes must be between 1 and 5000") }
        guard (0...150_000).contains(demoPods) else { throw ValidationError("--demo-pods must be between 0 and 150000") }
    }

    /// The cluster kubectl would use: the kubeconfig (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`)
    /// and its context, else the pod's service account when running in a cluster; nil when neither exists.
    func clusterAccess() throws -> ClusterAccess? {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        do {
            if let config = try KubeconfigLoader.load(explicitPath: kubeconfig, environment: environment, homeDirectory: home) {
                return try config.resolve(context: context)
            }
            return try ClusterAccess.inCluster(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
