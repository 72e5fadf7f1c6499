import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `kubeglass query` as a script would run it: the real binary, its output compared exactly.
@Suite struct QueryCommandEndToEndTests {
    /// 2023-11-14T22:13:20Z. Sample times are multiples of 125 ms: exact in binary floating point,
    /// which promtool uses for timestamps.
    static let base = 1_700_000_000

    /// An hour at 15 s: a counter with a reset, gauges (one with escapes in a label value), a histogram.
    static func openMetrics() -> String {
        var out = "# HELP req Requests served.\n# TYPE req counter\n"
        func time(_ i: Int, _ jitter: Int) -> String {
            let ms = i * 15_000 + (jitter % 8) * 125
            return "\(base + ms / 1000).\(String(format: "%03d", ms % 1000))"
        }
        for (n, labels) in [#"job="api",instance="a""#, #"job="api",instance="b""#, #"job="db",instance="a""#]
            .enumerated()
        {
            var value = Double(100 * n)
            for i in 0...240 {
                value = i == 130 && n == 1 ? 3 : value + Double((i * 7 + n * 3) % 11) / 2
                out += "req_total{\(labels)} \(value) \(time(i, i + n))\n"
            }
        }
        out += "# TYPE mem_bytes gauge\n"
        for (n, labels) in [
            #"instance="a",path="C:\\data""#, #"instance="b",path="say \"hi\"""#, #"instance="c",path="x""#,
        ].enumerated() {
            for i in 0...(n == 2 ? 160 : 240) {
                out += "mem_bytes{\(labels)} \(Double(1000 + (i * 37 + n * 101) % 400) / 4) \(time(i, i * 3 + n))\n"
            }
        }
        out += "# TYPE lat histogram\n"
        var counts = [0.0, 0.0, 0.0]
        for i in 0...240 {
            for b in 0..<3 { counts[b] += Double((i * (b + 3)) % 5 + b * 2) }
            for (b, le) in ["0.1", "1", "+Inf"].enumerated() {
                out += "lat_bucket{le=\"\(le)\"} \(counts[b]) \(time(i, i))\n"
            }
            out += "lat_count \(counts[2]) \(time(i, i))\nlat_sum \(counts[2] * 0.3) \(time(i, i))\n"
        }
        out += "# TYPE stamp gauge\n"
        for (n, fraction) in ["123", "001", "1239", "3", "9999"].enumerated() {
            out += "stamp{n=\"\(n)\"} \(n) \(base + 1790).\(fraction)\n"
        }
        return out + "# EOF\n"
    }

    func writeFile(_ text: String, in dir: URL) throws -> String {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("data.om")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func query(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await spawn([try kubeglassBinary(), "query"] + arguments)
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"),
            "/usr/bin/prometheus is missing (apt-get install prometheus)"),
        .timeLimit(.minutes(3)))
    func jsonIsWhatPrometheusAnswers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-query-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile(Self.openMetrics(), in: dir)
        let prometheus = try await RealPrometheus(file: file, dir: dir)
        defer { prometheus.stop() }

        let at = "\(Self.base + 1800).007"
        let start = "\(Self.base + 600).007"
        let end = "\(Self.base + 3600).007"
        let instant = [
            "req_total", "rate(req_total[5m])", "sum by (job) (increase(req_total[10m]))", "mem_bytes",
            "max_over_time(mem_bytes[10m])",
            "histogram_quantile(0.9, sum by (le) (rate(lat_bucket[5m])))", "scalar(sum(mem_bytes))",
            "lat_sum / lat_count",
            #"label_replace(mem_bytes, "host", "h-$1", "instance", "(.*)")"#, "count(mem_bytes) > bool 2",
            "timestamp(stamp)",
        ]
        let range = [
            "rate(req_total[5m])", "avg by (instance) (mem_bytes)", "mem_bytes", "time()", "deriv(lat_sum[10m])",
        ]
        var nonEmpty = 0
        for q in instant {
            let ours = try await query([q, "--replay", file, "--format", "json", "--time", at])
            #expect(ours.status == 0, "\(q): \(ours.output)")
            let theirs = try await prometheus.data("/api/v1/query", ["query": q, "time": at])
            #expect(Self.sortedResults(ours.output) == Self.sortedResults(theirs), "instant \(q)")
            if theirs.contains("\"metric\"") || theirs.contains("scalar") { nonEmpty += 1 }
        }
        for q in range {
            let ours = try await query([
                q, "--replay", file, "--format", "json", "--start", start, "--end", end, "--step", "1m",
            ])
            #expect(ours.status == 0, "\(q): \(ours.output)")
            let theirs = try await prometheus.data(
                "/api/v1/query_range", ["query": q, "start": start, "end": end, "step": "60"])
            #expect(Self.sortedResults(ours.output) == Self.sortedResults(theirs), "range \(q)")
            if theirs.contains("\"values\":[[") { nonEmpty += 1 }
        }
        #expect(
            nonEmpty == instant.count + range.count, "every query should return data, or the comparison proves little")

        // Without --time, the query runs at the newest sample.
        let newest = try await query(["mem_bytes", "--replay", file, "--format", "json"])
        let theirs = try await prometheus.data(
            "/api/v1/query", ["query": "mem_bytes", "time": "\(Self.base + 3600).250"])
        #expect(Self.sortedResults(newest.output) == Self.sortedResults(theirs))
    }

    /// The data object with its `result` array's items sorted (Prometheus does not promise an order).
    static func sortedResults(_ json: String) -> String {
        let json = json.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let open = json.range(of: "\"result\":[{") else { return json }
        let bytes = Array(json.utf8[json.index(before: open.upperBound)...])
        var items: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var itemStart = 0
        var end = bytes.count
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    end = i
                    break
                }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 0 {
                    items.append(String(decoding: bytes[itemStart..<i], as: UTF8.self))
                    itemStart = i + 1
                }
            default: break
            }
            if end != bytes.count { break }
        }
        if end > itemStart { items.append(String(decoding: bytes[itemStart..<end], as: UTF8.self)) }
        return String(json[..<json.index(before: open.upperBound)]) + items.sorted().joined(separator: ",")
            + String(decoding: bytes[end...], as: UTF8.self)
    }

    @Test func tableShowsVectorsMatricesAndScalars() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-query-table-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile(
            """
            # TYPE mem_bytes gauge
            mem_bytes{job="api",instance="a"} 100 1700000000
            mem_bytes{job="api",instance="a"} 110 1700000015
            mem_bytes{job="api",instance="long-name"} 2000.5 1700000015
            mem_bytes{instance="z"} 7 1700000010.5
            # EOF

            """, in: dir)

        let vector = try await query(["mem_bytes", "--replay", file])
        #expect(vector.status == 0)
        #expect(
            vector.output.components(separatedBy: "\n") == [
                "__name__   instance   job   value",
                "mem_bytes  a          api     110",
                "mem_bytes  long-name  api  2000.5",
                "mem_bytes  z                    7",
                "",
            ])

        let matrix = try await query([
            "mem_bytes{job=\"api\"}", "--replay", file, "--start", "1700000000", "--end", "2023-11-14T22:13:35Z",
            "--step", "7.5",
        ])
        #expect(matrix.status == 0)
        #expect(
            matrix.output.components(separatedBy: "\n") == [
                "mem_bytes{instance=\"a\", job=\"api\"}",
                "1700000000 100",
                "1700000007.500 100",
                "1700000015 110",
                "",
                "mem_bytes{instance=\"long-name\", job=\"api\"}",
                "1700000015 2000.5",
                "",
            ])

        let scalar = try await query(["scalar(sum(mem_bytes)) / 2", "--replay", file, "--time", "now-4500ms"])
        #expect(scalar.output == "53.5\n")
        let rfc3339 = try await query([
            "mem_bytes{instance=\"z\"}", "--replay", file, "--format", "json", "--time", "2023-11-14T22:13:30.75Z",
        ])
        #expect(
            rfc3339.output
                == #"{"resultType":"vector","result":[{"metric":{"__name__":"mem_bytes","instance":"z"},"value":[1700000010.750,"7"]}]}"#
                + "\n")
        let empty = try await query(["nothing_here", "--replay", file])
        #expect(empty.output == "no series\n")
    }

    @Test func errorsSayWhatFailedAndExitNonZero() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-query-errors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try writeFile("up 1 1700000000\n", in: dir)
        let bad = try writeFile("up 1 1700000000\nup{job=\"x} 2 1700000015\n", in: dir.appendingPathComponent("bad"))

        let parse = try await query(["sum(rate(up[5m])", "--replay", file])
        #expect(parse.status == 1)
        #expect(
            parse.output == """
                kubeglass: cannot parse the query: 1:17: parse error: unclosed left parenthesis
                  sum(rate(up[5m])
                                  ^

                """)

        let multiline = try await query([
            "sum by (job) (\n  rate(up[5m]) +)", "--replay", file + ".not-read-before-parsing",
        ])
        #expect(multiline.status == 1)
        #expect(
            multiline.output == """
                kubeglass: cannot parse the query: 2:17: parse error: unexpected right parenthesis ')'
                    rate(up[5m]) +)
                                  ^

                """)

        let execution = try await query(["up", "--replay", file, "--start", "0", "--step", "1ms"])
        #expect(execution.status == 1)
        #expect(
            execution.output.hasPrefix(
                "kubeglass: the query failed: exceeded maximum resolution of 11,000 points per timeseries"))

        let replay = try await query(["up", "--replay", bad])
        #expect(replay.status == 1)
        #expect(
            replay.output
                == "kubeglass: cannot load replay file \(bad): line 2, column 8: label value is not closed; expected a closing \" before the end of the line\n"
        )

        let missing = try await query(["up", "--replay", file + ".gone"])
        #expect(missing.status == 1)
        #expect(
            missing.output
                == "kubeglass: cannot read replay file \(file).gone: No such file or directory; check the path\n")

        let flag = try await query(["up", "--replay", file, "--time", "yesterday"])
        #expect(flag.status == 64)
        #expect(
            flag.output.hasPrefix(
                "Error: --time \"yesterday\" is not a time; give unix seconds (1700000000.5), RFC 3339 (2023-11-14T22:13:20Z), now, or now-1h\n"
            ))

        let both = try await query(["up", "--time", "1", "--start", "0"])
        #expect(both.status == 64)
        #expect(
            both.output.hasPrefix(
                "Error: --time is for an instant query, --start and --end for a range query; give one or the other\n"))
    }

    @Test func demoClusterHasAnHourOfHistory() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kubeglass-query-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let (status, output) = try await spawn([
            "HOME=\(home.path)", "KUBECONFIG=", try kubeglassBinary(), "query",
            "count(kubeglass_node_cpu_usage_cores)", "--demo-nodes", "3", "--demo-pods", "20",
            "--start", "now-50m", "--step", "20m",
        ])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n")
        #expect(lines.first == "{}")
        #expect(
            lines.dropFirst().map { $0.split(separator: " ").last } == ["3", "3", "3"],
            "a point at -50, -30 and -10 minutes: \(output)")
    }
}

/// Prometheus 2.42 from /usr/bin, serving blocks promtool built from an OpenMetrics file.
struct RealPrometheus {
    let server: ChildProcess
    let api: String
    static let http: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 20
        return URLSession(configuration: configuration)
    }()

    init(file: String, dir: URL) async throws {
        let data = dir.appendingPathComponent("tsdb").path
        let promtool = try await spawn(["/usr/bin/promtool", "tsdb", "create-blocks-from", "openmetrics", file, data])
        guard promtool.status == 0 else { throw SpawnError(message: "promtool failed: \(promtool.output)") }
        let config = dir.appendingPathComponent("prometheus.yml")
        try "global:\n  evaluation_interval: 1m\n".write(to: config, atomically: true, encoding: .utf8)
        let port = try freeLoopbackPort()
        let log = dir.appendingPathComponent("prometheus.log").path
        server = try ChildProcess(
            "/usr/bin/prometheus",
            [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(data)", "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], logPath: log)
        api = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard server.isRunning else {
                throw SpawnError(
                    message: "prometheus exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            if let (_, response) = try? await Self.http.data(from: URL(string: api + "/-/ready")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw SpawnError(message: "prometheus was not ready within 30 s")
    }

    func stop() { server.stop() }

    /// The raw text of the response's `data` object.
    func data(_ path: String, _ parameters: [String: String]) async throws -> String {
        var components = URLComponents(string: api + path)!
        components.queryItems = parameters.sorted { $0.key < $1.key }.map {
            URLQueryItem(name: $0.key, value: $0.value)
        }
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let (body, _) = try await Self.http.data(from: components.url!)
        let text = String(decoding: body, as: UTF8.self)
        let prefix = "{\"status\":\"success\",\"data\":"
        guard text.hasPrefix(prefix), text.hasSuffix("}") else {
            throw SpawnError(message: "Prometheus answered \(text) to \(parameters)")
        }
        return String(text.dropFirst(prefix.count).dropLast())
    }

}
