import Foundation
import KubeglassCore
import TestSupport
import Testing

@testable import Query

/// A range's window is (t - range, t], as in Prometheus 3: a sample exactly on the left edge is out.
/// Prometheus 2.x takes [t - range, t], so at times on the sample grid the two differ (the README's
/// query section shows this example).
@Suite struct RangeLeftEdgeTests {
    /// A counter sampled every 15 s from 0 to 600 s: 0 up to 300 s, then 100 from 315 s on.
    let engine: PromQLEngine = {
        let samples = stride(from: 0.0, through: 600, by: 15).map { ($0, $0 <= 300 ? 0.0 : 100.0) }
        return PromQLEngine(store: makeStore([(Labels(name: "x", ["job": "j"]), samples)]))
    }()

    @Test func aSampleOnTheLeftEdgeIsOutsideTheWindow() throws {
        // (300, 600] holds the 20 samples from 315 s; Prometheus 2.42 would count 21 from 300 s.
        #expect(try vector(engine, "count_over_time(x[5m])", at: 600) == [#"{job="j"}"#: 20])
        // All of them 100: no increase. Prometheus 2.42 sees 0 → 100 and answers 100 / 300 s.
        #expect(try vector(engine, "rate(x[5m])", at: 600) == [#"{job="j"}"#: 0])
        #expect(try vector(engine, "increase(x[5m])", at: 600) == [#"{job="j"}"#: 0])
    }

    @Test func offTheSampleGridBothVersionsAgree() throws {
        // At 599 s the window (299, 599] starts with the sample at 300 s, as [299, 599] would.
        #expect(try vector(engine, "count_over_time(x[5m])", at: 599) == [#"{job="j"}"#: 20])
        let rate = try #require(try vector(engine, "rate(x[5m])", at: 599)[#"{job="j"}"#])
        #expect(rate > 0.3, "the step from 0 to 100 is inside: \(rate)")
    }

    /// The same counter in a real Prometheus 2.42 (Debian's), from 1,700,000,000 s: it counts the sample on
    /// the left edge, and so sees the step from 0 to 100 that the window (t - 5m, t] leaves out.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: PrometheusServer.binary),
            "needs Debian's prometheus package (scripts/test installs it)"))
    func prometheus242IncludesTheLeftEdgeAndWeDoNot() async throws {
        let base = 1_700_000_000.0
        let samples = stride(from: 0.0, through: 600, by: 15).map { (base + $0, $0 <= 300 ? 0.0 : 100.0) }
        var text = "# TYPE x gauge\n"
        for (t, v) in samples { text += "x{job=\"j\"} \(Int(v)) \(Int(t))\n" }
        text += "# EOF\n"
        let server = try await PrometheusServer(openMetrics: text)
        defer { server.stop() }
        func theirs(_ query: String) throws -> Double? {
            let body = try curl("\(server.url)/api/v1/query?query=\(queryEncoded(query))&time=\(Int(base) + 600)")
            let object = try JSONSerialization.jsonObject(with: Data((body ?? "").utf8)) as? [String: Any]
            let result = ((object?["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first
            return ((result?["value"] as? [Any])?.last as? String).flatMap { Double($0) }
        }
        let ours = PromQLEngine(store: makeStore([(Labels(name: "x", ["job": "j"]), samples)]))
        #expect(try theirs("count_over_time(x[5m])") == 21)
        #expect(try vector(ours, "count_over_time(x[5m])", at: base + 600) == [#"{job="j"}"#: 20])
        let rate = try #require(try theirs("rate(x[5m])"))
        #expect(isClose(rate, 100.0 / 300), "Prometheus 2.42: \(rate)")
        #expect(try vector(ours, "rate(x[5m])", at: base + 600) == [#"{job="j"}"#: 0])
    }
}
