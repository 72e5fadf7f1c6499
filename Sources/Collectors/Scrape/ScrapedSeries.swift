import KubeglassCore

/// Turns one target's exposition into the series Prometheus would store for it.
enum ScrapedSeries {
    /// The exposition's samples with the target's labels added. A label the exposition already has
    /// is kept as `exported_<name>` (Prometheus' `honor_labels: false`).
    static func add(_ samples: [OpenMetricsSample], target: [String: String], to batch: inout SampleBatch) {
        let targetPairs = target.map { Label($0.key, $0.value) }
        let targetNames = Set(target.keys)
        batch.series.reserveCapacity(batch.series.count + samples.count)
        for s in samples {
            // Prometheus does not store the `_created` series of OpenMetrics counters and histograms.
            if s.labels.name?.hasSuffix("_created") == true { continue }
            var pairs: [Label] = []
            pairs.reserveCapacity(s.labels.pairs.count + targetPairs.count)
            for p in s.labels.pairs {
                pairs.append(targetNames.contains(p.name) ? Label("exported_" + p.name, p.value) : p)
            }
            pairs += targetPairs
            let labels = Labels(pairs)
            batch.series.append((labels, s.value))
            if let t = s.time { batch.explicitTimes[labels] = t }
        }
    }
}
