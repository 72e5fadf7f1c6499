import Foundation
import KubeglassCore
import Query

/// Keeps the points of each (query, step) fetched so far, so that a refresh asks the server only
/// for the newest steps: from the last step that was complete at the previous fetch (one step of
/// overlap, since the newest points may still change) to the new end. Points before the new
/// start are dropped. The answer has the shape of a plain query_range answer.
public actor RangeCache {
    public typealias Fetch =
        @Sendable (_ expr: String, _ start: Timestamp, _ end: Timestamp, _ step: Int64) async throws -> QueryValue

    private struct Entry {
        var start: Timestamp
        var end: Timestamp
        /// Wall-clock time of the last fetch: points after it were evaluated over incomplete data.
        var fetchedAt: Timestamp
        var series: [Labels: [Sample]]
        var lastUse: UInt64
    }

    private let fetch: Fetch
    private let now: @Sendable () -> Timestamp
    private let capacity: Int
    private var entries: [String: Entry] = [:]
    private var uses: UInt64 = 0

    /// - Parameters:
    ///   - capacity: (query, step) pairs kept; the least recently used goes first.
    ///   - now: the wall clock in ms (tests pass their own).
    public init(
        capacity: Int = 256,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970 * 1000) },
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.now = now
        self.capacity = max(1, capacity)
    }

    public init(client: PrometheusClient, capacity: Int = 256) {
        self.init(capacity: capacity) { expr, start, end, step in
            try await client.queryRange(expr, start: start, end: end, step: step)
        }
    }

    /// The range query over `start…end` aligned to `step` (see `RangeStep.align`), from the cache
    /// where it can be. Errors and non-matrix answers pass through and are not cached.
    public func queryRange(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue {
        let step = max(1, step)
        let (start, end) = RangeStep.align(start: start, end: end, step: step)
        let key = "\(step) \(expr)"
        uses += 1
        let fetchedAt = now()
        if var entry = entries[key], entry.start <= start, start <= entry.end, end >= entry.start {
            // Points after the previous fetch time were computed before all their data had arrived.
            let stable = RangeStep.floorMultiple(entry.fetchedAt, step) - step
            let from = max(start, min(entry.end - step, stable))
            var fresh: [Series] = []
            if from <= end {
                let value = try await fetch(expr, from, end, step)
                guard case .matrix(let series) = value else {
                    entries[key] = nil
                    return value
                }
                fresh = series
            }
            var merged: [Labels: [Sample]] = [:]
            merged.reserveCapacity(entry.series.count)
            for (labels, samples) in entry.series {
                let kept = samples.filter { $0.time >= start && $0.time < from && $0.time <= end }
                if !kept.isEmpty { merged[labels] = kept }
            }
            for series in fresh {
                merged[series.labels, default: []].append(
                    contentsOf: series.samples.filter { $0.time >= from && $0.time <= end })
            }
            entry.series = merged.filter { !$0.value.isEmpty }
            entry.start = start
            entry.end = end
            if from <= end { entry.fetchedAt = fetchedAt }
            entry.lastUse = uses
            entries[key] = entry
            return Self.matrix(entry.series)
        }
        let value = try await fetch(expr, start, end, step)
        guard case .matrix(let series) = value else { return value }
        var stored: [Labels: [Sample]] = [:]
        for s in series where !s.samples.isEmpty { stored[s.labels, default: []].append(contentsOf: s.samples) }
        entries[key] = Entry(start: start, end: end, fetchedAt: fetchedAt, series: stored, lastUse: uses)
        evict()
        return Self.matrix(stored)
    }

    /// Forgets everything (a new time range far from the old one, or a changed server).
    public func removeAll() { entries.removeAll() }

    public var count: Int { entries.count }

    private func evict() {
        while entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
    }

    private static func matrix(_ series: [Labels: [Sample]]) -> QueryValue {
        .matrix(series.map { Series(labels: $0.key, samples: $0.value) }.sorted { $0.labels < $1.labels })
    }
}
