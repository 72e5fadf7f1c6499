import Synchronization

/// What a long poll has done so far, for the status bar while the first poll runs: which resource is
/// being listed, how many items have come, and (when the server says how many remain) how far along it is.
/// Written by the source's requests as they end, read by the UI once a second.
public final class PollProgress: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// What is being asked for now: `pods`, `nodes.metrics.k8s.io`.
        public var resource: String
        /// Items of `resource` read so far.
        public var items: Int
        /// Pages of `resource` read so far.
        public var pages: Int
        /// Items the server says are still to come (`remainingItemCount`), when it says.
        public var remaining: Int?
        /// When the request now out was sent (its answer has not come yet).
        public var askedAt: ContinuousClock.Instant

        /// How far along `resource` is, when the server gave a count.
        public var fraction: Double? {
            guard let remaining else { return nil }
            let total = items + remaining
            return total > 0 ? Double(items) / Double(total) : nil
        }
    }

    private let state = Mutex<Snapshot?>(nil)

    public init() {}

    /// The newest step, or nil before any.
    public var snapshot: Snapshot? { state.withLock { $0 } }

    /// A request for `resource` is out (its first page, when `items` is 0).
    public func asking(_ resource: String) {
        state.withLock { s in
            if let current = s, current.resource == resource {
                s?.askedAt = .now
            } else {
                s = Snapshot(resource: resource, items: 0, pages: 0, remaining: nil, askedAt: .now)
            }
        }
    }

    /// A page of `resource` with `count` items came; `remaining` items are still to come, if known.
    public func listed(_ resource: String, count: Int, remaining: Int?) {
        state.withLock { s in
            var current =
                s?.resource == resource ? s! : Snapshot(resource: resource, items: 0, pages: 0, askedAt: .now)
            current.items += count
            current.pages += 1
            current.remaining = remaining
            current.askedAt = .now
            s = current
        }
    }

    /// A new poll begins: what the last one did is forgotten.
    public func reset() { state.withLock { $0 = nil } }

    /// The status bar's words: `listing pods: 35,000 so far, page 7 [████░░░░] 23% of 150,000`, or for a request
    /// still out, how long it has been waiting.
    public func text(now: ContinuousClock.Instant = .now, barWidth: Int = 10) -> String? {
        guard let s = snapshot else { return nil }
        let waited = Int((now - s.askedAt).components.seconds)
        let wait = waited >= 2 ? ", waiting \(waited)s for the next answer" : ""
        guard s.pages > 0 else { return "asking for \(s.resource)…" + (waited >= 2 ? " (\(waited)s)" : "") }
        var text = "listing \(s.resource): \(Self.grouped(s.items)) so far, page \(s.pages)"
        if let f = s.fraction {
            let filled = min(barWidth, Int((f * Double(barWidth)).rounded(.down)))
            text +=
                " [" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                + "] \(Int(f * 100))% of \(Self.grouped(s.items + (s.remaining ?? 0)))"
        }
        return text + wait
    }

    /// 150000 → `150,000`.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
