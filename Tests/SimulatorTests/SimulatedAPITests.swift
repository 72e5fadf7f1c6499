import DemoCluster
import Foundation
import NIOCore
import Testing

@testable import Simulator

/// The routes answered in process: JSON shapes as the API server's, selectors, paging, metrics.
@Suite struct SimulatedAPITests {
    static let start: Int64 = 1_795_000_000_000
    static let api = SimulatedAPI(
        catalog: ClusterCatalog(cluster: ClusterModel(.init(nodes: 12, pods: 300, seed: 7), createdAt: start)),
        startedAt: start)
    var api: SimulatedAPI { SimulatedAPITests.api }
    var cluster: ClusterModel { api.cluster }
    let t = SimulatedAPITests.start + 600_000

    /// An API of its own, for a test that moves through time (the shared one's log only goes forward).
    static func ownAPI() -> SimulatedAPI {
        SimulatedAPI(catalog: api.catalog, startedAt: start)
    }

    func get(
        _ uri: String, accept: String = "application/json", at time: Int64? = nil, from own: SimulatedAPI? = nil
    ) throws -> (status: Int, json: [String: Any]) {
        let response = (own ?? api).respond(to: APIRequest(uri: uri, accept: accept), at: time ?? t)
        var body = response.collectBody()
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        let object = try JSONSerialization.jsonObject(with: Data(bytes))
        return (
            response.status,
            try #require(object as? [String: Any], "\(uri) gave \(String(decoding: bytes, as: UTF8.self).prefix(200))")
        )
    }

    func items(_ json: [String: Any]) -> [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    func names(_ json: [String: Any]) -> [String] {
        items(json).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
    }

    @Test func discoveryDocuments() throws {
        #expect(try get("/version").json["gitVersion"] as? String == "v1.32.4")
        #expect(try get("/api").json["versions"] as? [String] == ["v1"])
        let core = try get("/api/v1").json
        #expect(core["kind"] as? String == "APIResourceList")
        let resources = (core["resources"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(["pods", "nodes", "namespaces", "events"]).isSubset(of: resources))
        let groups = try get("/apis").json["groups"] as? [[String: Any]]
        #expect(groups?.first?["name"] as? String == "metrics.k8s.io")
        #expect(try get("/apis/metrics.k8s.io/v1beta1").json["groupVersion"] as? String == "metrics.k8s.io/v1beta1")
    }

    @Test func withoutMetricsAPIItsPathsAreNotFound() throws {
        let bare = SimulatedAPI(catalog: api.catalog, servesMetricsAPI: false, startedAt: SimulatedAPITests.start)
        let groups = bare.respond(to: APIRequest(uri: "/apis"), at: t).collectBody()
        #expect(!String(buffer: groups).contains("metrics.k8s.io"))
        #expect(bare.respond(to: APIRequest(uri: "/apis/metrics.k8s.io/v1beta1/nodes"), at: t).status == 404)
    }

    @Test func unknownPathsAndWritesAreStatusObjects() throws {
        let missing = try get("/api/v1/secrets")
        #expect(missing.status == 404)
        #expect(missing.json["kind"] as? String == "Status" && missing.json["code"] as? Int == 404)
        let pod = try get("/api/v1/namespaces/default/pods/nope")
        #expect(pod.status == 404 && pod.json["reason"] as? String == "NotFound")
        let post = api.respond(to: APIRequest(method: "POST", uri: "/api/v1/pods"), at: t)
        #expect(post.status == 405)
    }

    @Test func nodesLookLikeKubelets() throws {
        let list = try get("/api/v1/nodes").json
        #expect(list["kind"] as? String == "NodeList")
        #expect((list["metadata"] as? [String: Any])?["resourceVersion"] as? String != nil)
        #expect(names(list) == cluster.nodes.map(\.name))
        let pressured = try #require(cluster.nodes.firstIndex { $0.underMemoryPressure })
        let node = items(list)[pressured]
        let status = try #require(node["status"] as? [String: Any])
        let conditions = try #require(status["conditions"] as? [[String: Any]])
        #expect(conditions.map { $0["type"] as? String } == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        #expect(conditions[0]["status"] as? String == "True")
        #expect((status["capacity"] as? [String: String])?["memory"]?.hasSuffix("Ki") == true)
        #expect((status["nodeInfo"] as? [String: Any])?["kubeletVersion"] as? String == "v1.32.4")
        let labels = try #require((node["metadata"] as? [String: Any])?["labels"] as? [String: String])
        #expect(labels["topology.kubernetes.io/zone"] != nil && labels["node.kubernetes.io/instance-type"] != nil)
        let one = try get("/api/v1/nodes/\(cluster.nodes[0].name)").json
        #expect(one["kind"] as? String == "Node" && one["apiVersion"] as? String == "v1")
    }

    @Test func podsCarryOwnersContainersAndStates() throws {
        let list = try get("/api/v1/pods").json
        #expect(list["kind"] as? String == "PodList")
        #expect(items(list).count == cluster.pods.count)
        for pod in items(list).prefix(20) {
            let meta = try #require(pod["metadata"] as? [String: Any])
            let owner = try #require((meta["ownerReferences"] as? [[String: Any]])?.first)
            #expect(owner["controller"] as? Bool == true)
            let spec = try #require(pod["spec"] as? [String: Any])
            let container = try #require((spec["containers"] as? [[String: Any]])?.first)
            #expect(container["image"] as? String != nil && container["resources"] != nil)
        }
        // The crash-looping pod, at an instant when its container is down.
        let crash = try #require(cluster.pods.firstIndex { $0.crashLoops })
        let down = try #require(
            stride(from: t, to: t + 600_000, by: 1000).first { !cluster.isRunning(cluster.pods[crash], at: $0) })
        let pod = cluster.pods[crash]
        let json = try get(
            "/api/v1/namespaces/\(pod.namespace)/pods/\(pod.name)", at: down, from: SimulatedAPITests.ownAPI()
        ).json
        let status = try #require((json["status"] as? [String: Any])?["containerStatuses"] as? [[String: Any]])
        let state = try #require(status[0]["state"] as? [String: Any])
        #expect((state["waiting"] as? [String: Any])?["reason"] as? String == "CrashLoopBackOff")
        #expect(((status[0]["lastState"] as? [String: Any])?["terminated"] as? [String: Any])?["exitCode"] as? Int == 1)
        #expect(status[0]["restartCount"] as? Int == cluster.restarts(pod, at: down))
        // A pending pod has no node; a finished job pod is Succeeded.
        let pending = try get("/api/v1/pods?fieldSelector=status.phase%3DPending").json
        #expect(!items(pending).isEmpty)
        #expect(items(pending).allSatisfy { ($0["spec"] as? [String: Any])?["nodeName"] == nil })
        #expect(!items(try get("/api/v1/pods?fieldSelector=status.phase=Succeeded").json).isEmpty)
    }

    @Test func kubectlGetsATable() throws {
        let accept =
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
        let table = try get("/api/v1/pods?limit=500", accept: accept).json
        #expect(table["kind"] as? String == "Table" && table["apiVersion"] as? String == "meta.k8s.io/v1")
        let columns = (table["columnDefinitions"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(columns?.prefix(5) == ["Name", "Ready", "Status", "Restarts", "Age"])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.count == cluster.pods.count)
        #expect((rows[0]["cells"] as? [Any])?.count == columns?.count)
        #expect(
            ((rows[0]["object"] as? [String: Any])?["metadata"] as? [String: Any])?["namespace"] as? String
                == cluster.pods[0].namespace)
        let nodes = try get("/api/v1/nodes", accept: accept).json
        #expect((nodes["rows"] as? [[String: Any]])?.count == cluster.nodes.count)
        let events = try get("/api/v1/events", accept: accept).json
        #expect(events["kind"] as? String == "Table")
    }

    @Test func labelSelectors() throws {
        func count(_ selector: String) throws -> Int {
            let q = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
            return items(try get("/api/v1/pods?labelSelector=\(q)").json).count
        }
        let app = "app.kubernetes.io/name"
        let frontend = cluster.pods.filter { $0.labels[app] == "frontend" }.count
        let cart = cluster.pods.filter { $0.labels[app] == "cart" }.count
        #expect(frontend > 0 && cart > 0)
        #expect(try count("\(app)=frontend") == frontend)
        #expect(try count("\(app)==frontend") == frontend)
        #expect(try count("\(app)!=frontend") == cluster.pods.count - frontend)
        #expect(try count("\(app) in (frontend, cart)") == frontend + cart)
        #expect(try count("\(app) notin (frontend,cart)") == cluster.pods.count - frontend - cart)
        #expect(try count("job-name") == cluster.pods.filter { $0.ownerKind == "Job" }.count)
        #expect(try count("!job-name") == cluster.pods.filter { $0.ownerKind != "Job" }.count)
        #expect(try count("\(app)=frontend,pod-template-hash") == frontend)
        #expect(try get("/api/v1/pods?labelSelector=a%20in%20b").status == 400)
    }

    @Test func fieldSelectors() throws {
        let node = cluster.nodes[1].name
        let onNode = try get("/api/v1/pods?fieldSelector=spec.nodeName%3D\(node)").json
        #expect(Set(names(onNode)) == Set(cluster.pods.filter { $0.nodeIndex == 1 }.map(\.name)))
        let notRunning = try get("/api/v1/pods?fieldSelector=status.phase!%3DRunning").json
        #expect(items(notRunning).count == cluster.pods.filter { $0.phase != .running }.count)
        let pod = cluster.pods[5]
        let named = try get(
            "/api/v1/pods?fieldSelector=metadata.name%3D\(pod.name),metadata.namespace%3D\(pod.namespace)"
        ).json
        #expect(names(named) == [pod.name])
        let warnings = try get("/api/v1/events?fieldSelector=type%3DWarning").json
        #expect(!items(warnings).isEmpty && items(warnings).allSatisfy { $0["type"] as? String == "Warning" })
        #expect(try get("/api/v1/pods?fieldSelector=spec.color%3Dblue").status == 400)
    }

    @Test func pagesCoverTheListExactlyOnce() throws {
        var seen: [String] = []
        var token: String? = nil
        var pages = 0
        repeat {
            let uri = "/api/v1/pods?limit=37" + (token.map { "&continue=\($0)" } ?? "")
            let page = try get(uri).json
            let names = items(page).map { m -> String in
                let meta = m["metadata"] as? [String: Any]
                return "\(meta?["namespace"] ?? "")/\(meta?["name"] ?? "")"
            }
            #expect(names.count <= 37)
            seen += names
            token = (page["metadata"] as? [String: Any])?["continue"] as? String
            pages += 1
        } while token != nil && pages < 100
        #expect(pages == (cluster.pods.count + 36) / 37)
        #expect(seen.count == cluster.pods.count && Set(seen).count == seen.count)
        #expect(try get("/api/v1/pods?limit=5&continue=bm9wZQ").status == 400)
    }

    @Test func eventsTellWhatIsWrong() throws {
        let own = SimulatedAPITests.ownAPI()
        let events = items(try get("/api/v1/events", from: own).json)
        let reasons = Set(events.compactMap { $0["reason"] as? String })
        #expect(
            reasons.isSuperset(of: [
                "BackOff", "FailedScheduling", "EvictionThresholdMet", "NodeHasInsufficientMemory", "Scheduled",
                "Started",
            ]))
        let backOff = try #require(events.first { $0["reason"] as? String == "BackOff" })
        #expect(backOff["type"] as? String == "Warning")
        let later = items(try get("/api/v1/events", at: t + 3_600_000, from: own).json).first {
            $0["reason"] as? String == "BackOff"
        }
        #expect((later?["count"] as? Int ?? 0) > (backOff["count"] as? Int ?? 0), "counts move with time")
        let ns = cluster.pods.first { $0.crashLoops }!.namespace
        #expect(
            items(try get("/api/v1/namespaces/\(ns)/events").json).allSatisfy {
                ($0["metadata"] as? [String: Any])?["namespace"] as? String == ns
            })
    }

    @Test func metricsAPILikeMetricsServer() throws {
        let nodes = try get("/apis/metrics.k8s.io/v1beta1/nodes").json
        #expect(nodes["kind"] as? String == "NodeMetricsList")
        let first = try #require(items(nodes).first)
        #expect(first["window"] as? String == "30s" && first["timestamp"] as? String != nil)
        let usage = try #require(first["usage"] as? [String: String])
        #expect(usage["cpu"]?.hasSuffix("n") == true && usage["memory"]?.hasSuffix("Ki") == true)
        let cpu = Double(usage["cpu"]!.dropLast())! / 1e9
        let model = cluster.usage(ofNode: 0, at: MetricsAPI.sampleTime(t)).cpuCores
        #expect(abs(cpu - model) < 1e-6)
        let pods = try get("/apis/metrics.k8s.io/v1beta1/pods").json
        let running = cluster.pods.filter { cluster.isRunning($0, at: MetricsAPI.sampleTime(t)) }.count
        #expect(items(pods).count == running)
        let containers = try #require(items(pods).first?["containers"] as? [[String: Any]])
        #expect((containers.first?["usage"] as? [String: String])?["memory"]?.hasSuffix("Ki") == true)
        let ns = try get("/apis/metrics.k8s.io/v1beta1/namespaces/payments/pods").json
        #expect(
            !items(ns).isEmpty
                && items(ns).allSatisfy { ($0["metadata"] as? [String: Any])?["namespace"] as? String == "payments" })
    }

    @Test func summaryCountersGrowAtTheModelsRate() throws {
        // Its own ledger: counters never move back, so other tests' later reads must not interfere.
        let own = SimulatedAPI(catalog: api.catalog, startedAt: SimulatedAPITests.start)
        let node = cluster.nodes[2].name
        func summary(_ at: Int64) throws -> [String: Any] {
            var body = own.respond(to: APIRequest(uri: "/api/v1/nodes/\(node)/proxy/stats/summary"), at: at)
                .collectBody()
            return try #require(
                try JSONSerialization.jsonObject(with: Data(body.readBytes(length: body.readableBytes)!))
                    as? [String: Any])
        }
        let a = try summary(t)
        let b = try summary(t + 1000)
        let c = try summary(t + 61_000)
        func nodeCPU(_ s: [String: Any]) -> Double {
            (((s["node"] as? [String: Any])?["cpu"] as? [String: Any])?["usageCoreNanoSeconds"] as? NSNumber)?
                .doubleValue ?? 0
        }
        func rx(_ s: [String: Any]) -> Double {
            (((s["node"] as? [String: Any])?["network"] as? [String: Any])?["rxBytes"] as? NSNumber)?.doubleValue ?? 0
        }
        #expect(nodeCPU(a) < nodeCPU(b) && nodeCPU(b) < nodeCPU(c))
        #expect(rx(a) < rx(b) && rx(b) < rx(c))
        let rate = (nodeCPU(b) - nodeCPU(a)) / 1e9
        let model = cluster.usage(ofNode: 2, at: t + 500).cpuCores
        #expect(abs(rate - model) / model < 0.02, "CPU counter rate \(rate) vs model \(model)")
        let pods = try #require(c["pods"] as? [[String: Any]])
        #expect(pods.count == cluster.pods.filter { $0.nodeIndex == 2 && $0.phase == .running }.count)
        #expect((pods.first?["containers"] as? [[String: Any]])?.first?["cpu"] != nil)
        #expect((pods.first?["network"] as? [String: Any])?["txBytes"] != nil)
    }

    @Test func sameSeedSameCluster() throws {
        let other = ClusterCatalog(
            cluster: ClusterModel(.init(nodes: 12, pods: 300, seed: 7), createdAt: SimulatedAPITests.start))
        let again = SimulatedAPI(catalog: other, startedAt: SimulatedAPITests.start)
        let a = api.respond(to: APIRequest(uri: "/api/v1/pods"), at: t).collectBody()
        let b = again.respond(to: APIRequest(uri: "/api/v1/pods"), at: t).collectBody()
        #expect(a == b)
    }
}
