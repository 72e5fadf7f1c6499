import Foundation

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A temp directory removed by `remove()`.
public struct TempDirectory {
    public let path: String
    public init(_ prefix: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// GETs a URL with curl (an independent client): the body, or nil when curl fails.
public func curl(_ url: String) throws -> String? {
    let (status, output) = try spawn(["curl", "-sS", "--max-time", "20", url])
    return status == 0 ? output : nil
}

/// `curl` from an async test, off the cooperative pool (see the async `spawn`).
public func curl(_ url: String) async throws -> String? {
    try await offThePool { try curl(url) }
}

/// Percent-encodes a query parameter for curl URLs.
public func queryEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

/// Polls `ready` until it returns true or `seconds` pass; `server` must keep running meanwhile.
public func waitUntil(_ what: String, seconds: Double, server: ChildProcess, log: String, _ ready: () async -> Bool)
    async throws
{
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        guard server.isRunning else {
            throw TestServerError("\(what) exited: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        if await ready() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TestServerError(
        "\(what) was not ready within \(Int(seconds)) s: \((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? "")"
    )
}

/// Prometheus 2.42 from Debian on a free loopback port with a temp TSDB.
public final class PrometheusServer: @unchecked Sendable {
    public static let binary = "/usr/bin/prometheus"
    public static let promtool = "/usr/bin/promtool"
    public let url: String
    public let directory: TempDirectory
    private let process: ChildProcess

    /// Loads `openMetrics` (with timestamps) through `promtool tsdb create-blocks-from openmetrics`,
    /// and scrapes `scrapeTargets` (`host:port` with their paths) every second when given.
    /// `port`: listen there (a server started again where the last one was), else on a free port.
    public init(
        openMetrics: String? = nil, scrape: [(job: String, target: String, path: String)] = [], port: Int? = nil
    ) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary),
            FileManager.default.isExecutableFile(atPath: Self.promtool)
        else {
            throw TestServerError(
                "prometheus or promtool is missing from /usr/bin: run scripts/test, which installs Debian's prometheus package"
            )
        }
        directory = try TempDirectory("kubeglass-tsdb-prom")
        let data = directory.path + "/tsdb"
        if let openMetrics {
            let file = directory.path + "/data.om"
            try openMetrics.write(toFile: file, atomically: true, encoding: .utf8)
            let (status, output) = try await spawn([
                Self.promtool, "tsdb", "create-blocks-from", "openmetrics", file, data,
            ])
            guard status == 0 else { throw TestServerError("promtool failed: \(output)") }
        }
        var config =
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1m\nscrape_configs:\n"
        for s in scrape {
            config +=
                "- job_name: \(s.job)\n  honor_labels: true\n  metrics_path: \(s.path)\n  static_configs:\n  - targets: ['\(s.target)']\n"
        }
        if scrape.isEmpty { config = "global:\n  evaluation_interval: 1m\n" }
        try config.write(toFile: directory.path + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try port ?? freeLoopbackPort()
        url = "http://127.0.0.1:\(port)"
        let log = directory.path + "/prometheus.log"
        process = try ChildProcess(
            Self.binary,
            [
                "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(data)",
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], logPath: log)
        let ready = url + "/-/ready"
        try await waitUntil("prometheus", seconds: 120, server: process, log: log) {
            (try? spawn(["curl", "-sf", "--max-time", "2", ready]).status) == 0
        }
    }

    public func stop() {
        process.stop()
        directory.remove()
    }
}

/// InfluxDB 1.6 from Debian on free loopback ports, its meta/data/wal in a temp dir.
public final class InfluxServer: @unchecked Sendable {
    public static let binary = "/usr/bin/influxd"
    public let url: String
    public let directory: TempDirectory
    private let process: ChildProcess

    public init() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw TestServerError(
                "influxd is missing from /usr/bin: run scripts/test, which installs Debian's influxdb package")
        }
        directory = try TempDirectory("kubeglass-tsdb-influx")
        let http = try freeLoopbackPort()
        let rpc = try freeLoopbackPort()
        let dir = directory.path
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpc)"
            [meta]
              dir = "\(dir)/meta"
            [data]
              dir = "\(dir)/data"
              wal-dir = "\(dir)/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:\(http)"
              log-enabled = false
            [ifql]
              enabled = false
            [monitor]
              store-enabled = false
            [subscriber]
              enabled = false
            [continuous_queries]
              enabled = false
            [logging]
              level = "warn"

            """
        try config.write(toFile: dir + "/influxdb.conf", atomically: true, encoding: .utf8)
        url = "http://127.0.0.1:\(http)"
        let log = dir + "/influxd.log"
        process = try ChildProcess(Self.binary, ["-config", dir + "/influxdb.conf"], logPath: log)
        let ping = url + "/ping"
        try await waitUntil("influxd", seconds: 120, server: process, log: log) {
            (try? spawn(["curl", "-sf", "--max-time", "2", ping]).status) == 0
        }
    }

    public func stop() {
        process.stop()
        directory.remove()
    }
}

/// VictoriaMetrics 1.79 (single node) from Debian on a free loopback port with a temp storage dir: the
/// scale-out path's stand-in (it serves Prometheus' query and label API).
public final class VictoriaMetricsServer: @unchecked Sendable {
    public static let binary = "/usr/bin/victoria-metrics"
    public let url: String
    public let directory: TempDirectory
    private let process: ChildProcess

    /// Imports `openMetrics` (the text promtool reads: timestamps in seconds) through
    /// `/api/v1/import/prometheus`, and scrapes `scrape` targets (`host:port` with their paths) every second.
    public init(openMetrics: String? = nil, scrape: [(job: String, target: String, path: String)] = []) async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw TestServerError(
                "victoria-metrics is missing from /usr/bin: run scripts/test, which installs Debian's victoria-metrics package"
            )
        }
        directory = try TempDirectory("kubeglass-tsdb-vm")
        let port = try freeLoopbackPort()
        url = "http://127.0.0.1:\(port)"
        var arguments = [
            "-httpListenAddr=127.0.0.1:\(port)", "-storageDataPath=\(directory.path)/data", "-retentionPeriod=100y",
            "-loggerLevel=WARN",
            // Its result cache may keep an answer computed while imported samples were still being made
            // searchable; tests compare two answers asked moments apart, so every query reads the data.
            "-search.disableCache",
        ]
        if !scrape.isEmpty {
            var config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
            for s in scrape {
                config +=
                    "- job_name: \(s.job)\n  honor_labels: true\n  metrics_path: \(s.path)\n  static_configs:\n  - targets: ['\(s.target)']\n"
            }
            try config.write(toFile: directory.path + "/scrape.yml", atomically: true, encoding: .utf8)
            arguments.append("-promscrape.config=\(directory.path)/scrape.yml")
        }
        let log = directory.path + "/victoria-metrics.log"
        process = try ChildProcess(Self.binary, arguments, logPath: log)
        let health = url + "/health"
        try await waitUntil("victoria-metrics", seconds: 120, server: process, log: log) {
            (try? spawn(["curl", "-sf", "--max-time", "2", health]).status) == 0
        }
        if let openMetrics { try importOpenMetrics(openMetrics) }
    }

    /// Sends OpenMetrics text (every sample with its timestamp in seconds) to `/api/v1/import/prometheus`
    /// (which wants milliseconds), then flushes, so that queries see it at once.
    public func importOpenMetrics(_ text: String) throws {
        try importPrometheus(Self.prometheusText(openMetrics: text))
    }

    /// Sends Prometheus' text format (every sample with its timestamp in milliseconds) to
    /// `/api/v1/import/prometheus`, then flushes.
    public func importPrometheus(_ text: String) throws {
        let file = directory.path + "/import-\(UUID().uuidString).prom"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try spawn([
            "curl", "-sS", "-f", "--max-time", "120", "--data-binary", "@" + file, url + "/api/v1/import/prometheus",
        ])
        guard status == 0 else { throw TestServerError("the import into victoria-metrics failed: \(output)") }
        flush()
    }

    /// Makes what was written searchable now (VictoriaMetrics otherwise takes up to a second or so).
    public func flush() {
        _ = try? spawn(["curl", "-sS", "--max-time", "60", url + "/internal/force_flush"])
    }

    /// Sample lines with their timestamp turned from seconds into milliseconds; comments dropped.
    public static func prometheusText(openMetrics: String) -> String {
        var out = ""
        for line in openMetrics.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let seconds = Double(line[line.index(after: space)...]) else {
                out += line + "\n"
                continue
            }
            out += line[..<space] + " \(Int64((seconds * 1000).rounded()))\n"
        }
        return out
    }

    public func stop() {
        process.stop()
        directory.remove()
    }
}
