import Foundation
import KubeglassCore
import Query
import Synchronization
import TestSupport
import Testing

@testable import TSDB

/// The Prometheus client and backend against a real VictoriaMetrics 1.79 (the scale-out path: Thanos,
/// Mimir and VictoriaMetrics serve Prometheus' HTTP API), loaded with `PrometheusFixture` through its
/// import API. Its answers are compared with its own JSON: its functions are not Prometheus' (its
/// `rate` does not extrapolate), so the values differ from a Prometheus holding the same samples.
@Suite(.serialized) struct VictoriaMetricsClientTests {
    let json = PrometheusClientTests()

    @Test(.timeLimit(.minutes(3)))
    func queryAndLabelAPIAnswersEqualTheServersJSON() async throws {
        let server = try await VictoriaMetricsServer(openMetrics: PrometheusFixture.text())
        defer { server.stop() }
        let client = try PrometheusClient(baseURL: server.url, limits: patient)
        defer { Task { await client.shutdown() } }

        let end = PrometheusFixture.end - 600_000
        let step = RangeStep.choose(range: Milliseconds.hour, cells: 100)
        let (start, alignedEnd) = RangeStep.align(start: end - Milliseconds.hour, end: end, step: step)
        for expr in [
            "rate(kg_requests_total[5m])", "sum by (code) (rate(kg_requests_total[2m]))", "kg_temperature", "kg_odd",
        ] {
            let ours = try await client.queryRange(expr, start: start, end: alignedEnd, step: step)
            let url =
                "\(server.url)/api/v1/query_range?query=\(queryEncoded(expr))&start=\(start / 1000)&end=\(alignedEnd / 1000)&step=\(step / 1000)"
            let theirs = try json.serverSeries(url)
            #expect(!theirs.series.isEmpty, "\(expr) has data")
            // VictoriaMetrics sums series in parallel: the last bit of a sum varies from one answer to the next.
            json.expectSame(ours, theirs, "range \(expr)", tolerance: 1e-12)
        }
        for expr in ["kg_temperature", "sum(rate(kg_requests_total[5m]))", "kg_odd"] {
            let ours = try await client.query(expr, at: end)
            json.expectSame(
                ours,
                try json.serverSeries("\(server.url)/api/v1/query?query=\(queryEncoded(expr))&time=\(end / 1000)"),
                "instant \(expr)", tolerance: 1e-12)
        }

        // Differences from Prometheus a panel meets. NaN samples are dropped (Prometheus returns "NaN"); ±Inf stay.
        guard case .vector(let odd) = try await client.query("kg_odd", at: end) else {
            Issue.record("kg_odd is not a vector")
            return
        }
        #expect(Set(odd.compactMap { $0.labels["kind"] }) == ["inf", "neginf"])
        // scalar() answers a vector with no labels, not a scalar; a stat panel shows it all the same.
        guard case .vector(let scalar) = try await client.query("scalar(sum(kg_temperature))", at: end) else {
            Issue.record("scalar() is not a vector on VictoriaMetrics")
            return
        }
        #expect(scalar.count == 1 && scalar.first?.labels.pairs.isEmpty == true)
        // A string literal gives no result instead of a string.
        if case .vector(let none) = try await client.query("\"hello\"", at: end) {
            #expect(none.isEmpty)
        } else {
            Issue.record("a string literal is not an empty vector on VictoriaMetrics")
        }

        // The label API: metric names (completion), label names and values, and `match[]`, which it honours.
        #expect(try await client.metricNames() == ["kg_odd", "kg_requests_total", "kg_temperature"])
        #expect(try await client.labelNames() == ["__name__", "code", "instance", "job", "kind", "zone"])
        #expect(try await client.labelNames(match: ["kg_temperature"]) == ["__name__", "zone"])
        #expect(try await client.labelValues("zone") == ["a", "b", "c"])
        #expect(try await client.labelValues("zone", match: ["kg_temperature{zone!=\"a\"}"]) == ["b", "c"])
        #expect(
            try await client.labelValues("instance", match: ["kg_requests_total{code=\"500\"}"]).count
                == PrometheusFixture.instances)
        let series = try await client.series(match: ["kg_temperature"], start: start, end: end)
        #expect(Set(series.compactMap { $0["zone"] }) == ["a", "b", "c"])
        // Without start it looks at the last day only (Prometheus: all time), so this 2023 history is not found.
        #expect(try await client.series(match: ["kg_temperature"]).isEmpty)

        // Completion and variables through the backend, as the query editor and dashboards ask.
        let backend = PrometheusBackend(client: client)
        let words = await backend.completionWords()
        #expect(words.metrics == ["kg_odd", "kg_requests_total", "kg_temperature"])
        #expect(words.labels == ["code", "instance", "job", "kind", "zone"])
        #expect(words.labelValues.contains("i19") && words.labelValues.contains("api"))
        #expect(
            try await backend.variableValues("label_values(kg_requests_total{code=\"500\"}, instance)", at: end)
                == (0..<PrometheusFixture.instances).map { "i\($0)" })

        // Its errors: errorType is the HTTP status ("422"), shown as such; the text is kept verbatim.
        let bad = "sum(rate(kg_requests_total[5m])"
        let theirs = try await #require(
            try curl("\(server.url)/api/v1/query?query=\(queryEncoded(bad))&time=\(end / 1000)"))
        let theirError = try #require(
            (try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [String: Any])?["error"] as? String)
        do {
            _ = try await client.query(bad, at: end)
            Issue.record("a bad query succeeded")
        } catch {
            #expect(error.kind == .server)
            #expect(error.errorType == "422")
            #expect(error.error == theirError)
            #expect(error.description.contains("(HTTP 422): error when executing query="), "\(error)")
        }
        // It allows 30,000 points per series (Prometheus 11,000; kubeglass never asks for more than that).
        #expect(
            (try? await client.queryRange("kg_temperature", start: start, end: start + 12_000_000, step: 1000)) != nil)
        do {
            _ = try await client.queryRange("kg_temperature", start: start, end: start + 31_000_000, step: 1000)
            Issue.record("31,000 points per series were accepted")
        } catch {
            #expect(error.error?.contains("-search.maxPointsPerTimeseries=30000") == true, "\(error)")
        }
    }

    /// VictoriaMetrics answers the last 30 s (`-search.latencyOffset`) with the value of 30 s ago, so a
    /// cache that kept those points as final showed that flat line forever; the backend's cache fetches
    /// them again (`PrometheusBackend.settle`). Live data, imported each half second as the test runs.
    @Test(.timeLimit(.minutes(3)))
    func rangeCacheAtTheLiveEdgeEqualsAFullQuery() async throws {
        let server = try await VictoriaMetricsServer()
        defer { server.stop() }
        func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
        // kg_clock's value is its own timestamp in seconds: every point differs from the one before.
        func line(_ t: Int64) -> String { "kg_clock{job=\"clock\"} \(Double(t) / 1000) \(t)\n" }
        let first = nowMs() / 500 * 500
        try server.importPrometheus(stride(from: first - 600_000, through: first, by: 500).map { line($0) }.joined())
        let importer = Task {
            var t = first
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(500))
                t += 500
                try? server.importPrometheus(line(t))
            }
        }
        defer { importer.cancel() }

        let client = try PrometheusClient(baseURL: server.url, limits: patient)
        defer { Task { await client.shutdown() } }
        let backend = PrometheusBackend(client: client)
        let step: Int64 = 5000
        let expr = "kg_clock"
        func points(_ value: QueryValue) -> [String] {
            guard case .matrix(let series) = value else { return ["not a matrix"] }
            return series.flatMap { s in s.samples.map { "\($0.time):\($0.value)" } }
        }
        _ = try await backend.rangeQuery(expr, start: nowMs() - 300_000, end: nowMs(), step: step)
        var compared = 0
        var attempts = 0
        while compared < 4, attempts < 12 {
            attempts += 1
            try await Task.sleep(for: .seconds(7))
            let asked = nowMs()
            let cached = try await backend.rangeQuery(expr, start: asked - 300_000, end: asked, step: step)
            let (s, e) = RangeStep.align(start: asked - 300_000, end: asked, step: step)
            let direct = try await client.queryRange(expr, start: s, end: e, step: step)
            // Both asked while VictoriaMetrics' 30 s edge stayed in the same step, else asked again.
            guard (asked - 30_000) / step == (nowMs() - 30_000) / step else { continue }
            compared += 1
            let mine = points(cached)
            let theirs = points(direct)
            #expect(mine.count >= 55, "about 60 points in 5 min at 5 s")
            #expect(mine == theirs, "cached vs full query differ at \(zip(mine, theirs).filter { $0 != $1 }.prefix(3))")
        }
        #expect(compared >= 3, "only \(compared) comparisons in \(attempts) attempts")
    }
}
