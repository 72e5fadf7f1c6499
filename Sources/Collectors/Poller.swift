import KubeglassCore
import Store

/// Polls one source on a schedule and writes what it returns into the store.
///
/// Failures back off exponentially (interval × 2ⁿ, at most a minute) and recover by themselves;
/// a series that a poll no longer reports gets a staleness marker, as Prometheus does.
public actor Poller {
    public let source: any MetricSource
    public let store: SeriesStore
    public private(set) var interval: Int64
    private let clock: any Clock
    private var health = SourceHealth()
    private var lastKeys: Set<Labels> = []
    /// Series of the last poll that came with their own time: Prometheus never marks those stale.
    private var lastExplicit: Set<Labels> = []
    /// The series the last poll wrote, for staleness markers when a poll no longer reports one.
    private var lastReferences: [SeriesStore.Reference] = []
    private var wake: CheckedContinuation<Void, Never>?
    private var wakeGeneration = 0
    private var listeners: [AsyncStream<SourceHealth>.Continuation] = []
    /// The longest wait between failed polls (a kiosk waits less, to come back soon after its cluster does).
    public private(set) var backoffCap: Milliseconds = Poller.maxBackoff

    public static let maxBackoff: Milliseconds = Milliseconds.minute
    /// A poll that starts this close after its scheduled time is stamped with that time: its samples'
    /// time steps then repeat exactly, which the store keeps in a bit (as Prometheus aligns scrape
    /// timestamps within a tolerance).
    public static let timestampTolerance: Milliseconds = 25

    public init(source: any MetricSource, store: SeriesStore, interval: Int64, clock: any Clock = SystemClock()) {
        self.source = source
        self.store = store
        self.interval = max(100, interval)
        self.clock = clock
    }

    public var currentHealth: SourceHealth { health }

    /// A stream of health reports, one after every poll.
    public func updates() -> AsyncStream<SourceHealth> {
        let (stream, continuation) = AsyncStream<SourceHealth>.makeStream(bufferingPolicy: .bufferingNewest(4))
        listeners.append(continuation)
        return stream
    }

    /// Loads the source's history for the retention window (when it has any), then polls once.
    public func start(history: Int64) async {
        let now = clock.now()
        if history > 0 {
            // Asked for a few steps at a time, each stored before the next is made: the demo's hour whole was
            // 240 polls held at once, most of the dashboard's peak memory at start.
            let step = max(interval, history / 240)
            let piece = 16 * step
            for from in stride(from: now - history, to: now, by: Int(piece)) {
                guard let batches = try? await source.history(from: from, to: min(now, from + piece), step: step)
                else { break }
                for batch in batches { _ = ingest(batch) }
            }
        }
        await pollOnce()
    }

    /// Polls once now and reports.
    @discardableResult
    public func pollOnce() async -> SourceHealth {
        let started = clock.now()
        var stamp = started
        if let scheduled = health.nextPoll, started >= scheduled, started - scheduled <= Poller.timestampTolerance {
            stamp = scheduled
        }
        do {
            let batch = try await source.poll(at: stamp)
            let notKept = ingest(batch)
            health.state = .ok
            var missing: [String: Timestamp?] = [:]
            for name in batch.missing { missing.updateValue(health.missing[name] ?? health.lastSuccess, forKey: name) }
            health.missing = missing
            health.lastSuccess = batch.time
            health.lastError = nil
            health.warnings = batch.warnings
            if notKept > 0 {
                health.warnings.append(
                    "store full: \(notKept) of \(batch.series.count) series not kept (--max-series \(store.configuration.maxSeries))"
                )
            }
            releaseLater(consume batch)
            health.consecutiveFailures = 0
        } catch {
            health.state = .failing
            health.lastError = "\(error)"
            health.consecutiveFailures += 1
        }
        let finished = clock.now()
        health.lastPollDuration = finished - started
        // On schedule at a fixed rate (a poll's own duration does not push the next one later),
        // but never before this one is over; after a failure, the back-off counts from now.
        health.nextPoll =
            health.consecutiveFailures > 0 ? finished + delayAfterThisPoll() : max(finished, stamp + interval)
        for l in listeners { l.yield(health) }
        return health
    }

    /// The wait before the next poll: the interval, or the back-off after failures.
    func delayAfterThisPoll() -> Int64 {
        guard health.consecutiveFailures > 0 else { return interval }
        let shift = min(health.consecutiveFailures - 1, 10)
        return min(backoffCap, interval << Int64(shift))
    }

    /// Failed polls are retried at most `milliseconds` apart.
    public func capBackoff(at milliseconds: Milliseconds) {
        backoffCap = max(100, milliseconds)
    }

    /// Polls until the task is cancelled. `refreshNow()` cuts a wait short.
    public func run() async {
        while !Task.isCancelled {
            let delay = max(0, (health.nextPoll ?? clock.now()) - clock.now())
            await sleepOrWake(milliseconds: delay)
            if Task.isCancelled { break }
            await pollOnce()
        }
        for l in listeners { l.finish() }
    }

    /// A new interval from the next wait on (the refresh picker); the poll happens now.
    public func setInterval(_ milliseconds: Milliseconds) {
        interval = max(100, milliseconds)
        health.nextPoll = clock.now()
        refreshNow()
    }

    public func refreshNow() {
        wake?.resume()
        wake = nil
    }

    private func sleepOrWake(milliseconds: Milliseconds) async {
        wakeGeneration += 1
        let generation = wakeGeneration
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            wake = c
            Task { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
                await self?.timerFired(generation)
            }
        }
    }

    private func timerFired(_ generation: Int) {
        // A timer from an earlier wait (cut short by refreshNow) must not end a later one.
        guard generation == wakeGeneration else { return }
        wake?.resume()
        wake = nil
    }

    /// Scrapes whose samples carry their own time (the exposition's timestamps): Prometheus never marks those stale.
    private func ingestWithOwnTimes(_ batch: SampleBatch) {
        var samples: [(Labels, Sample)] = []
        samples.reserveCapacity(batch.series.count)
        let explicit = batch.explicitTimes
        for (labels, value) in batch.series {
            samples.append((labels, Sample(time: explicit[labels] ?? batch.time, value: value)))
        }
        var keys = Set<Labels>()
        keys.reserveCapacity(batch.series.count)
        for (labels, _) in batch.series { keys.insert(labels) }
        for gone in lastKeys.subtracting(keys) where !lastExplicit.contains(gone) {
            samples.append((gone, .staleMarker(at: batch.time)))
        }
        lastReferences = []
        lastKeys = keys
        lastExplicit = Set(explicit.keys)
        store.append(samples)
    }

    /// The references of `a` and `b`, each slot once.
    static func union(_ a: [SeriesStore.Reference], _ b: [SeriesStore.Reference]) -> [SeriesStore.Reference] {
        guard !a.isEmpty else { return b }
        var seen = Set<UInt32>(minimumCapacity: a.count + b.count)
        var out: [SeriesStore.Reference] = []
        out.reserveCapacity(a.count + b.count)
        for r in b where seen.insert(r.slot).inserted { out.append(r) }
        for r in a where seen.insert(r.slot).inserted { out.append(r) }
        return out
    }

    /// Stores a poll; returns how many of its series the store did not keep (it was full).
    private func ingest(_ batch: SampleBatch) -> Int {
        let explicit = batch.explicitTimes
        guard explicit.isEmpty && lastKeys.isEmpty else {
            ingestWithOwnTimes(batch)
            return 0
        }
        // The round and its staleness markers become visible together.
        defer { store.publish(batch.time) }
        let all = store.append(batch.series, at: batch.time, publishing: false)
        let notKept = all.reduce(0) { $1.isKept ? $0 : $0 + 1 }
        let references = notKept == 0 ? all : all.filter(\.isKept)
        guard batch.missing.isEmpty else {
            // Part of the poll failed: what it did not bring is not gone. Nothing is marked stale this round,
            // and the last round's series are still the ones a later complete poll compares with.
            lastReferences = Self.union(lastReferences, references)
            return notKept
        }
        defer { lastReferences = references }
        guard !lastReferences.isEmpty else { return notKept }
        // The series of the last poll that this one did not report get a staleness marker.
        var highest: UInt32 = 0
        for r in references where r.slot > highest { highest = r.slot }
        var reported = [UInt64](repeating: 0, count: Int(highest) / 64 + 1)
        for r in references { reported[Int(r.slot) / 64] |= UInt64(1) << UInt64(r.slot % 64) }
        let gone = lastReferences.filter { r in
            let word = Int(r.slot) / 64
            let bit: UInt64 = 1 << UInt64(r.slot % 64)
            return word >= reported.count || reported[word] & bit == 0
        }
        if !gone.isEmpty { store.appendStaleMarkers(gone, at: batch.time, publishing: false) }
        return notKept
    }
}
