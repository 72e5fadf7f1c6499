import Foundation
import KubeglassCore
import Store
import TestSupport
import Testing

@testable import Query

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Runs the same queries through a real Prometheus 2.42 (Debian's `prometheus` package, fed the
/// same OpenMetrics file through `promtool tsdb create-blocks-from openmetrics`) and through
/// PromQLEngine, and compares the results.
///
/// Evaluation times end in 7 ms while samples sit on multiples of 125 ms, so no sample lies on a
/// window's edge: there Prometheus 2.x includes the left edge and 3.x (and we) do not.
@Suite struct PrometheusComparisonTests {
    static let prometheus = "/usr/bin/prometheus"
    /// Every request has a deadline, so a wedged server fails the test instead of hanging it.
    static let http: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 20
        return URLSession(configuration: configuration)
    }()
    static let promtool = "/usr/bin/promtool"
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: prometheus)
            && FileManager.default.isExecutableFile(atPath: promtool)
    }

    static let queries = [
        "req_total", "rate(req_total[5m])", "irate(req_total[1m])", "increase(req_total[10m])", "delta(mem_bytes[5m])",
        "sum by (job) (rate(req_total[5m]))", "sum(rate(req_total[5m])) without (instance)", "avg(mem_bytes)",
        "max by (instance) (mem_bytes)", "min(temp)", "count(req_total)", "topk(2, mem_bytes)", "bottomk(1, temp)",
        "avg_over_time(mem_bytes[10m])", "max_over_time(temp[15m])", "min_over_time(temp[15m])",
        "sum_over_time(temp[5m])",
        "count_over_time(req_total[7m])", "last_over_time(mem_bytes[2m])", "quantile_over_time(0.9, temp[20m])",
        "stddev_over_time(mem_bytes[10m])", "stdvar_over_time(temp[10m])",
        "mem_bytes * on (instance) group_left (zone) node_info",
        #"rate(req_total{code="500"}[5m]) / ignoring (code) rate(req_total{code="200"}[5m])"#,
        "mem_bytes > scalar(avg(mem_bytes))", "mem_bytes > bool 1000", "scalar(min(mem_bytes)) < mem_bytes",
        "abs(temp)", "clamp(temp, -1, 5)", "round(temp, 0.5)",
        "ceil(temp) - floor(temp)", "clamp_min(temp, 0) + clamp_max(temp, 3)",
        "histogram_quantile(0.9, sum by (le) (rate(lat_bucket[5m])))",
        "histogram_quantile(0.5, rate(lat_bucket[10m]))",
        #"label_replace(mem_bytes, "host", "h-$1", "instance", "(.*)")"#,
        #"label_join(node_info, "iz", "/", "instance", "zone")"#,
        #"count_values("t", round(temp))"#, "quantile(0.3, mem_bytes)", "stddev(mem_bytes)", "stdvar(temp)",
        "group(mem_bytes) by (job)",
        "max_over_time(rate(req_total[2m])[10m:1m])", "avg_over_time(mem_bytes[5m:30s] offset 2m)",
        "req_total offset 10m", "rate(req_total[5m] offset -3m)", "mem_bytes @ 1700001800",
        "mem_bytes and on (instance) temp > 2", "temp or mem_bytes", "mem_bytes unless on (instance) temp < 0",
        "scalar(sum(mem_bytes)) * 2", "time()", "vector(1) + 1", "timestamp(mem_bytes)",
        "timestamp(rate(req_total[5m]))",
        #"absent(nonexistent{job="x"})"#, "absent(mem_bytes)", "absent_over_time(req_total{instance=\"c\"}[2m])",
        "changes(temp[10m])", "resets(req_total[30m])", "deriv(mem_bytes[10m])", "predict_linear(mem_bytes[10m], 600)",
        "-mem_bytes ^ 2 % 7", "mem_bytes atan2 on (instance) temp", "count(mem_bytes) == bool 3",
        "sort_desc(mem_bytes)", "present_over_time(req_total[1m])", "idelta(temp[1m])",
        "exp(temp / 10) + on (instance) (ln(mem_bytes) + sqrt(mem_bytes))",
    ]

    @Test(
        .enabled(if: available, "prometheus and promtool not found in /usr/bin (apt-get install prometheus)"),
        .timeLimit(.minutes(2)))
    func resultsMatchPrometheus() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubeglass-promql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let text = OpenMetricsFixture.text()
        let file = dir.appendingPathComponent("data.om")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let store = SeriesStore(.init(retention: 4 * Milliseconds.hour, interval: 15_000, maxSeries: 1000))
        try OpenMetricsFixture.load(text, into: store)
        let engine = PromQLEngine(store: store)

        let data = dir.appendingPathComponent("tsdb")
        let promtoolOutput = try run(
            Self.promtool, ["tsdb", "create-blocks-from", "openmetrics", file.path, data.path])
        #expect(promtoolOutput.status == 0, "promtool failed: \(promtoolOutput.output)")

        let config = dir.appendingPathComponent("prometheus.yml")
        try "global:\n  evaluation_interval: 1m\n".write(to: config, atomically: true, encoding: .utf8)
        let port = try freeLoopbackPort()
        let log = dir.appendingPathComponent("prometheus.log")
        let server = try ChildProcess(
            Self.prometheus,
            [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(data.path)",
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], logPath: log.path)
        defer { server.stop() }
        let api = "http://127.0.0.1:\(port)"
        try await waitUntilReady(api, server: server, log: log)

        let instantAt = OpenMetricsFixture.base + 3_000_007
        let start = OpenMetricsFixture.base + 600_007
        let end = OpenMetricsFixture.base + 3_600_007
        let step: Int64 = 60_000
        var compared = 0
        var empty: [String] = []
        for query in Self.queries {
            let theirs = try await prometheusData(
                api, "/api/v1/query", ["query": query, "time": QueryValue.timeText(instantAt)])
            let ours = try engine.instantQuery(query, at: instantAt)
            expectSame(ours, theirs, "instant \(query)")
            let theirRange = try await prometheusData(
                api, "/api/v1/query_range",
                [
                    "query": query, "start": QueryValue.timeText(start), "end": QueryValue.timeText(end), "step": "60",
                ])
            let ourRange = try engine.rangeQuery(query, start: start, end: end, step: step)
            expectSame(ourRange, theirRange, "range \(query)")
            compared += 2
            if theirs.series.isEmpty { empty.append("instant \(query)") }
            if theirRange.series.isEmpty { empty.append("range \(query)") }
        }
        #expect(compared == Self.queries.count * 2)
        // Only absent() of a present series should be empty, or the comparison would prove little.
        #expect(empty == ["instant absent(mem_bytes)", "range absent(mem_bytes)"])
    }

    /// Compares through one decoder: ours is encoded to Prometheus JSON first, which tests the encoding too.
    private func expectSame(_ ours: QueryValue, _ theirs: DecodedResult, _ what: String) {
        guard let decoded = try? DecodedResult(data: ours.prometheusJSONData()) else {
            Issue.record("\(what): our JSON does not decode")
            return
        }
        #expect(decoded.type == theirs.type, "\(what): result type")
        #expect(
            decoded.series.keys.sorted() == theirs.series.keys.sorted(),
            "\(what): label sets \(decoded.series.keys.sorted()) vs Prometheus \(theirs.series.keys.sorted())")
        for (labels, points) in theirs.series {
            guard let mine = decoded.series[labels] else { continue }
            let same =
                mine.count == points.count && zip(mine, points).allSatisfy { $0.0 == $1.0 && isClose($0.1, $1.1) }
            #expect(same, "\(what) \(labels): \(mine.prefix(5)) vs Prometheus \(points.prefix(5))")
        }
    }

    private func prometheusData(_ api: String, _ path: String, _ parameters: [String: String]) async throws
        -> DecodedResult
    {
        var components = URLComponents(string: api + path)!
        components.queryItems = parameters.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        // URLComponents leaves "+" alone, which a server reads as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let (body, _) = try await Self.http.data(from: components.url!)
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
            object["status"] as? String == "success", let data = object["data"]
        else {
            throw ComparisonError(
                message: "Prometheus answered \(String(decoding: body, as: UTF8.self)) to \(parameters)")
        }
        return try DecodedResult(data: JSONSerialization.data(withJSONObject: data))
    }

    private func waitUntilReady(_ api: String, server: ChildProcess, log: URL) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard server.isRunning else {
                throw ComparisonError(
                    message: "prometheus exited: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            if let (_, response) = try? await Self.http.data(from: URL(string: api + "/-/ready")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ComparisonError(message: "prometheus was not ready within 30 s")
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try spawn([tool] + arguments)
    }

}

struct ComparisonError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A query result reduced to what is compared: type, and per label set its (ms, value) points.
struct DecodedResult {
    var type: String
    var series: [String: [(Int64, Double)]] = [:]

    init(data: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let type = object["resultType"] as? String
        else {
            throw ComparisonError(message: "not a Prometheus data object")
        }
        self.type = type
        func point(_ any: Any?) throws -> (Int64, Double) {
            guard let pair = any as? [Any], pair.count == 2, let t = (pair[0] as? NSNumber)?.doubleValue,
                let text = pair[1] as? String
            else {
                throw ComparisonError(message: "bad point \(String(describing: any))")
            }
            let value: Double =
                switch text {
                case "+Inf": .infinity
                case "-Inf": -.infinity
                case "NaN": .nan
                default: Double(text) ?? .nan
                }
            return (Int64((t * 1000).rounded()), value)
        }
        func key(_ metric: Any?) -> String {
            let labels = (metric as? [String: String]) ?? [:]
            return Labels(labels).prometheusText
        }
        switch type {
        case "scalar", "string":
            series["scalar"] = [try point(object["result"])]
        default:
            for item in object["result"] as? [[String: Any]] ?? [] {
                if let values = item["values"] as? [Any] {
                    series[key(item["metric"])] = try values.map(point)
                } else {
                    series[key(item["metric"])] = [try point(item["value"])]
                }
            }
        }
    }
}
