import Collectors
import Foundation
import KubeClient
import KubeglassCore
import Store
import Synchronization
import TestSupport
import Testing

@testable import Simulator

/// `--scrape URL`: real HTTP targets (a scripted server, `kubeglass sim`, a real node-exporter), each
/// series labelled with its target, `up` per target, and Prometheus' staleness.
@Suite struct ScrapeSourceTests {
    /// What the scripted target serves now.
    final class Served: Sendable {
        let text = Mutex("")
        func set(_ s: String) { text.withLock { $0 = s } }
    }

    func scriptedTarget(_ exposition: Served) async throws -> KubeClientTestServer {
        try await KubeClientTestServer(tls: nil) { _ in
            .respond(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4")],
                body: Array(exposition.text.withLock { $0 }.utf8))
        }
    }

    func value(_ store: SeriesStore, _ matchers: [LabelMatcher]) -> Double? {
        store.select(matchers).first?.samples.last?.value
    }

    @Test func labelsSeriesWithTheTargetAndMarksDroppedSeriesStale() async throws {
        let exposition = Served()
        exposition.set(
            """
            # TYPE requests_total counter
            requests_total{path="/a"} 10
            requests_total{path="/b"} 20
            # TYPE temperature gauge
            temperature{instance="sensor-1"} 21.5

            """)
        let server = try await scriptedTarget(exposition)
        let url = "http://127.0.0.1:\(server.port)/metrics"
        let source = ScrapeSource(id: "scrape", displayName: "test") { [try ScrapeTarget.url(url, job: "app")] }
        let store = SeriesStore(.init(retention: 60_000, interval: 1000))
        let clock = ManualClock(1_000_000)
        let poller = Poller(source: source, store: store, interval: 1000, clock: clock)
        let started = ContinuousClock.now
        let first = await poller.pollOnce()
        let elapsed = ContinuousClock.now - started
        #expect(first.state == .ok && first.warnings.isEmpty)
        let instance = "127.0.0.1:\(server.port)"
        #expect(
            value(
                store,
                [
                    .equal("__name__", "requests_total"), .equal("path", "/a"), .equal("job", "app"),
                    .equal("instance", instance),
                ]) == 10)
        #expect(
            value(
                store,
                [
                    .equal("__name__", "temperature"), .equal("exported_instance", "sensor-1"),
                    .equal("instance", instance),
                ]) == 21.5,
            "a scraped instance label is kept as exported_instance, as Prometheus does without honor_labels")
        #expect(value(store, [.equal("__name__", "up"), .equal("job", "app"), .equal("instance", instance)]) == 1)
        #expect(value(store, [.equal("__name__", "scrape_samples_scraped")]) == 3)
        let took = try #require(value(store, [.equal("__name__", "scrape_duration_seconds")]))
        // Within the poll's own wall time (not a fixed bound: a busy machine stretches both).
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        #expect(took > 0 && took <= elapsedSeconds + 0.001, "\(took) s against \(elapsedSeconds) s")
        #expect(server.seen.first?.header("Accept")?.contains("text/plain") == true)

        exposition.set("requests_total{path=\"/a\"} 11\ntemperature{instance=\"sensor-1\"} 22\n")
        clock.advance(by: 1000)
        await poller.pollOnce()
        let b = try #require(store.select([.equal("path", "/b")]).first)
        #expect(
            b.samples.count == 2 && b.samples.last!.isStaleMarker && b.samples.last!.time == 1_001_000,
            "the series the target dropped gets a staleness marker at the scrape")
        #expect(value(store, [.equal("path", "/a")]) == 11)
        await server.stop()
    }

    @Test func aDeadTargetIsDownAndOnlyItsSeriesGoStale() async throws {
        let exposition = Served()
        exposition.set("jobs_running 3\n")
        let alive = try await scriptedTarget(exposition)
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} } // refusing until the test ends
        let deadPort = refusing.port
        let dying = Served()
        dying.set("queue_length 7\n")
        var dyingServer: KubeClientTestServer? = try await scriptedTarget(dying)
        let dyingPort = dyingServer!.port
        let targets = [
            try ScrapeTarget.url("http://127.0.0.1:\(alive.port)/metrics", job: "t"),
            try ScrapeTarget.url("http://127.0.0.1:\(dyingPort)/metrics", job: "t"),
            try ScrapeTarget.url("http://127.0.0.1:\(deadPort)/metrics", job: "t"),
        ]
        let source = ScrapeSource(id: "scrape", displayName: "test", timeout: 5000) { targets }
        let store = SeriesStore(.init(retention: 60_000, interval: 1000))
        let clock = ManualClock(5_000_000)
        let poller = Poller(source: source, store: store, interval: 1000, clock: clock)
        let health = await poller.pollOnce()
        #expect(health.state == .ok, "a dead target does not fail the poll: the others' data is good")
        let warning = try #require(health.warnings.first)
        #expect(
            warning.contains("1 of 3 scrape targets are down") && warning.contains("127.0.0.1:\(deadPort)")
                && warning.contains("cannot connect"), "\(warning)")
        #expect(value(store, [.equal("__name__", "up"), .equal("instance", "127.0.0.1:\(deadPort)")]) == 0)
        #expect(value(store, [.equal("__name__", "up"), .equal("instance", "127.0.0.1:\(alive.port)")]) == 1)
        #expect(value(store, [.equal("__name__", "queue_length")]) == 7)

        await dyingServer?.stop()
        dyingServer = nil
        clock.advance(by: 1000)
        let after = await poller.pollOnce()
        #expect(after.warnings.first?.contains("2 of 3") == true)
        #expect(
            store.select([.equal("__name__", "queue_length")]).first?.samples.last?.isStaleMarker == true,
            "the dead target's series go stale")
        #expect(value(store, [.equal("__name__", "jobs_running")]) == 3, "the live target's series stay")
        #expect(value(store, [.equal("__name__", "up"), .equal("instance", "127.0.0.1:\(dyingPort)")]) == 0)
        await alive.stop()
    }

    @Test func honoursTimestampsInTheExposition() async throws {
        let exposition = Served()
        exposition.set("batch_last_success 1 1600000000123\nbatch_size 5\n")
        let server = try await scriptedTarget(exposition)
        let source = ScrapeSource(id: "scrape", displayName: "test") {
            [try ScrapeTarget.url("http://127.0.0.1:\(server.port)/metrics", job: "b")]
        }
        let store = SeriesStore(.init(retention: 600_000_000_000, interval: 1000))
        let poller = Poller(source: source, store: store, interval: 1000, clock: ManualClock(1_700_000_000_000))
        await poller.pollOnce()
        #expect(
            store.select([.equal("__name__", "batch_last_success")]).first?.samples.map(\.time) == [1_600_000_000_123],
            "the Prometheus text format gives milliseconds")
        #expect(store.select([.equal("__name__", "batch_size")]).first?.samples.map(\.time) == [1_700_000_000_000])
        await server.stop()
    }

    @Test func aBadExpositionSaysWhereItIsWrong() async throws {
        let exposition = Served()
        exposition.set("ok 1\nbroken{a=\"x\" 2\n")
        let server = try await scriptedTarget(exposition)
        let source = ScrapeSource(id: "scrape", displayName: "test") {
            [try ScrapeTarget.url("http://127.0.0.1:\(server.port)/metrics", job: "b")]
        }
        let batch = try await source.poll(at: 1000)
        let warning = try #require(batch.warnings.first)
        #expect(warning.contains("not valid Prometheus text exposition") && warning.contains("line 2"), "\(warning)")
        #expect(batch.series.contains { $0.labels.name == "up" && $0.value == 0 })
        await server.stop()
    }

    @Test func refusesWhatIsNotAnHTTPURL() throws {
        #expect(throws: ScrapeError.self) { try ScrapeTarget.url("ftp://host/metrics", job: "x") }
        #expect(throws: ScrapeError.self) { try ScrapeTarget.url("localhost:9100", job: "x") }
        #expect(try ScrapeTarget.url("http://example.com/metrics", job: "x").labels["instance"] == "example.com:80")
    }

    @Test func scrapesTheSimulatorsMetrics() async throws {
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: 3, pods: 30, seed: 7)
        config.port = 0
        config.httpPort = 0
        let sim = try SimulatorServer(config)
        try await sim.start()
        let url = try #require(sim.httpURL) + "/metrics"
        let source = ScrapeSource(id: "scrape", displayName: "sim") { [try ScrapeTarget.url(url, job: "sim")] }
        let batch = try await source.poll(at: 1000)
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")
        let info = batch.series.filter { $0.labels.name == "kube_pod_info" }
        #expect(info.count == 30)
        #expect(
            info.allSatisfy {
                $0.labels["job"] == "sim" && $0.labels["instance"] == url.dropFirst(7).prefix { $0 != "/" }.description
            })
        let cpu = batch.series.filter { $0.labels.name == "node_cpu_seconds_total" }
        #expect(
            Set(cpu.compactMap { $0.labels["exported_instance"] }).count == 3,
            "node-exporter's instances kept as exported_instance")
        await sim.stop()
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus-node-exporter"),
            "prometheus-node-exporter not found (apt-get install prometheus-node-exporter)"))
    func scrapesARealNodeExporter() async throws {
        let port = try freeLoopbackPort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-node-exporter-\(UUID().uuidString).log"
        ).path
        let exporter = try ChildProcess(
            "/usr/bin/prometheus-node-exporter", ["--web.listen-address=127.0.0.1:\(port)"], logPath: log)
        defer {
            exporter.stop()
            try? FileManager.default.removeItem(atPath: log)
        }
        let source = ScrapeSource(id: "scrape", displayName: "node") {
            [try ScrapeTarget.url("http://127.0.0.1:\(port)/metrics", job: "node")]
        }
        var batch = try await source.poll(at: 1000)
        let deadline = Date().addingTimeInterval(20)
        while !batch.warnings.isEmpty && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100)) // until the exporter listens
            batch = try await source.poll(at: 1000)
        }
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")
        let cpu = batch.series.filter { $0.labels.name == "node_cpu_seconds_total" }
        #expect(
            !cpu.isEmpty
                && cpu.allSatisfy {
                    $0.labels["mode"] != nil && $0.labels["instance"] == "127.0.0.1:\(port)"
                        && $0.labels["job"] == "node"
                })
        #expect(
            batch.series.contains { $0.labels.name == "go_gc_duration_seconds_count" },
            "summaries arrive as their _count/_sum/quantile series")
        #expect(batch.series.contains { $0.labels.name == "up" && $0.value == 1 })
    }

    @Test func scrapesEveryKubeletThroughTheSimulatorsNodeProxy() async throws {
        var config = Simulator.Configuration()
        config.cluster = .init(nodes: 3, pods: 20, seed: 3)
        config.port = 0
        config.httpPort = nil
        let sim = try SimulatorServer(config)
        try await sim.start()
        let folder = try TempFolder()
        let path = try folder.write("kubeconfig", sim.kubeconfig(authentication: .token))
        let access = try KubeconfigLoader.parse(file: path).resolve(context: nil)
        let client = try KubeClient(access)
        let source = KubeletTargets.source(transport: client, contextName: "sim")
        let batch = try await source.poll(at: 1000)
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")
        let nodes = sim.api.cluster.nodes.map(\.name)
        let up = batch.series.filter { $0.labels.name == "up" }
        #expect(up.count == 2 * nodes.count && up.allSatisfy { $0.value == 1 })
        #expect(Set(up.compactMap { $0.labels["metrics_path"] }) == ["/metrics/cadvisor", "/metrics/resource"])
        let cadvisor = batch.series.filter {
            $0.labels.name == "container_cpu_usage_seconds_total" && $0.labels["metrics_path"] == "/metrics/cadvisor"
        }
        #expect(
            !cadvisor.isEmpty
                && cadvisor.allSatisfy {
                    $0.labels["node"] == $0.labels["instance"] && nodes.contains($0.labels["node"] ?? "")
                        && $0.labels["job"] == "kubelet"
                })
        #expect(
            !cadvisor.contains { $0.labels["exported_instance"] != nil }, "the kubelet itself adds no instance label")
        let nodeCPU = batch.series.filter { $0.labels.name == "node_cpu_usage_seconds_total" }
        #expect(Set(nodeCPU.compactMap { $0.labels["node"] }) == Set(nodes))
        #expect(nodeCPU.allSatisfy { batch.explicitTimes[$0.labels] != nil }, "resource metrics carry their own times")
        for name in [
            "node_memory_working_set_bytes", "container_memory_working_set_bytes", "pod_cpu_usage_seconds_total",
            "pod_memory_working_set_bytes",
        ] {
            #expect(batch.series.contains { $0.labels.name == name }, "\(name)")
        }
        await client.shutdown()
        await sim.stop()
    }
}
