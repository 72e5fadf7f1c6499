/// Which query language and server a panel's targets are for.
public enum Datasource: String, Sendable, Hashable, CaseIterable {
    /// Local PromQL over kubeglass' own store (demo, metrics API, summary, scrape, replay).
    case local
    /// A Prometheus-compatible server (`--prometheus URL`); PromQL.
    case prometheus
    /// InfluxDB 1.x (`--influxdb URL`), usually with Heapster's schema; InfluxQL.
    case influxdb
}
