import Collectors
import Foundation
import KubeClient
import KubeglassCore
import Store
import Testing

struct OpenMetricsParserTests {
    @Test func readsSamplesTypesEscapesAndSpecialValues() throws {
        let text = """
            # HELP req Requests served.
            # TYPE req counter
            # UNIT req requests
            req_total{job="api",path="/a\\\\b",msg="say \\"hi\\"\\nbye"} 17 1700000000.5
            req_created{job="api"} 1699990000 1700000000
            # TYPE temp gauge
            temp NaN 1700000001
            temp{room="x"} +Inf 1700000002.25
            temp{room="y"} -Inf 1700000002.125
            temp{room="z",} 1.5e3
            # a plain comment, as the Prometheus text format allows
            # TYPE lat histogram
            lat_bucket{le="0.5"} 3 1700000003 # {trace_id="abc"} 0.4 1700000003
            lat_bucket{le="+Inf"} 4 1700000003
            lat_count 4 1700000003
            lat_sum 1.25 1700000003
            # EOF

            """
        let samples = try OpenMetricsParser.samples(in: text)
        #expect(
            samples == [
                OpenMetricsSample(
                    labels: Labels(name: "req_total", ["job": "api", "path": "/a\\b", "msg": "say \"hi\"\nbye"]),
                    value: 17, time: 1_700_000_000_500),
                OpenMetricsSample(
                    labels: Labels(name: "req_created", ["job": "api"]), value: 1_699_990_000, time: 1_700_000_000_000),
                OpenMetricsSample(labels: Labels(name: "temp"), value: .nan, time: 1_700_000_001_000),
                OpenMetricsSample(
                    labels: Labels(name: "temp", ["room": "x"]), value: .infinity, time: 1_700_000_002_250),
                OpenMetricsSample(
                    labels: Labels(name: "temp", ["room": "y"]), value: -.infinity, time: 1_700_000_002_125),
                OpenMetricsSample(labels: Labels(name: "temp", ["room": "z"]), value: 1500, time: nil),
                OpenMetricsSample(labels: Labels(name: "lat_bucket", ["le": "0.5"]), value: 3, time: 1_700_000_003_000),
                OpenMetricsSample(
                    labels: Labels(name: "lat_bucket", ["le": "+Inf"]), value: 4, time: 1_700_000_003_000),
                OpenMetricsSample(labels: Labels(name: "lat_count"), value: 4, time: 1_700_000_003_000),
                OpenMetricsSample(labels: Labels(name: "lat_sum"), value: 1.25, time: 1_700_000_003_000),
            ])
    }

    @Test func acceptsPrometheusTextStyleCountersAndCRLF() throws {
        let samples = try OpenMetricsParser.samples(
            in: "# TYPE http_requests_total counter\r\nhttp_requests_total{code=\"200\"} 4 1700000000\r\n")
        #expect(
            samples == [
                OpenMetricsSample(
                    labels: Labels(name: "http_requests_total", ["code": "200"]), value: 4, time: 1_700_000_000_000)
            ])
    }

    @Test func repeatedSeriesKeepTheirLabels() throws {
        let text = "a{x=\"1\"} 1 10\na{x=\"2\"} 2 10\na{x=\"1\"} 3 20\n"
        let samples = try OpenMetricsParser.samples(in: text)
        #expect(
            samples.map(\.labels) == [
                Labels(name: "a", ["x": "1"]), Labels(name: "a", ["x": "2"]), Labels(name: "a", ["x": "1"]),
            ])
        #expect(samples.map(\.time) == [10_000, 10_000, 20_000])
    }

    @Test(arguments: [
        (
            "up 1 1\n{job=\"x\"} 1 1",
            "line 2, column 1: expected a metric name (letters, digits, _ and :, not starting with a digit), found \"{job=\"x\"} 1 \""
        ),
        ("up{job} 1 1", "line 1, column 7: expected \"=\" after label name \"job\", found \"} 1 1\""),
        ("up{job=x} 1 1", "line 1, column 8: expected a quoted value after job=, found \"x} 1 1\""),
        (
            "up{job=\"x} 1 1",
            "line 1, column 8: label value is not closed; expected a closing \" before the end of the line"
        ),
        (
            "up{job=\"a\\tb\"} 1 1",
            "line 1, column 10: invalid escape \"\\t\" in a label value; expected \\\\, \\\" or \\n"
        ),
        (
            "up{job=\"x\" zone=\"y\"} 1 1",
            "line 1, column 12: expected \",\" or \"}\" after the value of \"job\", found \"zone=\"y\"} 1 \""
        ),
        ("up{a=\"1\",a=\"2\"} 1 1", "line 1, column 10: label \"a\" appears twice in one series"),
        ("up", "line 1, column 3: expected a value after up"),
        ("up one 1", "line 1, column 4: invalid value \"one\"; expected a number, NaN, +Inf or -Inf"),
        (
            "up 1 soon",
            "line 1, column 6: invalid timestamp \"soon\"; expected seconds since the epoch, like 1700000000 or 1700000000.25"
        ),
        (
            "up 1 1 2",
            "line 1, column 8: expected end of line or an exemplar (\" # {…} value\") after the timestamp, found \"2\""
        ),
        (
            "# TYPE up thing",
            "line 1, column 11: unknown metric type \"thing\"; expected one of counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown, untyped"
        ),
        ("# TYPE", "line 1, column 7: expected a metric name after \"# TYPE\""),
        (
            "# TYPE req counter\nreq 1 1",
            "line 2, column 1: counter req has a sample named req; expected req_total (or req_created)"
        ),
        (
            "# TYPE lat histogram\nlat_bucket 1 1",
            "line 2, column 1: histogram bucket lat_bucket has no \"le\" label; expected le=\"<upper bound>\""
        ),
        (
            "# TYPE lat histogram\nlat_bucket{le=\"big\"} 1 1",
            "line 2, column 1: histogram bucket lat_bucket has le=\"big\"; expected a number or +Inf"
        ),
        (
            "up 1 1\n# EOF\nup 2 2",
            "line 3, column 1: unexpected text after \"# EOF\" on line 2; \"# EOF\" must be the last line"
        ),
    ])
    func errorsSayWhereAndWhatWasExpected(text: String, error: String) {
        var message: String?
        do { _ = try OpenMetricsParser.samples(in: text) } catch { message = error.description }
        #expect(message == error)
    }

    /// Values and timestamps are read from their bytes: a plain decimal reads as `Double(text)` does, bit for bit,
    /// and a timestamp's milliseconds are exact (digits past the third dropped); anything else goes the slow way.
    @Test func numbersAndTimesReadFromBytesAsTheirText() throws {
        var generator = SystemRandomNumberGenerator()
        var lines: [String] = []
        var expected: [(value: Double, time: Timestamp)] = []
        let fixed = [
            "0", "-0", "+7", "5.", ".5", "007.250", "1e3", "-2.5E-3", "123456789012345", "1234567890123456",
            "0.1", "0.3", "9007199254740993", "1.000000000000001", "NaN", "+Inf", "-Inf",
        ]
        for i in 0..<4_000 {
            let text: String
            if i < fixed.count {
                text = fixed[i]
            } else {
                let digits = (0..<Int.random(in: 1...18, using: &generator)).map { _ in
                    String(Int.random(in: 0...9, using: &generator))
                }.joined()
                let point = Int.random(in: 0...digits.count, using: &generator)
                let sign = ["", "-", "+"].randomElement(using: &generator)!
                text =
                    sign + digits.prefix(point) + (point < digits.count || Bool.random() ? "." : "")
                    + digits.dropFirst(point)
            }
            // Seconds with 0 to 6 decimals: the milliseconds are the whole seconds and the first three of them.
            let seconds = Int64.random(in: 0..<4_000_000_000, using: &generator)
            let decimals = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int64.random(in: 0...9) }
            var ms = seconds * 1000
            for (k, d) in decimals.prefix(3).enumerated() { ms += d * [100, 10, 1][k] }
            let time = "\(seconds)" + (decimals.isEmpty ? "" : "." + decimals.map(String.init).joined())
            guard let value = Double(text) else { continue }
            // One series a line, or the same series again: both paths are read.
            lines.append("m\(i % 3 == 0 ? "{k=\"\(i)\"}" : "") \(text) \(time)")
            expected.append((value, ms))
        }
        let samples = try OpenMetricsParser.samples(in: lines.joined(separator: "\n"))
        #expect(samples.count == expected.count)
        for (sample, want) in zip(samples, expected) {
            #expect(sample.value.bitPattern == want.value.bitPattern || (sample.value.isNaN && want.value.isNaN))
            #expect(sample.time == want.time)
        }
    }

    /// A series seen on the line before is not parsed again, but a `# TYPE` between them is still honoured.
    @Test func aTypeLineBetweenTwoSamplesOfOneSeriesIsCheckedAgain() {
        var message: String?
        do {
            _ = try OpenMetricsParser.samples(
                in: "# TYPE lat gauge\nlat_bucket 1 1\n# TYPE lat histogram\nlat_bucket 2 2\n")
        } catch { message = error.description }
        #expect(
            message
                == "line 4, column 1: histogram bucket lat_bucket has no \"le\" label; expected le=\"<upper bound>\"")
    }

    @Test func replayFileSizesItsStoreFromTheData() throws {
        let replay = try ReplayFile.load(
            text: """
                # TYPE x gauge
                x{i="a"} 1 100
                x{i="a"} 2 110
                x{i="b"} 5 95
                x{i="a"} 3 105
                x{i="b"} 6 135
                # EOF
                """)
        #expect(replay.first == 95_000 && replay.last == 135_000)
        #expect(replay.seriesCount == 2 && replay.sampleCount == 5)
        #expect(replay.store.configuration.retention == 40_000)
        #expect(replay.store.configuration.interval == 5_000)
        let a = replay.store.select([.equal("i", "a")])
        #expect(
            a.map(\.samples) == [
                [Sample(time: 100_000, value: 1), Sample(time: 105_000, value: 3), Sample(time: 110_000, value: 2)]
            ])
    }

    @Test func replayFileNeedsTimestamps() {
        var message: String?
        do { _ = try ReplayFile.load(text: "x 1 100\ny{a=\"b\"} 2\n") } catch { message = "\(error)" }
        #expect(
            message
                == "line 2: the sample of y{a=\"b\"} has no timestamp; a replay file needs one on every sample (seconds since the epoch)"
        )
    }

    @Test func readsAFileALineAtATime() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kg-om-\(UUID().uuidString).om").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "# TYPE big gauge\n"
        for i in 0..<2000 {
            text += "big{i=\"\(i % 10)\"} \(i) \(1_700_000_000 + i / 10).\(String(format: "%03d", (i % 10) * 100))\n"
        }
        try (text + "# EOF\n").write(toFile: path, atomically: true, encoding: .utf8)
        let replay = try ReplayFile.load(path: path)
        #expect(replay.seriesCount == 10 && replay.sampleCount == 2000)
        #expect(replay.first == 1_700_000_000_000 && replay.last == 1_700_000_199_900)
        #expect(replay.store.configuration.interval == 1000)
        #expect(replay.store.select([.equal("i", "3")])[0].samples.count == 200)

        var message: String?
        do { _ = try ReplayFile.load(path: path + ".missing") } catch { message = "\(error)" }
        #expect(message == "cannot read \(path).missing: No such file or directory")
    }
}
