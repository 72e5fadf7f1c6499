import ArgumentParser

@main
struct Kubeglass: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeglass",
        abstract: "Grafana-like Kubernetes dashboards in your terminal.",
        discussion: """
        With no cluster configured (no kubeconfig), kubeglass opens its built-in demo cluster.
        Keys: ? help, q quit, Tab / arrows focus, Enter full screen, r refresh.
        """,
        version: "0.1.0",
        subcommands: [Dashboard.self],
        defaultSubcommand: Dashboard.self
    )
}
