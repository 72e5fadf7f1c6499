import DemoCluster
import KubeglassCore
import NIOCore

/// meta.k8s.io/v1 `Table` responses: the columns `kubectl get` prints, computed by the server
/// as the API server's printers do, with each row's object as PartialObjectMetadata.
enum Tables {
    enum Kind { case pods, nodes, namespaces }

    struct Column {
        var name: StaticString, type: StaticString, format: StaticString = "", priority = 0,
            description: StaticString = ""
    }

    static let podColumns = [
        Column(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace."),
        Column(
            name: "Ready", type: "string",
            description: "The aggregate readiness state of this pod for accepting traffic."),
        Column(name: "Status", type: "string", description: "The aggregate status of the containers in this pod."),
        Column(
            name: "Restarts", type: "string",
            description:
                "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."
        ),
        Column(
            name: "Age", type: "string",
            description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
        Column(name: "IP", type: "string", priority: 1, description: "IP address allocated to the pod."),
        Column(
            name: "Node", type: "string", priority: 1,
            description: "NodeName is a request to schedule this pod onto a specific node."),
        Column(
            name: "Nominated Node", type: "string", priority: 1,
            description: "nominatedNodeName is set only when this pod preempts other pods on the node."),
        Column(
            name: "Readiness Gates", type: "string", priority: 1,
            description: "If specified, all readiness gates will be evaluated for pod readiness."),
    ]
    static let nodeColumns = [
        Column(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace."),
        Column(name: "Status", type: "string", description: "The status of the node"),
        Column(name: "Roles", type: "string", description: "The roles of the node"),
        Column(
            name: "Age", type: "string",
            description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
        Column(name: "Version", type: "string", description: "Kubelet Version reported by the node."),
        Column(
            name: "Internal-IP", type: "string", priority: 1, description: "List of addresses reachable to the node."),
        Column(
            name: "External-IP", type: "string", priority: 1, description: "List of addresses reachable to the node."),
        Column(
            name: "OS-Image", type: "string", priority: 1,
            description: "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        Column(
            name: "Kernel-Version", type: "string", priority: 1,
            description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        Column(
            name: "Container-Runtime", type: "string", priority: 1,
            description:
                "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ]
    static let namespaceColumns = [
        Column(name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace."),
        Column(name: "Status", type: "string", description: "The status of the namespace"),
        Column(
            name: "Age", type: "string",
            description: "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ]

    enum ObjectPolicy { case none, metadata, object }

    static func objectPolicy(_ r: APIRequest) -> ObjectPolicy {
        switch r.query["includeObject"] {
        case "None": return .none
        case "Object": return .object
        default: return .metadata
        }
    }

    /// `[{"name":…,"type":…,"format":…,"description":…,"priority":…},…]`
    static func writeColumns(_ columns: [Column], into out: inout ByteBuffer) {
        out.writeStaticString("[")
        for (n, c) in columns.enumerated() {
            if n > 0 { out.writeStaticString(",") }
            out.writeStaticString("{\"name\":\"")
            out.writeStaticString(c.name)
            out.writeStaticString("\",\"type\":\"")
            out.writeStaticString(c.type)
            out.writeStaticString("\",\"format\":\"")
            out.writeStaticString(c.format)
            out.writeStaticString("\",\"description\":")
            out.writeJSON(c.description.description)
            out.writeStaticString(",\"priority\":")
            out.writeDecimal(c.priority)
            out.writeStaticString("}")
        }
        out.writeStaticString("]")
    }

    /// A Table: header with columns and list metadata, then one row per item (streamed).
    static func table(
        columns: [Column], page: ListPage, resourceVersion: Int64, policy: ObjectPolicy,
        cells: @escaping (Int, inout ByteBuffer) -> Void,
        metadata: @escaping (Int, inout ByteBuffer) -> Void,
        object: @escaping (Int, inout ByteBuffer) -> Void
    ) -> APIResponse {
        var header = ByteBufferAllocator().buffer(capacity: 4096)
        header.writeStaticString("{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",")
        header.writeListMetadata(resourceVersion: resourceVersion, page: page)
        header.writeStaticString(",\"columnDefinitions\":")
        writeColumns(columns, into: &header)
        header.writeStaticString(",\"rows\":[")
        let items = page.items
        return APIResponse(
            body: .stream(
                .list(header: header, count: items.count, footer: "]}") { n, out in
                    let i = items[n]
                    out.writeStaticString("{\"cells\":[")
                    cells(i, &out)
                    out.writeStaticString("]")
                    switch policy {
                    case .none: break
                    case .metadata:
                        out.writeStaticString(
                            ",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{"
                        )
                        metadata(i, &out)
                        out.writeStaticString("}}")
                    case .object:
                        out.writeStaticString(",\"object\":")
                        object(i, &out)
                    }
                    out.writeStaticString("}")
                }))
    }

    /// A pod's row: NAME, READY, STATUS, RESTARTS, AGE, IP, NODE, NOMINATED NODE, READINESS GATES.
    static func writePodCells(_ record: PodRecord, cluster: ClusterModel, at t: Int64, into out: inout ByteBuffer) {
        let pod = record.pod
        let up = cluster.isRunning(pod, at: record.asOf)
        let ready = up ? pod.containers.count : 0
        out.writeJSON(pod.name)
        out.writeStaticString(",\"")
        out.writeDecimal(ready)
        out.writeStaticString("/")
        out.writeDecimal(pod.containers.count)
        out.writeStaticString("\",")
        if pod.phase == .pending && pod.nodeIndex != nil {
            out.writeStaticString("\"ContainerCreating\"")
        } else {
            out.writeJSON(cluster.status(pod, at: record.asOf))
        }
        out.writeStaticString(",")
        let restarts = cluster.restarts(pod, at: record.asOf) + record.extraRestarts
        if restarts > 0 {
            let last =
                pod.crashLoops
                ? cluster.lastRestart(of: pod, at: record.asOf) - (up ? 5 * Milliseconds.minute : 0) + 25_000
                : record.lastStart ?? record.asOf
            out.writeJSON("\(restarts) (\(HumanDuration.text(ms: max(0, t - last))) ago)")
        } else {
            out.writeStaticString("0")
        }
        out.writeStaticString(",")
        out.writeJSON(HumanDuration.text(ms: max(0, t - pod.createdAt)))
        out.writeStaticString(",")
        out.writeJSON(pod.phase == .running ? (pod.podIP ?? "<none>") : "<none>")
        out.writeStaticString(",")
        out.writeJSON(pod.nodeIndex.map { cluster.nodes[$0].name } ?? "<none>")
        out.writeStaticString(",\"<none>\",\"<none>\"")
    }

    /// A node's row: NAME, STATUS, ROLES, AGE, VERSION, INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL, RUNTIME.
    static func writeNodeCells(_ i: Int, cluster: ClusterModel, at t: Int64, into out: inout ByteBuffer) {
        let node = cluster.nodes[i]
        out.writeJSON(node.name)
        out.writeStaticString(",")
        out.writeJSON(cluster.conditions(ofNode: i).joined(separator: ","))
        out.writeStaticString(",\"worker\",")
        out.writeJSON(HumanDuration.text(ms: t - node.createdAt))
        out.writeStaticString(",\"")
        out.writeString(ObjectRenderer.kubeletVersion)
        out.writeStaticString("\",\"")
        out.writeString(node.internalIP)
        out.writeStaticString(
            "\",\"<none>\",\"Debian GNU/Linux 12 (bookworm)\",\"6.1.0-28-amd64\",\"containerd://1.7.24\"")
    }

    static func response(
        _ kind: Kind, page: ListPage, state: ClusterState, api: SimulatedAPI, request: APIRequest, at t: Int64
    ) -> APIResponse {
        let cluster = api.cluster
        let catalog = api.catalog
        let policy = objectPolicy(request)
        let resourceVersion = state.revision
        switch kind {
        case .pods:
            let renderer = catalog.renderer
            let pods = state.pods
            return table(
                columns: podColumns, page: page, resourceVersion: resourceVersion, policy: policy,
                cells: { slot, out in
                    if let record = pods.record(slot) { writePodCells(record, cluster: cluster, at: t, into: &out) }
                },
                metadata: { slot, out in
                    if let record = pods.record(slot) { renderer.writePodIdentity(record, into: &out) }
                },
                object: { slot, out in
                    out.writeStaticString("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",")
                    if let record = pods.record(slot) { catalog.writePodBody(record, into: &out) }
                })
        case .nodes:
            let renderer = catalog.renderer
            let nodes = state.nodes
            return table(
                columns: nodeColumns, page: page, resourceVersion: resourceVersion, policy: policy,
                cells: { i, out in writeNodeCells(i, cluster: cluster, at: t, into: &out) },
                metadata: { i, out in
                    renderer.writeNodeIdentity(nodes[i], into: &out)
                },
                object: { i, out in
                    out.writeStaticString("{\"kind\":\"Node\",\"apiVersion\":\"v1\",")
                    catalog.writeNodeBody(nodes[i], into: &out)
                })
        case .namespaces:
            return table(
                columns: namespaceColumns, page: page, resourceVersion: resourceVersion, policy: policy,
                cells: { i, out in
                    out.writeJSON(catalog.namespaces[i])
                    out.writeStaticString(",\"Active\",")
                    out.writeJSON(
                        HumanDuration.text(ms: t - catalog.namespaceCreatedAt - Int64(i) * Milliseconds.minute))
                },
                metadata: { i, out in
                    api.writeNamespaceIdentity(i, into: &out)
                },
                object: { i, out in
                    out.writeStaticString("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",")
                    api.writeNamespaceBody(i, into: &out)
                })
        }
    }
}
