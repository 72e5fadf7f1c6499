import DemoCluster
import Foundation
import NIOCore
import Testing

@testable import Simulator

/// Watches answered in process, with time passed by hand: a minute of churn takes no time at all.
@Suite struct WatchTests {
    static let start: Int64 = 1_795_000_000_000
    static let table =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

    static func makeAPI(
        churn: Double = 600, seed: UInt64 = 3, base: Int64 = 0, _ configure: (inout WatchOptions) -> Void = { _ in }
    ) -> SimulatedAPI {
        var options = WatchOptions()
        configure(&options)
        let cluster = ClusterModel(.init(nodes: 6, pods: 120, seed: seed), createdAt: start)
        return SimulatedAPI(
            catalog: ClusterCatalog(cluster: cluster, resourceVersionBase: base), startedAt: start,
            churnPerMinute: churn, watchOptions: options)
    }

    func json(_ response: APIResponse) throws -> [String: Any] {
        let body = response.collectBody()
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "\(String(buffer: body).prefix(300))")
    }

    /// A list's resourceVersion and its objects' resourceVersions by `namespace/name`.
    func list(_ api: SimulatedAPI, _ uri: String, at t: Int64) throws -> (rv: Int64, objects: [String: String]) {
        let list = try json(api.respond(to: APIRequest(uri: uri), at: t))
        let rv = try #require(Int64((list["metadata"] as? [String: Any])?["resourceVersion"] as? String ?? ""))
        var objects: [String: String] = [:]
        for item in list["items"] as? [[String: Any]] ?? [] {
            let meta = item["metadata"] as? [String: Any] ?? [:]
            objects[WatchTests.key(meta)] = meta["resourceVersion"] as? String
        }
        return (rv, objects)
    }

    static func key(_ meta: [String: Any]) -> String {
        ((meta["namespace"] as? String).map { $0 + "/" } ?? "") + (meta["name"] as? String ?? "")
    }

    func openWatch(_ api: SimulatedAPI, _ uri: String, accept: String = "application/json", at t: Int64) throws
        -> WatchStream
    {
        let response = api.respond(to: APIRequest(uri: uri, accept: accept), at: t)
        #expect(response.status == 200)
        guard case .watch(let stream) = response.body else {
            Issue.record("\(uri) is not a watch: \(String(buffer: response.collectBody()).prefix(300))")
            throw CancellationError()
        }
        return stream
    }

    /// Polls the stream at `now` until it waits or ends; the events it wrote, one dictionary a line.
    func events(_ stream: WatchStream, at now: Int64) throws -> (events: [[String: Any]], step: WatchStream.Step) {
        var out = ByteBufferAllocator().buffer(capacity: 4096)
        var step = WatchStream.Step.more
        while step == .more { step = stream.poll(now: now, into: &out) }
        let text = String(buffer: out)
        #expect(text.isEmpty || text.hasSuffix("\n"), "every event ends its line")
        let lines = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        return (lines, step)
    }

    static func meta(_ event: [String: Any]) -> [String: Any] {
        (event["object"] as? [String: Any])?["metadata"] as? [String: Any] ?? [:]
    }

    @Test func aWatchFromAListsVersionRebuildsEveryLaterList() throws {
        let api = WatchTests.makeAPI()
        let t0 = WatchTests.start + 30_000
        let listed = try list(api, "/api/v1/pods", at: t0)
        var pods = listed.objects
        let stream = try openWatch(api, "/api/v1/pods?watch=1&resourceVersion=\(listed.rv)", at: t0)
        var seen: [String: Int] = [:]
        var last = listed.rv
        for step in 1...12 {
            let now = t0 + Int64(step) * 5000
            for event in try events(stream, at: now).events {
                let type = try #require(event["type"] as? String)
                let meta = WatchTests.meta(event)
                let key = WatchTests.key(meta)
                let version = try #require(Int64(meta["resourceVersion"] as? String ?? ""))
                #expect(version > last, "each event is newer than the last (\(version) after \(last))")
                last = version
                seen[type, default: 0] += 1
                switch type {
                case "ADDED":
                    #expect(pods[key] == nil, "ADDED \(key), which the client already had")
                    pods[key] = String(version)
                case "MODIFIED":
                    #expect(pods[key] != nil, "MODIFIED \(key), which the client never had")
                    pods[key] = String(version)
                case "DELETED":
                    #expect(pods.removeValue(forKey: key) != nil, "DELETED \(key), which the client never had")
                default: Issue.record("unexpected \(type)")
                }
            }
            // The watch's picture equals a fresh list, object by object, version by version.
            let fresh = try list(api, "/api/v1/pods", at: now)
            #expect(fresh.objects == pods, "after \(step * 5) s")
        }
        #expect((seen["ADDED"] ?? 0) > 5 && (seen["MODIFIED"] ?? 0) > 5 && (seen["DELETED"] ?? 0) > 5, "\(seen)")
        #expect(pods != listed.objects, "churn changed the pods")
    }

    @Test func aClientThatResumesFromItsLastVersionAfterEachCutMissesNothing() throws {
        let api = WatchTests.makeAPI { $0.cutAfter = 4000 }
        let t0 = WatchTests.start + 5000
        let listed = try list(api, "/api/v1/pods", at: t0)
        var pods = listed.objects
        var last = listed.rv
        var cuts = 0
        var now = t0
        // Like an informer: watch from the last version seen; when the stream breaks, watch again from it.
        while true {
            let stream = try openWatch(api, "/api/v1/pods?watch=1&resourceVersion=\(last)", at: now)
            var step = WatchStream.Step.more
            repeat {
                now += 1000
                var out = ByteBufferAllocator().buffer(capacity: 4096)
                step = .more
                while step == .more { step = stream.poll(now: now, into: &out) }
                var text = String(buffer: out)
                if step == .cut {
                    cuts += 1
                    let broken = text.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
                    #expect(!broken.isEmpty && (try? JSONSerialization.jsonObject(with: Data(broken.utf8))) == nil)
                    text = String(text.dropLast(broken.count))
                }
                for line in text.split(separator: "\n") {
                    let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    let meta = WatchTests.meta(event)
                    let key = WatchTests.key(meta)
                    last = try #require(Int64(meta["resourceVersion"] as? String ?? ""))
                    switch event["type"] as? String {
                    case "ADDED":
                        #expect(pods[key] == nil, "a duplicate ADDED for \(key)")
                        pods[key] = String(last)
                    case "MODIFIED": pods[key] = String(last)
                    case "DELETED": pods[key] = nil
                    default: Issue.record("unexpected \(event)")
                    }
                }
            } while step != .cut && now < t0 + 40_000
            if step != .cut { break }
        }
        #expect(cuts >= 8)
        #expect(pods == (try list(api, "/api/v1/pods", at: now).objects))
    }

    @Test func churnIsTheSameForTheSameSeed() throws {
        let a = WatchTests.makeAPI()
        let b = WatchTests.makeAPI()
        let t = WatchTests.start + 20_000
        let rv = try list(a, "/api/v1/pods", at: WatchTests.start).rv
        let one = try events(try openWatch(a, "/api/v1/pods?watch=1&resourceVersion=\(rv)", at: t), at: t).events
        let two = try events(try openWatch(b, "/api/v1/pods?watch=1&resourceVersion=\(rv)", at: t), at: t).events
        #expect(one.count > 10)
        #expect(one.map { WatchTests.key(WatchTests.meta($0)) } == two.map { WatchTests.key(WatchTests.meta($0)) })
        let other = WatchTests.makeAPI(seed: 4)
        let three = try events(try openWatch(other, "/api/v1/pods?watch=1&resourceVersion=\(rv)", at: t), at: t)
        #expect(
            three.events.map { WatchTests.key(WatchTests.meta($0)) } != one.map { WatchTests.key(WatchTests.meta($0)) })
    }

    @Test func createdPodsArePendingThenRunningAndDeletedOnesVanish() throws {
        let api = WatchTests.makeAPI()
        let rv = try list(api, "/api/v1/pods", at: WatchTests.start).rv
        let stream = try openWatch(api, "/api/v1/pods?watch=1&resourceVersion=\(rv)", at: WatchTests.start)
        let t = WatchTests.start + 60_000
        let all = try events(stream, at: t).events
        let added = try #require(all.first { $0["type"] as? String == "ADDED" })
        let name = WatchTests.key(WatchTests.meta(added))
        #expect(((added["object"] as? [String: Any])?["status"] as? [String: Any])?["phase"] as? String == "Pending")
        let running = all.first {
            $0["type"] as? String == "MODIFIED" && WatchTests.key(WatchTests.meta($0)) == name
        }
        #expect(((running?["object"] as? [String: Any])?["status"] as? [String: Any])?["phase"] as? String == "Running")
        let deleted = try #require(all.first { $0["type"] as? String == "DELETED" })
        let gone = WatchTests.key(WatchTests.meta(deleted))
        let parts = gone.split(separator: "/").map(String.init)
        #expect(
            api.respond(to: APIRequest(uri: "/api/v1/namespaces/\(parts[0])/pods/\(parts[1])"), at: t).status == 404)
        // Lists and the metrics API agree with the watch: a created pod that runs has metrics, a deleted one not.
        let metrics = try json(api.respond(to: APIRequest(uri: "/apis/metrics.k8s.io/v1beta1/pods"), at: t))
        let withMetrics = Set(
            (metrics["items"] as? [[String: Any]] ?? []).map { WatchTests.key($0["metadata"] as? [String: Any] ?? [:]) }
        )
        #expect(!withMetrics.contains(gone))
        let createdRunning = try list(api, "/api/v1/pods?fieldSelector=status.phase%3DRunning", at: t).objects.keys
            .filter { !api.cluster.pods.map { $0.namespace + "/" + $0.name }.contains($0) }
        #expect(!createdRunning.isEmpty && createdRunning.allSatisfy(withMetrics.contains))
        // A restart is a MODIFIED with one more restart.
        let restarted = all.first { event in
            let statuses = ((event["object"] as? [String: Any])?["status"] as? [String: Any])?["containerStatuses"]
            return event["type"] as? String == "MODIFIED"
                && ((statuses as? [[String: Any]])?.first?["restartCount"] as? Int ?? 0) > 0
                && !(WatchTests.key(WatchTests.meta(event)).contains("payments-worker"))
        }
        #expect(restarted != nil, "a churn restart shows in restartCount")
    }

    @Test func aWatchWithoutVersionStartsWithEveryObjectAdded() throws {
        let api = WatchTests.makeAPI()
        let t = WatchTests.start + 10_000
        let listed = try list(api, "/api/v1/namespaces/payments/pods", at: t)
        let first = try events(try openWatch(api, "/api/v1/namespaces/payments/pods?watch=true", at: t), at: t)
        #expect(first.events.count == listed.objects.count && !listed.objects.isEmpty)
        #expect(first.events.allSatisfy { $0["type"] as? String == "ADDED" })
        var fromWatch: [String: String] = [:]
        for e in first.events {
            fromWatch[WatchTests.key(WatchTests.meta(e))] = WatchTests.meta(e)["resourceVersion"] as? String
        }
        #expect(fromWatch == listed.objects)
        let zero = try events(try openWatch(api, "/api/v1/nodes?watch=1&resourceVersion=0", at: t), at: t)
        #expect(zero.events.count == api.cluster.nodes.count)
    }

    @Test func sendInitialEventsEndsItsListWithAnAnnotatedBookmark() throws {
        let api = WatchTests.makeAPI()
        let t = WatchTests.start + 10_000
        let uri =
            "/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
        let lines = try events(try openWatch(api, uri, at: t), at: t).events
        #expect(lines.count == api.cluster.nodes.count + 1)
        #expect(lines.dropLast().allSatisfy { $0["type"] as? String == "ADDED" })
        let end = try #require(lines.last)
        #expect(end["type"] as? String == "BOOKMARK")
        let meta = WatchTests.meta(end)
        #expect((meta["annotations"] as? [String: String])?["k8s.io/initial-events-end"] == "true")
        #expect(Int64(meta["resourceVersion"] as? String ?? "") == api.log.current.revision)
    }

    @Test func selectorsNarrowAWatchAsTheyNarrowAList() throws {
        let api = WatchTests.makeAPI()
        let rv = try list(api, "/api/v1/pods", at: WatchTests.start).rv
        let t = WatchTests.start + 60_000
        let ns = try events(
            try openWatch(api, "/api/v1/namespaces/checkout/pods?watch=1&resourceVersion=\(rv)", at: t), at: t)
        #expect(!ns.events.isEmpty)
        #expect(ns.events.allSatisfy { WatchTests.meta($0)["namespace"] as? String == "checkout" })
        let running = try events(
            try openWatch(
                api, "/api/v1/pods?watch=1&fieldSelector=status.phase%3DRunning&resourceVersion=\(rv)", at: t), at: t
        ).events
        // A pod created Pending enters a Running watch as ADDED; one that fails leaves it as DELETED.
        #expect(
            running.allSatisfy {
                $0["type"] as? String == "DELETED"
                    || ((($0["object"] as? [String: Any])?["status"] as? [String: Any])?["phase"] as? String)
                        == "Running"
            })
        #expect(running.contains { $0["type"] as? String == "ADDED" })
        let labelled = try events(
            try openWatch(api, "/api/v1/pods?watch=1&labelSelector=app%3Dfrontend&resourceVersion=\(rv)", at: t), at: t
        ).events
        #expect(!labelled.isEmpty)
        #expect(labelled.allSatisfy { (WatchTests.meta($0)["labels"] as? [String: String])?["app"] == "frontend" })
    }

    @Test func aVersionOlderThanTheHistoryGets410AndTheStreamEnds() throws {
        let api = WatchTests.makeAPI { $0.historyWindow = 10_000 }
        let old = try list(api, "/api/v1/pods", at: WatchTests.start).rv
        let t = WatchTests.start + 60_000
        let stream = try openWatch(api, "/api/v1/pods?watch=1&resourceVersion=\(old)", at: t)
        let (lines, step) = try events(stream, at: t)
        #expect(step == .end && lines.count == 1)
        let error = try #require(lines.first)
        #expect(error["type"] as? String == "ERROR")
        let status = try #require(error["object"] as? [String: Any])
        #expect(status["kind"] as? String == "Status" && status["code"] as? Int == 410)
        #expect(status["reason"] as? String == "Expired" && status["status"] as? String == "Failure")
        let floor = api.log.floor
        #expect(floor > old)
        #expect(status["message"] as? String == "too old resource version: \(old) (\(floor))")
        // From the floor itself the watch is fine.
        let fine = try events(try openWatch(api, "/api/v1/pods?watch=1&resourceVersion=\(floor)", at: t), at: t)
        #expect(
            fine.step == .wait && !fine.events.isEmpty && fine.events.allSatisfy { $0["type"] as? String != "ERROR" })
        // A version from the future is refused like the API server does after waiting for it.
        let future = api.respond(
            to: APIRequest(uri: "/api/v1/pods?watch=1&resourceVersion=\(api.log.current.revision + 1000)"), at: t)
        #expect(future.status == 504 && String(buffer: future.collectBody()).contains("Too large resource version"))
    }

    @Test func aRestartedSimWithAHigherBaseExpiresOldVersions() throws {
        let before = WatchTests.makeAPI()
        let rv = try list(before, "/api/v1/pods", at: WatchTests.start + 20_000).rv
        let after = WatchTests.makeAPI(base: 10_000_000)
        let t = WatchTests.start + 21_000
        let restarted = try list(after, "/api/v1/pods", at: t)
        #expect(restarted.rv > 10_000_000 && restarted.objects.values.allSatisfy { Int64($0)! > 10_000_000 })
        let lines = try events(try openWatch(after, "/api/v1/pods?watch=1&resourceVersion=\(rv)", at: t), at: t)
        #expect(lines.step == .end)
        #expect((lines.events.first?["object"] as? [String: Any])?["code"] as? Int == 410)
    }

    @Test func bookmarksComeEveryIntervalAndWhenTheWatchTimesOut() throws {
        let api = WatchTests.makeAPI(churn: 0) { $0.bookmarkInterval = 1000 }
        let t = WatchTests.start + 1000
        let rv = try list(api, "/api/v1/pods", at: t).rv
        let stream = try openWatch(
            api, "/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=\(rv)", at: t)
        #expect(try events(stream, at: t).events.isEmpty)
        let second = try events(stream, at: t + 1500)
        #expect(second.step == .wait)
        let bookmark = try #require(second.events.last)
        #expect(bookmark["type"] as? String == "BOOKMARK")
        let object = try #require(bookmark["object"] as? [String: Any])
        #expect(Set(object.keys) == ["kind", "apiVersion", "metadata"] && object["kind"] as? String == "Pod")
        let meta = try #require(object["metadata"] as? [String: Any])
        #expect(Set(meta.keys) == ["resourceVersion"])
        #expect(Int64(meta["resourceVersion"] as? String ?? "") == api.log.current.revision)
        let last = try events(stream, at: t + 3100)
        #expect(last.step == .end && last.events.last?["type"] as? String == "BOOKMARK")
        // Without allowWatchBookmarks, none.
        let plain = try openWatch(api, "/api/v1/pods?watch=1&timeoutSeconds=2&resourceVersion=\(rv)", at: t)
        _ = try events(plain, at: t)
        let quiet = try events(plain, at: t + 2500)
        #expect(quiet.step == .end && quiet.events.isEmpty)
    }

    @Test func kubectlsTableWatchGetsRowsWithColumnsOnlyFirst() throws {
        let api = WatchTests.makeAPI()
        let t = WatchTests.start + 30_000
        let stream = try openWatch(api, "/api/v1/pods?watch=1", accept: WatchTests.table, at: t)
        let first = try events(stream, at: t).events
        #expect(first.count == api.log.current.pods.count)
        let head = try #require(first.first?["object"] as? [String: Any])
        #expect(head["kind"] as? String == "Table")
        #expect((head["columnDefinitions"] as? [[String: Any]])?.first?["name"] as? String == "Name")
        #expect(first.dropFirst().allSatisfy { ($0["object"] as? [String: Any])?["columnDefinitions"] is NSNull })
        let later = try events(stream, at: t + 20_000).events
        #expect(!later.isEmpty)
        let row = try #require(((later.first?["object"] as? [String: Any])?["rows"] as? [[String: Any]])?.first)
        let cells = try #require(row["cells"] as? [Any])
        #expect(cells.count == Tables.podColumns.count)
        #expect(((row["object"] as? [String: Any])?["kind"] as? String) == "PartialObjectMetadata")
    }

    @Test func nodesPostStatusAndEventsMove() throws {
        let api = WatchTests.makeAPI(churn: 0) { $0.historyWindow = 10 * 60_000 }
        let rv = try list(api, "/api/v1/nodes", at: WatchTests.start).rv
        let t = WatchTests.start + 6 * 60_000
        let nodes = try events(try openWatch(api, "/api/v1/nodes?watch=1&resourceVersion=\(rv)", at: t), at: t).events
        // Every node posts its status once in five minutes.
        #expect(Set(nodes.map { WatchTests.key(WatchTests.meta($0)) }).count == api.cluster.nodes.count)
        #expect(nodes.allSatisfy { $0["type"] as? String == "MODIFIED" })
        let listed = try list(api, "/api/v1/nodes", at: t)
        for e in nodes.suffix(6) {
            let meta = WatchTests.meta(e)
            let newest = nodes.last { WatchTests.key(WatchTests.meta($0)) == WatchTests.key(meta) }
            #expect(
                listed.objects[WatchTests.key(meta)] == WatchTests.meta(newest ?? [:])["resourceVersion"] as? String)
        }
        let evRV = try list(api, "/api/v1/events", at: t).rv
        let later = t + 60_000
        let moved = try events(
            try openWatch(api, "/api/v1/events?watch=1&resourceVersion=\(evRV)", at: later), at: later)
        #expect(moved.events.contains { ($0["object"] as? [String: Any])?["reason"] as? String == "BackOff" })
        #expect(moved.events.allSatisfy { (($0["object"] as? [String: Any])?["kind"] as? String) == "Event" })
    }

    @Test func churnLeavesEventsThatComeAsTheyHappen() throws {
        let api = WatchTests.makeAPI()
        let first = try list(api, "/api/v1/events", at: WatchTests.start)
        let t = WatchTests.start + 60_000
        let stream = try openWatch(api, "/api/v1/events?watch=1&resourceVersion=\(first.rv)", at: t)
        let all = try events(stream, at: t).events
        func added(_ reason: String, _ type: String) -> Bool {
            all.contains {
                let object = $0["object"] as? [String: Any]
                return $0["type"] as? String == "ADDED" && object?["reason"] as? String == reason
                    && object?["type"] as? String == type
            }
        }
        #expect(added("Scheduled", "Normal") && added("Killing", "Normal"))
        #expect(added("BackOff", "Warning") && added("Failed", "Warning"), "new warnings appear as ADDED")
        // The first list and the watch make the events list of now.
        var fromWatch = first.objects
        for e in all {
            let key = WatchTests.key(WatchTests.meta(e))
            if e["type"] as? String == "DELETED" {
                fromWatch[key] = nil
            } else {
                fromWatch[key] = WatchTests.meta(e)["resourceVersion"] as? String
            }
        }
        #expect(fromWatch == (try list(api, "/api/v1/events", at: t).objects))
    }

    @Test func aContinueTokenReadsTheRevisionOfItsFirstPage() throws {
        let api = WatchTests.makeAPI()
        let t = WatchTests.start + 10_000
        let whole = try list(api, "/api/v1/pods", at: t)
        var page = try json(api.respond(to: APIRequest(uri: "/api/v1/pods?limit=25"), at: t))
        var seen: [String: String] = [:]
        var later = t
        while true {
            #expect((page["metadata"] as? [String: Any])?["resourceVersion"] as? String == String(whole.rv))
            for item in page["items"] as? [[String: Any]] ?? [] {
                let meta = item["metadata"] as? [String: Any] ?? [:]
                seen[WatchTests.key(meta)] = meta["resourceVersion"] as? String
            }
            guard let token = (page["metadata"] as? [String: Any])?["continue"] as? String else { break }
            later += 5000 // churn goes on between pages
            page = try json(api.respond(to: APIRequest(uri: "/api/v1/pods?limit=25&continue=\(token)"), at: later))
        }
        #expect(seen == whole.objects)
        #expect(try list(api, "/api/v1/pods", at: later).objects != whole.objects, "the pods did change meanwhile")
    }

    /// A paged list's state is kept for its `continue` tokens only while its revision is in the history, as
    /// etcd compacts it: a client listing every ten minutes (the soak at a 10-minute refresh) left 16 states,
    /// each with its own copy of the pod records churn had changed, for as long as the sim ran.
    @Test func aContinueTokenExpiresWithTheHistoryAndItsStateIsNotKept() throws {
        let api = WatchTests.makeAPI { $0.historyWindow = 60_000 }
        var t = WatchTests.start + 10_000
        var tokens: [String] = []
        for _ in 0..<5 {
            let page = try json(api.respond(to: APIRequest(uri: "/api/v1/pods?limit=25"), at: t))
            tokens.append(try #require((page["metadata"] as? [String: Any])?["continue"] as? String))
            #expect(api.logFigures.pinnedLists == 1, "lists older than the history are not kept")
            t += 2 * 60_000
        }
        // Churn changed pods all along: a kept state would hold its own records of them.
        #expect(api.logFigures.podRecords > 0)
        #expect(api.logFigures.pinnedLists == 1)
        // The newest list goes on; an older one gets 410 and must start again, as from a real API server.
        let newest = api.respond(to: APIRequest(uri: "/api/v1/pods?limit=25&continue=\(tokens.last!)"), at: t - 120_000)
        #expect(newest.status == 200)
        let old = api.respond(to: APIRequest(uri: "/api/v1/pods?limit=25&continue=\(tokens[tokens.count - 2])"), at: t)
        #expect(old.status == 410 && String(buffer: old.collectBody()).contains("continue parameter is too old"))
    }
}
