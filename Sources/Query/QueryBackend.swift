import Foundation
import KubeglassCore
import Store

/// Something that answers a panel's queries: the local PromQL engine over the store, a Prometheus
/// server, an InfluxDB. Remote ones are slow, so every call is async; none draws.
public protocol QueryBackend: Sendable {
    var datasource: Datasource { get }
    /// The finest step worth asking for (the local store's poll interval; a server's scrape interval).
    var minimumStep: Int64 { get }
    /// `query` after the backend's own macros (InfluxQL's `$timeFilter`, `GROUP BY time($interval)`), exactly as sent.
    func prepare(_ query: String, start: Timestamp, end: Timestamp, step: Int64, variables: VariableValues) -> String
    func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue
    func instantQuery(_ query: String, at time: Timestamp) async throws -> QueryValue
    /// The values of a query variable (`label_values(kubeglass_node_info, node)`, `SHOW TAG VALUES …`).
    func variableValues(_ query: String, at time: Timestamp) async throws -> [String]
    /// The text of a query made in Grafana's graphical query builder (its target's JSON), for backends that
    /// speak the builder's language (InfluxDB); the others throw.
    func builderQuery(_ builderJSON: String) throws -> String
    /// Words for the query editor's completion (empty when the datasource cannot list them).
    func completionWords() async -> CompletionWords
    /// `query` over only the series whose labels take the given values, when that changes no answer for
    /// them (`Expr.restricted(to:)`); nil when it could, or when the backend's language has no such rewrite.
    func restrict(_ query: String, to values: [String: Set<String>]) -> String?
    /// `rangeQuery` and `instantQuery` for a caller that orders the series itself: the local engine then
    /// reads them in storage order, not sorted by labels. Other backends answer as usual.
    func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64, ordered: Bool) async throws
        -> QueryValue
    func instantQuery(_ query: String, at time: Timestamp, ordered: Bool) async throws -> QueryValue
}

extension QueryBackend {
    public func completionWords() async -> CompletionWords { CompletionWords() }

    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64, ordered: Bool) async throws
        -> QueryValue
    {
        try await rangeQuery(query, start: start, end: end, step: step)
    }

    public func instantQuery(_ query: String, at time: Timestamp, ordered: Bool) async throws -> QueryValue {
        try await instantQuery(query, at: time)
    }

    /// PromQL backends rewrite the query's selectors; InfluxDB says nil.
    public func restrict(_ query: String, to values: [String: Set<String>]) -> String? {
        guard datasource != .influxdb, let expr = try? PromQL.parse(query) else { return nil }
        return expr.restricted(to: values)?.description
    }

    public func builderQuery(_ builderJSON: String) throws -> String {
        throw QueryBackendError(
            message: "this target was made in Grafana's InfluxDB query builder: it needs --influxdb")
    }

    public func prepare(_ query: String, start: Timestamp, end: Timestamp, step: Int64, variables: VariableValues)
        -> String
    {
        let builtins = VariableValues.builtins(step: step, range: end - start, scrapeInterval: minimumStep)
        return variables.expand(query, format: .promql, extra: builtins)
    }

    /// PromQL datasources answer Grafana's variable queries: `label_values(metric, label)`, `label_values(label)`,
    /// `query_result(expr)` and `metrics(regex)`, by running instant queries.
    public func promQLVariableValues(_ query: String, at time: Timestamp) async throws -> [String] {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        func arguments(_ prefix: String) -> String? {
            guard q.hasPrefix(prefix + "("), q.hasSuffix(")") else { return nil }
            return String(q.dropFirst(prefix.count + 1).dropLast())
        }
        if let args = arguments("label_values") {
            // The label is after the last comma outside braces and quotes.
            var depth = 0
            var inQuote = false
            var split: String.Index?
            for i in args.indices {
                switch args[i] {
                case "\"": inQuote.toggle()
                case "{", "(": if !inQuote { depth += 1 }
                case "}", ")": if !inQuote { depth -= 1 }
                case "," where depth == 0 && !inQuote: split = i
                default: break
                }
            }
            let label = (split.map { String(args[args.index(after: $0)...]) } ?? args).trimmingCharacters(
                in: .whitespaces)
            let selector = split.map { String(args[..<$0]).trimmingCharacters(in: .whitespaces) } ?? "{\(label)!=\"\"}"
            // Unordered: the values are gathered into a set and sorted, so the series need no sorting first (over
            // 15,000 pods under churn that sort was a tenth of a refresh at 1 Hz).
            let value = try await instantQuery(selector, at: time, ordered: false)
            var seen = Set<String>()
            if case .vector(let v) = value { for s in v { if let x = s.labels[label], !x.isEmpty { seen.insert(x) } } }
            return seen.sorted(by: VariableValues.naturalOrder)
        }
        if let expr = arguments("query_result") {
            guard case .vector(let v) = try await instantQuery(expr, at: time) else { return [] }
            return v.map { "\($0.labels.description) \(PromQLNumber.format($0.value)) \($0.time)" }
        }
        if let regex = arguments("metrics") {
            let value = try await instantQuery("{__name__=~\".*\(regex).*\"}", at: time, ordered: false)
            guard case .vector(let v) = value else { return [] }
            return Set(v.compactMap { $0.labels.name }).sorted()
        }
        throw QueryBackendError(
            message:
                "variable query \"\(query)\" is not one of label_values(metric, label), label_values(label), query_result(expr), metrics(regex)"
        )
    }
}

public struct QueryBackendError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// The local PromQL engine over kubeglass' store. Range queries go through a `RangeCache`: a refresh
/// evaluates only the steps that can have changed since the last one (the store's newest poll decides
/// which are final), so a chart over an hour costs a few steps per poll, not a hundred.
public struct LocalBackend: QueryBackend {
    public let engine: PromQLEngine
    public let minimumStep: Int64
    public var datasource: Datasource { .local }
    /// A range cache per rollup level: a window's level is set by where it starts (see
    /// `PromQLEngine.level(start:end:step:)`), and its newest steps must be read at that level.
    let caches: [RangeCache]
    let instants: InstantCache?

    /// `caching: false` evaluates every query whole (a one-shot command has nothing to reuse).
    public init(engine: PromQLEngine, minimumStep: Int64, caching: Bool = true) {
        self.engine = engine
        self.minimumStep = max(1000, minimumStep)
        guard caching else {
            caches = []
            instants = nil
            return
        }
        instants = InstantCache(engine: engine)
        let store = engine.store
        // A poll's samples can land up to an interval after their time (another source's round): points
        // that recent are evaluated again.
        let margin = max(store.configuration.interval, 0)
        caches = (0...store.configuration.tiers.count).map { level in
            RangeCache(
                capacity: 512, maximumPoints: 2_000_000, finalThroughNow: true,
                now: {
                    let newest = store.newestVisibleTime
                    return newest == .min ? .min : newest - margin
                },
                version: { store.rewrites },
                fetch: { [engine] query, start, end, step in
                    try engine.rangeQuery(query, start: start, end: end, step: step, ordered: false, level: level)
                })
        }
    }

    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue {
        try await rangeQuery(query, start: start, end: end, step: step, ordered: true)
    }

    /// The range caches' (query, step) entries and the points they keep (`kubeglass soak` prints them).
    public func cached() async -> (entries: Int, points: Int) {
        var total = (entries: 0, points: 0)
        for cache in caches {
            total.entries += await cache.count
            total.points += await cache.pointCount
        }
        return total
    }

    public func instantQuery(_ query: String, at time: Timestamp) async throws -> QueryValue {
        try await instantQuery(query, at: time, ordered: true)
    }

    /// Through the cache unless the query pins an evaluation time (`@`), which makes every point depend on
    /// the range's ends; the cache's answer is sorted by labels (`ordered` or not).
    public func rangeQuery(_ query: String, start: Timestamp, end: Timestamp, step: Int64, ordered: Bool) async throws
        -> QueryValue
    {
        guard !caches.isEmpty, !query.utf8.contains(UInt8(ascii: "@")) else {
            return try engine.rangeQuery(query, start: start, end: end, step: step, ordered: ordered)
        }
        let step = max(1, step)
        let (first, last) = RangeStep.align(start: start, end: end, step: step)
        let level = min(engine.level(start: first, end: last, step: step), caches.count - 1)
        return try await caches[level].queryRange(query, start: start, end: end, step: step)
    }

    /// Through the instant cache: an answer whose series are as they were is given again (see `InstantCache`).
    public func instantQuery(_ query: String, at time: Timestamp, ordered: Bool) async throws -> QueryValue {
        guard let instants else { return try engine.instantQuery(query, at: time, ordered: ordered) }
        return try instants.instantQuery(query, at: time, ordered: ordered)
    }

    /// Instant answers given again without evaluating, since the start (for tests).
    public var instantHits: Int { instants?.hits ?? 0 }

    public func variableValues(_ query: String, at time: Timestamp) async throws -> [String] {
        try await promQLVariableValues(query, at: time)
    }
}

extension VariableValues {
    /// `node-2` before `node-10`: numbers inside names compare as numbers.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric]) == .orderedAscending
    }
}

/// What the query editor offers on Tab for a datasource: its metric (measurement) names, label (tag) names,
/// and values of the labels people filter on most.
public struct CompletionWords: Sendable, Equatable {
    public var metrics: [String] = []
    public var labels: [String] = []
    public var labelValues: [String] = []
    public init(metrics: [String] = [], labels: [String] = [], labelValues: [String] = []) {
        self.metrics = metrics
        self.labels = labels
        self.labelValues = labelValues
    }

    /// The labels whose values are worth offering.
    public static let valueLabels = [
        "namespace", "pod", "node", "container", "job", "instance",
        "namespace_name", "pod_name", "nodename", "container_name", "type",
    ]
}

extension CompletionWords {
    /// The store's metric names, label names, and values of the common labels.
    public init(store: SeriesStore) {
        var labels = Set<String>()
        var values = Set<String>()
        for set in store.labelSets() {
            for pair in set.pairs where pair.name != Labels.metricName {
                labels.insert(pair.name)
                if CompletionWords.valueLabels.contains(pair.name), values.count < 20_000 { values.insert(pair.value) }
            }
        }
        self.init(metrics: store.metricNames(), labels: labels.sorted(), labelValues: values.sorted())
    }
}

extension LocalBackend {
    public func completionWords() async -> CompletionWords { CompletionWords(store: engine.store) }
}
