import KubeglassCore
import Testing

@testable import Store

/// What a series' rollups count against `--memory-budget`: their tiers' own structures as well as the buckets.
/// The soak at 1,000 nodes found the store counting 117 MB of 200,000 series while the heap held about 400 MB:
/// each series' two tiers take 2 × 512 bytes before their first bucket, and were not counted.
struct RollupFixedBytesTests {
    @Test func aSeriesRollupsCountTheirTiersOwnStructures() {
        var rollups = Rollups(SeriesStore.Tier.standard, isCounter: false)
        rollups.add(Sample(time: 1_000, value: 1))
        rollups.add(Sample(time: 70_000, value: 2))
        let tiers = SeriesStore.Tier.standard.count
        #expect(MemoryLayout<RollupTier>.stride >= 256, "the tier's own struct is what this counts")
        #expect(rollups.bytes >= tiers * MemoryLayout<RollupTier>.stride, "\(rollups.bytes)")
    }

    @Test func theStoresPartsAddUpToItsCountAndIncludeTheTiers() {
        let store = SeriesStore(.init(retention: 60_000, interval: 10_000, maxSeries: 1000))
        for t in 0..<40 {
            for s in 0..<100 {
                store.append(
                    Labels(name: "m", ["pod": "p\(s)"]), Sample(time: Int64(t) * 10_000, value: Double(s + t)))
            }
        }
        let parts = store.estimatedBytesByPart
        #expect(parts.total == store.estimatedBytes)
        #expect(parts.tiers.count == 2)
        // Every one of the 100 series has rolled up: each tier counts at least its own struct a series.
        #expect(parts.tiers.allSatisfy { $0 >= 100 * MemoryLayout<RollupTier>.stride }, "\(parts)")
    }
}
