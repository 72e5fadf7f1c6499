import Foundation

@testable import Collectors
@testable import KubeClient

/// A scripted API server for the Kubernetes source's unit tests: it answers by path (query ignored,
/// unless a route names one) and records what was asked. Its watches stay open and say nothing (a cluster
/// where nothing changes) until `send` gives them events. End-to-end tests use `kubeglass sim` instead.
final class ScriptedAPI: KubeTransport, @unchecked Sendable {
    struct Route {
        var status: Int
        var body: String
        var delay: UInt64 = 0
    }
    let server = "https://scripted.test:6443"
    let isInsecure = false
    private let lock = NSLock()
    private var routes: [String: Route]
    private var requested: [String] = []
    private var watchesAsked: [String] = []
    private var openWatches: [(path: String, events: AsyncThrowingStream<[UInt8], any Error>.Continuation)] = []
    var failure: KubeClientError?
    /// Answers given, in order, before a path's route: flaky requests (503s, cut bodies) that a retry gets past.
    private var firstAnswers: [String: [Route]] = [:]

    init(_ routes: [String: Route]) { self.routes = routes }

    /// The next requests of `path` (no query) get `answers`, one each, and then its route again.
    func failNext(_ path: String, _ answers: [Route]) { lock.withLock { firstAnswers[path, default: []] += answers } }

    var paths: [String] { lock.withLock { requested } }

    func set(_ path: String, _ route: Route) { lock.withLock { routes[path] = route } }

    /// The watches asked for, with their queries.
    var watchPaths: [String] { lock.withLock { watchesAsked } }

    func watch(_ path: String, idleTimeout: Duration) async throws(KubeClientError) -> KubeWatchResponse {
        let (events, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        lock.withLock {
            watchesAsked.append(path)
            openWatches.append((String(path.split(separator: "?")[0]), continuation))
        }
        return KubeWatchResponse(status: 200, events: events)
    }

    /// Sends `line` to every open watch of `path` (no query); how many there were.
    @discardableResult
    func send(_ line: String, to path: String) -> Int {
        let open = lock.withLock { openWatches.filter { $0.path == path } }
        for watch in open { watch.events.yield(Array(line.utf8)) }
        return open.count
    }

    func get(_ path: String) async throws(KubeClientError) -> KubeResponse {
        let (route, failure) = lock.withLock { () -> (Route?, KubeClientError?) in
            requested.append(path)
            let plain = String(path.split(separator: "?")[0])
            if var queued = firstAnswers[plain], !queued.isEmpty {
                let first = queued.removeFirst()
                firstAnswers[plain] = queued
                return (first, nil)
            }
            return (routes[path] ?? routes[plain], self.failure)
        }
        if let failure { throw failure }
        guard let route else {
            return KubeResponse(
                status: 404,
                body: Array(
                    #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}"#
                        .utf8))
        }
        if route.delay > 0 { try? await Task.sleep(nanoseconds: route.delay * 1_000_000) }
        return KubeResponse(status: route.status, body: Array(route.body.utf8))
    }
}

enum Fixture {
    static let nodes = """
        {"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"100"},"items":[
         {"metadata":{"name":"node-a","labels":{"topology.kubernetes.io/zone":"z1","node.kubernetes.io/instance-type":"m5.large"},"creationTimestamp":"2026-11-01T00:00:00Z"},
          "spec":{},"status":{"capacity":{"cpu":"4","memory":"16393232Ki","pods":"110","ephemeral-storage":"100Gi"},
          "allocatable":{"cpu":"3920m","memory":"15242256Ki","pods":"110"},
          "conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
          "addresses":[{"type":"InternalIP","address":"10.0.0.1"}],"nodeInfo":{"kubeletVersion":"v1.32.4"}}},
         {"metadata":{"name":"node-b","creationTimestamp":"2026-11-01T00:00:00Z"},
          "spec":{"unschedulable":true},"status":{"capacity":{"cpu":"2","memory":"8Gi","pods":"110"},
          "allocatable":{"cpu":"2","memory":"8Gi","pods":"110"},
          "conditions":[{"type":"MemoryPressure","status":"True"},{"type":"Ready","status":"True"}]}}
        ]}
        """
    static let pods = """
        {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"100"},"items":[
         {"metadata":{"name":"web-1","namespace":"shop","uid":"u1","ownerReferences":[{"kind":"ReplicaSet","name":"web-7d9","controller":true}]},
          "spec":{"nodeName":"node-a","containers":[
            {"name":"app","resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}}},
            {"name":"proxy","resources":{"requests":{"cpu":"50m","memory":"64Mi"}}}]},
          "status":{"phase":"Running","containerStatuses":[
            {"name":"app","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2026-11-01T00:00:00Z"}}},
            {"name":"proxy","ready":true,"restartCount":1,"state":{"running":{}}}]}},
         {"metadata":{"name":"crash","namespace":"shop","uid":"u2"},
          "spec":{"nodeName":"node-b","containers":[{"name":"main","resources":{"requests":{"cpu":"100m"}}}]},
          "status":{"phase":"Running","containerStatuses":[
            {"name":"main","ready":false,"restartCount":7,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}},
         {"metadata":{"name":"job-x","namespace":"batch","uid":"u3"},
          "spec":{"nodeName":"node-a","containers":[{"name":"run","resources":{"requests":{"cpu":"2"}}}]},
          "status":{"phase":"Succeeded","containerStatuses":[
            {"name":"run","ready":false,"restartCount":0,"state":{"terminated":{"reason":"Completed","exitCode":0}}}]}}
        ]}
        """
    static let nodeMetrics = """
        {"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[
         {"metadata":{"name":"node-a"},"timestamp":"2026-11-22T06:00:00Z","window":"20.05s","usage":{"cpu":"1960000000n","memory":"7621128Ki"}},
         {"metadata":{"name":"node-b"},"timestamp":"2026-11-22T06:00:00Z","window":"20.05s","usage":{"cpu":"500m","memory":"4Gi"}}
        ]}
        """
    static let podMetrics = """
        {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[
         {"metadata":{"name":"web-1","namespace":"shop"},"timestamp":"2026-11-22T06:00:00Z","window":"15s",
          "containers":[{"name":"app","usage":{"cpu":"500m","memory":"300Mi"}},{"name":"proxy","usage":{"cpu":"10m","memory":"20Mi"}}]}
        ]}
        """
    static let events = """
        {"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"100"},"items":[
         {"metadata":{"name":"crash.1","namespace":"shop"},"type":"Warning","reason":"BackOff","message":"Back-off restarting failed container main",
          "involvedObject":{"kind":"Pod","namespace":"shop","name":"crash"},"count":7,"lastTimestamp":"2026-11-22T05:59:00Z"}
        ]}
        """
    static func summary(
        node: String, rx: UInt64, pods: [(String, String, UInt64)], time: String = "2026-11-22T06:00:00Z"
    ) -> String {
        let podText = pods.map { ns, name, podRx in
            """
            {"podRef":{"name":"\(name)","namespace":"\(ns)","uid":"x"},
             "containers":[{"name":"app","cpu":{"usageNanoCores":250000000},"memory":{"workingSetBytes":1048576}}],
             "network":{"time":"\(time)","name":"eth0","rxBytes":\(podRx),"txBytes":\(podRx / 2)}}
            """
        }.joined(separator: ",")
        return """
            {"node":{"nodeName":"\(node)","cpu":{"usageNanoCores":1500000000},"memory":{"workingSetBytes":2147483648,"usageBytes":3221225472},
              "network":{"time":"\(time)","name":"eth0","rxBytes":\(rx),"txBytes":\(rx / 4)},
              "fs":{"capacityBytes":107374182400,"usedBytes":10737418240,"availableBytes":96636764160}},
             "pods":[\(podText)]}
            """
    }

    static func standardRoutes() -> [String: ScriptedAPI.Route] {
        [
            "/api/v1/nodes": .init(status: 200, body: nodes),
            "/api/v1/pods": .init(status: 200, body: pods),
            "/api/v1/events": .init(status: 200, body: events),
            "/apis/metrics.k8s.io/v1beta1/nodes": .init(status: 200, body: nodeMetrics),
            "/apis/metrics.k8s.io/v1beta1/pods": .init(status: 200, body: podMetrics),
        ]
    }
}
