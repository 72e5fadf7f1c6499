import Foundation
import KubeAPI

@testable import Collectors
@testable import KubeClient

/// A fake API server of pods that keeps what a real one keeps for watches: the pods, a numbered history
/// of their changes, and a version before which that history is gone (a watch from there gets 410).
/// Tests change pods, cut, close or expire the watches and compact the history, then check that a
/// `WatchedList` holds exactly the pods this server has.
final class ScriptedCluster: KubeTransport, @unchecked Sendable {
    let server = "https://cluster.test:6443"
    let isInsecure = false
    private let lock = NSLock()
    private var pods: [String: (namespace: String, name: String, restarts: Int, version: Int)] = [:]
    private var version = 100
    private var history: [(version: Int, line: String)] = []
    private var oldestKept = 0
    private var open: [Int: AsyncThrowingStream<[UInt8], any Error>.Continuation] = [:]
    private var nextWatch = 0
    private var snapshots: [Int: (version: Int, items: [String])] = [:]
    private var listsServed = 0
    private var watchesAsked: [String] = []

    /// Lists are answered with this status (and a Status body) while set.
    var listStatus: Int? {
        get { lock.withLock { _listStatus } }
        set { lock.withLock { _listStatus = newValue } }
    }
    private var _listStatus: Int?
    /// Watches are answered with this status while set.
    var watchStatus: Int? {
        get { lock.withLock { _watchStatus } }
        set { lock.withLock { _watchStatus = newValue } }
    }
    private var _watchStatus: Int?
    /// The next watch is answered as by an API server behind the version asked for (restarted, or a lagging
    /// watch cache): 504 with "Too large resource version", as an HTTP status or (`asAnEvent`) an ERROR event.
    func behindOnce(asAnEvent: Bool) { lock.withLock { _behind = asAnEvent } }
    private var _behind: Bool?
    /// Watches fail to open with this error while set (no connection).
    var watchFailure: KubeClientError? {
        get { lock.withLock { _watchFailure } }
        set { lock.withLock { _watchFailure = newValue } }
    }
    private var _watchFailure: KubeClientError?
    /// Watches open and then say nothing, and time out as KubeClient's do, while set.
    var silent: Bool {
        get { lock.withLock { _silent } }
        set { lock.withLock { _silent = newValue } }
    }
    private var _silent = false
    /// A watch from an expired version gets an ERROR event (as from the watch cache) rather than HTTP 410.
    var expiresWithAnEvent = true

    var listCount: Int { lock.withLock { listsServed } }
    var watchPaths: [String] { lock.withLock { watchesAsked } }
    var openWatchCount: Int { lock.withLock { open.count } }

    /// namespace/name → restarts, as the server has them now.
    var truth: [String: Int] { lock.withLock { pods.mapValues(\.restarts) } }

    static func line(_ type: String, _ object: String) -> String { #"{"type":"\#(type)","object":\#(object)}"# }

    static func podJSON(_ namespace: String, _ name: String, restarts: Int, version: Int) -> String {
        #"{"metadata":{"name":"\#(name)","namespace":"\#(namespace)","resourceVersion":"\#(version)"},"spec":{"nodeName":"n1","containers":[{"name":"c"}]},"status":{"phase":"Running","containerStatuses":[{"name":"c","restartCount":\#(restarts)}]}}"#
    }

    // MARK: Changes

    func add(_ namespace: String, _ name: String) {
        change { version in
            self.pods["\(namespace)/\(name)"] = (namespace, name, 0, version)
            return Self.line("ADDED", Self.podJSON(namespace, name, restarts: 0, version: version))
        }
    }

    func restart(_ key: String) {
        change { version in
            guard var pod = self.pods[key] else { return nil }
            pod.restarts += 1
            pod.version = version
            self.pods[key] = pod
            return Self.line(
                "MODIFIED", Self.podJSON(pod.namespace, pod.name, restarts: pod.restarts, version: version))
        }
    }

    func delete(_ key: String) {
        change { version in
            guard let pod = self.pods.removeValue(forKey: key) else { return nil }
            return Self.line("DELETED", Self.podJSON(pod.namespace, pod.name, restarts: pod.restarts, version: version))
        }
    }

    private func change(_ make: (Int) -> String?) {
        lock.withLock {
            guard let line = make(version + 1) else { return }
            version += 1
            history.append((version, line))
            for watch in open.values { watch.yield(Array(line.utf8)) }
        }
    }

    // MARK: What happens to watches

    /// Some other object changed: the version moves on and open watches get a BOOKMARK.
    func bookmark() {
        lock.withLock {
            version += 1
            let line = Self.line("BOOKMARK", #"{"kind":"Pod","metadata":{"resourceVersion":"\#(version)"}}"#)
            for watch in open.values { watch.yield(Array(line.utf8)) }
        }
    }

    /// Sends a line as it is to every open watch (a change the server does not keep).
    func sendRaw(_ line: String) {
        lock.withLock { for watch in open.values { watch.yield(Array(line.utf8)) } }
    }

    /// The connections break.
    func cut() { endWatches(KubeClientError(.connection, "\(server) closed the connection during GET (cut by test)")) }

    /// The server ends the watches, as at their timeoutSeconds.
    func close() { endWatches(nil) }

    /// Open watches get a 410 ERROR event and end (a watcher that fell too far behind).
    func expireOpenWatches() {
        let line = Self.line("ERROR", Self.expiredStatus)
        lock.withLock { for watch in open.values { watch.yield(Array(line.utf8)) } }
        close()
    }

    /// The history so far is forgotten: watching from any version before now gets 410.
    func compact() { lock.withLock { oldestKept = version } }

    private func endWatches(_ error: KubeClientError?) {
        let ended = lock.withLock {
            defer { open = [:] }
            return Array(open.values)
        }
        for watch in ended {
            if let error { watch.finish(throwing: error) } else { watch.finish() }
        }
    }

    /// What kube-apiserver's watch cache answers for a version it has not reached (after 3 s of waiting).
    static let tooLargeStatus =
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too large resource version: 900, current: 12","reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge","message":"Too large resource version"}],"retryAfterSeconds":1},"code":504}"#

    static let expiredStatus =
        #"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}"#

    static func status(_ code: Int) -> [UInt8] {
        let reason =
            [403: "Forbidden", 405: "MethodNotAllowed", 410: "Expired", 500: "InternalError"][code] ?? "Unknown"
        return Array(
            #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"scripted \#(code)","reason":"\#(reason)","code":\#(code)}"#
                .utf8)
    }

    // MARK: The transport

    static func query(_ path: String, _ name: String) -> String? {
        guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first.map(String.init) == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    func get(_ path: String) async throws(KubeClientError) -> KubeResponse {
        lock.withLock {
            if let status = _listStatus { return KubeResponse(status: status, body: Self.status(status)) }
            let limit = Self.query(path, "limit").flatMap { Int($0) } ?? Int.max
            var snapshotID: Int
            var offset = 0
            if let token = Self.query(path, "continue") {
                let parts = token.split(separator: "-")
                snapshotID = Int(parts[0])!
                offset = Int(parts[1])!
            } else {
                listsServed += 1
                snapshotID = snapshots.count
                let items = pods.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.map {
                    Self.podJSON($0.namespace, $0.name, restarts: $0.restarts, version: $0.version)
                }
                snapshots[snapshotID] = (version, items)
            }
            let snapshot = snapshots[snapshotID]!
            let end = min(snapshot.items.count, offset + limit)
            let token = end < snapshot.items.count ? #","continue":"\#(snapshotID)-\#(end)""# : ""
            let body =
                #"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"\#(snapshot.version)"\#(token)},"items":["#
                + snapshot.items[offset..<end].joined(separator: ",") + "]}"
            return KubeResponse(status: 200, body: Array(body.utf8))
        }
    }

    func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse {
        let (events, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let from = Int(Self.query(path, "resourceVersion") ?? "") ?? 0
        let reply = lock.withLock { () -> Result<KubeWatchResponse, KubeClientError> in
            watchesAsked.append(path)
            if let failure = _watchFailure { return .failure(failure) }
            if let status = _watchStatus {
                return .success(KubeWatchResponse(refused: status, body: Self.status(status)))
            }
            if let asAnEvent = _behind {
                _behind = nil
                guard asAnEvent else {
                    return .success(KubeWatchResponse(refused: 504, body: Array(Self.tooLargeStatus.utf8)))
                }
                continuation.yield(Array(Self.line("ERROR", Self.tooLargeStatus).utf8))
                continuation.finish()
                return .success(KubeWatchResponse(status: 200, events: events))
            }
            if from < oldestKept {
                guard expiresWithAnEvent else {
                    return .success(KubeWatchResponse(refused: 410, body: Self.status(410)))
                }
                continuation.yield(Array(Self.line("ERROR", Self.expiredStatus).utf8))
                continuation.finish()
                return .success(KubeWatchResponse(status: 200, events: events))
            }
            if _silent {
                let timer = Task {
                    try? await Task.sleep(for: idleTimeout)
                    continuation.finish(throwing: KubeClientError(.timeout, "\(server) sent nothing on the watch"))
                }
                continuation.onTermination = { _ in timer.cancel() }
                return .success(KubeWatchResponse(status: 200, events: events))
            }
            for change in history where change.version > from { continuation.yield(Array(change.line.utf8)) }
            let id = nextWatch
            nextWatch += 1
            open[id] = continuation
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.lock.withLock { _ = self.open.removeValue(forKey: id) }
            }
            return .success(KubeWatchResponse(status: 200, events: events))
        }
        return try reply.get()
    }
}
