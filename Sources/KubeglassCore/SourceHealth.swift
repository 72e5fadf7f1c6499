/// How a source is doing, as the UI shows it per panel.
public struct SourceHealth: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case starting
        case ok
        /// The last poll failed; data shown is from `lastSuccess`.
        case failing
    }

    public var state: State = .starting
    public var lastSuccess: Timestamp?
    public var lastError: String?
    /// Partial problems of the last successful poll (a missing metrics API, a kubelet that did not answer).
    public var warnings: [String] = []
    public var consecutiveFailures = 0
    /// When the next poll is due (later than usual while backing off).
    public var nextPoll: Timestamp?
    public var lastPollDuration: Int64?
    /// Metric names the latest polls could not bring (a failed request in an otherwise good poll), each
    /// with the time it was last brought (nil: never).
    public var missing: [String: Timestamp?] = [:]

    public init() {}

    /// Data older than twice the poll interval is stale: the UI says so with its age.
    public func staleAge(now: Timestamp, interval: Int64) -> Int64? {
        guard let last = lastSuccess else { return state == .failing ? .max : nil }
        let age = now - last
        return age > 2 * interval ? age : nil
    }

    /// `staleAge`, for a panel whose queries read `expressions`: a metric the latest polls could not bring
    /// makes it stale since that metric was last brought, though the source as a whole is fresh.
    public func staleAge(now: Timestamp, interval: Int64, reading expressions: [String]) -> Int64? {
        if let age = staleAge(now: now, interval: interval) { return age }
        guard !missing.isEmpty else { return nil }
        var oldest: Timestamp?
        for (name, last) in missing where expressions.contains(where: { $0.contains(name) }) {
            guard let last else { return .max }
            oldest = min(oldest ?? last, last)
        }
        return oldest.map { max(0, now - $0) }
    }
}
