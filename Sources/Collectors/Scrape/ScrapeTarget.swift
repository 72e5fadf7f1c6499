import KubeglassCore

/// One endpoint a scrape reads: the labels Prometheus would give its series (`job`, `instance`, …)
/// and how to fetch its exposition.
public struct ScrapeTarget: Sendable {
    /// Added to every series of the target, and to its `up` and `scrape_duration_seconds`.
    public var labels: [String: String]
    /// What a person reads in a warning: the URL, or `node a's /metrics/cadvisor`.
    public var name: String
    public var fetch: @Sendable () async throws -> ScrapeBody

    public init(labels: [String: String], name: String, fetch: @escaping @Sendable () async throws -> ScrapeBody) {
        self.labels = labels
        self.name = name
        self.fetch = fetch
    }
}

/// A scrape's response: its bytes and the text format its content type named.
public struct ScrapeBody: Sendable {
    public var bytes: [UInt8]
    public var format: OpenMetricsParser.Format

    public init(bytes: [UInt8], format: OpenMetricsParser.Format) {
        self.bytes = bytes
        self.format = format
    }

    /// OpenMetrics when the server says so (`application/openmetrics-text`), else the Prometheus text format.
    public static func format(contentType: String?) -> OpenMetricsParser.Format {
        (contentType ?? "").lowercased().contains("application/openmetrics-text") ? .openMetrics : .prometheusText
    }

    /// What a scrape asks for: OpenMetrics first, the Prometheus text format as the fallback, as Prometheus asks.
    public static let accept =
        "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
}

/// Why a target gave no samples, as a sentence for the status bar.
public struct ScrapeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
