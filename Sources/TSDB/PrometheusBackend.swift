import Foundation
import KubeglassCore
import Query

/// Panels answered by a Prometheus-compatible server: range queries through the cache (a refresh
/// fetches only the newest steps), instant queries as they are, variables from its label API.
public struct PrometheusBackend: QueryBackend {
    public let client: PrometheusClient
    let cache: RangeCache
    public let minimumStep: Int64
    public var datasource: Datasource { .prometheus }

    /// How long the newest answers stay provisional: VictoriaMetrics' `-search.latencyOffset` (30 s by
    /// default; its answers for the last 30 s repeat the value of 30 s ago), which also covers a
    /// Prometheus' scrapes still being written.
    public static let settle: Int64 = 30_000

    /// `minimumStep`: the finest step worth asking for, about the scrape interval.
    public init(client: PrometheusClient, minimumStep: Int64 = 15_000) {
        self.client = client
        cache = RangeCache(settle: Self.settle) { expr, start, end, step in
            try await client.queryRange(expr, start: start, end: end, step: step)
        }
        self.minimumStep = max(1000, minimumStep)
    }

    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue {
        try await cache.queryRange(query, start: start, end: end, step: step)
    }

    public func instantQuery(_ query: String, at time: Timestamp) async throws -> QueryValue {
        try await client.query(query, at: time)
    }

    /// `label_values(metric, label)` and `label_values(label)` use the label API (cheap on a big server).
    public func variableValues(_ query: String, at time: Timestamp) async throws -> [String] {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        if q.hasPrefix("label_values("), q.hasSuffix(")") {
            let args = String(q.dropFirst("label_values(".count).dropLast())
            if let comma = args.lastIndex(of: ","), !args[comma...].contains("}") {
                let label = args[args.index(after: comma)...].trimmingCharacters(in: .whitespaces)
                let match = args[..<comma].trimmingCharacters(in: .whitespaces)
                return try await client.labelValues(label, match: [match]).sorted(by: VariableValues.naturalOrder)
            }
            if !args.contains(",") && !args.contains("{") {
                return try await client.labelValues(args.trimmingCharacters(in: .whitespaces)).sorted(
                    by: VariableValues.naturalOrder)
            }
        }
        return try await promQLVariableValues(query, at: time)
    }
}

extension PrometheusBackend {
    /// Metric and label names from the server's label API, and the values of a few common labels.
    public func completionWords() async -> CompletionWords {
        var words = CompletionWords()
        words.metrics = (try? await client.metricNames()) ?? []
        words.labels = ((try? await client.labelNames()) ?? []).filter { $0 != Labels.metricName }
        for label in CompletionWords.valueLabels where words.labels.contains(label) {
            words.labelValues += ((try? await client.labelValues(label)) ?? []).prefix(5_000)
        }
        return words
    }
}
