import ArgumentParser
import Foundation
import KubeglassCore
import Sources

/// `kubeglass poll`: one poll of the cluster, stored as the dashboard would store it, and a report of
/// what came back: a quick check that a kubeconfig, its credentials and RBAC are enough.
struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll the cluster once and say what came back (series per metric, warnings, time taken).",
        discussion: "Exits 1 when the poll fails, printing why."
    )

    @OptionGroup var source: SourceOptions

    @Flag(name: .long, help: "Only the summary line.")
    var quiet = false

    func run() async throws {
        let setup = try SourceSetup(options: source)
        let started = ContinuousClock.now
        let health = await setup.poller.pollOnce()
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        guard health.state == .ok else {
            FileHandle.standardError.write(Data("kubeglass: poll of \(setup.source.displayName) failed: \(health.lastError ?? "unknown error")\n".utf8))
            throw ExitCode(1)
        }
        let names = setup.store.labelSets().reduce(into: [String: Int]()) { $0[$1.name ?? "", default: 0] += 1 }
        print("\(setup.source.displayName): \(setup.store.seriesCount) series in \(String(format: "%.0f", ms)) ms")
        for w in health.warnings { print("warning: \(w)") }
        guard !quiet else { return }
        for (name, count) in names.sorted(by: { $0.key < $1.key }) {
            print("  \(name) \(count)")
        }
    }
}
