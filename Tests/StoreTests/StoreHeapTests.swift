import KubeglassCore
import Testing

@testable import Store

/// The bytes the memory budget counts follow what the store's allocations measure (`heapUse`, each one
/// sized by malloc), for series with raw samples only and for series with rollups too.
struct StoreHeapTests {
    /// `pods` pods of 20 series each (a pod's share one array of pairs, as sources make them), `polls` polls
    /// 5 s apart, half of the series constant.
    static func filled(pods: Int, polls: Int, retention: Milliseconds) -> SeriesStore {
        let store = SeriesStore(.init(retention: retention, interval: 5_000, tiers: SeriesStore.Tier.standard))
        let series = (0..<pods).flatMap { p in
            let shared = SharedLabels([
                "namespace": "team-\(p % 7)", "pod": "deployment-\(p)-5f6d7e8f9-abcde",
                "node": "gke-pool-1-node-\(p % 12)",
            ])
            return (0..<20).map { m in shared.labels(name: "kubeglass_metric_number_\(m)") }
        }
        for i in 0..<polls {
            store.append(
                series.enumerated().map { n, labels in (labels, n % 2 == 0 ? 1.0 : Double(n * 1_000 + i * (n % 13))) },
                at: 1_700_000_000_000 + Int64(i) * 5_000)
        }
        return store
    }

    @Test func theBudgetCountsWhatTheHeapHolds() {
        for (retention, polls) in [(Milliseconds.hour, 120), (10 * Milliseconds.minute, 480)] {
            let store = Self.filled(pods: 100, polls: polls, retention: retention)
            let use = store.heapUse
            #expect(use.series == 2_000)
            // The measured fixed cost a series (label strings included) is within what the budget counts.
            let fixed = (use.fixed + use.labelStrings) / use.series
            #expect(fixed <= SeriesStore.bytesPerSeries, "measured \(fixed) B a series")
            #expect(fixed * 2 >= SeriesStore.bytesPerSeries, "measured \(fixed) B a series: the constant is stale")
            // And the budget's whole count is within a quarter of the measured heap.
            let measured = use.total
            let counted = store.estimatedBytes
            #expect(
                counted >= measured * 3 / 4 && counted <= measured * 5 / 4, "counted \(counted), measured \(measured)")
            if retention < Milliseconds.hour {
                #expect(use.rollupState > 0 && use.rollupWords > 0, "a short retention rolls samples up")
            } else {
                #expect(use.rollupState == 0)
            }
        }
    }
}
