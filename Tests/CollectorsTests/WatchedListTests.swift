import Foundation
import KubeAPI
import TestSupport
import Testing

@testable import Collectors
@testable import KubeClient

@Suite struct WatchedListTests {
    /// Quick retries, and a silence given up after about a second.
    static let quick = WatchTiming(
        timeoutSeconds: 1, idleMargin: .milliseconds(100), firstRetry: .milliseconds(5), mostRetry: .milliseconds(40))

    func podList(_ cluster: ScriptedCluster, pageSize: Int = 3, timing: WatchTiming = quick) -> WatchedList<PodObject> {
        let lists = ListReader(transport: cluster, pageSize: pageSize)
        return WatchedList(
            resource: "pods", path: "/api/v1/pods", transport: cluster, timing: timing,
            list: {
                try await lists.pages(
                    path: "/api/v1/pods", resource: "pods",
                    decode: { (body, items) throws(KubeDecodeError) in try KubeDecode.podList(body, appendingTo: &items)
                    })
            },
            decode: { (line) throws(KubeDecodeError) in try KubeDecode.podEvent(line) })
    }

    /// namespace/name → restarts of every pod held, and whether any was held twice.
    static func held(_ snapshot: WatchedList<PodObject>.Snapshot) -> (pods: [String: Int], twice: Bool) {
        var pods: [String: Int] = [:]
        var twice = false
        for pod in snapshot.pages.joined() {
            let old = pods.updateValue(
                pod.containerStatuses.first?.restartCount ?? -1, forKey: "\(pod.namespace)/\(pod.name)")
            if old != nil { twice = true }
        }
        return (pods, twice)
    }

    /// Waits (with a deadline) until the list holds what the cluster has; returns the last snapshot.
    @discardableResult
    func caughtUp(_ list: WatchedList<PodObject>, _ cluster: ScriptedCluster, within seconds: Double = 60)
        async throws -> WatchedList<PodObject>.Snapshot
    {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let snapshot = try await list.current()
            let (pods, twice) = Self.held(snapshot)
            if pods == cluster.truth && !twice { return snapshot }
            if ContinuousClock.now > deadline {
                Issue.record(
                    "not caught up: held \(pods.count) pods (twice: \(twice)), the cluster has \(cluster.truth.count); trouble \(snapshot.trouble ?? "none")"
                )
                return snapshot
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func until(_ what: String, within seconds: Double = 60, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while try await !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting for \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func cluster(pods: Int) -> ScriptedCluster {
        let cluster = ScriptedCluster()
        for i in 0..<pods { cluster.add("ns\(i % 3)", "p\(i)") }
        return cluster
    }

    @Test func listsOnceThenAppliesAddedModifiedAndDeleted() async throws {
        let cluster = Self.cluster(pods: 10)
        let list = podList(cluster)
        defer { list.stop() }
        let first = try await list.current()
        #expect(Self.held(first).pods == cluster.truth && Self.held(first).pods.count == 10)
        #expect(cluster.listCount == 1)
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        #expect(
            cluster.watchPaths.first?.contains("watch=1&allowWatchBookmarks=true&resourceVersion=110&timeoutSeconds=")
                == true)
        cluster.add("ns0", "new")
        cluster.restart("ns0/new") // first seen through ADDED, then MODIFIED
        cluster.restart("ns1/p1")
        cluster.delete("ns2/p2")
        let after = try await caughtUp(list, cluster)
        #expect(Self.held(after).pods["ns0/new"] == 1 && Self.held(after).pods["ns1/p1"] == 1)
        #expect(Self.held(after).pods["ns2/p2"] == nil && Self.held(after).pods.count == 10)
        #expect(after.trouble == nil)
        #expect(cluster.listCount == 1, "listed once, then only watched")
        #expect(await list.resourceVersion == "114")
    }

    @Test func aDeleteOfAnUnknownPodAndARepeatedAddChangeNothingTwice() async throws {
        let cluster = Self.cluster(pods: 4)
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.sendRaw(
            ScriptedCluster.line("DELETED", ScriptedCluster.podJSON("ns9", "ghost", restarts: 0, version: 120)))
        cluster.sendRaw(ScriptedCluster.line("ADDED", ScriptedCluster.podJSON("ns1", "p1", restarts: 0, version: 121)))
        cluster.restart("ns0/p0") // a version past both, so that catching up means both were read
        let snapshot = try await caughtUp(list, cluster)
        #expect(Self.held(snapshot).pods.count == 4)
    }

    @Test func aBookmarkMovesTheVersionAResumedWatchStartsFrom() async throws {
        let cluster = Self.cluster(pods: 2)
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.bookmark()
        try await until("the bookmark to be read") { await list.resourceVersion == "103" }
        cluster.close()
        try await until("a second watch") { cluster.watchPaths.count == 2 }
        #expect(cluster.watchPaths[1].contains("resourceVersion=103&"))
        #expect(cluster.listCount == 1)
    }

    @Test func aCutWatchSaysSoAndResumesFromTheLastVersionWithoutListing() async throws {
        let cluster = Self.cluster(pods: 5)
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.restart("ns0/p0")
        try await caughtUp(list, cluster)
        cluster.watchFailure = KubeClientError(
            .connection, "cannot connect to https://cluster.test:6443: connection refused")
        cluster.cut()
        // Changes while no watch is open: the resumed watch must bring them.
        cluster.add("ns1", "while-cut")
        cluster.delete("ns1/p1")
        try await until("the status to say the watch is down, and why") {
            let trouble = try await list.current().trouble
            return trouble?.hasPrefix("pods: watch cut (") == true && trouble?.contains("connection refused") == true
        }
        let attempts = cluster.watchPaths.count
        try await until("a few attempts, backing off") { cluster.watchPaths.count >= attempts + 2 }
        cluster.watchFailure = nil
        let snapshot = try await caughtUp(list, cluster)
        try await until("the status to clear") { try await list.current().trouble == nil }
        #expect(Self.held(snapshot).pods["ns1/while-cut"] == 0)
        #expect(cluster.listCount == 1, "resumed, not listed again")
        #expect(cluster.watchPaths.dropFirst().allSatisfy { $0.contains("resourceVersion=106&") })
    }

    @Test func anExpiredVersionAsAnErrorEventBringsANewList() async throws {
        try await expiredVersionBringsANewList(withAnEvent: true)
    }

    @Test func anExpiredVersionAsHTTP410BringsANewList() async throws {
        try await expiredVersionBringsANewList(withAnEvent: false)
    }

    func expiredVersionBringsANewList(withAnEvent: Bool) async throws {
        let cluster = Self.cluster(pods: 7)
        cluster.expiresWithAnEvent = withAnEvent
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.watchFailure = KubeClientError(.connection, "connection refused")
        cluster.cut()
        cluster.delete("ns0/p0")
        cluster.add("ns0", "later")
        cluster.compact()
        cluster.listStatus = 500 // the new list fails at first: the status says so, the old pods stay
        cluster.watchFailure = nil
        try await until("the status to say it re-lists") {
            try await list.current().trouble?.hasPrefix("pods: re-listing after 410") == true
        }
        try await until("the re-list to fail") {
            try await list.current().trouble?.contains("re-listing after 410 failed") == true
        }
        #expect(try await list.current().trouble?.contains("HTTP 500") == true)
        #expect(Self.held(try await list.current()).pods.count == 7, "the last pods stay while the list fails")
        cluster.listStatus = nil
        let snapshot = try await caughtUp(list, cluster)
        #expect(Self.held(snapshot).pods["ns0/p0"] == nil && Self.held(snapshot).pods["ns0/later"] == 0)
        #expect(cluster.listCount == 2)
        try await until("the watch to open again") { cluster.openWatchCount == 1 }
        try await until("the status to clear") { try await list.current().trouble == nil }
        cluster.restart("ns0/later")
        try await caughtUp(list, cluster)
    }

    @Test(arguments: [false, true]) func aServerBehindTheVersionBringsANewListAtOnce(asAnEvent: Bool) async throws {
        // A restarted API server (or a lagging watch cache) answers 504 "Too large resource version"; client-go
        // lists again from the server's own latest, rather than asking again for a version it may reach late.
        let cluster = Self.cluster(pods: 5)
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.behindOnce(asAnEvent: asAnEvent)
        cluster.add("ns0", "after-restart")
        cluster.close()
        let snapshot = try await caughtUp(list, cluster)
        #expect(Self.held(snapshot).pods["ns0/after-restart"] == 0)
        #expect(cluster.listCount == 2, "listed again, once")
        try await until("the watch to open again") { cluster.openWatchCount == 1 }
        try await until("the status to clear") { try await list.current().trouble == nil }
    }

    @Test func aForbiddenWatchFallsBackToListingEveryPollAndSaysWhatRBACNeeds() async throws {
        let cluster = Self.cluster(pods: 3)
        cluster.watchStatus = 403
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the fallback") { try await list.current().trouble != nil }
        let trouble = try #require(try await list.current().trouble)
        #expect(
            trouble.hasPrefix(
                "pods: not allowed to watch pods on https://cluster.test:6443 (403 Forbidden: scripted 403)"))
        #expect(trouble.contains("RBAC must grant list and watch on nodes, pods and events"))
        #expect(trouble.hasSuffix("listing pods every poll instead"))
        let lists = cluster.listCount
        cluster.add("ns0", "seen-by-a-list")
        let snapshot = try await list.current()
        #expect(cluster.listCount == lists + 1, "every poll lists")
        #expect(Self.held(snapshot).pods == cluster.truth)
        #expect(cluster.watchPaths.count == 1, "no more watches asked for")
    }

    @Test func aServerThatCannotWatchFallsBackToo() async throws {
        let cluster = Self.cluster(pods: 1)
        cluster.watchStatus = 405
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the fallback") { try await list.current().trouble != nil }
        #expect(try await list.current().trouble?.contains("HTTP 405") == true)
    }

    @Test func aSilentWatchIsGivenUpAndResumed() async throws {
        let cluster = Self.cluster(pods: 2)
        cluster.silent = true
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the silence to be given up") {
            try await list.current().trouble?.contains("sent nothing on the watch") == true
        }
        #expect(
            cluster.watchPaths[0].contains("timeoutSeconds=1") || cluster.watchPaths[0].contains("timeoutSeconds=2"))
        cluster.silent = false
        cluster.add("ns0", "after-silence")
        try await caughtUp(list, cluster)
        #expect(cluster.listCount == 1)
    }

    @Test func aMalformedEventIsACutNotACrash() async throws {
        let cluster = Self.cluster(pods: 2)
        // A slow retry, so that the status is there to be seen before the watch is back.
        let timing = WatchTiming(
            timeoutSeconds: 1, idleMargin: .milliseconds(100), firstRetry: .milliseconds(600),
            mostRetry: .milliseconds(600))
        let list = podList(cluster, timing: timing)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.sendRaw(#"{"type":"ADDED","object":{"metadata":{"name":"#)
        try await until("the status to say why") {
            try await list.current().trouble?.contains("an event that is not valid pods JSON") == true
        }
        cluster.add("ns0", "afterwards")
        try await caughtUp(list, cluster)
    }

    /// Whatever happens (changes, cuts, closes, 410s, compactions, failing lists), once things settle the
    /// list holds exactly the pods the server has: none lost, none twice, none stale.
    @Test(arguments: [1, 2, 3, 4])
    func afterAnyMixOfEventsCutsAnd410sTheListEqualsTheServer(seed: UInt64) async throws {
        var random = SplitMix64(state: seed)
        let cluster = Self.cluster(pods: 20)
        let list = podList(cluster, pageSize: 4)
        defer { list.stop() }
        _ = try await list.current()
        var added = 0
        var relists = 0
        for round in 0..<40 {
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                let keys = cluster.truth.keys.sorted()
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<3:
                    added += 1
                    cluster.add("ns\(added % 3)", "a\(round)-\(added)")
                case 3..<6 where !keys.isEmpty: cluster.restart(keys.randomElement(using: &random)!)
                case 6..<8 where !keys.isEmpty: cluster.delete(keys.randomElement(using: &random)!)
                default: cluster.bookmark()
                }
            }
            switch Int.random(in: 0..<8, using: &random) {
            case 0: cluster.cut()
            case 1: cluster.close()
            case 2:
                cluster.expireOpenWatches()
            case 3:
                // Cut, changed while away, and the history compacted: the resumed watch gets 410.
                cluster.watchFailure = KubeClientError(.connection, "connection refused")
                cluster.cut()
                cluster.add("ns0", "away-\(round)")
                cluster.compact()
                cluster.watchFailure = nil
                relists += 1
            default: break
            }
            if round % 5 == 4 { try await caughtUp(list, cluster) }
        }
        let final = try await caughtUp(list, cluster)
        #expect(Self.held(final).pods == cluster.truth && !Self.held(final).twice)
        #expect(relists == 0 || cluster.listCount >= 2, "410s were met with new lists")
        #expect(added > 10)
    }
}

extension WatchedListTests {
    /// A server that ignores `watch=1` answers with the list itself: that is no event, and no reason to
    /// ask again and again.
    @Test func aServerThatAnswersAWatchWithAListFallsBackToListing() async throws {
        let cluster = Self.cluster(pods: 3)
        let list = podList(cluster)
        defer { list.stop() }
        _ = try await list.current()
        try await until("the watch to open") { cluster.openWatchCount == 1 }
        cluster.sendRaw(#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"103"},"items":[]}"#)
        try await until("the fallback") { try await list.current().trouble?.hasSuffix("every poll instead") == true }
        #expect(
            try await list.current().trouble
                == "pods: the watch of pods on https://cluster.test:6443 was answered with a PodList; listing pods every poll instead"
        )
    }
}
