import Foundation
import Query

/// A client of InfluxDB 1.x's HTTP API: `GET /query` (InfluxQL, `epoch=ms`) and `/ping`.
/// Read-only: it never sends anything but GET.
public final class InfluxClient: Sendable {
    /// Where the user name and password go: an `Authorization: Basic` header, or InfluxDB's
    /// `u` and `p` query parameters (older setups and some proxies only pass those).
    public enum CredentialPlacement: Sendable { case basic, queryParameters }

    public let database: String
    private let connection: TSDBConnection
    private let credentials: (user: String, password: String)?
    private let placement: CredentialPlacement

    public init(
        baseURL: String, database: String, user: String? = nil, password: String? = nil,
        placement: CredentialPlacement = .basic, caFile: String? = nil, insecure: Bool = false,
        limits: TSDBLimits = TSDBLimits()
    ) throws(InfluxError) {
        self.database = database
        self.placement = placement
        let credentials = user.map { (user: $0, password: password ?? "") }
        self.credentials = credentials
        let auth: TSDBAuth =
            if let credentials, placement == .basic {
                .basic(user: credentials.user, password: credentials.password)
            } else { .none }
        do {
            connection = try TSDBConnection(
                kind: "InfluxDB", baseURL: baseURL, auth: auth, caFile: caFile, insecure: insecure, limits: limits)
        } catch {
            throw InfluxError(error)
        }
    }

    public var name: String { connection.name }
    /// Body bytes received so far over every request (after gzip decompression).
    public var bytesFetched: Int { connection.bytesReceived }
    public var requestCount: Int { connection.requestCount }

    public func shutdown() async { await connection.shutdown() }

    /// Runs one or more `;`-separated statements. Each statement's answer keeps its own error;
    /// only a query that fails as a whole (parse error, auth, HTTP error) throws.
    public func query(_ influxQL: String) async throws(InfluxError) -> [InfluxResult] {
        var parameters = [("db", database), ("q", influxQL), ("epoch", "ms")]
        if let credentials, placement == .queryParameters {
            parameters += [("u", credentials.user), ("p", credentials.password)]
        }
        let response = try await get("/query", parameters)
        let (results, error) = InfluxResponse.results(response.body)
        switch response.status {
        case 200:
            guard let results else {
                if let error {
                    throw InfluxError(.http(status: 200), "\(name) refused the query: \(error)", error: error)
                }
                throw InfluxError(
                    .malformed,
                    "\(name) sent an answer to /query that is not InfluxDB JSON (is the URL an InfluxDB 1.x server?)")
            }
            return results
        case 400:
            let text = error ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw InfluxError(.parse, "\(name) could not parse the query: \(text)", error: text)
        case 401, 403:
            throw InfluxError(
                .unauthorized,
                "\(name) refused the credentials (HTTP \(response.status)): \(error ?? response.reason) (check the InfluxDB user and password)",
                error: error)
        default:
            if let error {
                throw InfluxError(
                    .http(status: response.status), "\(name) answered HTTP \(response.status): \(error)", error: error)
            }
            throw InfluxError(
                .http(status: response.status),
                "\(name) answered HTTP \(response.status) \(response.reason) without an InfluxDB error body (is it starting, or behind a proxy that failed?)"
            )
        }
    }

    /// Like `query`, but a statement that failed throws its error (for SHOW statements and single queries).
    public func checkedQuery(_ influxQL: String) async throws(InfluxError) -> [InfluxResult] {
        let results = try await query(influxQL)
        if let failed = results.first(where: { $0.error != nil }), let error = failed.error {
            throw InfluxError(
                .http(status: 200), "\(name) could not run statement \(failed.statementID + 1) of the query: \(error)",
                error: error)
        }
        return results
    }

    /// Every statement's series as one matrix (see `InfluxSeries.timeSeries` for the labels);
    /// a failed statement throws its error.
    public func matrix(_ influxQL: String) async throws(InfluxError) -> QueryValue {
        let results = try await checkedQuery(influxQL)
        return .matrix(results.flatMap { $0.series.flatMap { $0.timeSeries() } })
    }

    /// `/ping`: the server's version (`X-Influxdb-Version`), or throws when it does not answer 204.
    @discardableResult
    public func ping() async throws(InfluxError) -> String {
        let response = try await get("/ping", [])
        guard response.status == 204 || response.status == 200 else {
            throw InfluxError(
                .http(status: response.status),
                "\(name) answered /ping with HTTP \(response.status) \(response.reason) (is the URL an InfluxDB 1.x server?)"
            )
        }
        return response.headers.first(name: "X-Influxdb-Version") ?? "unknown"
    }

    /// `SHOW MEASUREMENTS`, for completion.
    public func measurements() async throws(InfluxError) -> [String] {
        try await checkedQuery("SHOW MEASUREMENTS").flatMap(\.firstColumn)
    }

    /// `SHOW TAG KEYS [FROM "m"]`.
    public func tagKeys(measurement: String? = nil) async throws(InfluxError) -> [String] {
        let from = measurement.map { " FROM " + InfluxQuoting.identifier($0) } ?? ""
        let keys = try await checkedQuery("SHOW TAG KEYS" + from).flatMap(\.firstColumn)
        return Array(Set(keys)).sorted()
    }

    /// `SHOW TAG VALUES [FROM "m"] WITH KEY = "key" [WHERE …]`: the values of a template variable.
    public func tagValues(measurement: String? = nil, key: String, where condition: String? = nil)
        async throws(InfluxError) -> [String]
    {
        var q = "SHOW TAG VALUES"
        if let measurement { q += " FROM " + InfluxQuoting.identifier(measurement) }
        q += " WITH KEY = " + InfluxQuoting.identifier(key)
        if let condition, !condition.isEmpty { q += " WHERE " + condition }
        // Rows are [key, value]; values repeat across measurements.
        let values = try await checkedQuery(q).flatMap(\.series).flatMap { s in
            s.values.compactMap { $0.count > 1 ? $0[1].text : nil }
        }
        return Array(Set(values)).sorted()
    }

    private func get(_ path: String, _ parameters: [(String, String)]) async throws(InfluxError) -> TSDBResponse {
        do {
            return try await connection.get(path, parameters)
        } catch {
            throw InfluxError(error)
        }
    }
}

/// InfluxQL quoting rules.
public enum InfluxQuoting {
    /// `"name"`, with `"` and `\` escaped.
    public static func identifier(_ name: String) -> String {
        "\"" + name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// `'text'`, with `'` and `\` escaped.
    public static func string(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
