import KubeAPI
import KubeglassCore
import Store
import Testing

@testable import Collectors
@testable import KubeClient

@Suite struct KubernetesSourceTests {
    static let t0: Timestamp = 1_795_312_800_000

    func value(_ batch: SampleBatch, _ name: String, _ labels: [String: String]) -> Double? {
        batch.series.first { series in series.labels.name == name && labels.allSatisfy { k, v in series.labels[k] == v }
        }?.value
    }

    @Test func metricsSourceWritesTheDemoSeries() async throws {
        let api = ScriptedAPI(Fixture.standardRoutes())
        let source = KubernetesSource(transport: api, contextName: "test")
        let batch = try await source.poll(at: Self.t0)
        #expect(batch.warnings.isEmpty)
        #expect(value(batch, SeriesNames.nodeCPUUsage, ["node": "node-a"]) == 1.96)
        #expect(value(batch, SeriesNames.nodeCPUAllocatable, ["node": "node-a"]) == 3.92)
        #expect(value(batch, SeriesNames.nodeMemoryWorkingSet, ["node": "node-a"]) == 7_621_128.0 * 1024)
        #expect(value(batch, SeriesNames.nodeCPUUsageRatio, ["node": "node-a"]) == 0.5)
        #expect(value(batch, SeriesNames.nodePods, ["node": "node-a"]) == 1) // the Succeeded job does not count
        #expect(
            value(
                batch, SeriesNames.nodeInfo,
                ["node": "node-b", "status": "Ready,MemoryPressure,SchedulingDisabled", "ready": "true"]) == 1)
        #expect(
            value(
                batch, SeriesNames.nodeInfo,
                ["node": "node-a", "zone": "z1", "instance_type": "m5.large", "internal_ip": "10.0.0.1"]) == 1)
        #expect(value(batch, SeriesNames.podCPUUsage, ["namespace": "shop", "pod": "web-1", "node": "node-a"]) == 0.51)
        #expect(value(batch, SeriesNames.podCPURequests, ["pod": "web-1"]) == 0.3)
        #expect(value(batch, SeriesNames.podCPULimits, ["pod": "web-1"]) == 1)
        #expect(value(batch, SeriesNames.podMemoryRequests, ["pod": "web-1"]) == 320.0 * 1_048_576)
        #expect(value(batch, SeriesNames.podCPURequestRatio, ["pod": "web-1"]) == 0.51 / 0.3)
        // One container has no CPU limit: usage ÷ limits would mislead, so there is none.
        #expect(value(batch, SeriesNames.podCPULimitRatio, ["pod": "web-1"]) == nil)
        #expect(value(batch, SeriesNames.podRestarts, ["pod": "web-1"]) == 3)
        #expect(value(batch, SeriesNames.containerCPUUsage, ["pod": "web-1", "container": "app"]) == 0.5)
        #expect(
            value(batch, SeriesNames.containerMemoryLimits, ["pod": "web-1", "container": "app"]) == 512.0 * 1_048_576)
        #expect(
            value(batch, SeriesNames.podInfo, ["pod": "crash", "status": "CrashLoopBackOff", "phase": "Running"]) == 1)
        #expect(value(batch, SeriesNames.podInfo, ["pod": "job-x", "status": "Completed", "phase": "Succeeded"]) == 1)
        #expect(
            value(batch, SeriesNames.podInfo, ["pod": "web-1", "owner_kind": "ReplicaSet", "owner_name": "web-7d9"])
                == 1)
        #expect(value(batch, SeriesNames.podCPURequests, ["pod": "job-x"]) == nil)
        #expect(value(batch, SeriesNames.namespacePods, ["namespace": "shop"]) == 2)
        #expect(value(batch, SeriesNames.namespaceCPURequests, ["namespace": "shop"]) == 0.4)
        #expect(value(batch, SeriesNames.namespaceCPUUsage, ["namespace": "shop"]) == 0.51)
        #expect(
            value(batch, SeriesNames.namespaceCPULimits, ["namespace": "shop"]) == 1, "web-1's app; crash has no limit")
        #expect(value(batch, SeriesNames.namespaceMemoryLimits, ["namespace": "shop"]) == 512.0 * 1_048_576)
        #expect(
            value(batch, SeriesNames.namespaceCPULimits, ["namespace": "batch"]) == nil, "no pod of batch has a limit")
        #expect(value(batch, SeriesNames.namespacePods, ["namespace": "batch"]) == 0, "a finished pod holds nothing")
        #expect(value(batch, SeriesNames.namespacePodsByStatus, ["namespace": "shop", "status": "Running"]) == 1)
        #expect(
            value(batch, SeriesNames.namespacePodsByStatus, ["namespace": "shop", "status": "CrashLoopBackOff"]) == 1)
        #expect(
            value(batch, SeriesNames.namespacePodsByStatus, ["namespace": "batch", "status": "Completed"]) == 1,
            "finished pods count too")
        #expect(batch.series.filter { $0.labels.name == SeriesNames.namespacePodsByStatus }.count == 3)
        #expect(await source.warningEvents.map(\.reason) == ["BackOff"])
        let events = await source.events()
        #expect(events.map(\.reason) == ["BackOff"] && events.allSatisfy(\.isWarning) && events[0].objectKind == "Pod")
        #expect(!events[0].objectName.isEmpty && events[0].time > 0)
        #expect(api.paths.contains("/api/v1/pods?limit=5000"))
        #expect(api.paths.contains("/api/v1/events?fieldSelector=type%3DWarning"))
    }

    @Test func aNamespaceScopesPodsEventsAndPodMetrics() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/namespaces/shop/pods"] = routes["/api/v1/pods"]
        routes["/api/v1/namespaces/shop/events"] = routes["/api/v1/events"]
        routes["/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods"] = routes["/apis/metrics.k8s.io/v1beta1/pods"]
        let api = ScriptedAPI(routes)
        let source = KubernetesSource(transport: api, contextName: "test", options: .init(namespace: "shop"))
        _ = try await source.poll(at: Self.t0)
        #expect(
            Set(api.paths.map { String($0.split(separator: "?")[0]) }) == [
                "/api/v1/nodes", "/api/v1/namespaces/shop/pods", "/api/v1/namespaces/shop/events",
                "/apis/metrics.k8s.io/v1beta1/nodes", "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods",
            ])
    }

    @Test func listsArePagedUntilTheContinueTokenEnds() async throws {
        var routes = Fixture.standardRoutes()
        let page1 =
            #"{"kind":"NodeList","metadata":{"continue":"tok/1="},"items":[{"metadata":{"name":"n1"},"status":{}}]}"#
        let page2 = #"{"kind":"NodeList","metadata":{"continue":""},"items":[{"metadata":{"name":"n2"},"status":{}}]}"#
        routes["/api/v1/nodes?limit=1"] = .init(status: 200, body: page1)
        routes["/api/v1/nodes?limit=1&continue=tok%2F1%3D"] = .init(status: 200, body: page2)
        routes["/api/v1/pods?limit=1"] = .init(status: 200, body: #"{"kind":"PodList","metadata":{},"items":[]}"#)
        let api = ScriptedAPI(routes)
        let source = KubernetesSource(transport: api, contextName: "test", options: .init(pageSize: 1))
        let batch = try await source.poll(at: Self.t0)
        #expect(value(batch, SeriesNames.nodeInfo, ["node": "n1"]) == 1)
        #expect(value(batch, SeriesNames.nodeInfo, ["node": "n2"]) == 1)
    }

    @Test func pagesDecodedAtOnceComeBackInOrderWhereverTheTokenIs() async throws {
        var routes = Fixture.standardRoutes()
        // Seven pages of pods; the third writes its metadata (and token) after its items, so it must be
        // decoded before the fourth is asked for. A missing page would fail the poll: no route.
        for p in 0..<7 {
            let items = (0..<3).map { i in
                #"{"metadata":{"name":"p\#(p * 3 + i)","namespace":"ns"},"spec":{"nodeName":"node-a","containers":[{"name":"c"}]},"status":{"phase":"Running"}}"#
            }
            let meta = p == 6 ? #""metadata":{}"# : #""metadata":{"continue":"t\#(p + 1)"}"#
            let body =
                p == 2
                ? #"{"kind":"PodList","items":[\#(items.joined(separator: ","))],\#(meta)}"#
                : #"{"kind":"PodList",\#(meta),"items":[\#(items.joined(separator: ","))]}"#
            routes[p == 0 ? "/api/v1/pods?limit=3" : "/api/v1/pods?limit=3&continue=t\(p)"] = .init(
                status: 200, body: body)
        }
        let api = ScriptedAPI(routes)
        let source = KubernetesSource(transport: api, contextName: "test", options: .init(pageSize: 3))
        let pages = try await source.lists.pages(
            path: "/api/v1/pods", resource: "pods",
            decode: { (body, items) throws(KubeDecodeError) in try KubeDecode.podList(body, appendingTo: &items) }
        ).pages
        #expect(pages.map { $0.map(\.name) } == (0..<7).map { p in (0..<3).map { "p\(p * 3 + $0)" } })
        let batch = try await source.poll(at: Self.t0)
        let info = batch.series.filter { $0.labels.name == SeriesNames.podInfo }.compactMap { $0.labels["pod"] }
        #expect(info == (0..<21).map { "p\($0)" }, "pods' series in the order the pages listed them")
    }

    /// After the first poll, nodes, pods and events come from their watches: a second poll asks only for
    /// metrics, and what the watches brought is in its series.
    @Test func afterTheFirstPollOnlyMetricsAreAskedForAndWatchesBringTheChanges() async throws {
        let api = ScriptedAPI(Fixture.standardRoutes())
        let source = KubernetesSource(transport: api, contextName: "test")
        _ = try await source.poll(at: Self.t0)
        let deadline = ContinuousClock.now + .seconds(60)
        while Set(api.watchPaths.map { String($0.split(separator: "?")[0]) }).count < 3 {
            try #require(ContinuousClock.now < deadline, "three watches: \(api.watchPaths)")
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(
            api.watchPaths.contains {
                $0.hasPrefix("/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=100&")
            })
        #expect(api.watchPaths.contains { $0.hasPrefix("/api/v1/events?fieldSelector=type%3DWarning&watch=1&") })
        let listedFirst = api.paths.count
        let newPod =
            #"{"metadata":{"name":"late","namespace":"shop","resourceVersion":"101"},"spec":{"nodeName":"node-b","containers":[{"name":"c"}]},"status":{"phase":"Running"}}"#
        let crash =
            #"{"metadata":{"name":"crash","namespace":"shop","resourceVersion":"102"},"spec":{"nodeName":"node-b","containers":[]},"status":{}}"#
        #expect(api.send(#"{"type":"ADDED","object":\#(newPod)}"#, to: "/api/v1/pods") == 1)
        #expect(api.send(#"{"type":"DELETED","object":\#(crash)}"#, to: "/api/v1/pods") == 1)
        #expect(
            api.send(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"103"}}}"#, to: "/api/v1/pods") == 1)
        while await source.podList.resourceVersion != "103" {
            try #require(ContinuousClock.now < deadline)
            try await Task.sleep(for: .milliseconds(5))
        }
        let batch = try await source.poll(at: Self.t0 + 10_000)
        #expect(batch.warnings.isEmpty)
        #expect(value(batch, SeriesNames.podInfo, ["pod": "late", "node": "node-b"]) == 1)
        #expect(value(batch, SeriesNames.podInfo, ["pod": "crash"]) == nil)
        #expect(value(batch, SeriesNames.podInfo, ["pod": "web-1"]) == 1)
        #expect(value(batch, SeriesNames.nodeCPUUsage, ["node": "node-a"]) == 1.96)
        let second = api.paths.dropFirst(listedFirst).map { String($0.split(separator: "?")[0]) }
        #expect(second.sorted() == ["/apis/metrics.k8s.io/v1beta1/nodes", "/apis/metrics.k8s.io/v1beta1/pods"])
    }

    @Test func aForbiddenWatchIsInTheWarningsAndThePodsAreListedEveryPoll() async throws {
        final class NoWatch: KubeTransport, @unchecked Sendable {
            let api = ScriptedAPI(Fixture.standardRoutes())
            var server: String { api.server }
            var isInsecure: Bool { false }
            func get(_ path: String) async throws(KubeClientError) -> KubeResponse { try await api.get(path) }
            func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse {
                KubeWatchResponse(
                    refused: 403,
                    body: Array(
                        #"{"kind":"Status","status":"Failure","message":"pods is forbidden: User \"jane\" cannot watch resource \"pods\"","reason":"Forbidden","code":403}"#
                            .utf8))
            }
        }
        let transport = NoWatch()
        let source = KubernetesSource(transport: transport, contextName: "test")
        _ = try await source.poll(at: Self.t0)
        var batch = try await source.poll(at: Self.t0 + 10_000)
        let deadline = ContinuousClock.now + .seconds(60)
        while batch.warnings.count < 3 {
            try #require(ContinuousClock.now < deadline, "\(batch.warnings)")
            try await Task.sleep(for: .milliseconds(5))
            batch = try await source.poll(at: Self.t0 + 10_000)
        }
        #expect(
            batch.warnings.contains {
                $0.hasPrefix("pods: not allowed to watch pods on https://scripted.test:6443 (403 Forbidden")
            })
        #expect(batch.warnings.allSatisfy { $0.contains("RBAC must grant list and watch on nodes, pods and events") })
        #expect(batch.warnings.allSatisfy { $0.hasSuffix("every poll instead") })
        let before = transport.api.paths.filter { $0.hasPrefix("/api/v1/pods") }.count
        _ = try await source.poll(at: Self.t0 + 20_000)
        #expect(transport.api.paths.filter { $0.hasPrefix("/api/v1/pods") }.count == before + 1)
        #expect(value(batch, SeriesNames.podInfo, ["pod": "web-1"]) == 1)
    }

    @Test func withoutTheMetricsAPIRequestsAndAllocatableStillShow() async throws {
        var routes = Fixture.standardRoutes()
        routes["/apis/metrics.k8s.io/v1beta1/nodes"] = nil
        routes["/apis/metrics.k8s.io/v1beta1/pods"] = .init(
            status: 503, body: #"{"kind":"Status","status":"Failure","message":"service unavailable","code":503}"#)
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        let batch = try await source.poll(at: Self.t0)
        #expect(batch.warnings.count == 1)
        #expect(batch.warnings.first?.hasPrefix("metrics API not available (is metrics-server installed?)") == true)
        #expect(batch.warnings.first?.contains("--source summary reads usage from the kubelets") == true)
        #expect(batch.warnings.first?.contains("--source local, on a Linux node") == true)
        #expect(value(batch, SeriesNames.nodeCPUAllocatable, ["node": "node-a"]) == 3.92)
        #expect(value(batch, SeriesNames.podCPURequests, ["pod": "web-1"]) == 0.3)
        #expect(value(batch, SeriesNames.nodeCPUUsage, ["node": "node-a"]) == nil)
    }

    @Test func aForbiddenListSaysWhichResourceAndWhatRBACNeeds() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/pods"] = .init(
            status: 403,
            body:
                #"{"kind":"Status","status":"Failure","message":"pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","code":403}"#
        )
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        let error = await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(error?.kind == .forbidden)
        #expect(error?.description.contains("not allowed to list pods") == true)
        #expect(error?.description.contains("RBAC must grant list and watch on nodes, pods and events") == true)
        #expect(error?.description.contains("User \"jane\" cannot list") == true)
    }

    @Test func unauthorizedSaysTheCredentialsWereRefused() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/nodes"] = .init(
            status: 401,
            body: #"{"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        let error = await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.description.contains("refused our credentials when listing nodes (401 Unauthorized") == true)
    }

    @Test func truncatedJSONFailsThePollWithAClearError() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/pods"] = .init(status: 200, body: String(Fixture.pods.prefix(300)))
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        let error = await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(error?.kind == .malformed)
        #expect(error?.description.contains("GET /api/v1/pods") == true)
    }

    @Test func transportErrorsPassThroughInWords() async throws {
        let api = ScriptedAPI(Fixture.standardRoutes())
        api.failure = KubeClientError(.connection, "cannot connect to https://scripted.test:6443: connection refused")
        let source = KubernetesSource(transport: api, contextName: "test")
        let error = await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(
            error?.description.hasPrefix("cannot connect to https://scripted.test:6443: connection refused") == true)
    }

    @Test func summaryGivesNetworkRatesFromCountersAndFilesystem() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/nodes/node-a/proxy/stats/summary"] = .init(
            status: 200, body: Fixture.summary(node: "node-a", rx: 1_000_000, pods: [("shop", "web-1", 5000)]))
        routes["/api/v1/nodes/node-b/proxy/stats/summary"] = .init(
            status: 200, body: Fixture.summary(node: "node-b", rx: 0, pods: []))
        let api = ScriptedAPI(routes)
        let source = KubernetesSource(transport: api, usage: .summary, contextName: "test")
        let first = try await source.poll(at: Self.t0)
        #expect(value(first, SeriesNames.nodeCPUUsage, ["node": "node-a"]) == 1.5)
        #expect(value(first, SeriesNames.nodeMemoryUsage, ["node": "node-a"]) == 3_221_225_472)
        #expect(value(first, SeriesNames.nodeFilesystemUsage, ["node": "node-a"]) == 10_737_418_240)
        #expect(value(first, SeriesNames.nodeNetworkReceive, ["node": "node-a"]) == nil) // one reading is no rate
        api.set(
            "/api/v1/nodes/node-a/proxy/stats/summary",
            .init(
                status: 200,
                body: Fixture.summary(
                    node: "node-a", rx: 1_100_000, pods: [("shop", "web-1", 15_000)], time: "2026-11-22T06:00:10Z")))
        let second = try await source.poll(at: Self.t0 + 10_000)
        #expect(value(second, SeriesNames.nodeNetworkReceive, ["node": "node-a"]) == 10_000)
        #expect(value(second, SeriesNames.nodeNetworkTransmit, ["node": "node-a"]) == 2_500)
        #expect(value(second, SeriesNames.podNetworkReceive, ["pod": "web-1"]) == 1_000)
        #expect(value(second, SeriesNames.podCPUUsage, ["pod": "web-1"]) == 0.25)
        #expect(!api.paths.contains { $0.hasPrefix("/apis/metrics.k8s.io") })
    }

    @Test func aSlowKubeletDoesNotHoldUpTheOthers() async throws {
        // node-b would answer after two minutes: that the poll comes back at all, with node-a's data
        // and a timeout for node-b, shows it did not wait. (No tight wall-clock bound: a busy test
        // process can resume tasks late.)
        var routes = Fixture.standardRoutes()
        routes["/api/v1/nodes/node-a/proxy/stats/summary"] = .init(
            status: 200, body: Fixture.summary(node: "node-a", rx: 1, pods: []))
        routes["/api/v1/nodes/node-b/proxy/stats/summary"] = .init(
            status: 200, body: Fixture.summary(node: "node-b", rx: 1, pods: []), delay: 120_000)
        let source = KubernetesSource(
            transport: ScriptedAPI(routes), usage: .summary, contextName: "test",
            options: .init(summaryTimeout: 300))
        let started = ContinuousClock.now
        let batch = try await source.poll(at: Self.t0)
        #expect(ContinuousClock.now - started < .seconds(100))
        #expect(value(batch, SeriesNames.nodeCPUUsage, ["node": "node-a"]) == 1.5)
        #expect(value(batch, SeriesNames.nodeCPUUsage, ["node": "node-b"]) == nil)
        #expect(batch.warnings.count == 1)
        #expect(
            batch.warnings.first?.contains("node node-b: the kubelet on node-b did not answer within 300ms") == true)
    }

    /// `count` pods in namespace `ns`, pod i waiting with reason `reasons[i % reasons.count]` (nil: running).
    static func podList(_ count: Int, namespace ns: String = "big", reasons: [String?] = [nil]) -> String {
        let items = (0..<count).map { i in
            let state = reasons[i % reasons.count].map { #"{"waiting":{"reason":"\#($0)"}}"# } ?? #"{"running":{}}"#
            return
                #"{"metadata":{"name":"p\#(i)","namespace":"\#(ns)","uid":"u\#(i)"},"spec":{"nodeName":"node-a","containers":[{"name":"c","resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m"}}}]},"status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":\#(state)}]}}"#
        }
        return #"{"kind":"PodList","apiVersion":"v1","metadata":{},"items":["# + items.joined(separator: ",") + "]}"
    }

    /// More statuses in a namespace than the room kept for them before the pods' series: they still come
    /// first, and nothing is lost.
    @Test func manyStatusesStillComeBeforeThePods() async throws {
        var routes = Fixture.standardRoutes()
        let reasons = (0..<40).map { "Reason\($0)" }
        routes["/api/v1/pods"] = .init(status: 200, body: Self.podList(80, reasons: reasons))
        routes["/apis/metrics.k8s.io/v1beta1/pods"] = .init(status: 200, body: #"{"kind":"PodMetricsList","items":[]}"#)
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        for poll in 0..<2 {
            let batch = try await source.poll(at: Self.t0 + Int64(poll) * 10_000)
            let names = batch.series.map { $0.labels.name ?? "" }
            let lastNamespace = names.lastIndex { $0.hasPrefix("kubeglass_namespace_") }!
            let firstPod = names.firstIndex { $0.hasPrefix("kubeglass_pod_") || $0.hasPrefix("kubeglass_container_") }!
            #expect(lastNamespace < firstPod)
            for r in reasons {
                #expect(value(batch, SeriesNames.namespacePodsByStatus, ["namespace": "big", "status": r]) == 2)
            }
            #expect(names.filter { $0 == SeriesNames.podInfo }.count == 80)
            #expect(names.filter { $0 == SeriesNames.podCPURequests }.count == 80)
            #expect(names.filter { $0 == SeriesNames.containerCPULimits }.count == 80)
            #expect(abs(value(batch, SeriesNames.namespaceCPULimits, ["namespace": "big"])! - 80 * 0.2) < 1e-9)
            #expect(Set(batch.series.map(\.labels)).count == batch.series.count, "no series twice")
        }
    }

    /// A store too small for every pod keeps the namespaces' series, so pod counts and sums over them
    /// stay whole while the pods' own series are cut short.
    @Test func aFullStoreKeepsTheNamespaceTotals() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/pods"] = .init(status: 200, body: Self.podList(600, reasons: [nil, nil, "ImagePullBackOff"]))
        routes["/apis/metrics.k8s.io/v1beta1/pods"] = .init(status: 200, body: #"{"kind":"PodMetricsList","items":[]}"#)
        let store = SeriesStore(.init(retention: 60_000, interval: 10_000, maxSeries: 1000))
        let source = KubernetesSource(transport: ScriptedAPI(routes), contextName: "test")
        let poller = Poller(source: source, store: store, interval: 10_000, clock: ManualClock(Self.t0))
        let health = await poller.pollOnce()
        #expect(health.warnings.contains { $0.hasPrefix("store full:") })
        func total(_ name: String, _ matchers: [LabelMatcher] = []) -> Double {
            store.select([.equal("__name__", name)] + matchers).reduce(0) { $0 + ($1.samples.last?.value ?? 0) }
        }
        #expect(store.seriesCount(metric: SeriesNames.podInfo) < 600, "the pods do not all fit")
        #expect(total(SeriesNames.namespacePodsByStatus, [.equal("status", "Running")]) == 400)
        #expect(total(SeriesNames.namespacePodsByStatus, [.equal("status", "ImagePullBackOff")]) == 200)
        #expect(abs(total(SeriesNames.namespaceCPURequests) - 60) < 1e-9)
        #expect(abs(total(SeriesNames.namespaceCPULimits) - 120) < 1e-9)
        #expect(abs(total(SeriesNames.namespaceMemoryRequests) - 600 * 64 * 1_048_576) < 1)
    }

    /// A store too small for every pod keeps the busiest ones when the source knows its budget.
    @Test func aFullStoreKeepsTheBusiestPods() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/pods"] = .init(status: 200, body: Self.podList(600))
        let metrics = (0..<600).map { i in
            #"{"metadata":{"name":"p\#(i)","namespace":"big"},"timestamp":"2026-11-22T06:00:00Z","window":"15s","containers":[{"name":"c","usage":{"cpu":"\#(i + 1)m","memory":"1Mi"}}]}"#
        }
        routes["/apis/metrics.k8s.io/v1beta1/pods"] = .init(
            status: 200, body: #"{"kind":"PodMetricsList","items":["# + metrics.joined(separator: ",") + "]}")
        func keptPods(budget: Int?) async -> [Int] {
            let store = SeriesStore(.init(retention: 60_000, interval: 10_000, maxSeries: 1000))
            let source = KubernetesSource(
                transport: ScriptedAPI(routes), contextName: "test", options: .init(pageSize: 100, seriesBudget: budget)
            )
            let poller = Poller(source: source, store: store, interval: 10_000, clock: ManualClock(Self.t0))
            _ = await poller.pollOnce()
            return store.select([.equal("__name__", SeriesNames.podCPUUsage)]).map {
                Int($0.labels["pod"]!.dropFirst())!
            }.sorted()
        }
        let busiest = await keptPods(budget: 1000)
        #expect(busiest.count > 10 && busiest.count < 600)
        #expect(busiest == Array((600 - busiest.count)..<600), "the busiest pods, every one of them")
        let listed = await keptPods(budget: nil)
        #expect(listed.contains(0) && !listed.contains(599), "without a budget, the first pods listed")
    }

    @Test func busiestFirstKeepsEveryPodOnceAndTheListOrderForTies() {
        let pods = (0..<10).map { PodObject(namespace: "n", name: "p\($0)") }
        var usage = ClusterUsage()
        for i in [3, 7, 8] {
            usage.pods[ClusterUsage.podKey("n", "p\(i)")] = .init(containers: [
                .init(name: "c", cpuCores: Double(i % 7), memoryWorkingSetBytes: 0)
            ])
        }
        let pages = ClusterSeries.busiestFirst([Array(pods[0..<4]), Array(pods[4..<10])], usage: usage)
        #expect(pages.map(\.count) == [6, 4])
        #expect(pages.joined().map(\.name) == ["p3", "p8", "p7", "p0", "p1", "p2", "p4", "p5", "p6", "p9"])
        // An empty first page (an API server may send one with a continue token) does not make pages of one.
        #expect(ClusterSeries.busiestFirst([[], pods], usage: usage).map(\.count) == [10])
    }

    @Test func counterResetStartsOverInsteadOfGoingNegative() {
        var counters = SummaryCounters()
        #expect(counters.rate("k", 1000, at: 0) == nil)
        #expect(counters.rate("k", 3000, at: 2000) == 1000)
        #expect(counters.rate("k", 10, at: 4000) == nil)
        #expect(counters.rate("k", 1010, at: 5000) == 1000)
    }
}

struct ChunkRangeTests {
    /// Every pod of every page in exactly one chunk, in order; big pages split, small ones whole.
    @Test(arguments: [[150_000], Array(repeating: 5000, count: 30), [0, 3, 0], [4096, 4097, 1, 20_000], []])
    func chunksCoverEveryPodOnceInOrder(pageSizes: [Int]) {
        let chunks = ClusterSeries.chunkRanges(pageSizes)
        let covered = chunks.flatMap { c in c.range.map { (c.page, $0) } }
        let expected = pageSizes.enumerated().flatMap { (page, n) in (0..<n).map { (page, $0) } }
        #expect(covered.map(\.0) == expected.map(\.0) && covered.map(\.1) == expected.map(\.1))
        let total = pageSizes.reduce(0, +)
        // A chunk is at least podsPerChunk unless its page is smaller, and a big page is split for the cores.
        #expect(chunks.allSatisfy { $0.range.count >= min(ClusterSeries.podsPerChunk, pageSizes[$0.page]) / 2 })
        if pageSizes == [150_000] { #expect(chunks.count > 1 && chunks.allSatisfy { $0.range.count <= total / 2 }) }
    }
}
