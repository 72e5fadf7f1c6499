import KubeglassCore
import Store

/// Recorded samples (an OpenMetrics file with a timestamp on every sample) loaded into a store
/// that holds all of them: its retention is the data's time span, its interval the smallest step
/// between two samples of one series.
public struct ReplayFile: Sendable {
    public let store: SeriesStore
    /// The oldest and newest sample times.
    public let first: Timestamp
    public let last: Timestamp
    public let seriesCount: Int
    public let sampleCount: Int

    /// Reads the file at `path` a line at a time.
    public static func load(path: String) throws -> ReplayFile {
        var builder = Builder()
        try OpenMetricsParser.forEachSample(inFile: path) { sample, line in try builder.add(sample, line: line) }
        return try builder.finish()
    }

    public static func load(text: String) throws -> ReplayFile {
        var builder = Builder()
        var line = 0
        var parser = OpenMetricsParser()
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            var bytes = Array(raw.utf8)
            let sample = try bytes.withUnsafeMutableBufferPointer { p throws(OpenMetricsError) in
                try parser.parse(line: UnsafeBufferPointer(p), number: line)
            }
            if let sample { try builder.add(sample, line: line) }
        }
        return try builder.finish()
    }

    private struct Builder {
        var ids: [Labels: Int] = [:]
        var labels: [Labels] = []
        var samples: [[Sample]] = []
        var count = 0
        var lastID: Int?

        mutating func add(_ sample: OpenMetricsSample, line: Int) throws {
            guard let time = sample.time else {
                throw ReplayError(
                    message:
                        "line \(line): the sample of \(sample.labels) has no timestamp; a replay file needs one on every sample (seconds since the epoch)"
                )
            }
            let id: Int
            if let lastID, labels[lastID] == sample.labels {
                // A recorded file usually writes one series' samples in a row.
                id = lastID
            } else if let known = ids[sample.labels] {
                id = known
            } else {
                id = labels.count
                ids[sample.labels] = id
                labels.append(sample.labels)
                samples.append([])
            }
            samples[id].append(Sample(time: time, value: sample.value))
            lastID = id
            count += 1
        }

        mutating func finish() throws -> ReplayFile {
            guard count > 0 else {
                throw ReplayError(
                    message: "the file has no samples; a replay file holds lines like `up{job=\"api\"} 1 1700000000`")
            }
            var first = Timestamp.max
            var last = Timestamp.min
            var step = Int64.max
            for i in samples.indices {
                if !zip(samples[i], samples[i].dropFirst()).allSatisfy({ $0.time < $1.time }) {
                    // Out of order or repeated times: sort, and keep the last value written for a time.
                    var byTime: [Timestamp: Double] = [:]
                    for s in samples[i] { byTime[s.time] = s.value }
                    samples[i] = byTime.map { Sample(time: $0.key, value: $0.value) }.sorted { $0.time < $1.time }
                }
                first = min(first, samples[i].first!.time)
                last = max(last, samples[i].last!.time)
                for (a, b) in zip(samples[i], samples[i].dropFirst()) { step = min(step, b.time - a.time) }
            }
            let interval = step == .max ? 15_000 : max(1, step)
            let store = SeriesStore(
                .init(retention: max(last - first, interval), interval: interval, maxSeries: max(labels.count, 1)))
            for i in labels.indices {
                for sample in samples[i] { store.append(labels[i], sample) }
                samples[i] = []
            }
            return ReplayFile(store: store, first: first, last: last, seriesCount: labels.count, sampleCount: count)
        }
    }
}

public struct ReplayError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
