import Foundation

/// Where "now" comes from, so that tests and replays can fix it.
public protocol Clock: Sendable {
    func now() -> Timestamp
}

public struct SystemClock: Clock {
    public init() {}
    public func now() -> Timestamp { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A clock tests set by hand.
public final class ManualClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Timestamp
    public init(_ start: Timestamp) { current = start }
    public func now() -> Timestamp { lock.withLock { current } }
    public func advance(by milliseconds: Timestamp) { lock.withLock { current += milliseconds } }
    public func set(_ t: Timestamp) { lock.withLock { current = t } }
}
