import DemoCluster
import KubeglassCore
import Synchronization

/// What a watch event says happened to an object.
enum ChangeType: Sendable {
    case added, modified, deleted
}

/// An object as one change left it.
enum ChangedObject: Sendable {
    case pod(PodRecord)
    case node(NodeRecord)
    case event(EventRecord)
}

/// One change: like an etcd revision, each change has its own resourceVersion, one more than the last.
struct Change: Sendable {
    var revision: Int64
    var time: Int64
    var type: ChangeType
    var object: ChangedObject
    /// The pod before the change, so a watch with a field selector can tell a pod that stopped
    /// matching (DELETED for that watch) from one that started (ADDED), as the API server does.
    var previous: PodRecord?
}

/// The simulated cluster's history, as etcd and the API server's watch cache keep it: a counter of
/// revisions, the objects as they are now, and the recent changes in a bounded ring.
///
/// Time drives it: `advance(to:)` applies every change due by then (pod churn, the crash-looping
/// pod's restarts, node status posts, events), so every request first brings the log to its instant.
/// The log only moves forward: a request for an earlier instant sees the cluster as the log has it.
final class ChangeLog: Sendable {
    /// How far back a watch may start: changes older than `window` or beyond the last `capacity`
    /// are forgotten (compacted), and a watch from before them gets 410 Expired.
    struct History: Sendable {
        var window: Int64 = 5 * Milliseconds.minute
        var capacity = 65_536
    }

    let history: History
    /// The log's first revision (plus `--resource-version-base`): above every object's initial resourceVersion.
    static let firstRevision: Int64 = 1_000_000
    /// The revision the log started at: every object's first resourceVersion is below it.
    let startRevision: Int64
    private let inner: Mutex<Inner>

    private struct Inner: Sendable {
        var state: ClusterState
        var schedule: ChangeSchedule
        var ring: ChangeRing
        /// Recent paged lists' states, so that a `continue` token reads the revision its list began with.
        var pinned: [ClusterState] = []
    }

    init(schedule: ChangeSchedule, state: ClusterState, history: History = History()) {
        self.history = history
        startRevision = state.revision
        inner = Mutex(Inner(state: state, schedule: schedule, ring: ChangeRing(floor: state.revision)))
    }

    /// Applies every change due at or before `t`; returns the cluster as it then is.
    func advance(to t: Int64) -> ClusterState {
        inner.withLock { inner in
            guard t > inner.state.time else { return inner.state }
            while let due = inner.schedule.nextDue(), due.at <= t {
                var recorded: [Change] = []
                inner.schedule.apply(due, to: &inner.state) { recorded.append($0) }
                for change in recorded { inner.ring.append(change, capacity: history.capacity) }
            }
            inner.state.time = t
            inner.ring.forget(before: t - history.window)
            // A continue token's revision is compacted with the history, as etcd's is: the list must start
            // again (410). Kept longer, a pinned state holds its own copy of every pod record that changed
            // since, and a client that lists every few minutes kept 16 such copies for good.
            let floor = inner.ring.floor
            inner.pinned.removeAll { $0.revision < floor }
            return inner.state
        }
    }

    /// The cluster as the log has it now, without moving time.
    var current: ClusterState { inner.withLock { $0.state } }

    /// The instant the log has reached.
    var time: Int64 { inner.withLock { $0.state.time } }

    enum Read {
        /// The changes after the asked revision (at most a limit), and the revision they reach.
        case changes([Change], through: Int64)
        /// The asked revision is older than the history kept; `floor` is the oldest one a watch may use.
        case expired(floor: Int64)
    }

    /// Changes after `revision`, oldest first, at most `limit`.
    func changes(after revision: Int64, limit: Int) -> Read {
        inner.withLock { inner in
            guard revision >= inner.ring.floor else { return .expired(floor: inner.ring.floor) }
            let through = min(inner.state.revision, revision + Int64(limit))
            guard revision < through else { return .changes([], through: inner.state.revision) }
            return .changes(((revision + 1)...through).map { inner.ring[$0] }, through: through)
        }
    }

    /// The oldest revision a watch may start from.
    var floor: Int64 { inner.withLock { $0.ring.floor } }

    /// Keeps a paged list's state for its `continue` tokens (the newest few lists only, and only while their
    /// revision is within the history a watch may start from).
    func pin(_ state: ClusterState) {
        inner.withLock { inner in
            guard !inner.pinned.contains(where: { $0.revision == state.revision }) else { return }
            inner.pinned.append(state)
            if inner.pinned.count > 16 { inner.pinned.removeFirst() }
        }
    }

    /// A pinned list's state (nil when it is too old: its list must start again).
    func pinned(_ revision: Int64) -> ClusterState? {
        inner.withLock { inner in inner.pinned.last { $0.revision == revision } }
    }
}

/// The recent changes, oldest first, in a ring that grows up to its capacity: it holds exactly the
/// revisions after `floor`, one change each.
struct ChangeRing: Sendable {
    private var slots: [Change?] = []
    private var head = 0
    private(set) var count = 0
    /// The oldest revision a watch may start from: everything after it is here.
    private(set) var floor: Int64

    init(floor: Int64) { self.floor = floor }

    subscript(revision: Int64) -> Change {
        slots[(head + Int(revision - floor - 1)) % slots.count]!
    }

    mutating func append(_ change: Change, capacity: Int) {
        if count == slots.count {
            if slots.count >= capacity {
                // Full: the oldest change makes room, and a watch can no longer start before it.
                floor = slots[head]!.revision
                slots[head] = change
                head = (head + 1) % slots.count
                return
            }
            if head != 0 {
                slots = Array(slots[head...] + slots[..<head])
                head = 0
            }
            slots.append(change)
        } else {
            slots[(head + count) % slots.count] = change
        }
        count += 1
    }

    /// Forgets changes made before `time`, as etcd's compaction does.
    mutating func forget(before time: Int64) {
        while count > 0, let oldest = slots[head], oldest.time < time {
            floor = oldest.revision
            slots[head] = nil
            head = (head + 1) % slots.count
            count -= 1
        }
    }
}

/// What the simulated cluster's change log holds now, for `kubeglass soak`'s memory columns: counts, not bytes.
public struct ChangeLogFigures: Sendable, Equatable {
    /// Changes in the watch history (at most `History.capacity`, none older than `History.window`).
    public var changes: Int
    /// Pod records the live state holds (model pods that changed, and every created pod).
    public var podRecords: Int
    /// Events held (the feed's and churn's).
    public var events: Int
    /// Paged lists' states kept for their `continue` tokens, and the pod records they hold between them.
    public var pinnedLists: Int
    public var pinnedPodRecords: Int
}

extension ChangeLog {
    var figures: ChangeLogFigures {
        inner.withLock { inner in
            ChangeLogFigures(
                changes: inner.ring.count, podRecords: inner.state.pods.changed.count,
                events: inner.state.events.count, pinnedLists: inner.pinned.count,
                pinnedPodRecords: inner.pinned.reduce(0) { $0 + $1.pods.changed.count })
        }
    }
}
