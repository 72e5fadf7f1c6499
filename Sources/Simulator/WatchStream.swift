import KubeglassCore
import NIOCore

/// One open watch: what it has sent, what it sends next. The connection polls it (`poll(now:into:)`)
/// every few milliseconds and while the client keeps reading; it reads only the changes after its
/// cursor from the log, so an idle watch costs nothing however big the cluster.
///
/// Like kube-apiserver: a watch without resourceVersion (or "0") first gets an ADDED for every object
/// it sees; a watch from a resourceVersion gets exactly the changes after it, or one ERROR (410
/// Expired) when that version is older than the history kept. BOOKMARKs come every bookmark interval
/// when asked for, and once more when the watch times out.
public final class WatchStream {
    enum Start {
        /// Send the objects of this state as ADDED, then its changes.
        case listing(ClusterState)
        /// Send the changes after this revision.
        case after(Int64)
    }

    enum Step: Equatable {
        /// More is ready now: poll again as soon as the client reads.
        case more
        /// Nothing more until time passes.
        case wait
        /// The watch is over: end the response.
        case end
        /// Close the connection mid-response (`--watch-cut-after`).
        case cut
    }

    let api: SimulatedAPI
    let resource: WatchResource
    let filter: WatchFilter
    private var writer: WatchEventWriter
    let bookmarks: Bool
    let initialEventsEnd: Bool
    /// The cluster's instant when the watch began.
    let startedAt: Int64
    let timeout: Milliseconds
    /// `--freeze`: the cluster stays at this instant while the watch's own clock (timeouts, bookmarks) runs.
    var frozenAt: Int64?
    /// Deadlines, set by the first poll's clock.
    private var endsAt: Int64 = .max
    private var cutAt: Int64?
    private var nextBookmark: Int64 = .max
    private var started = false
    /// The newest revision this watch has accounted for (sent, or skipped as not its business).
    private(set) var cursor: Int64
    private var listing: (state: ClusterState, items: [Int], events: [EventRecord], next: Int)?
    private var finished = false

    /// Changes read from the log per poll, and bytes written per poll before letting the client read.
    static let batch = 256
    static let chunkSize = 128 * 1024

    init(
        api: SimulatedAPI, resource: WatchResource, filter: WatchFilter, table: Tables.ObjectPolicy?,
        bookmarks: Bool, initialEventsEnd: Bool, start: Start, at t: Int64, timeout: Milliseconds
    ) {
        self.api = api
        self.resource = resource
        self.filter = filter
        writer = WatchEventWriter(api: api, resource: resource, table: table)
        self.bookmarks = bookmarks
        self.initialEventsEnd = initialEventsEnd
        startedAt = t
        self.timeout = timeout
        switch start {
        case .listing(let state):
            cursor = state.revision
            var items: [Int] = []
            var events: [EventRecord] = []
            switch resource {
            case .pods:
                items = state.pods.candidates(namespace: filter.namespace, fields: filter.fields).filter { slot in
                    state.pods.record(slot).map { filter.matches($0, api: api) } ?? false
                }
            case .nodes:
                items = state.nodes.indices.filter { filter.matches(node: $0, api: api) }
            case .events:
                events = state.sortedEvents(namespace: filter.namespace).filter { filter.matches($0) }
            }
            listing = (state, items, events, 0)
        case .after(let revision):
            cursor = revision
        }
    }

    /// Writes what is due at `now` into `out` and says what comes next.
    func poll(now: Int64, into out: inout ByteBuffer) -> Step {
        if finished { return .end }
        if !started {
            started = true
            endsAt = now + timeout
            cutAt = api.watchOptions.cutAfter.map { now + $0 }
            nextBookmark = now + api.watchOptions.bookmarkInterval
        }
        if api.watchOptions.silent { return .wait }
        if let cutAt, now >= cutAt {
            finished = true
            writeCut(now: now, into: &out)
            return .cut
        }
        let limit = out.writerIndex + WatchStream.chunkSize
        if listing != nil {
            writeListing(until: limit, into: &out)
            if listing != nil { return .more }
        }
        _ = api.log.advance(to: frozenAt ?? now)
        switch api.log.changes(after: cursor, limit: WatchStream.batch) {
        case .expired(let floor):
            writer.writeExpired(cursor, floor: floor, into: &out)
            finished = true
            return .end
        case .changes(let changes, let through):
            for change in changes { writeChange(change, into: &out) }
            cursor = through
            if changes.count == WatchStream.batch { return .more }
        }
        if bookmarks && now >= nextBookmark {
            writer.writeBookmark(cursor, into: &out)
            nextBookmark = now + api.watchOptions.bookmarkInterval
        }
        if now >= endsAt {
            if bookmarks { writer.writeBookmark(cursor, into: &out) }
            finished = true
            return .end
        }
        return .wait
    }

    private func writeListing(until limit: Int, into out: inout ByteBuffer) {
        guard var l = listing else { return }
        let total = resource == .events ? l.events.count : l.items.count
        while l.next < total && out.writerIndex < limit {
            switch resource {
            case .pods:
                if let record = l.state.pods.record(l.items[l.next]) {
                    writer.write(.added, .pod(record), into: &out)
                }
            case .nodes:
                writer.write(.added, .node(l.state.nodes[l.items[l.next]]), into: &out)
            case .events:
                writer.write(.added, .event(l.events[l.next]), into: &out)
            }
            l.next += 1
        }
        if l.next >= total {
            listing = nil
            // With sendInitialEvents=true a client learns where the initial list ends from this bookmark.
            if initialEventsEnd && bookmarks { writer.writeBookmark(cursor, initialEventsEnd: true, into: &out) }
        } else {
            listing = l
        }
    }

    /// One change as this watch sees it: a pod that stops matching its selector is DELETED for it,
    /// one that starts matching is ADDED (kube-apiserver's watch cache does the same).
    private func writeChange(_ change: Change, into out: inout ByteBuffer) {
        switch change.object {
        case .pod(let record):
            guard resource == .pods else { return }
            let now = filter.matches(record, api: api)
            let before = change.previous.map { filter.matches($0, api: api) } ?? false
            switch change.type {
            case .added:
                if now { writer.write(.added, change.object, into: &out) }
            case .deleted:
                if before || now { writer.write(.deleted, change.object, into: &out) }
            case .modified:
                if now {
                    writer.write(before ? .modified : .added, change.object, into: &out)
                } else if before, var gone = change.previous {
                    gone.resourceVersion = change.revision
                    writer.write(.deleted, .pod(gone), into: &out)
                }
            }
        case .node(let record):
            guard resource == .nodes, filter.matches(node: record.index, api: api) else { return }
            writer.write(change.type, change.object, into: &out)
        case .event(let record):
            guard resource == .events, filter.matches(record) else { return }
            writer.write(change.type, change.object, into: &out)
        }
    }

    /// Half of the next line this watch would send (a change, else a bookmark): a client reading it
    /// sees JSON end in the middle, then the connection close.
    private func writeCut(now: Int64, into out: inout ByteBuffer) {
        var line = ByteBufferAllocator().buffer(capacity: 4096)
        if case .changes(let changes, _) = api.log.changes(after: cursor, limit: WatchStream.batch) {
            for change in changes where line.readableBytes == 0 { writeChange(change, into: &line) }
        }
        if line.readableBytes == 0 { writer.writeBookmark(cursor, into: &line) }
        let bytes = line.readableBytesView
        let length = bytes.firstIndex(of: UInt8(ascii: "\n")).map { bytes.distance(from: bytes.startIndex, to: $0) }
        var half = line.readSlice(length: (length ?? line.readableBytes) / 2) ?? line
        out.writeBuffer(&half)
    }
}
