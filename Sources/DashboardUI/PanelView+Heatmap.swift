import Dashboards
import KubeglassCore
import TerminalUI

/// A heatmap's rows from a panel's series: histogram buckets when every series has an `le` label, else one
/// row per series.
extension PanelView {
    static func isHistogram(_ series: [PanelSeries]) -> Bool {
        !series.isEmpty && series.allSatisfy { $0.labels["le"] != nil }
    }

    /// Top row first. Buckets: the series of one `le` summed (histograms of many pods make one), each bucket
    /// less the one below it (Prometheus' buckets count everything up to their bound), the widest on top,
    /// named by their bound in the panel's unit. Series: in query order, named as the legend says.
    static func heatmapRows(_ series: [PanelSeries], unit: DisplayUnit) -> [Heatmap.Row] {
        guard isHistogram(series) else {
            return series.map {
                Heatmap.Row(name: $0.name, times: $0.points.map(\.time), values: $0.points.map(\.value))
            }
        }
        var byBound: [Double: (text: String, series: PanelSeries)] = [:]
        for s in series {
            let text = s.labels["le"] ?? ""
            let bound = text == "+Inf" ? Double.infinity : Double(text) ?? .nan
            guard !bound.isNaN else { continue }
            guard var sum = byBound[bound] else {
                byBound[bound] = (text, s)
                continue
            }
            for i in sum.series.points.indices where i < s.points.count {
                if let v = s.points[i].value { sum.series.points[i].value = (sum.series.points[i].value ?? 0) + v }
            }
            byBound[bound] = sum
        }
        let bounds = byBound.keys.sorted()
        var rows: [Heatmap.Row] = []
        var below: [Double?] = []
        for bound in bounds {
            let s = byBound[bound]!.series
            let cumulative = s.points.map(\.value)
            let own = cumulative.enumerated().map { i, v -> Double? in
                guard let v else { return nil }
                let under = i < below.count ? below[i] ?? 0 : 0
                return max(0, v - under)
            }
            below = cumulative
            let name = bound.isInfinite ? "+Inf" : unit.format(bound)
            rows.append(Heatmap.Row(name: name, times: s.points.map(\.time), values: own))
        }
        return rows.reversed()
    }
}
