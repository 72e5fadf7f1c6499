/// How long a watch runs and how it comes back after a failure.
public struct WatchTiming: Sendable {
    /// `timeoutSeconds` asked of the server: at random between this and twice this (as client-go does), so
    /// that the watches of many clients do not all end, and come back, at once.
    public var timeoutSeconds: Int
    /// A watch silent for longer than its timeout plus this is given up (a dead connection says nothing).
    public var idleMargin: Duration
    /// The pause before the n-th attempt in a row after failures: `firstRetry` × 2ⁿ⁻¹, at most `mostRetry`,
    /// of which a random half is taken off so that clients that failed together do not return together.
    public var firstRetry: Duration
    public var mostRetry: Duration

    public init(
        timeoutSeconds: Int = 300, idleMargin: Duration = .seconds(30), firstRetry: Duration = .milliseconds(800),
        mostRetry: Duration = .seconds(30)
    ) {
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.idleMargin = idleMargin
        self.firstRetry = firstRetry
        self.mostRetry = max(firstRetry, mostRetry)
    }

    /// The pause after `failures` failures in a row (1 or more).
    func retryDelay(after failures: Int) -> Duration {
        let shift = min(max(failures, 1) - 1, 20)
        let full = min(mostRetry, firstRetry * (1 << shift))
        return full / 2 + full / 2 * Double.random(in: 0...1)
    }

    /// This watch's `timeoutSeconds`.
    func nextTimeoutSeconds() -> Int { Int.random(in: timeoutSeconds...(2 * timeoutSeconds)) }
}
