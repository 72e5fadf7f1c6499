import ArgumentParser
import Collectors
import DemoCluster
import Foundation
import KubeglassCore
import Store

/// `kubeglass bench-store` (hidden; scripts/bench-store and scripts/store-memory run it): what the store costs
/// per sample and per series, in the release binary. It reports, it does not assert.
///
/// 1. An hour of the demo cluster's real series (every metric the demo source gives, at 5 s) poured into a
///    store: the heap measured before and after (malloc's own figures), the bytes of compressed samples the
///    store counts, the part each metric takes, and the peak RSS of `kubeglass query --state-dir` holding it.
/// 2. `--days` of the demo at 30 s: every rollup tier full, and the memory the budget counts.
/// 3. The synthetic shape of 6,500 series, half of them constant (`store memory:` lines).
///
/// `--export-hour FILE` writes the hour as Prometheus' text format with timestamps in milliseconds, the body
/// VictoriaMetrics' `/api/v1/import/prometheus` takes: scripts/bench-store pours it into VictoriaMetrics as
/// the second anchor.
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store",
        abstract: "Measure the store's bytes per sample and per series (the store benchmark).",
        shouldDisplay: false)

    @Option(name: .long, help: ArgumentHelp("Days of rollups to build at 30 s (0: none).", valueName: "n"))
    var days: Double = 8

    @Option(name: .long, help: ArgumentHelp("Write the demo hour here, for an import.", valueName: "file"))
    var exportHour: String?

    @Option(
        name: .long, help: ArgumentHelp("Polls in the hour at 5 s, and samples a synthetic series.", valueName: "n"))
    var polls: Int = 721

    func validate() throws {
        guard polls >= 2 else { throw ValidationError("--polls must be at least 2") }
        guard days >= 0 else { throw ValidationError("--days must not be negative") }
    }

    func run() throws {
        if let exportHour, !FileManager.default.createFile(atPath: exportHour, contents: nil) {
            throw ValidationError("cannot write --export-hour \(exportHour): \(String(cString: strerror(errno)))")
        }
        demoHour(nodes: 12, pods: 300, polls: polls)
        if days > 0 { demoRollups(days: days) }
        syntheticShape(samples: polls)
    }

    static func megabytes(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1e6) }
    static func ratio(_ bytes: Int, _ samples: Int) -> String {
        String(format: "%.2f", Double(bytes) / Double(max(1, samples)))
    }
    static func heapBytes() -> Int { MallocFigures.read().inUse }
    static func rssBytes() -> Int { SoakCommand.rssBytes() }

    func demoHour(nodes: Int, pods: Int, polls: Int) {
        let cluster = ClusterModel(.init(nodes: nodes, pods: pods))
        let source = DemoClusterSource(cluster: cluster)
        let start = cluster.createdAt
        let heap0 = Self.heapBytes()
        let rss0 = Self.rssBytes()
        var store: SeriesStore! = SeriesStore(
            .init(retention: Milliseconds.hour, interval: 5_000, maxSeries: 5_000_000))
        let clock = ContinuousClock()
        var appendTime = Duration.zero
        var export = exportHour.flatMap { fopen($0, "w") }
        for i in 0..<polls {
            let batch = source.snapshot(at: start + Int64(i) * 5_000)
            appendTime += clock.measure { _ = store.append(batch.series, at: batch.time) }
            if let file = export { Self.write(batch, to: file) }
        }
        if let file = export {
            fclose(file)
            export = nil
        }
        let heap = Self.heapBytes() - heap0
        let rss = Self.rssBytes() - rss0
        let f = store.footprint
        func perSample(_ bytes: Int) -> String {
            String(format: "%.2f B/sample", Double(bytes) / Double(max(1, f.samples)))
        }
        print(
            "bench-store: demo \(nodes) nodes \(pods) pods: \(f.series) series x \(polls) polls = \(f.samples) samples kept"
        )
        print(
            "bench-store:   B/sample: overall \(Self.ratio(f.sampleBytes, f.samples)), changing \(Self.ratio(f.sampleBytes - f.constantBytes, f.samples - f.constantSamples)) (\(f.series - f.constantSeries) series), constant \(Self.ratio(f.constantBytes, f.constantSamples)) (\(f.constantSeries) series)"
        )
        print(
            "bench-store:   compressed samples \(Self.megabytes(f.sampleBytes)) (\(perSample(f.sampleBytes))); heap +\(Self.megabytes(heap)) (\(perSample(heap)) with labels, index and per-series costs); RSS +\(Self.megabytes(rss))"
        )
        // The labels were built with the source, before the heap was first measured: what the heap grew
        // beyond the samples' bytes is what the store spends per series (entries, indexes, buffers).
        print(
            "bench-store:   B/series fixed (heap growth less sample bytes, label strings excluded): \((heap - f.sampleBytes - f.rollupBytes) / max(1, f.series))"
        )
        print("bench-store:   append \(String(format: "%.1f", Self.milliseconds(appendTime))) ms for \(polls) polls")
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
        let rssHolding = Self.rssBytes()
        let heapHolding = Self.heapBytes()
        let held = peakRSSOfAProcessHolding(store, at: start + Int64(polls) * 5_000)
        store = nil
        let freed = heapHolding - Self.heapBytes()
        print(
            "bench-store:   heap freed when the store goes: \(Self.megabytes(freed)) (\((freed - f.sampleBytes - f.rollupBytes) / max(1, f.series)) B/series besides samples); RSS of this process holding the hour: \(Self.megabytes(rssHolding))"
        )
        if let held {
            print(
                "bench-store:   peak RSS of kubeglass query --state-dir holding the hour: \(Self.megabytes(held.kilobytes * 1024)) (goal: at most 60 MB); it answered: \(held.answer.prefix(120))"
            )
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// One poll's series as Prometheus text lines, each with the poll's time in milliseconds.
    static func write(_ batch: SampleBatch, to file: UnsafeMutablePointer<FILE>) {
        func number(_ v: Double) -> String { v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "+Inf" : "-Inf") : "\(v)" }
        func escaped(_ v: String) -> String {
            v.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
        }
        for (labels, value) in batch.series {
            let rest = labels.pairs.filter { $0.name != Labels.metricName }.map {
                "\($0.name)=\"\(escaped($0.value))\""
            }
            fputs("\(labels.name ?? ""){\(rest.joined(separator: ","))} \(number(value)) \(batch.time)\n", file)
        }
    }

    /// The peak RSS of this binary holding what `store` holds: the store saved to a state directory and read back
    /// by `kubeglass query --state-dir` (which loads it all, then answers a query over it), as `/usr/bin/time`
    /// reports it. nil when `time` is missing.
    func peakRSSOfAProcessHolding(_ store: SeriesStore, at now: Timestamp) -> (kilobytes: Int, answer: String)? {
        let time = "/usr/bin/time"
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
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

    /// `days` of the demo at 30 s: every rollup tier full, and the memory the budget counts.
    func demoRollups(days: Double) {
        let cluster = ClusterModel(.init(nodes: 12, pods: 300))
        let source = DemoClusterSource(cluster: cluster)
        let start = cluster.createdAt
        let heap0 = Self.heapBytes()
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 30_000, maxSeries: 5_000_000))
        let polls = Int(days * Double(Milliseconds.day) / 30_000)
        let clock = ContinuousClock()
        let took = clock.measure {
            for i in 0..<polls {
                let batch = source.snapshot(at: start + Int64(i) * 30_000)
                _ = store.append(batch.series, at: batch.time)
            }
        }
        let heap = Self.heapBytes() - heap0
        let f = store.footprint
        let use = store.heapUse
        print(
            "bench-store: demo \(String(format: "%g", Double(polls) * 30_000 / Double(Milliseconds.day))) days at 30 s: \(f.series) series, \(f.samples) raw samples in \(Self.megabytes(f.sampleBytes)), \(f.buckets) buckets in \(Self.megabytes(f.rollupBytes)) (\(String(format: "%.2f", Double(f.rollupBytes) / Double(max(1, f.buckets)))) B/bucket, \(String(format: "%.2f", Double(f.rollupBytes) / Double(max(1, f.series)) / 1024)) KiB/series)"
        )
        print(
            "bench-store:   heap +\(Self.megabytes(heap)); the store counts \(Self.megabytes(store.estimatedBytes)) against --memory-budget; \(polls) polls appended in \(took)"
        )
        for line in use.lines { print("bench-store:     heap \(line)") }
        print(
            "bench-store:   B/series fixed (measured parts, label strings excluded): \(use.fixed / max(1, use.series)); with rollup state: \((use.fixed + use.rollupState) / max(1, use.series))"
        )
    }

    /// A store with the default demo's shape (6,500 series × 721 samples at 5 s, half of them constant): the
    /// heap it grew by, with labels and index, and the compressed bytes per sample.
    func syntheticShape(samples: Int) {
        func fill(constant: Int, changing: Int, samples: Int) -> (SeriesStore, heap: Int, rss: Int) {
            let heap0 = Self.heapBytes()
            let rss0 = Self.rssBytes()
            let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 5_000))
            let labels = (0..<(constant + changing)).map {
                Labels(name: $0 < constant ? "kube_pod_requests" : "cpu", ["pod": "p\($0)"])
            }
            var batch: [(Labels, Sample)] = []
            batch.reserveCapacity(labels.count)
            for i in 0..<samples {
                // The wall clock of a poller: nearly every 5 s, a few milliseconds late now and then.
                let time = Int64(1_700_000_000_000) + Int64(i) * 5_000 + Int64(i % 7 == 3 ? 2 : 0)
                batch.removeAll(keepingCapacity: true)
                for (n, l) in labels.enumerated() {
                    let value = n < constant ? 1.0 : Double(n) * 1.5 + sin(Double(i) / 10) * 100
                    batch.append((l, Sample(time: time, value: value)))
                }
                store.append(batch)
            }
            return (store, Self.heapBytes() - heap0, Self.rssBytes() - rss0)
        }
        let total = samples * 6_500
        let (store, heap, rss) = fill(constant: 3_250, changing: 3_250, samples: samples)
        let f = store.footprint
        print(
            "store memory: demo shape 6500 series x \(samples) samples, half constant: heap +\(heap) B (\(String(format: "%.2f", Double(heap) / Double(total))) B/sample), RSS +\(rss) B"
        )
        print(
            "store memory: compressed B/sample: overall \(Self.ratio(f.sampleBytes, f.samples)), changing \(Self.ratio(f.sampleBytes - f.constantBytes, f.samples - f.constantSamples)), constant \(Self.ratio(f.constantBytes, f.constantSamples)); B/series fixed (heap less samples, labels included): \((heap - f.sampleBytes) / max(1, f.series))"
        )
        for (name, constant, changing) in [("constant", 3_000, 0), ("changing", 0, 3_000)] {
            let (_, heap, _) = fill(constant: constant, changing: changing, samples: samples)
            print(
                "store memory: \(name) series: heap +\(heap) B for 3000 x \(samples) samples: \(String(format: "%.2f", Double(heap) / Double(3_000 * samples))) B/sample, labels and index included"
            )
        }
    }
}
