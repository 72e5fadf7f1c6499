import DemoCluster
import KubeglassCore

/// What changes in the simulated cluster, and when: pod churn, the crash-looping pod's deaths and
/// restarts, created pods starting, each node's periodic status post, and the event feed. Each source
/// knows its next instant, so the log applies them in time order without looking at the whole cluster.
struct ChangeSchedule: Sendable {
    enum Source: Sendable {
        case churn
        case crash(Int)
        case start, node, events
    }

    struct Due: Sendable {
        var at: Int64
        var source: Source
    }

    let catalog: ClusterCatalog
    let feed: EventFeed
    var churn: PodChurn
    /// Crash-looping pods (slots) and when each next changes.
    private var crashes: [(slot: Int, at: Int64)]
    /// Created pods waiting to start, oldest first (all wait the same, so this stays in time order).
    private var starting: [(slot: Int, at: Int64)] = []
    private var startingHead = 0
    /// Nodes in the order of their post instant within a period, and where the next post is.
    private let nodeOrder: [Int]
    private let nodePhase: [Int64]
    private var nodeCycle: Int64
    private var nodeNext: Int
    /// When the event feed is next compared with the events the log holds.
    private var nextFeedRefresh: Int64
    static let feedRefreshPeriod: Int64 = 10_000

    init(catalog: ClusterCatalog, feed: EventFeed, churn: PodChurn, startedAt t: Int64) {
        self.catalog = catalog
        self.feed = feed
        self.churn = churn
        let cluster = catalog.cluster
        crashes = cluster.pods.indices.filter { cluster.pods[$0].crashLoops && cluster.pods[$0].phase == .running }
            .map { (slot: $0, at: cluster.nextCrashChange(of: cluster.pods[$0], after: t)) }
        let period = ObjectRenderer.nodeStatusPeriod
        // Node i posts at the instants where (instant + i·997) is a multiple of the period.
        let phases = cluster.nodes.indices.map { i in (period - (Int64(i) * 997) % period) % period }
        nodeOrder = cluster.nodes.indices.sorted { (phases[$0], $0) < (phases[$1], $1) }
        nodePhase = nodeOrder.map { phases[$0] }
        let cycle = t / period
        let sortedPhases = nodeOrder.map { phases[$0] }
        if let next = sortedPhases.firstIndex(where: { cycle * period + $0 > t }) {
            (nodeCycle, nodeNext) = (cycle, next)
        } else {
            (nodeCycle, nodeNext) = (cycle + 1, 0)
        }
        nextFeedRefresh = t + ChangeSchedule.feedRefreshPeriod
    }

    /// The earliest change due (ties in a fixed order, so a run is repeatable).
    func nextDue() -> Due? {
        var best: Due?
        func consider(_ at: Int64?, _ source: Source) {
            guard let at else { return }
            if best == nil || at < best!.at { best = Due(at: at, source: source) }
        }
        consider(churn.nextAt, .churn)
        for (n, c) in crashes.enumerated() { consider(c.at, .crash(n)) }
        if startingHead < starting.count { consider(starting[startingHead].at, .start) }
        if !nodeOrder.isEmpty {
            consider(nodeCycle * ObjectRenderer.nodeStatusPeriod + nodePhase[nodeNext], .node)
        }
        consider(nextFeedRefresh, .events)
        return best
    }

    /// Applies one due change to `state`, reporting each change (with its new revision) to `record`.
    mutating func apply(_ due: Due, to state: inout ClusterState, record: (Change) -> Void) {
        let t = due.at
        switch due.source {
        case .churn:
            applyChurn(at: t, to: &state, record: record)
        case .crash(let n):
            let slot = crashes[n].slot
            let cluster = catalog.cluster
            guard let old = state.pods.record(slot) else {
                crashes.remove(at: n)
                return
            }
            var pod = old
            pod.resourceVersion = state.nextRevision()
            pod.asOf = t
            pod.pristine = false
            state.pods.update(pod)
            record(Change(revision: pod.resourceVersion, time: t, type: .modified, object: .pod(pod), previous: old))
            crashes[n].at = cluster.nextCrashChange(of: pod.pod, after: t)
        case .start:
            let slot = starting[startingHead].slot
            startingHead += 1
            if startingHead > 1024 {
                starting.removeFirst(startingHead)
                startingHead = 0
            }
            guard let old = state.pods.record(slot), old.pod.phase == .pending else { return }
            var pod = old
            pod.pod.phase = .running
            pod.resourceVersion = state.nextRevision()
            pod.asOf = t
            pod.lastStart = t
            state.pods.update(pod)
            record(Change(revision: pod.resourceVersion, time: t, type: .modified, object: .pod(pod), previous: old))
        case .node:
            let i = nodeOrder[nodeNext]
            nodeNext += 1
            if nodeNext == nodeOrder.count {
                nodeNext = 0
                nodeCycle += 1
            }
            state.nodes[i].heartbeat = t
            state.nodes[i].resourceVersion = state.nextRevision()
            let node = state.nodes[i]
            record(Change(revision: node.resourceVersion, time: t, type: .modified, object: .node(node)))
        case .events:
            nextFeedRefresh = t + ChangeSchedule.feedRefreshPeriod
            refreshEvents(at: t, in: &state, record: record)
        }
    }

    private mutating func applyChurn(at t: Int64, to state: inout ClusterState, record: (Change) -> Void) {
        let (action, key) = churn.draw()
        switch action {
        case .create:
            guard let slot = churn.template(key) else { return }
            // A deleted template still lends its spec.
            let template = state.pods.record(slot) ?? catalog.renderer.initialRecord(pod: slot, at: t)
            create(from: template, key: key, at: t, in: &state, record: record)
        case .delete:
            // Finished and failed pods go first, as the controllers and the pod garbage collector remove them.
            var chosen = churn.pick(key, attempt: 0)
            for attempt in 0..<4 {
                guard let slot = churn.pick(key, attempt: attempt), let r = state.pods.record(slot) else { continue }
                if r.pod.phase == .failed || r.pod.phase == .succeeded {
                    chosen = slot
                    break
                }
            }
            guard let slot = chosen, let old = state.pods.record(slot) else { return }
            var gone = old
            gone.resourceVersion = state.nextRevision()
            gone.asOf = t
            gone.pristine = false
            state.pods.remove(slot)
            churn.died(slot)
            record(Change(revision: gone.resourceVersion, time: t, type: .deleted, object: .pod(gone), previous: old))
        case .restart, .fail:
            // A running pod that is not the crash-looping one (that one restarts on its own schedule).
            var target: PodRecord?
            for attempt in 0..<8 {
                guard let slot = churn.pick(key, attempt: attempt), let r = state.pods.record(slot) else { continue }
                if r.pod.phase == .running && !r.pod.crashLoops {
                    target = r
                    break
                }
            }
            guard let old = target else { return }
            var pod = old
            pod.resourceVersion = state.nextRevision()
            pod.asOf = t
            pod.pristine = false
            if action == .restart {
                pod.extraRestarts += 1
                pod.lastStart = t
            } else {
                pod.pod.phase = pod.pod.ownerKind == "Job" ? .succeeded : .failed
                pod.finishedAt = t
            }
            state.pods.update(pod)
            record(Change(revision: pod.resourceVersion, time: t, type: .modified, object: .pod(pod), previous: old))
        }
    }

    private mutating func create(
        from template: PodRecord, key: UInt64, at t: Int64, in state: inout ClusterState, record: (Change) -> Void
    ) {
        var attempt = 0
        var pod = churn.newPod(from: template.pod, key: key, at: t, attempt: 0)
        while state.pods.slot(named: pod.namespace + "/" + pod.name) != nil && attempt < 16 {
            attempt += 1
            pod = churn.newPod(from: template.pod, key: key, at: t, attempt: attempt)
        }
        let slot = state.pods.nextSlot
        let created = PodRecord(
            slot: slot, pod: pod, labels: template.labels, resourceVersion: state.nextRevision(), asOf: t)
        state.pods.insert(created)
        churn.born(slot)
        starting.append((slot, t + PodChurn.startDelay))
        record(Change(revision: created.resourceVersion, time: t, type: .added, object: .pod(created)))
    }

    /// Compares the event feed at `t` with the events held: new ones are ADDED, moved ones (count,
    /// last seen) MODIFIED, vanished ones DELETED. The feed is small (hundreds), not the cluster.
    private func refreshEvents(at t: Int64, in state: inout ClusterState, record: (Change) -> Void) {
        var seen = Set<String>()
        for e in feed.events(at: t) {
            let key = e.namespace + "/" + e.name
            seen.insert(key)
            if let old = state.events[key] {
                let o = old.event
                if o.count == e.count && o.last == e.last && o.first == e.first && o.message == e.message { continue }
                let r = EventRecord(event: e, resourceVersion: state.nextRevision())
                state.events[key] = r
                record(Change(revision: r.resourceVersion, time: t, type: .modified, object: .event(r)))
            } else {
                let r = EventRecord(event: e, resourceVersion: state.nextRevision())
                state.events[key] = r
                record(Change(revision: r.resourceVersion, time: t, type: .added, object: .event(r)))
            }
        }
        for key in state.events.keys.sorted() where !seen.contains(key) {
            guard var r = state.events.removeValue(forKey: key) else { continue }
            r.resourceVersion = state.nextRevision()
            record(Change(revision: r.resourceVersion, time: t, type: .deleted, object: .event(r)))
        }
    }
}
