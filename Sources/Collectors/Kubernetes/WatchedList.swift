import KubeAPI
import KubeClient
import Synchronization

/// One resource (nodes, pods, Warning events) listed once and then watched, as client-go's informers do:
/// a poll reads the objects kept here instead of listing the whole cluster again, and a refresh costs
/// what changed.
///
/// The first `current()` lists (its errors fail that poll, as a list always did), then a watch starts
/// from the list's `resourceVersion` and applies every ADDED, MODIFIED and DELETED. A watch that ends
/// or is cut resumes from the last version seen (BOOKMARKs move it on); a version the server no longer
/// has (410) brings a new list. A server that will not watch (403, 404, 405, or a list where events
/// should be) leaves the list read on every poll, and `trouble` says so.
actor WatchedList<Object: WatchedObject> {
    typealias Decode = @Sendable ([UInt8]) throws(KubeDecodeError) -> WatchEvent<Object>

    /// The objects, and what the status bar should say about them (nil while the watch keeps up).
    struct Snapshot: Sendable {
        var pages: [[Object]]
        var trouble: String?
    }

    private enum State {
        case unlisted
        case watching
        case listingEveryPoll
    }

    /// How a watch came to an end.
    private enum End {
        /// The server closed it, as it does at `timeoutSeconds`.
        case closed
        case cut(String)
        /// 410: the version is gone; list again.
        case expired(String)
        /// 504 "Too large resource version": the server is behind the version we have (it restarted); list again.
        case ahead(String)
        /// The server will not watch this resource for us.
        case refused(String)
    }

    nonisolated let resource: String
    private let transport: any KubeTransport
    /// The list's path, with its selector (`?fieldSelector=…`) if any; the watch asks for the same.
    private let path: String
    private let list: @Sendable () async throws -> ListedPages<Object>
    private let decode: Decode
    private let timing: WatchTiming?
    private var objects = ObjectPages<Object>()
    private(set) var resourceVersion: String?
    private var state = State.unlisted
    private(set) var trouble: String?
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// `timing` nil: never watch, list on every `current()`.
    init(
        resource: String, path: String, transport: any KubeTransport, timing: WatchTiming?,
        list: @escaping @Sendable () async throws -> ListedPages<Object>, decode: @escaping Decode
    ) {
        self.resource = resource
        self.path = path
        self.transport = transport
        self.timing = timing
        self.list = list
        self.decode = decode
    }

    /// Ends the watch (the source that owns this list is going away).
    nonisolated func stop() {
        loop.withLock { $0?.cancel() }
    }

    /// The objects as they are now; the first call lists them (and so does every call when watching is
    /// not possible).
    func current() async throws -> Snapshot {
        switch state {
        case .watching:
            break
        case .listingEveryPoll:
            try await relist()
        case .unlisted:
            try await relist()
            guard state == .unlisted else { break }
            if let timing, resourceVersion?.isEmpty == false {
                state = .watching
                loop.withLock { $0 = Task { await self.run(timing) } }
            } else {
                state = .listingEveryPoll
                if timing != nil {
                    trouble =
                        "\(resource): the list has no resourceVersion to watch from; listing \(resource) every poll instead"
                }
            }
        }
        return Snapshot(pages: objects.pages, trouble: trouble)
    }

    private func relist() async throws {
        let listed = try await list()
        var replaced = ObjectPages(listed: listed.pages)
        swap(&objects, &replaced)
        resourceVersion = listed.resourceVersion
        // A big cluster's last list takes a while to free: not on the way of this poll or watch.
        releaseLater(consume replaced)
    }

    private func run(_ timing: WatchTiming) async {
        var failures = 0
        while !Task.isCancelled {
            let (end, heard) = await watchOnce(timing)
            if heard { failures = 0 }
            switch end {
            case .closed:
                trouble = nil
                // A watch closed at once, with nothing said, is no reason to ask again at once.
                if !heard {
                    failures += 1
                    try? await Task.sleep(for: timing.retryDelay(after: failures))
                }
            case .cut(let why):
                failures += 1
                trouble = "\(resource): watch cut (\(why)); resuming"
                try? await Task.sleep(for: timing.retryDelay(after: failures))
            case .expired(let why):
                trouble = "\(resource): re-listing after 410 (\(why))"
                await relistUntilDone(timing, after: "410")
                failures = 0
            case .ahead(let why):
                trouble = "\(resource): the server is behind the version we had, so listing again (\(why))"
                await relistUntilDone(timing, after: "a server behind our version")
                failures = 0
            case .refused(let why):
                state = .listingEveryPoll
                trouble = "\(resource): \(why); listing \(resource) every poll instead"
                loop.withLock { $0 = nil }
                return
            }
        }
    }

    private func relistUntilDone(_ timing: WatchTiming, after why: String) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await relist()
                trouble = nil
                return
            } catch {
                failures += 1
                trouble = "\(resource): re-listing after \(why) failed (\(error)); trying again"
                try? await Task.sleep(for: timing.retryDelay(after: failures))
            }
        }
    }

    /// One watch, from `resourceVersion` until it ends; `heard`: it brought at least one event.
    private func watchOnce(_ timing: WatchTiming) async -> (end: End, heard: Bool) {
        let seconds = timing.nextTimeoutSeconds()
        let version = resourceVersion ?? ""
        let query =
            "watch=1&allowWatchBookmarks=true&resourceVersion=\(ListReader.escapeQuery(version))&timeoutSeconds=\(seconds)"
        let watchPath = path + (path.contains("?") ? "&" : "?") + query
        let response: KubeWatchResponse
        do {
            response = try await transport.watch(watchPath, idleTimeout: .seconds(seconds) + timing.idleMargin)
        } catch {
            return (.cut(error.description), false)
        }
        guard response.status == 200 else {
            let error = APIRequestError.from(
                KubeResponse(status: response.status, body: response.body), path: ListReader.withoutQuery(path),
                resource: resource, server: transport.server, isMetricsAPI: false, watch: true)
            switch response.status {
            case 410: return (.expired(error.description), false)
            case 504 where KubeDecode.status(response.body)?.isResourceVersionTooLarge == true:
                return (.ahead(error.description), false)
            case 403, 404, 405, 501: return (.refused(error.description), false)
            default: return (.cut(error.description), false)
            }
        }
        // The watch is up again: what went wrong before is over.
        trouble = nil
        var heard = false
        do {
            for try await line in response.events {
                let event: WatchEvent<Object>
                do { event = try decode(line) } catch {
                    if !heard, let kind = KubeDecode.listKind(line) {
                        return (
                            .refused("the watch of \(resource) on \(transport.server) was answered with a \(kind)"),
                            heard
                        )
                    }
                    return (.cut("an event that is not valid \(resource) JSON: \(error)"), heard)
                }
                heard = true
                switch event.kind {
                case .added, .modified:
                    if let object = event.object { objects.set(object) }
                case .deleted:
                    if let object = event.object { objects.remove(object.key) }
                case .bookmark:
                    break
                case .error:
                    let status = event.status ?? KubeStatus()
                    let said = [status.code.map { "\($0)" }, status.reason, status.message].compactMap { $0 }
                        .joined(separator: " ")
                    if event.isExpired { return (.expired(said), heard) }
                    if event.isAheadOfServer { return (.ahead(said), heard) }
                    return (.cut("the server ended the watch: \(said)"), heard)
                }
                if let version = event.resourceVersion, !version.isEmpty { resourceVersion = version }
            }
        } catch let error as KubeClientError where error.kind == .tooLarge && !heard {
            // No object is that large (etcd keeps at most 1.5 MiB): the answer is a whole list, not events.
            return (
                .refused("the watch of \(resource) on \(transport.server) was not answered with events (\(error))"),
                heard
            )
        } catch {
            return (.cut("\(error)"), heard)
        }
        return (.closed, heard)
    }
}
