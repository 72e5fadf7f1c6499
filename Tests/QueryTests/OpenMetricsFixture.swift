import Collectors
import Foundation
import KubeglassCore
import Store
import TestSupport

/// An hour of counters and gauges at about 15 s, written as OpenMetrics text with timestamps —
/// the one input both our store and promtool's block builder read.
enum OpenMetricsFixture {
    /// 2023-11-14T22:13:20Z; sample times are multiples of 125 ms, exact in binary floating point.
    static let base: Int64 = 1_700_000_000_000

    static func text() -> String {
        var rng = SplitMix64(state: 2024)
        var out = ""
        func time(_ i: Int) -> Int64 { base + Int64(i) * 15_000 + Int64(Int.random(in: 0...8, using: &rng)) * 125 }
        func line(_ name: String, _ labels: [(String, String)], _ value: Double, _ t: Int64) {
            let inner = labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
            out += "\(name){\(inner)} \(value) \(t / 1000).\(String(format: "%03d", t % 1000))\n"
        }

        out += "# TYPE req counter\n"
        let counters: [([(String, String)], ClosedRange<Int>, Int?)] = [
            ([("job", "api"), ("instance", "a"), ("code", "200")], 0...245, nil),
            ([("job", "api"), ("instance", "b"), ("code", "200")], 0...245, 120),
            ([("job", "api"), ("instance", "a"), ("code", "500")], 0...245, nil),
            ([("job", "db"), ("instance", "b"), ("code", "500")], 0...245, 150),
            ([("job", "api"), ("instance", "c"), ("code", "200")], 80...160, nil), // a pod that comes and goes
        ]
        for (labels, range, reset) in counters {
            var value = range.lowerBound == 0 ? Double(Int.random(in: 100...5000, using: &rng)) : 0
            for i in range {
                if i == reset {
                    value = Double(Int.random(in: 0...3, using: &rng))
                } else if i != range.lowerBound {
                    value += Double(Int.random(in: 0...40, using: &rng)) / 4
                }
                line("req_total", labels, value, time(i))
            }
        }

        out += "# TYPE mem_bytes gauge\n"
        for instance in ["a", "b", "c"] {
            var value = Double(Int.random(in: 500...1500, using: &rng))
            for i in 0...245 {
                value += Double(Int.random(in: -100...100, using: &rng)) * 0.37
                line("mem_bytes", [("job", "api"), ("instance", instance)], value, time(i))
            }
        }

        out += "# TYPE temp gauge\n"
        for instance in ["a", "b"] {
            for i in 0...245 {
                line("temp", [("instance", instance)], Double(Int.random(in: -500...1000, using: &rng)) / 100, time(i))
            }
        }

        out += "# TYPE node_info gauge\n"
        for (instance, zone) in [("a", "z1"), ("b", "z2"), ("c", "z1")] {
            for i in stride(from: 0, through: 245, by: 4) {
                line("node_info", [("instance", instance), ("zone", zone)], 1, time(i))
            }
        }

        out += "# TYPE lat_bucket gauge\n"
        for job in ["api", "db"] {
            var counts = [0.0, 0.0, 0.0, 0.0]
            for i in 0...245 {
                var cumulative = 0.0
                for b in 0..<4 {
                    cumulative += Double(Int.random(in: 0...(b == 3 ? 2 : 10), using: &rng))
                    counts[b] += cumulative
                }
                for (b, le) in ["0.1", "0.5", "1", "+Inf"].enumerated() {
                    line("lat_bucket", [("job", job), ("le", le)], counts[b], time(i))
                }
            }
        }
        return out + "# EOF\n"
    }

    /// Reads the text with the replay parser, so promtool and kubeglass read the very same file.
    static func load(_ text: String, into store: SeriesStore) throws {
        for sample in try OpenMetricsParser.samples(in: text) {
            guard let time = sample.time else {
                throw ComparisonError(message: "the fixture wrote a sample without a timestamp")
            }
            store.append(sample.labels, Sample(time: time, value: sample.value))
        }
    }
}
