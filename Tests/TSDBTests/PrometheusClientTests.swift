import Foundation
import KubeglassCore
import Query
import Synchronization
import TestSupport
import Testing

@testable import TSDB

/// The Prometheus client against a real Prometheus 2.42 loaded with `PrometheusFixture` through promtool.
@Suite(.serialized) struct PrometheusClientTests {
    /// The server's own JSON for a query, read with curl and JSONSerialization: label text → [(ms, value text)].
    func serverSeries(_ url: String) throws -> (type: String, series: [String: [(Int64, String)]]) {
        let body = try #require(try curl(url))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let data = try #require(json["data"] as? [String: Any], "no data in \(body.prefix(300))")
        let type = try #require(data["resultType"] as? String)
        var out: [String: [(Int64, String)]] = [:]
        if type == "scalar", let point = data["result"] as? [Any], point.count == 2 {
            out[""] = [
                (Int64((((point[0] as? NSNumber)?.doubleValue ?? 0) * 1000).rounded()), point[1] as? String ?? "")
            ]
            return (type, out)
        }
        for item in data["result"] as? [[String: Any]] ?? [] {
            let metric = (item["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value)"
            }.joined(separator: ",")
            let points = (item["values"] as? [[Any]]) ?? [item["value"] as? [Any] ?? []]
            out[metric] = points.map {
                (Int64((($0[0] as? NSNumber)?.doubleValue ?? 0) * 1000), $0[1] as? String ?? "")
            }
        }
        return (type, out)
    }

    func ourSeries(_ value: QueryValue) -> [String: [(Int64, Double)]] {
        func key(_ labels: Labels) -> String { labels.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ",") }
        switch value {
        case .matrix(let series):
            return Dictionary(
                uniqueKeysWithValues: series.map { (key($0.labels), $0.samples.map { ($0.time, $0.value) }) })
        case .vector(let samples):
            return Dictionary(uniqueKeysWithValues: samples.map { (key($0.labels), [($0.time, $0.value)]) })
        case .scalar(let t, let v): return ["": [(t, v)]]
        case .string: return [:]
        }
    }

    /// `tolerance`: the relative difference allowed (a server that sums in parallel adds in no fixed order,
    /// so two answers to one query may differ in the last bit).
    func expectSame(
        _ ours: QueryValue, _ theirs: (type: String, series: [String: [(Int64, String)]]), _ what: String,
        tolerance: Double = 0
    ) {
        #expect(ours.resultType == theirs.type, "\(what): result type")
        let mine = ourSeries(ours)
        #expect(mine.keys.sorted() == theirs.series.keys.sorted(), "\(what): label sets")
        for (labels, points) in theirs.series {
            let ours = mine[labels] ?? []
            let same =
                ours.count == points.count
                && zip(ours, points).allSatisfy { o, t in
                    guard o.0 == t.0, let v = PrometheusResponse.number(t.1) else { return false }
                    if v.isNaN { return o.1.isNaN }
                    return v == o.1 || abs(v - o.1) <= tolerance * max(abs(v), abs(o.1))
                }
            #expect(same, "\(what) \(labels): \(ours.prefix(3)) vs Prometheus \(points.prefix(3))")
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func answersEqualTheServersJSON() async throws {
        let server = try await PrometheusServer(openMetrics: PrometheusFixture.text())
        defer { server.stop() }
        let client = try PrometheusClient(baseURL: server.url + "/", limits: patient)
        defer { Task { await client.shutdown() } }

        let end = PrometheusFixture.end - 600_000
        let step = RangeStep.choose(range: Milliseconds.hour, cells: 100)
        let (start, alignedEnd) = RangeStep.align(start: end - Milliseconds.hour, end: end, step: step)
        for expr in [
            "rate(kg_requests_total[5m])", "sum by (code) (rate(kg_requests_total[2m]))", "kg_temperature", "kg_odd",
        ] {
            let before = client.bytesFetched
            let clock = ContinuousClock.now
            let ours = try await client.queryRange(expr, start: start, end: alignedEnd, step: step)
            let elapsed = ContinuousClock.now - clock
            if expr.hasPrefix("rate(") {
                print(
                    "1 h query_range of \(expr) (\(ourSeries(ours).count) series, step \(step / 1000)s): \(elapsed), \(client.bytesFetched - before) bytes"
                )
            }
            let url =
                "\(server.url)/api/v1/query_range?query=\(queryEncoded(expr))&start=\(start / 1000)&end=\(alignedEnd / 1000)&step=\(step / 1000)"
            expectSame(ours, try serverSeries(url), "range \(expr)")
        }
        // NaN and ±Inf arrive as strings and parse.
        if case .matrix(let odd) = try await client.queryRange("kg_odd", start: start, end: alignedEnd, step: step) {
            let byKind = Dictionary(
                uniqueKeysWithValues: odd.map { ($0.labels["kind"] ?? "", $0.samples.first?.value) })
            #expect(byKind["nan"]??.isNaN == true)
            #expect(byKind["inf"] == .some(.infinity))
            #expect(byKind["neginf"] == .some(-.infinity))
        } else {
            Issue.record("kg_odd is not a matrix")
        }

        for expr in ["kg_temperature", "sum(rate(kg_requests_total[5m]))", "scalar(sum(kg_temperature))", "kg_odd"] {
            let ours = try await client.query(expr, at: end)
            expectSame(
                ours, try serverSeries("\(server.url)/api/v1/query?query=\(queryEncoded(expr))&time=\(end / 1000)"),
                "instant \(expr)")
        }
        if case .string(let t, let s) = try await client.query("\"hello\"", at: end) {
            #expect(t == end && s == "hello")
        } else {
            Issue.record("a string query does not give a string")
        }

        let names = try await client.metricNames()
        #expect(names == ["kg_odd", "kg_requests_total", "kg_temperature"])
        #expect(try await client.labelNames() == ["__name__", "code", "instance", "job", "kind", "zone"])
        #expect(try await client.labelValues("zone") == ["a", "b", "c"])
        #expect(
            try await client.labelValues("instance", match: ["kg_requests_total{code=\"500\"}"]).count
                == PrometheusFixture.instances)
        let series = try await client.series(match: ["kg_temperature"], start: start, end: end)
        #expect(Set(series.compactMap { $0["zone"] }) == ["a", "b", "c"])

        // Prometheus' own error, verbatim.
        let bad = "sum(rate(kg_requests_total[5m])"
        let theirs = try await #require(try curl("\(server.url)/api/v1/query?query=\(queryEncoded(bad))"))
        let theirError = try #require(
            (try JSONSerialization.jsonObject(with: Data(theirs.utf8)) as? [String: Any])?["error"] as? String)
        do {
            _ = try await client.query(bad)
            Issue.record("a bad query succeeded")
        } catch {
            #expect(error.kind == .server)
            #expect(error.errorType == "bad_data")
            #expect(error.error == theirError)
            #expect(error.description.contains(server.url) && error.description.hasSuffix(theirError), "\(error)")
        }
        // Too many points: Prometheus refuses more than 11,000 per series.
        do {
            _ = try await client.queryRange("kg_temperature", start: start, end: start + 12_000_000, step: 1000)
            Issue.record("12,000 points per series were accepted")
        } catch {
            #expect(error.errorType == "bad_data")
            #expect(error.error?.contains("11,000") == true, "\(error)")
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func rangeCacheRefreshFetchesOnlyTheNewestSteps() async throws {
        let server = try await PrometheusServer(openMetrics: PrometheusFixture.text())
        defer { server.stop() }
        let client = try PrometheusClient(baseURL: server.url, limits: patient)
        defer { Task { await client.shutdown() } }
        let clock = Mutex<Int64>(PrometheusFixture.end - 1_800_000)
        let cache = RangeCache(now: { clock.withLock { $0 } }) { expr, start, end, step in
            try await client.queryRange(expr, start: start, end: end, step: step)
        }
        let expr = "rate(kg_requests_total[1m])"
        let step = RangeStep.choose(range: Milliseconds.hour, cells: 100)
        var now = clock.withLock { $0 }

        var before = client.bytesFetched
        let first = try await cache.queryRange(expr, start: now - Milliseconds.hour, end: now, step: step)
        let firstBytes = client.bytesFetched - before
        var refreshBytes: [Int] = []
        for _ in 0..<3 {
            now += step
            clock.withLock { $0 = now }
            before = client.bytesFetched
            let refreshed = try await cache.queryRange(expr, start: now - Milliseconds.hour, end: now, step: step)
            refreshBytes.append(client.bytesFetched - before)
            // The merged answer equals a fresh full query over the same aligned range.
            let (s, e) = RangeStep.align(start: now - Milliseconds.hour, end: now, step: step)
            let direct = try await client.queryRange(expr, start: s, end: e, step: step)
            #expect(
                ourSeries(refreshed).mapValues { $0.map { "\($0.0):\($0.1)" } }
                    == ourSeries(direct).mapValues { $0.map { "\($0.0):\($0.1)" } })
        }
        print(
            "RangeCache, 1 h of \(expr) at \(step / 1000)s steps over \(ourSeries(first).count) series: first load \(firstBytes) bytes, refreshes \(refreshBytes) bytes"
        )
        #expect(ourSeries(first).count == 2 * PrometheusFixture.instances)
        #expect(
            refreshBytes.allSatisfy { $0 * 20 < firstBytes }, "refreshes \(refreshBytes) vs first load \(firstBytes)")
        #expect(await cache.count == 1)
    }
}

/// Failures that need a server misbehaving on purpose: a tiny NIO stub instead of Prometheus.
@Suite struct PrometheusErrorTests {
    @Test func unreachableServerIsASentence() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} } // refusing until the test ends
        let port = refusing.port
        let client = try PrometheusClient(baseURL: "http://127.0.0.1:\(port)")
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.query("up")
            Issue.record("a closed port answered")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(
                error.description
                    == "cannot connect to Prometheus at http://127.0.0.1:\(port): connection refused (is it running, and is the port right?)"
            )
        }
    }

    @Test func serverErrorsWithoutJSONNameTheStatus() async throws {
        let stub = try await StubServer { uri in
            if uri.contains("html") { return .init(status: .ok, contentType: "text/html", body: "<html>login</html>") }
            if uri.contains("execution") {
                return .init(
                    status: .unprocessableEntity,
                    body:
                        #"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"}"#
                )
            }
            return .init(status: .serviceUnavailable, contentType: "text/plain", body: "upstream connect error")
        }
        defer { Task { await stub.stop() } }
        let client = try PrometheusClient(baseURL: stub.url)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.query("up")
            Issue.record("a 503 succeeded")
        } catch {
            #expect(error.kind == .http(status: 503))
            #expect(
                error.description.hasPrefix(
                    "Prometheus at \(stub.url) answered HTTP 503 Service Unavailable to the query up without a Prometheus JSON body"
                ), "\(error)")
        }
        do {
            _ = try await client.query("html")
            Issue.record("HTML succeeded")
        } catch {
            #expect(error.kind == .malformed, "\(error)")
        }
        do {
            _ = try await client.queryRange("execution", start: 0, end: 60_000, step: 15_000)
            Issue.record("an execution error succeeded")
        } catch {
            #expect(error.kind == .server)
            #expect(error.errorType == "execution")
            #expect(error.error == "query processing would load too many samples into memory in query execution")
        }
    }

    @Test func aSilentServerTimesOut() async throws {
        let stub = try await StubServer { _ in .init(status: .ok, body: "", silent: true) }
        defer { Task { await stub.stop() } }
        var limits = TSDBLimits()
        limits.requestTimeout = .milliseconds(500)
        let client = try PrometheusClient(baseURL: stub.url, limits: limits)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.query("up")
            Issue.record("silence succeeded")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.description.contains("did not answer GET /api/v1/query within 0.5s"), "\(error)")
        }
    }

    @Test func authHeadersAndATokenFileReReadEachRequest() async throws {
        let ok = #"{"status":"success","data":["up"]}"#
        let stub = try await StubServer { _ in .init(status: .ok, body: ok) }
        defer { Task { await stub.stop() } }
        let basic = try PrometheusClient(baseURL: stub.url, auth: .basic(user: "ada", password: "s3cret"))
        #expect(try await basic.metricNames() == ["up"])
        await basic.shutdown()
        let dir = try TempDirectory("kubeglass-token")
        defer { dir.remove() }
        let file = dir.path + "/token"
        try "first\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bearer = try PrometheusClient(baseURL: stub.url, auth: .bearerFile(file))
        _ = try await bearer.labelNames()
        try "second".write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await bearer.labelNames()
        await bearer.shutdown()
        let seen = stub.requests.map { $0.authorization ?? "" }
        #expect(seen == ["Basic " + Data("ada:s3cret".utf8).base64EncodedString(), "Bearer first", "Bearer second"])
        #expect(stub.requests.first?.uri == "/api/v1/label/__name__/values")
    }

    /// A CA or token file that cannot be read says why, as the system puts it; an empty token file says so.
    @Test func unreadableCAAndTokenFilesSayWhy() async throws {
        do {
            let client = try PrometheusClient(baseURL: "http://x", caFile: "/nonexistent/ca.pem")
            Issue.record("a missing CA file was accepted: \(client)")
        } catch {
            #expect("\(error)".contains("cannot read the CA file /nonexistent/ca.pem"), "\(error)")
            #expect("\(error)".contains("(No such file or directory)"), "\(error)")
        }
        let dir = try TempDirectory("kubeglass-token-unreadable")
        defer { dir.remove() }
        let empty = dir.path + "/empty"
        try "\n".write(toFile: empty, atomically: true, encoding: .utf8)
        let ok = #"{"status":"success","data":["up"]}"#
        let stub = try await StubServer { _ in .init(status: .ok, body: ok) }
        defer { Task { await stub.stop() } }
        for (file, reason) in [(dir.path, "(Is a directory)"), (empty, "is empty; it must hold the token")] {
            let client = try PrometheusClient(baseURL: stub.url, auth: .bearerFile(file))
            do {
                _ = try await client.labelNames()
                Issue.record("a request went out with the token file \(file)")
            } catch {
                #expect("\(error)".contains(reason), "\(error)")
            }
            await client.shutdown()
        }
        #expect(stub.requests.isEmpty, "no request without its token")
    }

    @Test func aBadURLIsRefusedAtOnce() {
        #expect(throws: PrometheusError.self) { try PrometheusClient(baseURL: "localhost:9090") }
        #expect(throws: PrometheusError.self) {
            try PrometheusClient(baseURL: "http://x", caFile: "/nonexistent/ca.pem")
        }
    }
}
