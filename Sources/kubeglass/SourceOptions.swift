import ArgumentParser
import Foundation
import KubeglassCore

/// Flags shared by every command that reads a cluster.
struct SourceOptions: ParsableArguments {
    @Flag(name: .long, help: "Show the built-in simulated cluster, even when a kubeconfig exists.")
    var demo = false

    @Option(name: .long, help: ArgumentHelp("How often to poll, e.g. 5s, 1m.", valueName: "duration"))
    var refresh: String = "5s"

    @Option(name: .long, help: ArgumentHelp("How much history to keep in memory, e.g. 1h, 30m.", valueName: "duration"))
    var retention: String = "1h"

    @Option(name: .long, help: ArgumentHelp("Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).", valueName: "path"))
    var kubeconfig: String?

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
        guard (1...5000).contains(demoNodes) else { throw ValidationError("--demo-nodes must be between 1 and 5000") }
        guard (0...150_000).contains(demoPods) else { throw ValidationError("--demo-pods must be between 0 and 150000") }
    }

    /// The kubeconfig kubectl would use, if there is one.
    func findKubeconfig() -> String? {
        if let kubeconfig { return kubeconfig }
        if let env = ProcessInfo.processInfo.environment["KUBECONFIG"], !env.isEmpty {
            return env.split(separator: ":").map(String.init).first { FileManager.default.fileExists(atPath: $0) }
        }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let path = home + "/.kube/config"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
