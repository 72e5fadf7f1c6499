import Foundation
import KubeglassCore

/// Keeps the points of each (query, step) fetched so far, so that a refresh asks the server (or the
/// local engine) only for the newest steps: from the last step that was complete at the previous fetch
/// (one step of overlap, since the newest points may still change) to the new end. Points before the
/// new start are dropped. The answer has the shape of a plain query_range answer. A server whose
/// newest answers are provisional for a while (VictoriaMetrics repeats the value of 30 s ago over its
/// last 30 s, `-search.latencyOffset`) is given that while as `settle`.
public actor RangeCache {
    public typealias Fetch =
        @Sendable (_ expr: String, _ start: Timestamp, _ end: Timestamp, _ step: Int64) async throws -> QueryValue

    private struct Entry {
        var start: Timestamp
        var end: Timestamp
        /// Wall-clock time of the last fetch: points after it were evaluated over incomplete data.
        var fetchedAt: Timestamp
        var series: [Labels: [Sample]]
        var points: Int
        var version: UInt64
        var lastUse: UInt64
        /// `now()` when it was last asked for (`Timestamp.min` before that time was known).
        var usedAt: Timestamp
        /// `series` as answered, sorted: given again while the range and its points stay the same.
        var answer: QueryValue? = nil
    }

    private let fetch: Fetch
    private let now: @Sendable () -> Timestamp
    private let version: @Sendable () -> UInt64
    private let capacity: Int
    private let maximumPoints: Int
    private let settle: Int64
    private let finalThroughNow: Bool
    private let maximumIdle: Int64
    private var entries: [String: Entry] = [:]
    private var points = 0
    private var uses: UInt64 = 0
    /// `now()` at the last sweep for idle entries.
    private var sweptAt = Timestamp.min

    /// - Parameters:
    ///   - capacity: (query, step) pairs kept; the least recently used goes first.
    ///   - maximumPoints: points kept over all entries; an answer bigger than that is not kept at all.
    ///   - now: the time up to which answers are final, in ms: the wall clock for a server (tests pass
    ///     their own), the newest complete poll for the local store. Before that time is known
    ///     (`Timestamp.min`), nothing is kept.
    ///   - version: what the answers depend on besides time (the store's `rewrites`): when it changes,
    ///     every entry is fetched whole again.
    ///   - finalThroughNow: every step at or before `now` is final when fetched (the local store, whose `now`
    ///     is its newest complete poll): a refresh then evaluates only the steps after the last final one,
    ///     usually the newest step alone, and none while the range's end stays in a step already fetched
    ///     final. Without it, a step before the newest is fetched again too (a server's `now` is a guess).
    ///   - settle: ms before `now` in which an answer may still change: points newer than that are
    ///     fetched again on the next refresh.
    ///   - maximumIdle: ms of `now` after which an entry nobody asked for is dropped. A table's sparklines
    ///     ask for the rows in view by name, so each change of the top rows is a new query: the old one
    ///     will not be asked again, and would otherwise stay until `capacity` pushed it out.
    public init(
        capacity: Int = 256, maximumPoints: Int = 4_000_000, settle: Int64 = 0, finalThroughNow: Bool = false,
        maximumIdle: Int64 = 5 * 60_000,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(Date().timeIntervalSince1970 * 1000) },
        version: @escaping @Sendable () -> UInt64 = { 0 },
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.now = now
        self.version = version
        self.capacity = max(1, capacity)
        self.maximumPoints = max(0, maximumPoints)
        self.settle = max(0, settle)
        self.finalThroughNow = finalThroughNow
        self.maximumIdle = max(0, maximumIdle)
    }

    /// The range query over `start…end` aligned to `step` (see `RangeStep.align`), from the cache
    /// where it can be. Errors and non-matrix answers pass through and are not cached.
    public func queryRange(_ expr: String, start: Timestamp, end: Timestamp, step: Int64) async throws -> QueryValue {
        let step = max(1, step)
        let (start, end) = RangeStep.align(start: start, end: end, step: step)
        let key = "\(step) \(expr)"
        uses += 1
        // Both read before the fetch: a change to the past during it leaves the entry on the old version.
        let fetchedAt = now()
        let version = version()
        sweep(at: fetchedAt)
        if var entry = entries.removeValue(forKey: key) {
            points -= entry.points
            if entry.version == version, entry.start <= start, start <= entry.end, end >= entry.start {
                // Points after the previous fetch time (less the settling time) were computed before all
                // their data had arrived.
                let from: Timestamp
                if finalThroughNow {
                    // The first step after the last one that was final at the previous fetch.
                    let final = RangeStep.floorMultiple(entry.fetchedAt, step)
                    from = max(start, min(entry.end, final) + step)
                } else {
                    let stable = RangeStep.floorMultiple(entry.fetchedAt - settle, step) - step
                    from = max(start, min(entry.end - step, stable))
                }
                if from > end, start == entry.start, end == entry.end, let answer = entry.answer {
                    // Nothing new and nothing dropped: the same answer.
                    entry.lastUse = uses
                    entry.usedAt = fetchedAt
                    entries[key] = entry
                    points += entry.points
                    return answer
                }
                var fresh: [Series] = []
                if from <= end {
                    let value = try await fetch(expr, from, end, step)
                    guard case .matrix(let series) = value else { return value }
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
                entry.usedAt = fetchedAt
                let answer = Self.matrix(entry.series)
                entry.answer = answer
                keep(entry, as: key)
                return answer
            }
        }
        let value = try await fetch(expr, start, end, step)
        guard case .matrix(let series) = value else { return value }
        var stored: [Labels: [Sample]] = [:]
        for s in series where !s.samples.isEmpty { stored[s.labels, default: []].append(contentsOf: s.samples) }
        let answer = Self.matrix(stored)
        if fetchedAt != .min {
            keep(
                Entry(
                    start: start, end: end, fetchedAt: fetchedAt, series: stored, points: 0, version: version,
                    lastUse: uses, usedAt: fetchedAt, answer: answer), as: key)
        }
        return answer
    }

    private func keep(_ entry: Entry, as key: String) {
        var entry = entry
        entry.points = entry.series.values.reduce(0) { $0 + $1.count }
        guard entry.points <= maximumPoints else { return }
        entries[key] = entry
        points += entry.points
        evict()
    }

    /// Forgets everything (a new time range far from the old one, or a changed server).
    public func removeAll() {
        entries.removeAll()
        points = 0
    }

    public var count: Int { entries.count }

    /// Points kept over all entries (at most `maximumPoints`).
    public var pointCount: Int { points }

    /// Drops the entries not asked for in the last `maximumIdle` ms of `now`, once each time `now` moves on.
    private func sweep(at now: Timestamp) {
        guard now != .min, now > sweptAt else { return }
        sweptAt = now
        let (edge, overflow) = now.subtractingReportingOverflow(maximumIdle)
        guard !overflow else { return }
        for key in entries.compactMap({ $0.value.usedAt < edge ? $0.key : nil }) {
            points -= entries.removeValue(forKey: key)?.points ?? 0
        }
    }

    private func evict() {
        while entries.count > capacity || points > maximumPoints,
            let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            points -= entries.removeValue(forKey: oldest)?.points ?? 0
        }
    }

    private static func matrix(_ series: [Labels: [Sample]]) -> QueryValue {
        .matrix(series.map { Series(labels: $0.key, samples: $0.value) }.sorted { $0.labels < $1.labels })
    }
}
