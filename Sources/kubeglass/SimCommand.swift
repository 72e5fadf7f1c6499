import ArgumentParser
import DemoCluster
import Foundation
import KubeglassCore
import Simulator

/// `kubeglass sim`: serves the demo cluster over the real Kubernetes APIs until SIGINT/SIGTERM.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve a simulated cluster over the Kubernetes API.",
        discussion: """
            HTTPS (client certificate or bearer token) serves discovery, core/v1 nodes,
            pods, namespaces and events, metrics.k8s.io, the kubelet Summary API through
            the node proxy, and /metrics (cAdvisor, kube-state-metrics and node-exporter
            series; also /metrics/cadvisor, /metrics/kube-state-metrics,
            /metrics/node-exporter), and a fake cAdvisor REST API per node at
            /cadvisor/NODE/api/v1.3/machine and /cadvisor/NODE/api/v1.3/subcontainers/ (for
            --source cadvisor). Plain HTTP serves the same without auth, like
            `kubectl proxy`.

            Watches: ?watch=1 on /api/v1/pods, /api/v1/namespaces/NS/pods, /api/v1/nodes,
            /api/v1/events and /api/v1/namespaces/NS/events stream one JSON event a line,
            as kube-apiserver does. Every change has its own resourceVersion, one more than
            the last (like etcd's revision); a watch from a list's resourceVersion gets
            exactly the later changes. Without resourceVersion (or "0") it first gets every
            object as ADDED. From a version older than --watch-history it gets one
            {"type":"ERROR","object":{"kind":"Status",…,"reason":"Expired","code":410}} and
            ends. allowWatchBookmarks=true adds a BOOKMARK every --bookmark-interval and
            when timeoutSeconds ends the watch. What changes: --churn (pods ADDED Pending,
            MODIFIED Running, restarted, Failed, DELETED, with their events), the
            crash-looping pod, each node's status post every 5 minutes, the events' counts.
              kubeglass sim --churn 600/min --kubeconfig-out /tmp/sim.kubeconfig &
              kubectl --kubeconfig /tmp/sim.kubeconfig get pods -A -w

            Example:
              kubeglass sim --nodes 50 --pods 1500 --kubeconfig-out /tmp/sim.kubeconfig &
              kubectl --kubeconfig /tmp/sim.kubeconfig top pods -A

            With --influxdb-sink it also writes the metrics to an InfluxDB 1.x as Heapster
            did (database k8s, measurements like cpu/usage_rate), here with 1h of history:
              kubeglass sim --influxdb-sink http://127.0.0.1:8086 --influxdb-backfill 1h

            On start it prints one line with both URLs (here in two), e.g.
              kubeglass sim: 12 nodes, 300 pods at https://127.0.0.1:6443 and
                http://127.0.0.1:8001 (kubeconfig: /tmp/x)
            """
    )

    @Option(name: .long, help: ArgumentHelp("Nodes in the simulated cluster.", valueName: "n"))
    var nodes: Int = 12

    @Option(name: .long, help: ArgumentHelp("Pods in the simulated cluster.", valueName: "n"))
    var pods: Int = 300

    @Option(name: .long, help: ArgumentHelp("Seed (same seed, same cluster).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp("Address to listen on.", valueName: "ip"))
    var address: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("HTTPS port (0 picks a free one).", valueName: "port"))
    var port: Int = 6443

    @Option(
        name: .long,
        help: ArgumentHelp("Plain HTTP port without auth (0 picks a free one, -1 turns it off).", valueName: "port"))
    var httpPort: Int = 8001

    @Flag(name: .long, help: "Serve no plain HTTP port (same as --http-port -1).")
    var noHTTP = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Bearer token to accept (default: a random one, written only to the kubeconfig).", valueName: "token"))
    var token: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Accept each distinct bearer token only this long after its first use, e.g. 30s.", valueName: "duration"))
    var expireTokenAfter: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Write a kubeconfig for the HTTPS endpoint here (context kubeglass-sim).", valueName: "path")
    )
    var kubeconfigOut: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How the kubeconfig authenticates: cert (client certificate) or token.", valueName: "cert|token"))
    var auth: String = "cert"

    @Option(
        name: .long, help: ArgumentHelp("Extra latency added to every response, e.g. 200ms.", valueName: "duration"))
    var latency: String = "0s"

    @Option(name: .long, help: ArgumentHelp("Share of requests answered 500 or 503 (0…1).", valueName: "fraction"))
    var errorRate: Double = 0

    @Option(
        name: .long,
        help: ArgumentHelp("Share of responses cut short and their connection closed (0…1).", valueName: "fraction"))
    var truncateRate: Double = 0

    @Flag(name: .long, help: "Serve no metrics.k8s.io API, as a cluster without metrics-server.")
    var noMetricsAPI = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Also write the cluster's metrics to this InfluxDB 1.x, as Heapster's InfluxDB sink did.", valueName: "url")
    )
    var influxdbSink: String?

    @Option(
        name: .long, help: ArgumentHelp("Database the InfluxDB sink writes (created when missing).", valueName: "name"))
    var influxdbDatabase: String = "k8s"

    @Option(
        name: .long,
        help: ArgumentHelp("History the InfluxDB sink writes at start, e.g. 1h (0 for none).", valueName: "duration"))
    var influxdbBackfill: String = "0s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Time between two points the InfluxDB sink writes (Heapster's default was 60s).", valueName: "duration"))
    var sinkInterval: String = "10s"

    @Flag(
        name: .long,
        help:
            "Stop the clock at start: every answer shows the same instant (for comparing clients side by side); no churn."
    )
    var freeze = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pods created, deleted, restarted and failed per minute or second, e.g. 600/min or 10/s (0: none).",
            valueName: "rate"))
    var churn: String = "0"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Time between two BOOKMARKs on a watch that allows them (allowWatchBookmarks=true).", valueName: "duration")
    )
    var bookmarkInterval: String = "60s"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How far back a watch may start (older resourceVersions get 410 Expired); at most 65536 changes.",
            valueName: "duration"))
    var watchHistory: String = "5m"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Fault: cut every watch stream this long after it starts, in the middle of an event, and close the connection.",
            valueName: "duration"))
    var watchCutAfter: String?

    @Flag(
        name: .long,
        help: "Fault: watch streams send nothing at all (no events, no bookmarks) until the client gives up.")
    var watchSilent = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Add this to every resourceVersion: a sim restarted with a larger base than the last one's versions acts like an API server after an etcd restore (old versions get 410 Expired).",
            valueName: "n"))
    var resourceVersionBase: Int64 = 0

    func validate() throws {
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        guard pods >= 0 else { throw ValidationError("--pods must not be negative") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard (-1...65535).contains(httpPort) else { throw ValidationError("--http-port must be -1 (off) or 0…65535") }
        guard (0...1).contains(errorRate), (0...1).contains(truncateRate), errorRate + truncateRate <= 1 else {
            throw ValidationError("--error-rate and --truncate-rate are fractions between 0 and 1 (together at most 1)")
        }
        guard DurationText.milliseconds(latency) != nil else {
            throw ValidationError("--latency \(latency) is not a duration (try 200ms or 1s)")
        }
        if let expireTokenAfter, DurationText.milliseconds(expireTokenAfter) == nil {
            throw ValidationError("--expire-token-after \(expireTokenAfter) is not a duration (try 30s or 5m)")
        }
        guard DurationText.milliseconds(influxdbBackfill) != nil else {
            throw ValidationError("--influxdb-backfill \(influxdbBackfill) is not a duration (try 1h or 30m)")
        }
        guard let sinkStep = DurationText.milliseconds(sinkInterval), sinkStep >= 1000 else {
            throw ValidationError("--sink-interval \(sinkInterval) is not a duration of at least 1s (try 10s or 60s)")
        }
        if let influxdbSink, !(influxdbSink.hasPrefix("http://") || influxdbSink.hasPrefix("https://")) {
            throw ValidationError(
                "--influxdb-sink \(influxdbSink) is not an http:// or https:// URL (e.g. http://127.0.0.1:8086)")
        }
        guard Simulator.churnPerMinute(churn) != nil else {
            throw ValidationError("--churn \(churn) is not a rate (try 600/min, 10/s or 0)")
        }
        guard let bookmarkStep = DurationText.milliseconds(bookmarkInterval), bookmarkStep > 0 else {
            throw ValidationError(
                "--bookmark-interval \(bookmarkInterval) is not a positive duration (try 60s or 500ms)")
        }
        guard let history = DurationText.milliseconds(watchHistory), history > 0 else {
            throw ValidationError("--watch-history \(watchHistory) is not a positive duration (try 5m)")
        }
        if let watchCutAfter, (DurationText.milliseconds(watchCutAfter) ?? 0) <= 0 {
            throw ValidationError("--watch-cut-after \(watchCutAfter) is not a positive duration (try 10s)")
        }
        guard resourceVersionBase >= 0 else { throw ValidationError("--resource-version-base must not be negative") }
        guard Simulator.Authentication(rawValue: auth) != nil else {
            throw ValidationError("--auth must be cert or token")
        }
    }

    func run() async throws {
        var config = Simulator.Configuration()
        config.cluster = ClusterModel.Options(nodes: nodes, pods: pods, seed: seed)
        config.address = address
        config.port = port
        config.httpPort = noHTTP || httpPort < 0 ? nil : httpPort
        config.token = token
        config.expireTokenAfterMilliseconds = expireTokenAfter.flatMap(DurationText.milliseconds)
        config.faults = FaultPlan(
            latencyMilliseconds: DurationText.milliseconds(latency) ?? 0, errorRate: errorRate,
            truncateRate: truncateRate)
        config.servesMetricsAPI = !noMetricsAPI
        if freeze { config.frozenAt = Int64(Date().timeIntervalSince1970 * 1000) }
        config.churnPerMinute = Simulator.churnPerMinute(churn) ?? 0
        config.resourceVersionBase = resourceVersionBase
        config.watch.bookmarkInterval = DurationText.milliseconds(bookmarkInterval) ?? 60_000
        config.watch.historyWindow = DurationText.milliseconds(watchHistory) ?? 5 * Milliseconds.minute
        config.watch.cutAfter = watchCutAfter.flatMap(DurationText.milliseconds)
        config.watch.silent = watchSilent

        // Signals are handled here: their default action is blocked before any thread starts, and they are
        // watched from now on, so a SIGTERM sent as soon as the start line is read is not lost.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let termination = TerminationSignals()
        let server = try SimulatorServer(config)
        try await server.start()
        if let kubeconfigOut {
            let authentication = Simulator.Authentication(rawValue: auth) ?? .certificate
            do {
                try server.kubeconfig(authentication: authentication).write(
                    toFile: kubeconfigOut, atomically: true, encoding: .utf8)
                chmod(kubeconfigOut, 0o600)
                let base = URL(fileURLWithPath: kubeconfigOut).deletingPathExtension().path
                try server.credentials.caPEM.write(toFile: base + "-ca.crt", atomically: true, encoding: .utf8)
            } catch {
                await server.stop()
                throw ValidationError(
                    "cannot write the kubeconfig to \(kubeconfigOut) (\(error.localizedDescription)); pick a writable path"
                )
            }
        }
        var line =
            "kubeglass sim: \(server.api.cluster.nodes.count) nodes, \(server.api.cluster.pods.count) pods at \(server.httpsURL)"
        if let http = server.httpURL { line += " and \(http)" }
        if let kubeconfigOut { line += " (kubeconfig: \(kubeconfigOut))" }
        // Written straight to the descriptor, unbuffered: tests and scripts wait for this line.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))

        var sinkTask: Task<Void, Never>?
        if let influxdbSink {
            var sinkConfiguration = HeapsterSink.Configuration(url: influxdbSink)
            sinkConfiguration.database = influxdbDatabase
            sinkConfiguration.interval = DurationText.milliseconds(sinkInterval) ?? 10_000
            sinkConfiguration.backfill = DurationText.milliseconds(influxdbBackfill) ?? 0
            let sink = HeapsterSink(cluster: server.api.cluster, configuration: sinkConfiguration)
            sinkTask = Task {
                await sink.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
                await sink.shutdown()
            }
        }

        await termination.wait()
        sinkTask?.cancel()
        await sinkTask?.value
        await server.stop()
    }
}

/// Watches SIGINT and SIGTERM from its creation; `wait()` returns once either has come, even before it was called.
private final class TerminationSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var fired = false
    private var waiter: CheckedContinuation<Void, Never>?
    private let lock = NSLock()

    init() {
        let queue = DispatchQueue(label: "kubeglass-sim-signals")
        for sig in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
            sources.append(source)
        }
    }

    private func fire() {
        let resume: CheckedContinuation<Void, Never>? = lock.withLock {
            guard !fired else { return nil }
            fired = true
            defer { waiter = nil }
            return waiter
        }
        resume?.resume()
    }

    /// Returns on the first SIGINT or SIGTERM since this was made.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if fired { return true }
                waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }
}
