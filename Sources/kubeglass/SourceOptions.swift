import App
import ArgumentParser
import Collectors
import Foundation
import KubeClient
import KubeglassCore
import Store

/// Where usage comes from on a real cluster.
enum ClusterSourceKind: String, ExpressibleByArgument, CaseIterable {
    /// metrics.k8s.io, as kubectl top.
    case metrics
    /// Each kubelet's Summary API.
    case summary
    /// Each kubelet's own Prometheus metrics (/metrics/cadvisor and /metrics/resource), scraped through the node proxy.
    case kubelet
    /// This machine's /proc and cgroups, without any cluster.
    case local
    /// Each node's cAdvisor REST API (--cadvisor URL), without any cluster.
    case cadvisor
}

/// Flags shared by every command that reads a cluster.
struct SourceOptions: ParsableArguments {
    @Flag(name: .long, help: "Show the built-in simulated cluster, even when a kubeconfig exists.")
    var demo = false

    @OptionGroup(title: "Prometheus and InfluxDB")
    var tsdb: TSDBOptions

    @Option(name: .long, help: ArgumentHelp("How often to poll, e.g. 5s, 1m.", valueName: "duration"))
    var refresh: String = "5s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long to keep every raw sample, e.g. 1h, 30m; before that, history is kept as 1-minute rollups for a day and 10-minute rollups for a week.",
            valueName: "duration"))
    var retention: String = "1h"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The most memory kept history may take, e.g. 512MB, 2GB, or none; the oldest rollups go first.",
            valueName: "size"))
    var memoryBudget: String = "512MB"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The largest answer read from the API server, e.g. 128MB; a larger one is cut off and reported, never held whole.",
            valueName: "size"))
    var maxResponseSize: String = "128MiB"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep history between runs here, one file per cluster (default: $XDG_STATE_HOME/kubeglass, or ~/.local/state/kubeglass). `query` and `once` given it answer over the saved history without polling.",
            valueName: "dir"))
    var stateDir: String?

    @Flag(name: .long, help: "Keep no history between runs (neither load nor save it).")
    var noState = false

    @Option(name: .long, help: .hidden)
    var saveEvery: String = "5m"

    @Option(
        name: .long,
        help: ArgumentHelp("Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The kubeconfig context to use (default: its current-context).", valueName: "name"),
        completion: ValueCompletion.contexts)
    var context: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Read settings from this file instead of $XDG_CONFIG_HOME/kubeglass/config.yaml (default ~/.config/kubeglass/config.yaml); flags win over it.",
            valueName: "path"))
    var config: String?

    @Option(
        name: [.short, .long],
        help: ArgumentHelp(
            "Only this namespace's pods (default: every namespace on dashboards; the context's namespace for `top pods`).",
            valueName: "namespace"))
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "Every namespace (the default on dashboards).")
    var allNamespaces = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where usage comes from: metrics (metrics.k8s.io, as kubectl top), summary (each kubelet's Summary API, adds network and filesystem), kubelet (each kubelet's /metrics/cadvisor and /metrics/resource, scraped through the API server as Prometheus would), local (this machine's /proc and cgroups, no cluster needed) or cadvisor (each node's cAdvisor REST API, given by --cadvisor).",
            valueName: "metrics|summary|kubelet|local|cadvisor"))
    var source: ClusterSourceKind = .metrics

    @Option(name: .long, help: ArgumentHelp("Where --source local reads /proc.", valueName: "dir"))
    var procRoot: String = "/proc"

    @Option(name: .long, help: ArgumentHelp("Where --source local reads the cgroup tree.", valueName: "dir"))
    var cgroupRoot: String = "/sys/fs/cgroup"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where --source local finds the kubelet's pod log directories, which name pods (and the containers directory beside it).",
            valueName: "dir"))
    var podsLogRoot: String = "/var/log/pods"

    var localRoots: LocalSource.Roots { .init(proc: procRoot, cgroup: cgroupRoot, podLogs: podsLogRoot) }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A node's cAdvisor for --source cadvisor (repeatable, one per node), e.g. http://10.0.0.5:4194; node-05=URL names the node (default: the URL's host).",
            valueName: "[name=]url"))
    var cadvisor: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Scrape this Prometheus metrics endpoint instead of reading a cluster (repeatable), e.g. http://127.0.0.1:9100/metrics.",
            valueName: "url"))
    var scrape: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp("How often to scrape the --scrape URLs (default: --refresh).", valueName: "duration"))
    var scrapeInterval: String?

    @Option(name: .long, help: ArgumentHelp("The job label of the --scrape URLs' series.", valueName: "name"))
    var scrapeJob: String = "scrape"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "At most this many series in memory; the longest-silent go first (each keeps up to --retention of samples).",
            valueName: "n"))
    var maxSeries: Int = 200_000

    @Option(name: .long, help: ArgumentHelp("Nodes in the demo cluster.", valueName: "n"))
    var demoNodes: Int = 12

    @Option(name: .long, help: ArgumentHelp("Pods in the demo cluster.", valueName: "n"))
    var demoPods: Int = 300

    @Option(name: .long, help: ArgumentHelp("Seed of the demo cluster (same seed, same cluster).", valueName: "n"))
    var seed: UInt64 = 1

    var refreshMilliseconds: Int64 { DurationText.milliseconds(refresh) ?? 5000 }
    /// How often the source is polled: --scrape-interval when scraping, else --refresh.
    var pollMilliseconds: Int64 {
        guard !scrape.isEmpty, let scrapeInterval else { return refreshMilliseconds }
        return DurationText.milliseconds(scrapeInterval) ?? refreshMilliseconds
    }
    var retentionMilliseconds: Int64 { DurationText.milliseconds(retention) ?? Milliseconds.hour }

    mutating func validate() throws {
        _ = try clientOptions()
        guard let r = DurationText.milliseconds(refresh), r >= 100 else {
            throw ValidationError("--refresh must be a duration of at least 100ms, like 5s or 1m (got \"\(refresh)\")")
        }
        if let scrapeInterval {
            guard !scrape.isEmpty else {
                throw ValidationError("--scrape-interval needs --scrape URL: it sets how often those URLs are scraped")
            }
            guard let i = DurationText.milliseconds(scrapeInterval), i >= 100 else {
                throw ValidationError(
                    "--scrape-interval must be a duration of at least 100ms, like 15s (got \"\(scrapeInterval)\")")
            }
        }
        if source == .cadvisor {
            guard !cadvisor.isEmpty else {
                throw ValidationError(
                    "--source cadvisor needs --cadvisor URL, once per node (e.g. http://10.0.0.5:4194)")
            }
            guard scrape.isEmpty else {
                throw ValidationError("--source cadvisor and --scrape both choose the data; give only one")
            }
            do { _ = try CAdvisorEndpoint.list(cadvisor) } catch { throw ValidationError("--cadvisor: \(error)") }
        } else if !cadvisor.isEmpty {
            throw ValidationError("--cadvisor is read by --source cadvisor; add --source cadvisor")
        }
        if source == .local && !scrape.isEmpty {
            throw ValidationError("--source local and --scrape both choose the data; give only one")
        }
        if !scrape.isEmpty && demo { throw ValidationError("--scrape and --demo both choose the data; give only one") }
        for url in scrape {
            do { _ = try ScrapeTarget.url(url, job: scrapeJob) } catch { throw ValidationError("--scrape: \(error)") }
        }
        guard let k = DurationText.milliseconds(retention), k >= r else {
            throw ValidationError(
                "--retention must be a duration no shorter than --refresh, like 1h (got \"\(retention)\")")
        }
        if allNamespaces && namespace != nil { throw ValidationError("-A and -n go against each other: give one") }
        guard maxSeries >= 1000 else { throw ValidationError("--max-series must be at least 1000") }
        guard (1...5000).contains(demoNodes) else { throw ValidationError("--demo-nodes must be between 1 and 5000") }
        guard (0...150_000).contains(demoPods) else {
            throw ValidationError("--demo-pods must be between 0 and 150000")
        }
    }

    /// The cluster kubectl would use: the kubeconfig (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`)
    /// and its context, else the pod's service account when running in a cluster; nil when neither exists.
    func clusterAccess() throws -> ClusterAccess? {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        do {
            if let config = try KubeconfigLoader.load(
                explicitPath: kubeconfig, environment: environment, homeDirectory: home)
            {
                return try config.resolve(context: context)
            }
            return try ClusterAccess.inCluster(environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The file history is kept in for the cluster these flags choose, and what it must have been saved
    /// for; nil with --no-state. The same rules choose the cluster as the dashboard's source does.
    func savedHistory() throws -> SavedHistory? {
        guard !noState else { return nil }
        let directory = stateDir ?? StoreFile.defaultDirectory()
        let (name, identity): (String, String)
        if !scrape.isEmpty {
            (name, identity) = ("scrape", "scrape " + scrape.sorted().joined(separator: " "))
        } else if source == .local && !demo {
            (name, identity) = ("local", "local \(procRoot) \(cgroupRoot)")
        } else if source == .cadvisor && !demo {
            (name, identity) = ("cadvisor", "cadvisor " + cadvisor.sorted().joined(separator: " "))
        } else if !demo, let access = try clusterAccess() {
            (name, identity) = (
                access.contextName, "context \(access.contextName) at \(access.server) (\(source.rawValue))"
            )
        } else {
            (name, identity) = ("demo", "demo \(demoNodes) nodes \(demoPods) pods seed \(seed)")
        }
        return SavedHistory(
            path: StoreFile.path(directory: directory, cluster: name), identity: identity,
            every: DurationText.milliseconds(saveEvery) ?? 5 * Milliseconds.minute)
    }
}

extension SourceOptions {
    /// The API client's limits, from `--max-response-size`.
    func clientOptions() throws -> KubeClient.Options {
        guard let size = ByteSize(maxResponseSize), let bytes = size.bytes, bytes >= 64 << 10 else {
            throw ValidationError(
                "--max-response-size \(maxResponseSize): not a size of at least 64KB (e.g. 128MB, 1GB)")
        }
        return KubeClient.Options(maximumResponseBytes: bytes)
    }

    /// `--memory-budget` in bytes; nil for `none`.
    func memoryBudgetBytes() throws -> Int? {
        guard let size = ByteSize(memoryBudget) else {
            throw ValidationError("--memory-budget \(memoryBudget): not a size (e.g. 512MB, 2GB, none)")
        }
        guard let bytes = size.bytes else { return nil }
        guard bytes >= 16 << 20 else { throw ValidationError("--memory-budget must be at least 16MB (or none)") }
        return bytes
    }
}

extension SourceOptions {
    /// The dashboard that opens when none is named: Node exporter when scraping (what a node-exporter
    /// endpoint serves), a TSDB's Cluster flavour when only a TSDB is given, else Cluster.
    /// `tsdbOnly`: whether the TSDB is the only source (nil: worked out from the flags and the kubeconfig).
    func defaultDashboard(tsdbOnly: Bool? = nil) -> String {
        if !scrape.isEmpty { return "node-exporter" }
        let tsdbOnly =
            tsdbOnly
            ?? (tsdb.anyGiven && !demo && source != .local && source != .cadvisor && (try? clusterAccess()) == nil)
        guard tsdbOnly else { return "cluster" }
        return tsdb.prometheus != nil ? "cluster-prometheus" : tsdb.influxdb != nil ? "cluster-influxdb" : "cluster"
    }
}
