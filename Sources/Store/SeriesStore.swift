import Foundation
import KubeglassCore
import Synchronization

/// Recent samples of every series, in bounded memory.
///
/// Each series keeps at most `samplesPerSeries` samples in a ring buffer; at most
/// `maxSeries` series are kept (the longest-silent are dropped first), and series
/// silent for longer than `retention` are dropped by `prune`. So memory is set by
/// configuration, not by cluster size or uptime.
public final class SeriesStore: Sendable {
    public struct Configuration: Sendable {
        public var retention: Int64          // milliseconds of history to keep
        public var interval: Int64           // expected milliseconds between samples
        public var maxSeries: Int
        public init(retention: Int64 = 3_600_000, interval: Int64 = 5_000, maxSeries: Int = 200_000) {
            self.retention = retention
            self.interval = interval
            self.maxSeries = maxSeries
        }
        /// Room for a full retention window at the given interval, plus one sample of slack.
        public var samplesPerSeries: Int { max(2, Int((retention + interval - 1) / max(1, interval)) + 1) }
    }

    public let configuration: Configuration
    let state: Mutex<State>  // internal: SeriesStore+Scan reads it

    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = Mutex(State())
    }

    public var seriesCount: Int { state.withLock { $0.buffers.count - $0.free.count } }

    /// Adds one sample. Samples older than or equal to the series' newest are ignored
    /// (a re-poll of the same timestamp does not duplicate).
    public func append(_ labels: Labels, _ sample: Sample) {
        state.withLock { $0.append(labels, sample, configuration) }
    }

    public func append(_ batch: [(Labels, Sample)]) {
        state.withLock { s in
            for (labels, sample) in batch { s.append(labels, sample, configuration) }
        }
    }

    /// The series whose labels satisfy every matcher, with samples in `[from, to]`, sorted by labels
    /// (Prometheus' storage order, which the engine's tie-breaks and error texts follow).
    public func select(_ matchers: [LabelMatcher], from: Timestamp = .min, to: Timestamp = .max) -> [Series] {
        state.withLock { s in
            s.candidates(matchers).compactMap { id -> Series? in
                let entry = s.buffers[id]
                guard let buffer = entry.samples, entry.labels.matchesAll(matchers) else { return nil }
                return Series(labels: entry.labels, samples: buffer.samples(from: from, to: to))
            }.sorted { $0.labels < $1.labels }
        }
    }

    /// The labels of every series with this metric name (for completion and variables).
    public func labelSets(metric: String? = nil) -> [Labels] {
        state.withLock { s in
            let ids: [Int]
            if let metric { ids = Array(s.byName[metric] ?? []) } else { ids = s.byKey.map(\.value) }
            return ids.map { s.buffers[$0].labels }.sorted()
        }
    }

    /// How many series have this metric name.
    public func seriesCount(metric: String) -> Int {
        state.withLock { $0.byName[metric]?.count ?? 0 }
    }

    public func metricNames() -> [String] {
        state.withLock { Array($0.byName.keys).sorted() }
    }

    /// Drops series with no sample newer than `now - retention`.
    public func prune(now: Timestamp) {
        let cutoff = now - configuration.retention
        state.withLock { s in
            let stale = s.byKey.filter { (_, id) in (s.buffers[id].samples?.last?.time ?? .min) < cutoff }
            for (_, id) in stale { s.remove(id) }
        }
    }

    public func removeAll() {
        state.withLock { $0 = State() }
    }
}

extension SeriesStore {
    struct Entry {
        var labels: Labels
        var samples: SampleBuffer?
    }

    struct State: ~Copyable {
        var buffers: [Entry] = []
        var free: [Int] = []
        var byKey: [Labels: Int] = [:]
        var byName: [String: Set<Int>] = [:]
        var byLabel: [Label: Set<Int>] = [:]

        mutating func append(_ labels: Labels, _ sample: Sample, _ config: Configuration) {
            if let id = byKey[labels] {
                buffers[id].samples!.append(sample)
                return
            }
            if byKey.count >= config.maxSeries { evictOldest() }
            var buffer = SampleBuffer(capacity: config.samplesPerSeries)
            buffer.append(sample)
            let id: Int
            if let reused = free.popLast() {
                id = reused
                buffers[id] = Entry(labels: labels, samples: buffer)
            } else {
                id = buffers.count
                buffers.append(Entry(labels: labels, samples: buffer))
            }
            byKey[labels] = id
            byName[labels.name ?? "", default: []].insert(id)
            for pair in labels.pairs where pair.name != Labels.metricName {
                byLabel[pair, default: []].insert(id)
            }
        }

        mutating func evictOldest() {
            guard let (_, id) = byKey.min(by: {
                (buffers[$0.value].samples?.last?.time ?? .min) < (buffers[$1.value].samples?.last?.time ?? .min)
            }) else { return }
            remove(id)
        }

        mutating func remove(_ id: Int) {
            let labels = buffers[id].labels
            byKey[labels] = nil
            byName[labels.name ?? ""]?.remove(id)
            if byName[labels.name ?? ""]?.isEmpty == true { byName[labels.name ?? ""] = nil }
            for pair in labels.pairs where pair.name != Labels.metricName {
                byLabel[pair]?.remove(id)
                if byLabel[pair]?.isEmpty == true { byLabel[pair] = nil }
            }
            buffers[id] = Entry(labels: Labels(), samples: nil)
            free.append(id)
        }

        /// A small superset of the matching series, narrowed by the index on equality matchers.
        func candidates(_ matchers: [LabelMatcher]) -> [Int] {
            var best: Set<Int>?
            for m in matchers where m.kind == .equal && !m.value.isEmpty {
                let ids: Set<Int>
                if m.name == Labels.metricName { ids = byName[m.value] ?? [] } else { ids = byLabel[Label(m.name, m.value)] ?? [] }
                if best == nil || ids.count < best!.count { best = ids }
                if best!.isEmpty { return [] }
            }
            if let best { return Array(best) }
            return Array(byKey.values)
        }
    }
}

extension Labels {
    func matchesAll(_ matchers: [LabelMatcher]) -> Bool {
        matchers.allSatisfy { $0.matches(self[$0.name]) }
    }
}
