import Foundation
import KubeglassCore

/// Scrapes Prometheus text exposition (or OpenMetrics) from a list of targets, as a Prometheus
/// server would: each series gets its target's `job` and `instance`, each target an `up` (1 or 0),
/// `scrape_duration_seconds` and `scrape_samples_scraped`. A series a target stops reporting — or
/// all of a target's series when it is down — gets a staleness marker from the poller, so it
/// vanishes from instant queries at once. A dead target only loses its own series.
public struct ScrapeSource: MetricSource {
    public let id: String
    public let displayName: String
    public let headerWarning: String?
    /// How many targets are scraped at once.
    public let concurrency: Int
    /// A target slower than this counts as down for this poll (milliseconds).
    public let timeout: Milliseconds
    private let targets: @Sendable () async throws -> [ScrapeTarget]

    /// `targets` is asked again on every poll (the kubelet source lists nodes each time).
    public init(
        id: String, displayName: String, headerWarning: String? = nil, concurrency: Int = 16, timeout: Int64 = 10_000,
        targets: @escaping @Sendable () async throws -> [ScrapeTarget]
    ) {
        self.id = id
        self.displayName = displayName
        self.headerWarning = headerWarning
        self.concurrency = max(1, concurrency)
        self.timeout = max(100, timeout)
        self.targets = targets
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        let list = try await targets()
        let results = await scrapeAll(list)
        var batch = SampleBatch(time: time)
        var failures: [String] = []
        for (k, target) in list.enumerated() {
            let (result, seconds) = results[k]
            batch.add("scrape_duration_seconds", target.labels, seconds)
            switch result {
            case .success(let samples):
                batch.add("up", target.labels, 1)
                batch.add("scrape_samples_scraped", target.labels, Double(samples.count))
                ScrapedSeries.add(samples, target: target.labels, to: &batch)
            case .failure(let error):
                batch.add("up", target.labels, 0)
                failures.append("\(target.name): \(error)")
            }
        }
        if !failures.isEmpty {
            let shown = failures.prefix(3).joined(separator: "; ")
            let more = failures.count > 3 ? " (and \(failures.count - 3) more)" : ""
            batch.warnings.append("\(failures.count) of \(list.count) scrape targets are down: \(shown)\(more)")
        }
        return batch
    }

    /// Every target's samples (or why it has none) and how long it took, in the targets' order.
    private func scrapeAll(_ list: [ScrapeTarget]) async -> [(Result<[OpenMetricsSample], Error>, Double)] {
        var results = [(Result<[OpenMetricsSample], Error>, Double)](repeating: (.success([]), 0), count: list.count)
        let timeout = self.timeout
        await withTaskGroup(of: (Int, Result<[OpenMetricsSample], Error>, Double).self) { group in
            var next = 0
            func startNext() {
                guard next < list.count else { return }
                let k = next
                let target = list[k]
                next += 1
                group.addTask {
                    let clock = ContinuousClock()
                    let started = clock.now
                    let result = await Self.scrape(target, timeout: timeout)
                    let took = started.duration(to: clock.now)
                    return (k, result, Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                }
            }
            for _ in 0..<concurrency { startNext() }
            for await (k, result, seconds) in group {
                results[k] = (result, seconds)
                startNext()
            }
        }
        return results
    }

    static func scrape(_ target: ScrapeTarget, timeout: Int64) async -> Result<[OpenMetricsSample], Error> {
        await withTaskGroup(of: Result<[OpenMetricsSample], Error>?.self) { group in
            group.addTask {
                do {
                    let body = try await target.fetch()
                    do {
                        return .success(try OpenMetricsParser.samples(in: body.bytes, format: body.format))
                    } catch {
                        return .failure(
                            ScrapeError(
                                "the response is not valid \(body.format == .openMetrics ? "OpenMetrics" : "Prometheus text exposition") (\(error))"
                            ))
                    }
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeout) * 1_000_000)
                return Task.isCancelled
                    ? nil
                    : .failure(
                        ScrapeError("no answer within \(DurationText.text(milliseconds: timeout)) (the scrape timeout)")
                    )
            }
            var first: Result<[OpenMetricsSample], Error>?
            for await r in group {
                if let r {
                    first = r
                    group.cancelAll()
                    break
                }
            }
            return first ?? .failure(ScrapeError("the scrape was cancelled"))
        }
    }
}
