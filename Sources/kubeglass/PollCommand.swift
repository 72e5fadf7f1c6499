import App
import ArgumentParser
import Collectors
import Foundation
import KubeClient
import KubeglassCore
import Query
import Store

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

    @Flag(
        name: .long,
        help:
            "With --times: go on after a failed poll, print how each poll ended (complete, partial, failed), and count the complete ones."
    )
    var keepGoing = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Poll this many times, --refresh apart, and print each poll's time (the first builds every series; later ones reuse them).",
            valueName: "n"))
    var times: Int = 1

    @Option(
        name: .long,
        help: ArgumentHelp(
            "After the last poll, write every series' newest sample to this OpenMetrics file (for `promtool tsdb create-blocks-from openmetrics`, or --replay).",
            valueName: "path"))
    var openmetrics: String?

    func run() async throws {
        let setup = try SourceSetup(options: source)
        var health = SourceHealth()
        var complete = 0
        for round in 1...max(1, times) {
            if round > 1 { try await Task.sleep(nanoseconds: UInt64(setup.refresh) * 1_000_000) }
            let started = ContinuousClock.now
            health = await setup.poller.pollOnce()
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            if keepGoing {
                // One line a poll: whether it brought everything, part of it (and what it lacked), or nothing.
                let outcome =
                    health.state != .ok
                    ? "failed: \(health.lastError ?? "unknown error")"
                    : health.missing.isEmpty
                        ? "complete" : "partial, without \(health.missing.keys.sorted().joined(separator: " "))"
                if health.state == .ok && health.missing.isEmpty { complete += 1 }
                print("poll \(round): \(outcome) in \(String(format: "%.0f", ms)) ms")
                continue
            }
            guard health.state == .ok else {
                FileHandle.standardError.write(
                    Data(
                        "kubeglass: poll of \(setup.source.displayName) failed: \(health.lastError ?? "unknown error")\n"
                            .utf8))
                throw ExitCode(1)
            }
            print("\(setup.source.displayName): \(setup.store.seriesCount) series in \(String(format: "%.0f", ms)) ms")
        }
        if keepGoing { print("\(complete) of \(max(1, times)) polls complete") }
        for w in health.warnings { print("warning: \(w)") }
        if !quiet {
            for name in setup.store.metricNames() {
                print("  \(name) \(setup.store.seriesCount(metric: name))")
            }
        }
        if let openmetrics { try Self.write(setup.store, to: openmetrics) }
        // Done: the OS takes the store back at once, where freeing millions of series one by one takes seconds.
        fflush(nil)
        Foundation.exit(0)
    }
}

extension PollCommand {
    /// Every series' newest sample as OpenMetrics text, with its timestamp, names in order.
    static func write(_ store: SeriesStore, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let file = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot write \(path)") }
        defer { try? file.close() }
        var out = ""
        func flush(_ force: Bool) throws {
            guard force || out.utf8.count > 1 << 20 else { return }
            try file.write(contentsOf: Data(out.utf8))
            out = ""
        }
        for name in store.metricNames() {
            out += "# TYPE \(name) unknown\n"
            try store.scan([.equal(Labels.metricName, name)], ordered: false) { labels, samples in
                guard let last = samples.last, !last.isStaleMarker else { return }
                let pairs = labels.unnamedPairs.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }
                    .joined(separator: ",")
                let seconds = String(format: "%.3f", Double(last.time) / 1000)
                out += "\(name){\(pairs)} \(PromQLNumber.format(last.value)) \(seconds)\n"
                try flush(false)
            }
        }
        out += "# EOF\n"
        try flush(true)
    }
}
