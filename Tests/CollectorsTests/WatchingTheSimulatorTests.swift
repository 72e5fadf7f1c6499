import Foundation
import KubeAPI
import KubeClient
import KubeglassCore
import Simulator
import TestSupport
import Testing

@testable import Collectors

/// KubernetesSource watching a real `kubeglass sim` with pod churn, over HTTPS: whatever the sim does to
/// its watches (cuts them mid-event, forgets old versions), the source's pods come back to what a fresh
/// list, and kubectl, say the sim has.
@Suite struct WatchingTheSimulatorTests {
    /// A transport that counts lists and can take the network down for watches: open ones break, new ones
    /// are refused, until it comes back.
    final class Recording: KubeTransport, @unchecked Sendable {
        typealias Events = AsyncThrowingStream<[UInt8], any Error>
        let client: KubeClient
        private let lock = NSLock()
        private var lists: [String] = []
        private var watches = 0
        private var down = false
        private var open: [Int: Events.Continuation] = [:]
        init(_ client: KubeClient) { self.client = client }
        var server: String { client.server }
        var isInsecure: Bool { client.isInsecure }
        var podLists: Int {
            lock.withLock { lists.filter { $0.hasPrefix("/api/v1/pods?") && !$0.contains("continue=") }.count }
        }
        var watchCount: Int { lock.withLock { watches } }
        /// The resourceVersions pod watches started from: a resumed watch starts from the last one seen.
        var podWatchVersions: [String] {
            lock.withLock {
                watchPaths.filter { $0.hasPrefix("/api/v1/pods?") }.compactMap { path in
                    path.split(separator: "&").first {
                        $0.hasPrefix("resourceVersion=") || $0.contains("?resourceVersion=")
                    }
                    .map { String($0.split(separator: "=").last ?? "") }
                }
            }
        }
        private var watchPaths: [String] = []
        var watchesDown: Bool {
            get { lock.withLock { down } }
            set {
                let broken = lock.withLock {
                    down = newValue
                    defer { if newValue { open = [:] } }
                    return newValue ? Array(open.values) : []
                }
                for watch in broken {
                    watch.finish(throwing: KubeClientError(.connection, "the network went down (test)"))
                }
            }
        }
        func get(_ path: String) async throws(KubeClientError) -> KubeResponse {
            lock.withLock { lists.append(path) }
            return try await client.get(path)
        }
        func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse {
            let (refused, id) = lock.withLock { () -> (Bool, Int) in
                watches += 1
                watchPaths.append(path)
                return (down, watches)
            }
            if refused { throw KubeClientError(.connection, "cannot connect to \(server): connection refused (test)") }
            var response = try await client.watch(path, idleTimeout: idleTimeout)
            // Passed on through a stream of our own, which the network going down can break.
            let (events, continuation) = Events.makeStream()
            let inner = response.events
            let forward = Task {
                do {
                    for try await line in inner { continuation.yield(line) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { [weak self] _ in
                forward.cancel()
                self?.lock.withLock { _ = self?.open.removeValue(forKey: id) }
            }
            let wentDown = lock.withLock { () -> Bool in
                if !down { open[id] = continuation }
                return down
            }
            if wentDown { continuation.finish(throwing: KubeClientError(.connection, "the network went down (test)")) }
            response.events = events
            return response
        }
    }

    struct Sim {
        let server: SimulatorServer
        let folder: TempFolder
        let kubeconfig: String
        let transport: Recording
        let source: KubernetesSource
    }

    func withSim(
        cutAfter: Milliseconds? = nil, history: Milliseconds = 5 * Milliseconds.minute,
        _ body: (Sim) async throws -> Void
    ) async throws {
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: 4, pods: 60, seed: 11)
        config.port = 0
        config.httpPort = nil
        config.churnPerMinute = 90
        config.watch.bookmarkInterval = 500
        config.watch.cutAfter = cutAfter
        config.watch.historyWindow = history
        let server = try SimulatorServer(config)
        try await server.start()
        let folder = try TempFolder()
        let kubeconfig = try folder.write("kubeconfig", server.kubeconfig(authentication: .token))
        let client = try KubeClient(try KubeconfigLoader.parse(file: kubeconfig).resolve(context: nil))
        let transport = Recording(client)
        let timing = WatchTiming(
            timeoutSeconds: 3, idleMargin: .seconds(2), firstRetry: .milliseconds(50), mostRetry: .milliseconds(300))
        let source = KubernetesSource(
            transport: transport, contextName: "sim", options: .init(pageSize: 25, watch: timing))
        let sim = Sim(server: server, folder: folder, kubeconfig: kubeconfig, transport: transport, source: source)
        do { try await body(sim) } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// namespace/name → "phase restarts" of every pod, and whether any pod was there twice.
    static func pods(_ pages: [[PodObject]]) -> (pods: [String: String], twice: Bool) {
        var out: [String: String] = [:]
        var twice = false
        for pod in pages.joined() {
            let restarts = pod.containerStatuses.reduce(0) { $0 + $1.restartCount }
            if out.updateValue("\(pod.phase ?? "-") \(restarts)", forKey: "\(pod.namespace)/\(pod.name)") != nil {
                twice = true
            }
        }
        return (out, twice)
    }

    /// Lists the sim's pods afresh and reads the source's, until the two agree (churn moves on between the
    /// two reads, so a few tries may be needed); records an issue if they never do.
    func sourceMatchesAFreshList(_ sim: Sim, within seconds: Double = 60) async throws -> [String: String] {
        let lists = ListReader(transport: sim.transport.client, pageSize: 1000)
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last = ""
        while ContinuousClock.now < deadline {
            let fresh = Self.pods(
                try await lists.pages(
                    path: "/api/v1/pods", resource: "pods",
                    decode: { (body, items) throws(KubeDecodeError) in
                        try KubeDecode.podList(body, appendingTo: &items, labels: false)
                    }
                ).pages)
            let held = Self.pods(try await sim.source.podList.current().pages)
            if held.pods == fresh.pods && !held.twice && !fresh.twice { return held.pods }
            let missing = fresh.pods.filter { held.pods[$0.key] != $0.value }.map(\.key).sorted()
            let extra = held.pods.keys.filter { fresh.pods[$0] == nil }.sorted()
            last = "missing or different \(missing.prefix(5)), extra \(extra.prefix(5)), twice \(held.twice)"
            try await Task.sleep(for: .milliseconds(30))
        }
        Issue.record("the source's pods never matched a fresh list: \(last)")
        return [:]
    }

    /// `kubectl get pods -A -o name`, read until the source holds the same names.
    func sourceMatchesKubectl(_ sim: Sim, within seconds: Double = 60) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last = ""
        while ContinuousClock.now < deadline {
            let (status, output) = try await spawn([
                "env", "HOME=\(sim.folder.path)", "kubectl", "--kubeconfig", sim.kubeconfig, "get", "pods", "-A", "-o",
                "custom-columns=NS:.metadata.namespace,NAME:.metadata.name", "--no-headers",
            ])
            try #require(status == 0, "kubectl failed: \(output)")
            let names = Set(
                output.split(separator: "\n").map {
                    $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: "/")
                })
            let held = Set(Self.pods(try await sim.source.podList.current().pages).pods.keys)
            if names == held && !names.isEmpty { return }
            last =
                "kubectl only: \(names.subtracting(held).sorted().prefix(5)), source only: \(held.subtracting(names).sorted().prefix(5))"
        }
        Issue.record("the source's pods never matched kubectl's: \(last)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl"), "needs kubectl"))
    func theSourceFollowsChurnThroughCutsAndA410() async throws {
        // A history long enough for a resumption on a busy machine, short enough to outlast it below.
        try await withSim(cutAfter: 1500, history: 10_000) { sim in
            let first = try await sim.source.poll(at: 1_795_312_800_000)
            #expect(first.series.contains { $0.labels.name == SeriesNames.podInfo })
            let listed = Self.pods(try await sim.source.podList.current().pages).pods
            #expect(listed.count > 50)
            // Churn, and watches cut every 1.5 s in the middle of an event.
            try await Task.sleep(for: .seconds(4))
            #expect(sim.transport.watchCount >= 3 + 3, "cut watches were resumed: \(sim.transport.watchCount)")
            let afterCuts = try await sourceMatchesAFreshList(sim)
            #expect(afterCuts != listed, "churn changed the pods")
            // Each cut watch resumed from the newest version it had seen, not from the list's. (A machine so
            // busy that a resumption came after the sim's 10 s of history would list once more: allowed.)
            let versions = sim.transport.podWatchVersions
            #expect(Set(versions).count >= 3, "resumed from later and later versions: \(versions)")
            #expect(sim.transport.podLists <= 2, "resumed, not listed again each time")
            try await sourceMatchesKubectl(sim)

            // Away for longer than the sim keeps its history: the resumed watch gets 410 and the pods are listed again.
            sim.transport.watchesDown = true
            try await Task.sleep(for: .seconds(11))
            let down = try await sim.source.poll(at: 1_795_312_810_000)
            #expect(
                down.warnings.contains { $0.hasPrefix("pods: watch cut (") && $0.contains("connection refused") },
                "\(down.warnings)")
            sim.transport.watchesDown = false
            let deadline = ContinuousClock.now + .seconds(60)
            while sim.transport.podLists < 2 {
                try #require(ContinuousClock.now < deadline, "no new list after the 410")
                try await Task.sleep(for: .milliseconds(20))
            }
            _ = try await sourceMatchesAFreshList(sim)
            try await sourceMatchesKubectl(sim)
            let later = try await sim.source.poll(at: 1_795_312_820_000)
            let podInfo = Set(
                later.series.filter { $0.labels.name == SeriesNames.podInfo }.compactMap { s in
                    s.labels["namespace"].flatMap { ns in s.labels["pod"].map { "\(ns)/\($0)" } }
                })
            let held = Set(Self.pods(try await sim.source.podList.current().pages).pods.keys)
            // Churn may move on between the poll and the read of its pods: a few may differ.
            #expect(
                held.count > 10 && podInfo.symmetricDifference(held).count <= 3,
                "the poll's series are the watched pods: \(podInfo.count) in the poll, \(held.count) watched")
        }
    }
}
