import App
import ArgumentParser
import Collectors
import Dashboards
import DemoCluster
import Foundation
import KubeClient
import KubeglassCore
import Query
import Store
import TSDB
import TerminalUI

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard in the terminal (the default command)."
    )

    @OptionGroup var source: SourceOptions

    @OptionGroup(title: "Terminal") var terminal: TerminalOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Colour theme: a built-in name (\(Theme.builtinNames.joined(separator: ", "))), a theme of yours in ~/.config/kubeglass/themes, or a theme file. T picks one while running.",
            valueName: "name|path"), completion: ValueCompletion.themes)
    var theme: String = "default"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Open this dashboard: a name from `kubeglass dashboards list`, a kubeglass YAML file or a Grafana JSON file.",
            valueName: "name|path"), completion: ValueCompletion.dashboards)
    var dashboard: [String] = []

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp(
            "Set a dashboard variable, e.g. --var node=node-03 (repeatable; a,b for several values).",
            valueName: "name=value"))
    var variables: [String] = []

    @OptionGroup(title: "Kiosk") var kiosk: KioskOptions

    func run() async throws {
        try terminal.requireTerminal()
        // A theme that cannot be read falls back to the default; what went wrong shows in the status bar.
        let (theme, themeProblems) = Theme.chosen(self.theme)
        let setup = try SourceSetup(options: source)
        var named = dashboard
        var wall: Kiosk?
        if kiosk.kiosk {
            let playlist = try kiosk.playlistEntries(dashboards: dashboard, defaultDashboard: setup.defaultDashboard)
            let boards = try playlist.dashboards { try DashboardChoice.open([$0]).dashboards[0] }
            named = playlist.entries.map(\.value)
            let unlock = try kiosk.unlockSequence()
            wall = Kiosk(
                playlist: boards, rotate: kiosk.rotateMilliseconds, now: SystemClock().now(),
                unlockKey: .character(unlock.key), unlockPresses: unlock.presses)
            await setup.poller.capBackoff(at: KioskOptions.backoffCap(refresh: setup.refresh))
        }
        let (boards, catalog, files, skipped) = try DashboardChoice.open(named, default: setup.defaultDashboard)
        let selections = try DashboardChoice.selections(variables)
        for w in themeProblems + skipped { FileHandle.standardError.write(Data("kubeglass: \(w)\n".utf8)) }
        try await DashboardApp.run(
            // Theme problems and dashboard files that could not be read stay on the status bar until a key.
            dashboard: boards[0], catalog: catalog, files: files, theme: theme,
            themeNotice: Theme.summary(of: themeProblems + skipped),
            setup: setup, selections: selections, terminal: terminal, kiosk: wall)
    }
}

/// The source, store and poller for a run, chosen from the flags and the environment: the cluster
/// kubectl would use when there is one (never the demo in its place), else the demo cluster.
extension SourceSetup {
    init(options: SourceOptions) throws {
        let refresh = options.pollMilliseconds
        let retention = options.retentionMilliseconds
        let store = SeriesStore(.init(retention: retention, interval: refresh, maxSeries: options.maxSeries))
        let prometheus = try options.tsdb.prometheusClient()
        let influx = try options.tsdb.influxClient()
        let source: any MetricSource
        if !options.scrape.isEmpty {
            let targets = try options.scrape.map { try ScrapeTarget.url($0, job: options.scrapeJob) }
            let names = targets.count == 1 ? targets[0].name : "\(targets.count) targets"
            source = ScrapeSource(id: "scrape", displayName: "scraping \(names)", timeout: min(10_000, refresh)) {
                targets
            }
        } else if options.source == .local && !options.demo {
            source = LocalSource(roots: options.localRoots)
        } else if options.source == .cadvisor && !options.demo {
            source = CAdvisorSource(
                endpoints: try CAdvisorEndpoint.list(options.cadvisor), timeout: min(10_000, max(1000, refresh)))
        } else if !options.demo, let access = try options.clusterAccess() {
            let client = try KubeClient(access, options: try options.clientOptions())
            switch options.source {
            case .kubelet:
                source = KubeletTargets.source(
                    transport: client, contextName: access.contextName, timeout: min(10_000, max(1000, refresh)))
            case .local, .cadvisor:
                preconditionFailure("--source \(options.source.rawValue) reads no cluster")
            case .metrics, .summary:
                source = KubernetesSource(
                    transport: client, usage: options.source == .metrics ? .metrics : .summary,
                    contextName: access.contextName,
                    options: .init(
                        namespace: options.allNamespaces ? nil : options.namespace, seriesBudget: options.maxSeries))
            }
        } else if options.tsdb.anyGiven && !options.demo {
            // Only a TSDB: its dashboards query it; the poll just checks it answers.
            source = TSDBHealthSource(prometheus: prometheus, influx: influx)
        } else {
            let now = SystemClock().now()
            let cluster = ClusterModel(
                .init(nodes: options.demoNodes, pods: options.demoPods, seed: options.seed), createdAt: now)
            source = DemoClusterSource(cluster: cluster)
        }
        let history = try options.savedHistory()
        var backends: [any QueryBackend] = []
        let tsdbOnly = source is TSDBHealthSource
        if !tsdbOnly { backends.append(LocalBackend(engine: PromQLEngine(store: store), minimumStep: refresh)) }
        if let prometheus {
            backends.append(
                PrometheusBackend(
                    client: prometheus, minimumStep: DurationText.milliseconds(options.tsdb.prometheusStep) ?? 15_000))
        }
        if let influx { backends.append(InfluxBackend(client: influx)) }
        self.init(
            store: store, poller: Poller(source: source, store: store, interval: refresh), source: source,
            refresh: refresh,
            retention: retention, evaluator: PanelEvaluator(backends: backends, defaultDatasource: .local),
            tsdbOnly: tsdbOnly,
            defaultDashboard: options.defaultDashboard(tsdbOnly: tsdbOnly),
            savedHistory: tsdbOnly ? nil : history, memoryBudget: try options.memoryBudgetBytes())
    }
}
