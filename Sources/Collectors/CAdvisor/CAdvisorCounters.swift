import KubeAPI
import KubeglassCore

/// Cumulative cAdvisor counters turned into per-second rates: between the two newest stats of one
/// answer when it has two (cAdvisor keeps about a minute of them), else between this poll and the last.
/// A counter that went back (a restarted container) counts from zero, as Prometheus' `rate` does.
struct CAdvisorCounters {
    private var last: [String: (value: UInt64, time: Timestamp)] = [:]
    private var seen = Set<String>()

    /// `key` names the counter across polls (node, cgroup and field).
    mutating func rate(_ key: String, _ stats: [CAdvisor.Stats], _ value: (CAdvisor.Stats) -> UInt64?) -> Double? {
        guard let newestIndex = stats.lastIndex(where: { value($0) != nil }) else { return nil }
        let newest = (value: value(stats[newestIndex])!, time: stats[newestIndex].time)
        seen.insert(key)
        defer { last[key] = newest }
        var before: (value: UInt64, time: Timestamp)?
        if let i = stats[..<newestIndex].lastIndex(where: { value($0) != nil && $0.time < newest.time }) {
            before = (value(stats[i])!, stats[i].time)
        } else if let previous = last[key], previous.time < newest.time {
            before = previous
        }
        guard let before else { return nil }
        return Self.rate(from: before, to: newest)
    }

    static func rate(from a: (value: UInt64, time: Timestamp), to b: (value: UInt64, time: Timestamp)) -> Double {
        let increase = b.value >= a.value ? b.value - a.value : b.value
        return Double(increase) * 1000 / Double(b.time - a.time)
    }

    /// Drops counters not read since the last call, so containers that went away do not pile up.
    mutating func forgetUnseen() {
        last = last.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}
