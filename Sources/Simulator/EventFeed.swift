import DemoCluster
import KubeglassCore
import NIOCore

/// core/v1 Events derived from the model at each instant: BackOff for the crash-looping pod,
/// FailedScheduling for pending pods, memory pressure on the pressured node, and the ordinary
/// Scheduled/Pulled/Created/Started of recent pods. Counts and timestamps move with time.
struct EventFeed: Sendable {
    struct Event: Sendable {
        var namespace: String, name: String
        var objectKind: String, objectName: String, objectNamespace: String, objectUID: String, fieldPath: String?
        var reason: String, message: String, type: String
        var count: Int, first: Int64, last: Int64
        var component: String, host: String?
    }

    let cluster: ClusterModel
    let crashPods: [Int]
    let pendingPods: [Int]
    let pressureNodes: [Int]
    let recentPods: [Int]

    init(catalog: ClusterCatalog) {
        cluster = catalog.cluster
        let pods = cluster.pods
        crashPods = pods.indices.filter { pods[$0].crashLoops && pods[$0].phase == .running }
        pendingPods = Array(pods.indices.filter { pods[$0].phase == .pending }.prefix(100))
        let nodes = cluster.nodes
        pressureNodes = nodes.indices.filter { nodes[$0].underMemoryPressure }
        recentPods = Array(
            pods.indices.filter { pods[$0].phase == .running && !pods[$0].crashLoops }
                .sorted { pods[$0].createdAt > pods[$1].createdAt }.prefix(8))
    }

    static func eventName(_ object: String, _ reason: String) -> String {
        let k = nameKey(object + "/" + reason)
        return object + "." + String(k & 0xffff_ffff_ffff_fff, radix: 16)
    }

    func events(at t: Int64) -> [Event] {
        var out: [Event] = []
        func podEvent(
            _ p: Int, _ reason: String, _ type: String, _ message: String, count: Int, first: Int64, last: Int64,
            field: String? = nil, component: String = "kubelet"
        ) {
            let pod = cluster.pods[p]
            out.append(
                Event(
                    namespace: pod.namespace, name: EventFeed.eventName(pod.name, reason), objectKind: "Pod",
                    objectName: pod.name,
                    objectNamespace: pod.namespace, objectUID: pod.uid, fieldPath: field, reason: reason,
                    message: message, type: type,
                    count: max(1, count), first: first, last: max(first, last), component: component,
                    host: pod.nodeIndex.map { cluster.nodes[$0].name }))
        }
        for p in crashPods {
            let pod = cluster.pods[p]
            let c = pod.containers[0]
            let restarts = cluster.restarts(pod, at: t)
            let start = cluster.lastRestart(of: pod, at: t)
            let up = cluster.isRunning(pod, at: t)
            let downSince = up ? start - 5 * Milliseconds.minute + 25_000 : start + 25_000
            let first = pod.createdAt + Milliseconds.minute
            let backOffs = restarts * 27 + Int(max(0, t - downSince) / 10_000)
            let lastBackOff = up ? start - 10_000 : t - max(0, t - downSince) % 10_000
            podEvent(
                p, "BackOff", "Warning",
                "Back-off restarting failed container \(c.name) in pod \(pod.name)_\(pod.namespace)(\(pod.uid))",
                count: backOffs, first: first, last: lastBackOff, field: "spec.containers{\(c.name)}")
            podEvent(
                p, "Pulled", "Normal", "Container image \"\(c.image)\" already present on machine",
                count: restarts + 1, first: pod.createdAt + 3000, last: start, field: "spec.containers{\(c.name)}")
            podEvent(
                p, "Created", "Normal", "Created container: \(c.name)", count: restarts + 1,
                first: pod.createdAt + 3000, last: start, field: "spec.containers{\(c.name)}")
            podEvent(
                p, "Started", "Normal", "Started container \(c.name)", count: restarts + 1, first: pod.createdAt + 4000,
                last: start, field: "spec.containers{\(c.name)}")
        }
        let n = cluster.nodes.count
        for p in pendingPods {
            let pod = cluster.pods[p]
            let attempts = Int(max(0, t - pod.createdAt) / Milliseconds.minute) + 1
            podEvent(
                p, "FailedScheduling", "Warning",
                "0/\(n) nodes are available: \(n) Insufficient cpu. preemption: 0/\(n) nodes are available: \(n) No preemption victims found for incoming pod.",
                count: attempts, first: pod.createdAt, last: pod.createdAt + Int64(attempts - 1) * Milliseconds.minute,
                component: "default-scheduler")
        }
        for p in recentPods {
            let pod = cluster.pods[p]
            let node = pod.nodeIndex.map { cluster.nodes[$0].name } ?? ""
            podEvent(
                p, "Scheduled", "Normal", "Successfully assigned \(pod.namespace)/\(pod.name) to \(node)", count: 1,
                first: pod.createdAt + 1000, last: pod.createdAt + 1000, component: "default-scheduler")
            for c in pod.containers {
                podEvent(
                    p, "Pulled", "Normal", "Container image \"\(c.image)\" already present on machine", count: 1,
                    first: pod.createdAt + 3000, last: pod.createdAt + 3000, field: "spec.containers{\(c.name)}")
                podEvent(
                    p, "Started", "Normal", "Started container \(c.name)", count: 1,
                    first: pod.createdAt + 4000, last: pod.createdAt + 4000, field: "spec.containers{\(c.name)}")
            }
        }
        for i in pressureNodes {
            let node = cluster.nodes[i]
            let since = cluster.createdAt - Milliseconds.hour
            let reclaims = Int(max(0, t - since) / (5 * Milliseconds.minute)) + 1
            let uid = derivedUID("node/" + node.name)
            out.append(
                Event(
                    namespace: "default", name: EventFeed.eventName(node.name, "EvictionThresholdMet"),
                    objectKind: "Node", objectName: node.name,
                    objectNamespace: "", objectUID: uid, fieldPath: nil, reason: "EvictionThresholdMet",
                    message: "Attempting to reclaim memory",
                    type: "Warning", count: reclaims, first: since,
                    last: since + Int64(reclaims - 1) * (5 * Milliseconds.minute), component: "kubelet", host: node.name
                ))
            out.append(
                Event(
                    namespace: "default", name: EventFeed.eventName(node.name, "NodeHasInsufficientMemory"),
                    objectKind: "Node", objectName: node.name,
                    objectNamespace: "", objectUID: uid, fieldPath: nil, reason: "NodeHasInsufficientMemory",
                    message: "Node \(node.name) status is now: NodeHasInsufficientMemory",
                    type: "Warning", count: 1, first: since, last: since, component: "kubelet", host: node.name))
        }
        return out.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    static let fields: Set<String> = [
        "metadata.name", "metadata.namespace", "type", "reason", "source", "reportingComponent",
        "involvedObject.kind", "involvedObject.name", "involvedObject.namespace", "involvedObject.uid",
        "involvedObject.fieldPath",
    ]

    static func field(_ e: Event, _ name: String) -> String {
        switch name {
        case "metadata.name": return e.name
        case "metadata.namespace": return e.namespace
        case "type": return e.type
        case "reason": return e.reason
        case "source", "reportingComponent": return e.component
        case "involvedObject.kind": return e.objectKind
        case "involvedObject.name": return e.objectName
        case "involvedObject.namespace": return e.objectNamespace
        case "involvedObject.uid": return e.objectUID
        case "involvedObject.fieldPath": return e.fieldPath ?? ""
        default: return ""
        }
    }

    /// Events as the log holds them (the feed moves them every few seconds, each move a change).
    func list(_ r: APIRequest, namespace: String?, api: SimulatedAPI, at t: Int64) throws(SelectorError) -> APIResponse
    {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: EventFeed.fields)
        let paging = try Paging(r)
        guard let state = api.listState(paging, at: t) else { return SimulatedAPI.continueExpired() }
        let all = state.sortedEvents(namespace: namespace)
        let page = paging.page(Array(all.indices), revision: state.revision) { i in
            labels.matches([]) && fields.matches { EventFeed.field(all[i].event, $0) }
        }
        api.listed(state, page)
        let rv = state.revision
        if r.wantsTable {
            return Tables.table(
                columns: EventFeed.columns, page: page, resourceVersion: rv, policy: Tables.objectPolicy(r),
                cells: { i, out in EventFeed.writeCells(all[i].event, at: t, into: &out) },
                metadata: { i, out in
                    EventFeed.writeIdentity(all[i].event, rv: all[i].resourceVersion, into: &out)
                },
                object: { i, out in
                    out.writeStaticString("{\"kind\":\"Event\",\"apiVersion\":\"v1\",")
                    EventFeed.writeBody(all[i].event, rv: all[i].resourceVersion, into: &out)
                })
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"EventList\",\"apiVersion\":\"v1\",")
            out.writeListMetadata(resourceVersion: rv, page: page)
            out.writeStaticString(",\"items\":[")
            for (n, i) in page.items.enumerated() {
                out.writeStaticString(n == 0 ? "{" : ",{")
                EventFeed.writeBody(all[i].event, rv: all[i].resourceVersion, into: &out)
            }
            out.writeStaticString("]}")
        }
    }

    /// An event's row: LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT, NAME.
    static func writeCells(_ e: Event, at t: Int64, into out: inout ByteBuffer) {
        out.writeJSON(HumanDuration.text(ms: max(0, t - e.last)))
        out.writeStaticString(",")
        out.writeJSON(e.type)
        out.writeStaticString(",")
        out.writeJSON(e.reason)
        out.writeStaticString(",")
        out.writeJSON(e.objectKind.lowercased() + "/" + e.objectName)
        out.writeStaticString(",")
        out.writeJSON(e.fieldPath ?? "")
        out.writeStaticString(",")
        out.writeJSON(e.host.map { "\(e.component), \($0)" } ?? e.component)
        out.writeStaticString(",")
        out.writeJSON(e.message)
        out.writeStaticString(",")
        out.writeJSON(HumanDuration.text(ms: max(0, t - e.first)))
        out.writeStaticString(",")
        out.writeDecimal(e.count)
        out.writeStaticString(",")
        out.writeJSON(e.name)
    }

    static let columns = [
        Tables.Column(
            name: "Last Seen", type: "string",
            description: "The time at which the most recent occurrence of this event was recorded."),
        Tables.Column(
            name: "Type", type: "string",
            description: "Type of this event (Normal, Warning), new types could be added in the future."),
        Tables.Column(
            name: "Reason", type: "string",
            description:
                "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."
        ),
        Tables.Column(name: "Object", type: "string", description: "The object that this event is about."),
        Tables.Column(
            name: "Subobject", type: "string", priority: 1,
            description: "An optional field path within the involved object."),
        Tables.Column(name: "Source", type: "string", priority: 1, description: "The component reporting this event."),
        Tables.Column(
            name: "Message", type: "string",
            description: "A human-readable description of the status of this operation."),
        Tables.Column(
            name: "First Seen", type: "string", priority: 1,
            description: "The time at which the event was first recorded."),
        Tables.Column(
            name: "Count", type: "string", priority: 1, description: "The number of times this event has occurred."),
        Tables.Column(name: "Name", type: "string", priority: 1, description: "Name of the event."),
    ]

    static func writeIdentity(_ e: Event, rv: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"name\":")
        out.writeJSON(e.name)
        out.writeStaticString(",\"namespace\":")
        out.writeJSON(e.namespace)
        out.writeStaticString(",\"uid\":\"")
        out.writeString(derivedUID("event/" + e.namespace + "/" + e.name))
        out.writeStaticString("\",\"resourceVersion\":\"")
        out.writeDecimal(rv)
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: e.first)
    }

    static func writeBody(_ e: Event, rv: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"metadata\":{")
        writeIdentity(e, rv: rv, into: &out)
        out.writeStaticString("},\"involvedObject\":{\"kind\":")
        out.writeJSON(e.objectKind)
        if !e.objectNamespace.isEmpty {
            out.writeStaticString(",\"namespace\":")
            out.writeJSON(e.objectNamespace)
        }
        out.writeStaticString(",\"name\":")
        out.writeJSON(e.objectName)
        out.writeStaticString(",\"uid\":")
        out.writeJSON(e.objectUID)
        out.writeStaticString(",\"apiVersion\":\"v1\"")
        if let f = e.fieldPath {
            out.writeStaticString(",\"fieldPath\":")
            out.writeJSON(f)
        }
        out.writeStaticString("},\"reason\":")
        out.writeJSON(e.reason)
        out.writeStaticString(",\"message\":")
        out.writeJSON(e.message)
        out.writeStaticString(",\"source\":{\"component\":")
        out.writeJSON(e.component)
        if let h = e.host {
            out.writeStaticString(",\"host\":")
            out.writeJSON(h)
        }
        out.writeStaticString("},\"firstTimestamp\":")
        out.writeTimestamp(ms: e.first)
        out.writeStaticString(",\"lastTimestamp\":")
        out.writeTimestamp(ms: e.last)
        out.writeStaticString(",\"count\":")
        out.writeDecimal(e.count)
        out.writeStaticString(",\"type\":")
        out.writeJSON(e.type)
        out.writeStaticString(",\"eventTime\":null,\"reportingComponent\":")
        out.writeJSON(e.component)
        out.writeStaticString(",\"reportingInstance\":")
        out.writeJSON(e.host ?? "")
        out.writeStaticString("}")
    }
}
