import KubeglassCore

/// The source when kubeglass shows only a TSDB (no cluster, no demo): each poll checks the servers
/// answer, so the status bar shows their health; the panels query them directly.
public struct TSDBHealthSource: MetricSource {
    public let prometheus: PrometheusClient?
    public let influx: InfluxClient?

    public init(prometheus: PrometheusClient?, influx: InfluxClient?) {
        self.prometheus = prometheus
        self.influx = influx
    }

    public var id: String { prometheus != nil ? "prometheus" : "influxdb" }

    public var displayName: String {
        [prometheus?.name, influx?.name].compactMap { $0 }.joined(separator: " + ")
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        if let prometheus { _ = try await prometheus.query("vector(1)", at: time) }
        if let influx { _ = try await influx.ping() }
        return SampleBatch(time: time)
    }
}
