import Collectors
import DemoCluster
import Foundation
import KubeglassCore
import Store
import TestSupport
import Testing

/// `scripts/bench-store`: an hour of the demo cluster's real series (every metric the demo source
/// gives, at 5 s) poured into a store, and what it costs: the heap measured before and after,
/// and the bytes of compressed samples the store counts. It reports, it does not assert.
///
/// Serialized: the heap figures come from malloc's statistics for the whole process, and a test running
/// beside another counted the other's allocations too (the demo hour read 4,600 B a series fixed beside the
/// week of rollups, 440 on its own).
@Suite(.serialized)
struct StoreFootprintBench {
    static var enabled: Bool { ProcessInfo.processInfo.environment["KUBEGLASS_BENCH_STORE"] != nil }

    static func megabytes(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1e6) }

    func run(nodes: Int, pods: Int, polls: Int) {
        let cluster = ClusterModel(.init(nodes: nodes, pods: pods))
        let source = DemoClusterSource(cluster: cluster)
        let start = cluster.createdAt
        let heap0 = ProcessMemory.heapBytes()
        let rss0 = ProcessMemory.rssBytes()
        var store: SeriesStore! = SeriesStore(
            .init(retention: Milliseconds.hour, interval: 5_000, maxSeries: 5_000_000))
        let clock = ContinuousClock()
        var appendTime = Duration.zero
        for i in 0..<polls {
            let batch = source.snapshot(at: start + Int64(i) * 5_000)
            appendTime += clock.measure { _ = store.append(batch.series, at: batch.time) }
        }
        let heap = ProcessMemory.heapBytes() - heap0
        let rss = ProcessMemory.rssBytes() - rss0
        let f = store.footprint
        func perSample(_ bytes: Int) -> String { String(format: "%.2f B/sample", Double(bytes) / Double(f.samples)) }
        print(
            "bench-store: demo \(nodes) nodes \(pods) pods: \(f.series) series x \(polls) polls = \(f.samples) samples kept"
        )
        func ratio(_ bytes: Int, _ samples: Int) -> String {
            String(format: "%.2f", Double(bytes) / Double(max(1, samples)))
        }
        print(
            "bench-store:   B/sample: overall \(ratio(f.sampleBytes, f.samples)), changing \(ratio(f.sampleBytes - f.constantBytes, f.samples - f.constantSamples)) (\(f.series - f.constantSeries) series), constant \(ratio(f.constantBytes, f.constantSamples)) (\(f.constantSeries) series)"
        )
        print(
            "bench-store:   compressed samples \(Self.megabytes(f.sampleBytes)) (\(perSample(f.sampleBytes))); heap +\(Self.megabytes(heap)) (\(perSample(heap)) with labels, index and per-series costs); RSS +\(Self.megabytes(rss))"
        )
        // The labels were built with the source, before the heap was first measured: what the heap grew
        // beyond the samples' bytes is what the store spends per series (entries, indexes, buffers).
        print(
            "bench-store:   B/series fixed (heap growth less sample bytes, label strings excluded): \((heap - f.sampleBytes - f.rollupBytes) / max(1, f.series))"
        )
        print(
            "bench-store:   append \(String(format: "%.1f", Double(appendTime.components.attoseconds) / 1e15 + Double(appendTime.components.seconds) * 1000)) ms for \(polls) polls"
        )
        for (name, m) in f.byMetric.sorted(by: { $0.value.bytes > $1.value.bytes }).prefix(12) {
            print(
                "bench-store:     \(name): \(String(format: "%.2f", Double(m.bytes) / Double(m.samples))) B/sample, \(Self.megabytes(m.bytes))"
            )
        }
        // The newest value of every series is exact.
        let last = source.snapshot(at: start + Int64(polls - 1) * 5_000)
        let kept = Dictionary(
            uniqueKeysWithValues: store.select([try! LabelMatcher(Labels.metricName, .regex, ".+")]).map {
                ($0.labels, $0.samples.last?.value.bitPattern)
            })
        let wrong = last.series.filter { kept[$0.labels] != $0.value.bitPattern }.count
        print("bench-store:   newest values that differ from the source's: \(wrong)")
        // Where the heap goes, part by part (each allocation measured by malloc), and what malloc gets back
        // when the store goes: the store's whole heap, measured.
        let use = store.heapUse
        for line in use.lines { print("bench-store:     heap \(line)") }
        print(
            "bench-store:   B/series fixed (measured parts, label strings excluded): \(use.fixed / max(1, use.series)); with label strings: \((use.fixed + use.labelStrings) / max(1, use.series)); the store counts \(SeriesStore.bytesPerSeries)"
        )
        let rssHolding = ProcessMemory.rssBytes()
        let heapHolding = ProcessMemory.heapBytes()
        let held = peakRSSOfAProcessHolding(store, at: start + Int64(polls) * 5_000)
        store = nil
        let freed = heapHolding - ProcessMemory.heapBytes()
        print(
            "bench-store:   heap freed when the store goes: \(Self.megabytes(freed)) (\((freed - f.sampleBytes - f.rollupBytes) / max(1, f.series)) B/series besides samples); RSS of this test process holding the hour: \(Self.megabytes(rssHolding))"
        )
        if let held {
            print(
                "bench-store:   peak RSS of kubeglass query --state-dir holding the hour: \(Self.megabytes(held.kilobytes * 1024)) (goal: at most 60 MB); it answered: \(held.answer.prefix(120))"
            )
        }
    }

    /// The peak RSS of the real binary holding what `store` holds: the store saved to a state directory and
    /// read back by `kubeglass query --state-dir` (which loads it all, then answers a query over it), as
    /// `/usr/bin/time` reports it. nil when the binary or `time` is missing.
    func peakRSSOfAProcessHolding(_ store: SeriesStore, at now: Timestamp) -> (kilobytes: Int, answer: String)? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("kubeglass").path
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: binary), FileManager.default.isExecutableFile(atPath: time)
        else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-store-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        guard (try? StoreFile.save(store, identity: "bench", to: directory + "/bench.store", now: now)) != nil else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: time)
        process.arguments = [
            "-f", "peak-rss-kb %M", binary, "query", "count(kubeglass_pod_cpu_usage_cores)", "--state-dir", directory,
            "--demo",
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("peak-rss-kb ") }),
            let kb = Int(line.dropFirst("peak-rss-kb ".count))
        else { return nil }
        let answer = text.split(separator: "\n").filter { !$0.hasPrefix("peak-rss-kb ") }.joined(separator: " | ")
        return (kb, answer)
    }

    @Test(.enabled(if: StoreFootprintBench.enabled)) func demoHour() {
        run(nodes: 12, pods: 300, polls: 721)
    }

    /// The same hour poured into VictoriaMetrics 1.79 (Debian's) through its import API, as a second
    /// anchor: what it keeps per sample, `vm_data_size_bytes` ÷ `vm_rows` from its /metrics summed over
    /// its sample storage (`storage/small`, `storage/big`), and with its label index (`indexdb`) too.
    @Test(
        .enabled(
            if: StoreFootprintBench.enabled
                && FileManager.default.isExecutableFile(atPath: VictoriaMetricsServer.binary)
        ))
    func demoHourInVictoriaMetrics() async throws {
        let polls = 721
        let cluster = ClusterModel(.init(nodes: 12, pods: 300))
        let source = DemoClusterSource(cluster: cluster)
        let start = cluster.createdAt
        let server = try await VictoriaMetricsServer()
        defer { server.stop() }
        func number(_ v: Double) -> String { v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "+Inf" : "-Inf") : "\(v)" }
        func escaped(_ v: String) -> String {
            v.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
        }
        var imported = 0
        var text = ""
        for i in 0..<polls {
            let batch = source.snapshot(at: start + Int64(i) * 5_000)
            for (labels, value) in batch.series {
                let name = labels.name ?? ""
                let rest = labels.pairs.filter { $0.name != Labels.metricName }.map {
                    "\($0.name)=\"\(escaped($0.value))\""
                }
                text += "\(name){\(rest.joined(separator: ","))} \(number(value)) \(batch.time)\n"
                imported += 1
            }
            if i % 60 == 59 || i == polls - 1 {
                try server.importPrometheus(text)
                text = ""
            }
        }
        server.flush()
        _ = try? curl(server.url + "/internal/force_merge")
        server.flush()
        let metrics = try #require(try curl(server.url + "/metrics"))
        func sum(_ name: String, _ types: [String]) -> Double {
            metrics.split(separator: "\n").reduce(0) { total, line in
                guard let type = types.first(where: { line.hasPrefix("\(name){type=\"\($0)\"} ") }) else {
                    return total
                }
                return total + (Double(line.dropFirst("\(name){type=\"\(type)\"} ".count)) ?? 0)
            }
        }
        let storage = ["storage/small", "storage/big"]
        let bytes = sum("vm_data_size_bytes", storage)
        let rows = sum("vm_rows", storage)
        let index = sum("vm_data_size_bytes", ["indexdb"])
        print(
            "bench-store-vm: VictoriaMetrics, the same demo hour (12 nodes 300 pods, \(polls) polls, \(imported) samples imported, \(Int(rows)) rows): \(String(format: "%.2f", bytes / max(1, rows))) B/sample, \(String(format: "%.2f", (bytes + index) / max(1, rows))) with its label index (\(Self.megabytes(Int(bytes))) + \(Self.megabytes(Int(index))))"
        )
    }

    /// Eight days of the demo at 30 s: every rollup tier full, and the memory the budget counts.
    @Test(.enabled(if: StoreFootprintBench.enabled)) func demoWeekOfRollups() {
        let cluster = ClusterModel(.init(nodes: 12, pods: 300))
        let source = DemoClusterSource(cluster: cluster)
        let start = cluster.createdAt
        let heap0 = ProcessMemory.heapBytes()
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 30_000, maxSeries: 5_000_000))
        let polls = Int(
            (Double(ProcessInfo.processInfo.environment["KUBEGLASS_BENCH_DAYS"] ?? "8") ?? 8) * Double(Milliseconds.day)
                / 30_000)
        let clock = ContinuousClock()
        let took = clock.measure {
            for i in 0..<polls {
                let batch = source.snapshot(at: start + Int64(i) * 30_000)
                _ = store.append(batch.series, at: batch.time)
            }
        }
        let heap = ProcessMemory.heapBytes() - heap0
        let f = store.footprint
        let use = store.heapUse
        print(
            "bench-store: demo \(String(format: "%g", Double(polls) * 30_000 / Double(Milliseconds.day))) days at 30 s: \(f.series) series, \(f.samples) raw samples in \(Self.megabytes(f.sampleBytes)), \(f.buckets) buckets in \(Self.megabytes(f.rollupBytes)) (\(String(format: "%.2f", Double(f.rollupBytes) / Double(f.buckets))) B/bucket, \(String(format: "%.2f", Double(f.rollupBytes) / Double(f.series) / 1024)) KiB/series)"
        )
        print(
            "bench-store:   heap +\(Self.megabytes(heap)); the store counts \(Self.megabytes(store.estimatedBytes)) against --memory-budget; \(polls) polls appended in \(took)"
        )
        for line in use.lines { print("bench-store:     heap \(line)") }
        print(
            "bench-store:   B/series fixed (measured parts, label strings excluded): \(use.fixed / max(1, use.series)); with rollup state: \((use.fixed + use.rollupState) / max(1, use.series))"
        )
    }
}
