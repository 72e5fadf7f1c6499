import Foundation
import KubeglassCore
import Store
import TestSupport
import Testing

/// Fills a store with the default demo's shape (6,500 series × 721 samples at 5 s, half of them
/// constant) and prints the heap growth. It reports, it does not assert: run it with
/// `KUBEGLASS_STORE_MEMORY=1` (scripts/store-memory does).
struct StoreMemoryTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["KUBEGLASS_STORE_MEMORY"] != nil }

    static func heapBytes() -> Int { ProcessMemory.heapBytes() }
    static func rssBytes() -> Int { ProcessMemory.rssBytes() }

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

    @Test(.enabled(if: StoreMemoryTests.enabled)) func demoShape() {
        let samples = 721
        let total = samples * 6_500
        let (store, heap, rss) = fill(constant: 3_250, changing: 3_250, samples: samples)
        let f = store.footprint
        func ratio(_ bytes: Int, _ samples: Int) -> String {
            String(format: "%.2f", Double(bytes) / Double(max(1, samples)))
        }
        print(
            "store memory: demo shape 6500 series x \(samples) samples, half constant: heap +\(heap) B (\(String(format: "%.2f", Double(heap) / Double(total))) B/sample), RSS +\(rss) B"
        )
        print(
            "store memory: compressed B/sample: overall \(ratio(f.sampleBytes, f.samples)), changing \(ratio(f.sampleBytes - f.constantBytes, f.samples - f.constantSamples)), constant \(ratio(f.constantBytes, f.constantSamples)); B/series fixed (heap less samples, labels included): \((heap - f.sampleBytes) / f.series)"
        )
        #expect(store.seriesCount == 6_500)

        for (name, constant, changing) in [("constant", 3_000, 0), ("changing", 0, 3_000)] {
            let (s, heap, _) = fill(constant: constant, changing: changing, samples: samples)
            let perSample = Double(heap) / Double(3_000 * samples)
            print(
                "store memory: \(name) series: heap +\(heap) B for 3000 x \(samples) samples: \(String(format: "%.2f", perSample)) B/sample, labels and index included"
            )
            #expect(s.seriesCount == 3_000)
        }
    }
}
