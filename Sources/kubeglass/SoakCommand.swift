import ArgumentParser
import Collectors
import DashboardUI
import Dashboards
import DemoCluster
import Foundation
import KubeClient
import KubeglassCore
import Query
import Simulator
import Store

/// `kubeglass soak` (hidden; scripts/soak and the SoakTests run it): a day of a big cluster in minutes.
///
/// A `kubeglass sim` with churn, served over real HTTPS on 127.0.0.1 in this process, is read by the
/// Kubernetes source (list, then watches, and a metrics.k8s.io poll every refresh) through the Poller into
/// a store with the default retention, rollups and memory budget; every refresh the Cluster dashboard's
/// panels are evaluated. Sim and poller share one fast clock, moved on by a refresh at a time, so the
/// sim's churn, metrics and watch deadlines and the store's retention all run on simulated time.
/// Every simulated hour it prints a row of the curve (RSS, open files, threads, series, store bytes) with what
/// the RSS is made of (the store's tiers, malloc's heap in use and free, RSS after `malloc_trim`, the range
/// cache, the sim's change log); at the end it checks that what must stay flat did, and exits 1 if not.
/// `--sim-only` runs the simulated cluster alone, to show its part.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run the simulated cluster through kubeglass for hours of simulated time; print the memory curve.",
        discussion: """
            Serves a simulated cluster (as `kubeglass sim`) on 127.0.0.1 in this process and polls it
            as `kubeglass --kubeconfig` would: lists, watches, metrics.k8s.io, the store with its
            rollups and memory budget, and the Cluster dashboard's panels every refresh. Both run on
            one fast clock. Prints, every simulated hour, RSS, open files, threads, series and store
            bytes, and what makes up the RSS; then checks the second half of the run for growth and
            exits 1 on a leak. --sim-only runs the simulated cluster alone.
              kubeglass soak --nodes 1000 --pods 10000 --churn 60/min --hours 24
            """,
        shouldDisplay: false)

    @Option(name: .long, help: ArgumentHelp("Nodes in the simulated cluster.", valueName: "n"))
    var nodes: Int = 1000

    @Option(name: .long, help: ArgumentHelp("Pods in the simulated cluster.", valueName: "n"))
    var pods: Int = 10_000

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pods created, deleted, restarted or failed, e.g. 60/min (simulated time).", valueName: "rate"))
    var churn: String = "60/min"

    @Option(name: .long, help: ArgumentHelp("Simulated hours to run.", valueName: "n"))
    var hours: Int = 24

    @Option(name: .long, help: ArgumentHelp("The poll interval, in simulated time.", valueName: "duration"))
    var refresh: String = "15s"

    @Option(name: .long, help: ArgumentHelp("The store's memory budget (as --memory-budget).", valueName: "size"))
    var memoryBudget: String = "512MB"

    @Option(name: .long, help: ArgumentHelp("The most series the store keeps (as --max-series).", valueName: "n"))
    var maxSeries: Int = 200_000

    @Option(name: .long, help: ArgumentHelp("Seed of the simulated cluster.", valueName: "n"))
    var seed: UInt64 = 1

    @Flag(
        name: .long,
        help: "Run only the simulated cluster: its churn and a metrics answer every poll, no client (its part of RSS).")
    var simOnly = false

    /// The checks' slack: over the second half, RSS grows less than this fraction and less than
    /// `rssSlackBytes`; open files and threads come back to within a few of hour 2's.
    static let rssGrowth = 0.10
    static let rssSlackBytes = 30 * 1_048_576
    static let fdSlack = 8
    static let threadSlack = 4

    func validate() throws {
        guard nodes >= 1, pods >= 1 else { throw ValidationError("--nodes and --pods must be at least 1") }
        guard maxSeries >= 1000 else { throw ValidationError("--max-series must be at least 1000") }
        guard hours >= 2 else {
            throw ValidationError("--hours must be at least 2 (the curve is checked from hour 2 on)")
        }
        guard Simulator.churnPerMinute(churn) != nil else {
            throw ValidationError("--churn \(churn): not a rate (e.g. 60/min, 1/s)")
        }
        guard let r = DurationText.milliseconds(refresh), r >= 1000, Milliseconds.hour % r == 0 else {
            throw ValidationError("--refresh \(refresh): a duration of at least 1s that divides an hour (e.g. 15s, 1m)")
        }
        guard ByteSize(memoryBudget) != nil else {
            throw ValidationError("--memory-budget \(memoryBudget): not a size")
        }
    }

    /// One row of the curve.
    struct Sample {
        var hour: Int
        var rss: Int
        var fds: Int
        var threads: Int
        var series: Int
        var storeBytes: Int
        /// Wall-clock seconds since the start.
        var wall: Double
        /// Pods the store holds series of (their CPU usage), live or deleted but not yet aged out.
        var pods: Int
        /// The store's count by part: raw samples, the 1-minute tier (a day), the 10-minute tier (a week).
        var rawBytes = 0
        var minuteBytes = 0
        var tenMinuteBytes = 0
        /// malloc's figures (before the trim) and RSS after `malloc_trim(0)`.
        var malloc = MallocFigures()
        var trimmedRSS = 0
        /// RSS's anonymous part (heap, stacks; not the binary and libraries mapped from files).
        var anonymousRSS = 0
        /// Points the local backend's range cache keeps.
        var cachedPoints = 0
        /// The simulated cluster's change log: its watch history, live pod records, and the paged lists' states
        /// kept for `continue` tokens with the pod records they hold.
        var sim: ChangeLogFigures?

        /// RSS less what the store counts: what must stay flat while the store's tiers fill.
        var rssLessStore: Int { rss - storeBytes }

        var row: String {
            func mb(_ b: Int) -> Double { Double(b) / 1_048_576 }
            return String(
                format:
                    "%4d  %8.1f  %4d  %7d  %8d  %9.1f  %6d  %7.0f  %7.1f  %6.1f  %6.1f  %6.1f  %7.1f  %6.1f  %3d  %7.1f  %7.1f  %7d  %6d  %6d  %3d  %7d",
                hour, mb(rss), fds, threads, series, mb(storeBytes), pods, wall, mb(rssLessStore), mb(rawBytes),
                mb(minuteBytes), mb(tenMinuteBytes), mb(malloc.inUse), mb(malloc.freeBytes), malloc.arenas,
                mb(trimmedRSS), mb(anonymousRSS), cachedPoints, sim?.changes ?? 0, sim?.podRecords ?? 0,
                sim?.pinnedLists ?? 0,
                sim?.pinnedPodRecords ?? 0)
        }
        static let header =
            "hour    RSS MB   fds  threads    series  store MB    pods   wall s  -store  raw MB   1m MB  10m MB  heap MB  free MB  ar  trim MB  anon MB  cache pts  sim chg  recs pin  pinrecs"
        /// Columns of a row (the test reads them).
        static let columns = 22
    }

    func run() async throws {
        let interval = DurationText.milliseconds(refresh)!
        let budget = ByteSize(memoryBudget)?.bytes
        let start = SystemClock().now() / Milliseconds.hour * Milliseconds.hour
        let clock = ManualClock(start)
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: nodes, pods: pods, seed: seed)
        config.port = 0
        config.httpPort = nil
        config.churnPerMinute = Simulator.churnPerMinute(churn)!
        let server = try SimulatorServer(config, clock: clock)
        try await server.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-soak-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let kubeconfig = folder.appendingPathComponent("kubeconfig").path
        try server.kubeconfig(authentication: .token).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let access = try KubeconfigLoader.parse(file: kubeconfig).resolve(context: nil)
        // The sim answers from this process, on cores that builds or other tests may share: a soak measures
        // memory, not latency, so a slow connect under load is waited for rather than counted as a failed poll
        // (5 s, the default, failed 7 of 144 polls while builds ran).
        let client = try KubeClient(access, options: .init(connectTimeout: .seconds(30), requestTimeout: .seconds(120)))

        // As `kubeglass --kubeconfig` builds them (SourceSetup), with the defaults of the flags.
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: interval, maxSeries: maxSeries))
        let source = KubernetesSource(
            transport: client, usage: .metrics, contextName: access.contextName, options: .init(seriesBudget: maxSeries)
        )
        let poller = Poller(source: source, store: store, interval: interval, clock: clock)
        let local = LocalBackend(engine: PromQLEngine(store: store), minimumStep: interval)
        let evaluator = PanelEvaluator(backends: [local], defaultDatasource: .local)
        let board = try BuiltinDashboards.named("cluster")!
        let layout = DashboardLayout(panels: board.panels, width: 120, height: 0)

        print(
            simOnly
                ? "soak: the simulated cluster alone: \(nodes) nodes, \(pods) pods, churn \(churn), its changes and a metrics answer every \(refresh) for \(hours) simulated hours"
                : "soak: \(nodes) nodes, \(pods) pods, churn \(churn), a poll every \(refresh) for \(hours) simulated hours; the Cluster dashboard's \(board.panels.count) panels evaluated every poll"
        )
        print(Sample.header)
        let pollsPerHour = Int(Milliseconds.hour / interval)
        let pollsPerMinute = max(1, Int(Milliseconds.minute / interval))
        let wall = ContinuousClock.now
        var curve: [Sample] = []
        var failedPolls = 0
        var lastError: String?
        var emptyPanels: [String] = []
        var failedPanels: [String] = []
        var resolved: ResolvedVariables?
        var evaluating = Duration.zero
        for n in 1...(hours * pollsPerHour) {
            clock.advance(by: interval)
            if simOnly {
                // What a poll asks of the sim, without the client: its changes to now and the metrics answer.
                server.api.advance(to: clock.now())
                let answer = server.api.respond(
                    to: APIRequest(uri: "/apis/metrics.k8s.io/v1beta1/pods"), at: clock.now())
                _ = answer.collectBody()
                if n % pollsPerHour == 0 {
                    var sample = Sample(
                        hour: n / pollsPerHour, rss: Self.rssBytes(), fds: Self.openFiles(), threads: Self.threads(),
                        series: 0, storeBytes: 0, wall: Self.seconds(ContinuousClock.now - wall), pods: 0)
                    sample.malloc = MallocFigures.read()
                    sample.sim = server.api.logFigures
                    MallocFigures.trim()
                    sample.trimmedRSS = Self.rssBytes()
                    sample.anonymousRSS = Self.statusField("RssAnon:") * 1024
                    curve.append(sample)
                    print(sample.row)
                    fflush(nil)
                }
                continue
            }
            let health = await poller.pollOnce()
            if health.state != .ok {
                failedPolls += 1
                lastError = health.lastError
            }
            let now = clock.now()
            if n % pollsPerMinute == 0 {
                // The dashboard loop's housekeeping, once a (simulated) minute.
                store.prune(now: now)
                if let budget { _ = store.enforce(budget: budget) }
            }
            let evaluated = ContinuousClock.now
            let variables = await VariableResolver.resolve(
                board, evaluator: evaluator, now: now, selections: [:], previous: resolved)
            resolved = variables
            emptyPanels = []
            failedPanels = []
            for (i, panel) in board.panels.enumerated() {
                let data: PanelData
                if panel.kind == .events {
                    data = PanelData.events(
                        from: await source.events(), matching: panel.expandingFilter(variables.values))
                } else {
                    let table =
                        panel.kind == .table
                        ? TableRequest(
                            order: panel.sortColumn.map { TableOrder(column: $0, descending: panel.sortDescending) },
                            rows: 0..<panel.gridPos.h)
                        : nil
                    data = await evaluator.evaluate(
                        panel, dashboard: board, variables: variables.values, now: now, range: board.timeRange,
                        points: DashboardView.points(forPanelWidth: layout.rect(of: i)?.width ?? 120), table: table)
                }
                if let error = data.error {
                    failedPanels.append("\(panel.title) (\(error))")
                } else if data.series.isEmpty && data.table?.rows.isEmpty != false && panel.kind != .events {
                    // The metrics API has no network or filesystem figures (--source summary has).
                    emptyPanels.append(panel.title)
                }
            }
            evaluating += ContinuousClock.now - evaluated
            if n % pollsPerHour == 0 {
                let podCount = store.seriesCount(metric: SeriesNames.podCPUUsage)
                let parts = store.estimatedBytesByPart
                var sample = Sample(
                    hour: n / pollsPerHour, rss: Self.rssBytes(), fds: Self.openFiles(), threads: Self.threads(),
                    series: store.seriesCount, storeBytes: parts.total,
                    wall: Self.seconds(ContinuousClock.now - wall), pods: podCount)
                sample.rawBytes = parts.samples + parts.series
                sample.minuteBytes = parts.tiers.first ?? 0
                sample.tenMinuteBytes = parts.tiers.dropFirst().reduce(0, +)
                sample.malloc = MallocFigures.read()
                sample.cachedPoints = await local.cached().points
                sample.sim = server.api.logFigures
                // What malloc holds free goes back to the system: RSS after it is what the program uses.
                MallocFigures.trim()
                sample.trimmedRSS = Self.rssBytes()
                sample.anonymousRSS = Self.statusField("RssAnon:") * 1024
                curve.append(sample)
                print(sample.row)
                fflush(nil)
            }
        }
        let took = ContinuousClock.now - wall
        let polls = hours * pollsPerHour
        print(
            String(
                format:
                    "soak: %d polls in %.0f s wall (%.3f s a poll, of which %.3f s evaluating the Cluster dashboard)",
                polls, Self.seconds(took), Self.seconds(took) / Double(polls), Self.seconds(evaluating) / Double(polls))
        )
        await server.stop()
        let problems =
            Self.check(curve) + (failedPolls > 0 ? ["\(failedPolls) polls failed; the last: \(lastError ?? "?")"] : [])
            + (failedPanels.isEmpty ? [] : ["panels failed at the end: \(failedPanels.joined(separator: ", "))"])
        if !emptyPanels.isEmpty {
            print(
                "soak: panels without data (the metrics API has none for them): \(emptyPanels.joined(separator: ", "))")
        }
        if problems.isEmpty {
            print(
                "soak: PASS: RSS less the store's bytes, the raw samples, open files, threads and series are flat over the second half"
            )
            Foundation.exit(0)
        }
        for p in problems { print("soak: FAIL: \(p)") }
        Foundation.exit(1)
    }

    /// What the curve says is growing (nothing: it plateaued). The second half of the run is compared with its
    /// first hour (hour 12 of 24): by then the raw samples' hour and the churn's first pods are long over.
    /// The store's rollup tiers legitimately fill for their spans (the 1-minute tier for a day, the 10-minute
    /// one for a week) and the memory budget bounds them, so what must be flat is RSS less the store's
    /// counted bytes, the raw samples' bytes, open files, threads and series.
    static func check(_ curve: [Sample]) -> [String] {
        guard let last = curve.last, let mid = curve.first(where: { $0.hour == max(2, last.hour / 2) }),
            let second = curve.first(where: { $0.hour == 2 })
        else { return ["the run was too short to judge (\(curve.count) hours)"] }
        var out: [String] = []
        let grown = last.rssLessStore - mid.rssLessStore
        if Double(grown) > Double(mid.rssLessStore) * rssGrowth || grown > rssSlackBytes {
            out.append(
                "RSS less the store's bytes grew \(grown / 1_048_576) MB from hour \(mid.hour) to \(last.hour) (\(mid.rssLessStore / 1_048_576) → \(last.rssLessStore / 1_048_576) MB)"
            )
        }
        if last.fds > second.fds + fdSlack { out.append("open files grew from \(second.fds) at hour 2 to \(last.fds)") }
        if last.threads > second.threads + threadSlack {
            out.append("threads grew from \(second.threads) at hour 2 to \(last.threads)")
        }
        // Deleted pods' series must age out: over the second half the count may move with the churn (±10% of
        // the pods), not climb.
        let most = curve.filter { $0.hour >= mid.hour }.map(\.series).max() ?? 0
        if Double(most) > Double(mid.series) * 1.15 {
            out.append("series grew from \(mid.series) at hour \(mid.hour) to \(most)")
        }
        let raw = curve.filter { $0.hour >= mid.hour }.map(\.rawBytes).max() ?? 0
        if Double(raw) > Double(mid.rawBytes) * 1.15 + 1_048_576 {
            out.append(
                "the store's raw samples grew from \(mid.rawBytes / 1_048_576) MB at hour \(mid.hour) to \(raw / 1_048_576) MB"
            )
        }
        return out
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func rssBytes() -> Int { statusField("VmRSS:") * 1024 }

    static func threads() -> Int { statusField("Threads:") }

    static func openFiles() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// A number of /proc/self/status (kB for sizes): `VmRSS:\t  123456 kB`.
    static func statusField(_ name: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
        return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "") ?? 0
    }
}
