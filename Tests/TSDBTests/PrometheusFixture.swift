import Foundation
import TestSupport

/// Two hours of counters and gauges every 15 s, as OpenMetrics text for promtool: deterministic
/// history that a real Prometheus serves, including NaN and ±Inf values.
enum PrometheusFixture {
    /// 2023-11-14T22:13:20Z.
    static let base: Int64 = 1_700_000_000_000
    static let end: Int64 = base + 2 * 3_600_000
    static let instances = 20

    static func text() -> String {
        var rng = SplitMix64(state: 7)
        var out = ""
        func line(_ name: String, _ labels: String, _ value: String, _ t: Int64) {
            out += "\(name){\(labels)} \(value) \(t / 1000)\n"
        }
        let times = stride(from: base, through: end, by: 15_000).map { $0 }
        out += "# TYPE kg_requests counter\n# HELP kg_requests Requests served.\n"
        for i in 0..<instances {
            for code in ["200", "500"] {
                var value = Double(Int.random(in: 0...1000, using: &rng))
                for t in times {
                    value += Double(Int.random(in: 0...40, using: &rng))
                    line("kg_requests_total", "job=\"api\",instance=\"i\(i)\",code=\"\(code)\"", String(Int(value)), t)
                }
            }
        }
        out += "# TYPE kg_temperature gauge\n"
        for zone in ["a", "b", "c"] {
            for t in times {
                line(
                    "kg_temperature", "zone=\"\(zone)\"",
                    String(Double(Int.random(in: -500...3000, using: &rng)) / 100), t)
            }
        }
        out += "# TYPE kg_odd gauge\n"
        for (kind, value) in [("nan", "NaN"), ("inf", "+Inf"), ("neginf", "-Inf")] {
            for t in times { line("kg_odd", "kind=\"\(kind)\"", value, t) }
        }
        return out + "# EOF\n"
    }
}
