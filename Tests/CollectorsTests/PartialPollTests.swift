import KubeAPI
import KubeglassCore
import Store
import Testing

@testable import Collectors
@testable import KubeClient

/// A poll keeps what worked: a request that fails for a passing reason is asked again within the poll,
/// and a part that still fails leaves the rest of the poll fresh and its own panels stale.
@Suite struct PartialPollTests {
    static let t0: Timestamp = 1_795_312_800_000
    static let unavailable = ScriptedAPI.Route(
        status: 503,
        body:
            #"{"kind":"Status","status":"Failure","message":"the server is currently unable to handle the request","code":503}"#
    )
    static let podMetricsPath = "/apis/metrics.k8s.io/v1beta1/pods"

    func value(_ batch: SampleBatch, _ name: String, _ labels: [String: String]) -> Double? {
        batch.series.first { s in s.labels.name == name && labels.allSatisfy { k, v in s.labels[k] == v } }?.value
    }

    @Test func aFewFailedAnswersAreAskedAgainWithinThePoll() async throws {
        let api = ScriptedAPI(Fixture.standardRoutes())
        api.failNext(Self.podMetricsPath, [Self.unavailable, Self.unavailable])
        // A pods page cut short (as by a dropped connection mid-body) is asked for again too.
        api.failNext("/api/v1/pods", [.init(status: 200, body: String(Fixture.pods.prefix(300)))])
        // However slow a busy test machine is, the tries are not cut short by the time budget.
        var options = KubernetesSource.Options()
        options.retry.budget = .seconds(600)
        let source = KubernetesSource(transport: api, contextName: "test", options: options)
        let batch = try await source.poll(at: Self.t0)
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")
        #expect(batch.missing.isEmpty)
        #expect(value(batch, SeriesNames.podCPUUsage, ["pod": "web-1"]) != nil)
        #expect(value(batch, SeriesNames.podCPURequests, ["pod": "web-1"]) == 0.3)
        #expect(api.paths.filter { $0.hasPrefix(Self.podMetricsPath) }.count == 3)
        #expect(api.paths.filter { $0.hasPrefix("/api/v1/pods") }.count == 2)
    }

    @Test func whatTheServerRefusesForGoodIsNotAskedAgain() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/pods"] = .init(
            status: 403, body: #"{"kind":"Status","status":"Failure","reason":"Forbidden","code":403}"#)
        let api = ScriptedAPI(routes)
        let source = KubernetesSource(transport: api, contextName: "test")
        await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(api.paths.filter { $0.hasPrefix("/api/v1/pods") }.count == 1)
    }

    @Test func aRequestThatKeepsFailingSaysHowOftenItWasAsked() async throws {
        var routes = Fixture.standardRoutes()
        routes["/api/v1/nodes"] = Self.unavailable
        let api = ScriptedAPI(routes)
        var options = KubernetesSource.Options()
        options.retry.budget = .seconds(600)
        let source = KubernetesSource(transport: api, contextName: "test", options: options)
        let error = await #expect(throws: APIRequestError.self) { try await source.poll(at: Self.t0) }
        #expect(error?.description.contains("failed with HTTP 503") == true, "\(String(describing: error))")
        #expect(error?.description.hasSuffix("(asked 4 times)") == true, "\(String(describing: error))")
        #expect(api.paths.filter { $0.hasPrefix("/api/v1/nodes") }.count == 4)
    }

    @Test func a503OnTheMetricsAPIIsNotCalledAMissingMetricsServer() {
        let response = KubeResponse(status: 503, body: Array(Self.unavailable.body.utf8))
        let error = APIRequestError.from(
            response, path: Self.podMetricsPath, resource: "pods.metrics.k8s.io", server: "https://x:6443",
            isMetricsAPI: true)
        #expect(error.kind == .server)
        #expect(error.isTransient)
        #expect(!error.description.contains("is metrics-server installed"), "\(error)")
        #expect(error.description.contains("503 Service Unavailable"))
        let missing = APIRequestError.from(
            KubeResponse(status: 404, body: []), path: Self.podMetricsPath, resource: "pods.metrics.k8s.io",
            server: "https://x:6443", isMetricsAPI: true)
        #expect(missing.kind == .metricsAPIUnavailable)
        #expect(missing.description.contains("is metrics-server installed"))
    }

    @Test func usageThatFailsLeavesTheRestFreshAndItsPanelsStale() async throws {
        let api = ScriptedAPI(Fixture.standardRoutes())
        let source = KubernetesSource(transport: api, contextName: "test")
        let store = SeriesStore(.init(retention: 600_000, interval: 10_000))
        let clock = ManualClock(Self.t0)
        let poller = Poller(source: source, store: store, interval: 10_000, clock: clock)
        let first = await poller.pollOnce()
        #expect(first.state == .ok && first.missing.isEmpty)

        // The metrics API now fails every time (past the retries).
        api.set(Self.podMetricsPath, Self.unavailable)
        clock.advance(by: 10_000)
        let second = await poller.pollOnce()
        #expect(second.state == .ok, "nodes and pods still came: the poll is not a failure")
        #expect(second.lastSuccess == Self.t0 + 10_000)
        #expect(second.warnings.first?.hasPrefix("usage not read this poll") == true, "\(second.warnings)")
        #expect(second.missing[SeriesNames.podCPUUsage] == .some(Self.t0), "last brought by the first poll")
        #expect(second.missing[SeriesNames.nodeCPUUsage] == .some(Self.t0))
        #expect(second.missing[SeriesNames.podCPURequests] == nil, "requests come from the pods, which came")

        // The usage series keep their last value: no staleness marker ends them.
        let usage = store.select([.equal(Labels.metricName, SeriesNames.podCPUUsage), .equal("pod", "web-1")])
        #expect(usage.first?.samples.count == 1)
        #expect(usage.first?.samples.contains { $0.isStaleMarker } == false)
        let requests = store.select([.equal(Labels.metricName, SeriesNames.podCPURequests), .equal("pod", "web-1")])
        #expect(requests.first?.samples.count == 2, "requests are fresh")

        // A panel reading usage is stale (since the first poll); one reading requests is not.
        let now = Self.t0 + 11_000
        #expect(
            second.staleAge(now: now, interval: 10_000, reading: ["sum(rate(\(SeriesNames.podCPUUsage)[5m]))"])
                == 11_000)
        #expect(second.staleAge(now: now, interval: 10_000, reading: ["sum(\(SeriesNames.podCPURequests))"]) == nil)

        // The metrics API is back: the next poll is complete and nothing is stale.
        api.set(Self.podMetricsPath, Fixture.standardRoutes()[Self.podMetricsPath]!)
        clock.advance(by: 10_000)
        let third = await poller.pollOnce()
        #expect(third.missing.isEmpty && third.warnings.isEmpty, "\(third.warnings)")
        #expect(third.staleAge(now: Self.t0 + 21_000, interval: 10_000, reading: [SeriesNames.podCPUUsage]) == nil)
        let after = store.select([.equal(Labels.metricName, SeriesNames.podCPUUsage), .equal("pod", "web-1")])
        #expect(after.first?.samples.count == 2)
    }

    @Test func theFirstListReportsItsProgressPageByPage() throws {
        let progress = PollProgress()
        #expect(progress.text() == nil)
        progress.asking("nodes")
        let asked = try #require(progress.snapshot?.askedAt)
        #expect(progress.text(now: asked) == "asking for nodes…")
        #expect(progress.text(now: asked + .seconds(12)) == "asking for nodes… (12s)")
        progress.listed("pods", count: 5000, remaining: 145_000)
        progress.listed("pods", count: 5000, remaining: 140_000)
        let text = progress.text(now: .now)
        #expect(text?.hasPrefix("listing pods: 10,000 so far, page 2 [") == true, "\(String(describing: text))")
        #expect(text?.contains("] 6% of 150,000") == true, "\(String(describing: text))")
        // A server that does not say how many remain gets no bar.
        progress.listed("events", count: 12, remaining: nil)
        #expect(progress.text(now: .now) == "listing events: 12 so far, page 1")
    }

    @Test func pagesOfAListAreCountedAsTheyCome() async throws {
        // Three pages of one pod each; the server gives remainingItemCount, as API servers do.
        let page = { (name: String, token: String?, remaining: Int?) -> String in
            var meta = #""resourceVersion":"7""#
            if let token { meta += #","continue":"\#(token)""# }
            if let remaining { meta += #","remainingItemCount":\#(remaining)"# }
            return
                #"{"kind":"PodList","metadata":{\#(meta)},"items":[{"metadata":{"name":"\#(name)","namespace":"d"}}]}"#
        }
        let api = ScriptedAPI([
            "/api/v1/pods?limit=1": .init(status: 200, body: page("a", "t1", 2)),
            "/api/v1/pods?limit=1&continue=t1": .init(status: 200, body: page("b", "t2", 1)),
            "/api/v1/pods?limit=1&continue=t2": .init(status: 200, body: page("c", nil, nil)),
        ])
        let progress = PollProgress()
        let reader = ListReader(transport: api, pageSize: 1, progress: progress)
        let pods = try await reader.list(
            path: "/api/v1/pods", resource: "pods",
            decode: { (body, items) throws(KubeDecodeError) in
                try KubeDecode.podList(body, appendingTo: &items, labels: false)
            })
        #expect(pods.map(\.name) == ["a", "b", "c"])
        let seen = try #require(progress.snapshot)
        #expect(seen.resource == "pods" && seen.items == 3 && seen.pages == 3)
    }

    @Test func listMetadataReadsTheTokenAndTheRemainingCount() {
        let body = Array(#"{"kind":"PodList","metadata":{"continue":"abc","remainingItemCount":41},"items":[]}"#.utf8)
        #expect(
            KubeDecode.listMetadata(body) == KubeDecode.ListMetadata(continueToken: "abc", remainingItemCount: 41))
        #expect(KubeDecode.continueToken(body) == .some("abc"))
        let last = Array(#"{"metadata":{"resourceVersion":"5"},"items":[]}"#.utf8)
        #expect(KubeDecode.continueToken(last) == .some(nil))
        #expect(KubeDecode.listMetadata(Array(#"{"items":[],"metadata":{}}"#.utf8)) == nil)
    }
}
