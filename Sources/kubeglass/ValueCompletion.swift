import ArgumentParser
import Dashboards
import Foundation
import KubeClient
import TerminalUI

/// What the shells complete after `--dashboard`, `--theme` and `--context`: the names kubeglass would open.
enum ValueCompletion {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The built-in dashboards and those in the config directory.
    static var dashboards: CompletionKind {
        .custom { _, _, prefix in
            matching(DashboardCatalog.load(environment: environment).dashboards.map(\.name), prefix)
        }
    }

    /// The built-in themes and the user's own.
    static var themes: CompletionKind {
        .custom { _, _, prefix in matching(Theme.availableNames(environment: environment), prefix) }
    }

    /// The contexts of the kubeconfig the command line names (`--kubeconfig`), else of $KUBECONFIG or ~/.kube/config.
    static var contexts: CompletionKind {
        .custom { arguments, _, prefix in
            let explicit = arguments.firstIndex(of: "--kubeconfig").flatMap {
                arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil
            }
            let home = environment["HOME"] ?? NSHomeDirectory()
            let config = try? KubeconfigLoader.load(
                explicitPath: explicit, environment: environment, homeDirectory: home)
            return matching(config?.contexts.keys.sorted() ?? [], prefix)
        }
    }

    static func matching(_ names: [String], _ prefix: String) -> [String] {
        names.filter { $0.hasPrefix(prefix) }
    }
}
