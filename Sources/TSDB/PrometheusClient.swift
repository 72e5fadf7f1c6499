import Foundation
import KubeglassCore
import Query

/// A client of the Prometheus HTTP API (`/api/v1/...`), GET only. Works with anything that serves
/// the same API (Thanos, Mimir, VictoriaMetrics). Every body's size is added to `bytesFetched`.
public final class PrometheusClient: Sendable {
    private let connection: TSDBConnection

    /// - Parameters:
    ///   - baseURL: the server's root, e.g. `http://localhost:9090` (a path prefix such as `/prometheus` is kept).
    ///   - caFile: PEM certificates to trust instead of the system's.
    ///   - insecure: skip TLS verification (test servers only).
    public init(
        baseURL: String, auth: TSDBAuth = .none, caFile: String? = nil, insecure: Bool = false,
        limits: TSDBLimits = TSDBLimits()
    ) throws(PrometheusError) {
        do {
            connection = try TSDBConnection(
                kind: "Prometheus", baseURL: baseURL, auth: auth, caFile: caFile, insecure: insecure, limits: limits)
        } catch {
            throw PrometheusError(error)
        }
    }

    /// `Prometheus at http://…`, as errors name it.
    public var name: String { connection.name }
    /// Body bytes received so far over every request (after gzip decompression).
    public var bytesFetched: Int { connection.bytesReceived }
    public var requestCount: Int { connection.requestCount }

    public func shutdown() async { await connection.shutdown() }

    /// `/api/v1/query_range`: `start`, `end` in ms, `step` in ms.
    public func queryRange(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async throws(PrometheusError)
        -> QueryValue
    {
        let data = try await get(
            "/api/v1/query_range",
            [
                ("query", expr), ("start", Self.seconds(start)), ("end", Self.seconds(end)),
                ("step", Self.seconds(max(1, step))),
            ], what: "the range query \(expr)")
        guard let value = PrometheusResponse.queryValue(data) else { throw malformed("the range query \(expr)") }
        return value
    }

    /// `/api/v1/query` at `at` (ms), or at the server's now when nil.
    public func query(_ expr: String, at: Timestamp? = nil) async throws(PrometheusError) -> QueryValue {
        var parameters = [("query", expr)]
        if let at { parameters.append(("time", Self.seconds(at))) }
        let data = try await get("/api/v1/query", parameters, what: "the query \(expr)")
        guard let value = PrometheusResponse.queryValue(data) else { throw malformed("the query \(expr)") }
        return value
    }

    /// Every metric name (`/api/v1/label/__name__/values`), for completion.
    public func metricNames() async throws(PrometheusError) -> [String] {
        try await labelValues(Labels.metricName)
    }

    /// `/api/v1/labels`.
    public func labelNames(match: [String] = []) async throws(PrometheusError) -> [String] {
        let data = try await get("/api/v1/labels", match.map { ("match[]", $0) }, what: "the label names")
        guard let names = PrometheusResponse.strings(data) else { throw malformed("the label names") }
        return names
    }

    /// `/api/v1/label/<name>/values`, optionally only of series matching the selectors in `match`.
    public func labelValues(_ name: String, match: [String] = []) async throws(PrometheusError) -> [String] {
        let data = try await get(
            "/api/v1/label/\(TSDBConnection.encode(name))/values", match.map { ("match[]", $0) },
            what: "the values of label \(name)")
        guard let values = PrometheusResponse.strings(data) else { throw malformed("the values of label \(name)") }
        return values
    }

    /// `/api/v1/metadata`: each metric's type, help and unit (the first entry Prometheus lists).
    public func metadata() async throws(PrometheusError) -> [String: PrometheusMetricMetadata] {
        let data = try await get("/api/v1/metadata", [], what: "the metric metadata")
        guard let object = data as? [String: Any] else { throw malformed("the metric metadata") }
        var out: [String: PrometheusMetricMetadata] = [:]
        for (metric, entries) in object {
            guard let first = (entries as? [[String: Any]])?.first else { continue }
            out[metric] = PrometheusMetricMetadata(
                type: first["type"] as? String ?? "", help: first["help"] as? String ?? "",
                unit: first["unit"] as? String ?? "")
        }
        return out
    }

    /// `/api/v1/series`: the label sets of the series matching `match` (optionally within start…end, ms).
    public func series(match: [String], start: Timestamp? = nil, end: Timestamp? = nil) async throws(PrometheusError)
        -> [Labels]
    {
        var parameters = match.map { ("match[]", $0) }
        if let start { parameters.append(("start", Self.seconds(start))) }
        if let end { parameters.append(("end", Self.seconds(end))) }
        let data = try await get("/api/v1/series", parameters, what: "the series of \(match.joined(separator: ", "))")
        guard let items = data as? [Any] else { throw malformed("the series list") }
        var out: [Labels] = []
        for item in items {
            guard let labels = PrometheusResponse.labels(item) else { throw malformed("the series list") }
            out.append(labels)
        }
        return out
    }

    private func get(_ path: String, _ parameters: [(String, String)], what: String) async throws(PrometheusError)
        -> Any
    {
        let response: TSDBResponse
        do {
            response = try await connection.get(path, parameters)
        } catch {
            throw PrometheusError(error)
        }
        return try PrometheusResponse.data(response, server: connection.name, what: what)
    }

    private func malformed(_ what: String) -> PrometheusError {
        PrometheusError(
            .malformed,
            "\(connection.name) sent an answer to \(what) whose data is not in Prometheus' format (is it a Prometheus-compatible server?)"
        )
    }

    /// Milliseconds as the decimal seconds Prometheus reads: `1700000000.5`.
    static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let magnitude = ms.magnitude
        let fraction = magnitude % 1000
        guard fraction != 0 else { return "\(sign)\(magnitude / 1000)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(magnitude / 1000).\(digits)"
    }
}
