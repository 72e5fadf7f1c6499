import ArgumentParser
import DemoCluster
import Dashboards
import Foundation
import KubeglassCore
import Sources
import Store
import TerminalUI

struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard in the terminal (the default command)."
    )

    @OptionGroup var source: SourceOptions

    @Option(name: .long, help: ArgumentHelp("Colour theme: a built-in name (\(Theme.builtinNames.joined(separator: ", "))) or a theme file.", valueName: "name|path"))
    var theme: String = "default"

    @Option(name: .long, help: ArgumentHelp("Open this dashboard: a name from `kubeglass dashboards list`, a kubeglass YAML file or a Grafana JSON file.", valueName: "name|path"))
    var dashboard: [String] = []

    func run() async throws {
        var warnings: [String] = []
        let theme = try Theme.named(self.theme, warnings: &warnings)
        let dashboards = try loadDashboards()
        let setup = try SourceSetup(options: source)
        for w in warnings { FileHandle.standardError.write(Data("kubeglass: \(w)\n".utf8)) }
        let app = try DashboardApp(dashboard: dashboards[0], theme: theme, setup: setup)
        try await app.run()
    }

    private func loadDashboards() throws -> [Dashboards.Dashboard] {
        let (dashboards, warnings) = try DashboardChoice.open(dashboard)
        for w in warnings { FileHandle.standardError.write(Data("kubeglass: \(w)\n".utf8)) }
        return dashboards
    }
}

/// The source, store and poller for a run, chosen from the flags and the environment: the cluster
/// kubectl would use when there is one (never the demo in its place), else the demo cluster.
struct SourceSetup {
    let store: SeriesStore
    let poller: Poller
    let source: any MetricSource
    let refresh: Int64
    let retention: Int64

    init(options: SourceOptions) throws {
        refresh = options.refreshMilliseconds
        retention = options.retentionMilliseconds
        store = SeriesStore(.init(retention: retention, interval: refresh, maxSeries: options.maxSeries))
        if !options.demo, let access = try options.clusterAccess() {
            let client = try KubeClient(access)
            source = KubernetesSource(transport: client, usage: options.source, contextName: access.contextName,
                                      options: .init(namespace: options.allNamespaces ? nil : options.namespace))
        } else {
            let now = SystemClock().now()
            let cluster = SimulatedCluster(.init(nodes: options.demoNodes, pods: options.demoPods, seed: options.seed), createdAt: now)
            source = DemoSource(cluster: cluster)
        }
        poller = Poller(source: source, store: store, interval: refresh)
    }
}
