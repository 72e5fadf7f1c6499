import ArgumentParser

@main
struct Kubeglass: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeglass",
        abstract: "Grafana-like Kubernetes dashboards in your terminal.",
        discussion: """
            kubeglass watches the cluster kubectl would use: $KUBECONFIG,
            ~/.kube/config, or the pod's service account. With no cluster
            configured it opens its built-in demo cluster.

            Common flags (see `kubeglass dashboard --help` for all):
              --kubeconfig PATH      a kubeconfig (and --context NAME, -n NAMESPACE)
              --source summary       usage from the kubelets (adds network, filesystem)
              --source kubelet       the kubelets' Prometheus metrics (cadvisor, resource)
              --scrape URL           scrape a Prometheus endpoint instead of a cluster
              --demo                 the demo cluster even when a kubeconfig exists
              --refresh 5s           how often to poll
              --retention 1h         how much history to keep in memory
              --theme NAME|FILE      colours: default, light, nord, dracula, … (T picks)
              --dashboard NAME|FILE  open a dashboard (YAML or Grafana JSON)

            Dashboards: `kubeglass dashboards list`, `show NAME`, `import FILE.json`.
            Settings: ~/.config/kubeglass/config.yaml (`kubeglass config show`).

            Keys: ? help, q quit, Tab / arrows focus, Enter full screen, r refresh.
            """,
        version: "0.1.0",
        subcommands: [
            DashboardCommand.self, DashboardsCommand.self, QueryCommand.self, OnceCommand.self, TopCommand.self,
            PollCommand.self, SimCommand.self, ConfigCommand.self, ManualCommand.self, SoakCommand.self,
            BenchStoreCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}
