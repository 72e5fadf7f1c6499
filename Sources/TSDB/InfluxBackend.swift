import Foundation
import KubeglassCore
import Query

/// Panels answered by InfluxDB 1.x in InfluxQL, as Grafana asks it: macros (`$timeFilter`,
/// `GROUP BY time($__interval)`) expanded for the panel's window, the bucket count capped, builder
/// targets built into text. A stat's "instant" value is the last point of each series in the window.
public struct InfluxBackend: QueryBackend {
    public let client: InfluxClient
    public let minimumStep: Int64
    public var datasource: Datasource { .influxdb }

    /// `minimumStep`: the finest GROUP BY interval worth asking for (Heapster wrote every 60 s; 10 s by default).
    public init(client: InfluxClient, minimumStep: Int64 = 10_000) {
        self.client = client
        self.minimumStep = max(1000, minimumStep)
    }

    public func builderQuery(_ builderJSON: String) throws -> String {
        let builder = try JSONDecoder().decode(InfluxBuilderTarget.self, from: Data(builderJSON.utf8))
        return try InfluxQueryBuilder.build(builder)
    }

    public func prepare(_ query: String, start: Timestamp, end: Timestamp, step: Int64, variables: VariableValues)
        -> String
    {
        let expanded = InfluxMacros.expand(
            query, start: start, end: end, interval: step, variables: variables.values, minimumInterval: minimumStep)
        return InfluxMacros.capBuckets(expanded, start: start, end: end)
    }

    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue {
        .matrix(try await series(query))
    }

    public func instantQuery(_ query: String, at time: Timestamp) async throws -> QueryValue {
        .vector(
            try await series(query).compactMap { s in
                s.samples.last.map { VectorSample(labels: s.labels, time: $0.time, value: $0.value) }
            })
    }

    /// `SHOW TAG VALUES …` gives its `value` column; any other query its first value column.
    public func variableValues(_ query: String, at time: Timestamp) async throws -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for result in try await client.checkedQuery(
            InfluxMacros.expand(query, start: time - Milliseconds.hour, end: time, interval: minimumStep))
        {
            for s in result.series {
                let column = s.columns.firstIndex(of: "value") ?? (s.columns.first == "time" ? 1 : 0)
                for row in s.values where row.count > column {
                    if let text = row[column].text, !text.isEmpty, seen.insert(text).inserted { out.append(text) }
                }
            }
        }
        return out.sorted(by: VariableValues.naturalOrder)
    }

    private func series(_ query: String) async throws -> [Series] {
        try await client.checkedQuery(query).flatMap { $0.series.flatMap { $0.timeSeries() } }
    }
}

extension InfluxBackend {
    /// Measurements and tag keys (`SHOW MEASUREMENTS`, `SHOW TAG KEYS`), and values of the Heapster tags people filter on.
    public func completionWords() async -> CompletionWords {
        var words = CompletionWords()
        words.metrics = (try? await client.measurements()) ?? []
        words.labels = Array(Set((try? await client.tagKeys()) ?? [])).sorted()
        for key in CompletionWords.valueLabels where words.labels.contains(key) {
            words.labelValues += ((try? await client.tagValues(key: key)) ?? []).prefix(5_000)
        }
        return words
    }
}
