import DemoCluster
import KubeglassCore
import NIOCore

/// core/v1 nodes, pods and namespaces: lists (JSON or kubectl's Table), single objects, selectors, paging.
extension SimulatedAPI {
    static let podFields: Set<String> = [
        "metadata.name", "metadata.namespace", "spec.nodeName", "status.phase", "spec.restartPolicy",
        "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName",
    ]
    static let nodeFields: Set<String> = ["metadata.name", "spec.unschedulable"]
    static let namespaceFields: Set<String> = ["metadata.name", "status.phase"]

    func podField(_ record: PodRecord, _ field: String) -> String {
        let pod = record.pod
        switch field {
        case "metadata.name": return pod.name
        case "metadata.namespace": return pod.namespace
        case "spec.nodeName": return pod.nodeIndex.map { cluster.nodes[$0].name } ?? ""
        case "status.phase": return pod.phase.rawValue
        case "spec.restartPolicy": return pod.ownerKind == "Job" ? "Never" : "Always"
        case "spec.schedulerName": return "default-scheduler"
        case "spec.serviceAccountName": return "default"
        case "status.podIP": return pod.phase == .running ? (pod.podIP ?? "") : ""
        default: return ""
        }
    }

    /// The cluster a list reads: as of `t`, or for a `continue` token as of its first page's revision
    /// (nil when that revision is no longer kept: the client must list again, as after etcd compaction).
    func listState(_ paging: Paging, at t: Int64) -> ClusterState? {
        let now = log.advance(to: t)
        guard let revision = paging.revision else { return now }
        if revision == now.revision { return now }
        return log.pinned(revision)
    }

    /// A list's answer: remembers its state when it has more pages, so that they read the same revision.
    func listed(_ state: ClusterState, _ page: ListPage) {
        if page.continueToken != nil { log.pin(state) }
    }

    static func continueExpired() -> APIResponse {
        .failure(
            410, reason: "Expired",
            message:
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
        )
    }

    func listPods(_ r: APIRequest, namespace: String?, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.podFields)
        let paging = try Paging(r)
        guard let state = listState(paging, at: t) else { return SimulatedAPI.continueExpired() }
        let pods = state.pods
        let page = paging.page(pods.candidates(namespace: namespace, fields: fields), revision: state.revision) {
            slot in
            if labels.isEmpty && fields.isEmpty { return true }
            guard let record = pods.record(slot) else { return false }
            return labels.matches(record.labels) && fields.matches { podField(record, $0) }
        }
        listed(state, page)
        if r.wantsTable {
            return Tables.response(.pods, page: page, state: state, api: self, request: r, at: t)
        }
        return streamList("PodList", page: page, resourceVersion: state.revision) { catalog, slot, out in
            if let record = pods.record(slot) { catalog.writePodBody(record, into: &out) }
        }
    }

    func getPod(namespace: String, name: String, _ r: APIRequest, at t: Int64) -> APIResponse {
        let state = log.advance(to: t)
        guard let slot = state.pods.slot(named: namespace + "/" + name), let record = state.pods.record(slot) else {
            return .notFound(kind: "Pod", resource: "pods", name: name)
        }
        if r.wantsTable {
            return Tables.response(.pods, page: ListPage(items: [slot]), state: state, api: self, request: r, at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",")
            catalog.writePodBody(record, into: &out)
        }
    }

    func listNodes(_ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.nodeFields)
        let paging = try Paging(r)
        guard let state = listState(paging, at: t) else { return SimulatedAPI.continueExpired() }
        let page = paging.page(Array(cluster.nodes.indices), revision: state.revision) { i in
            (labels.isEmpty || labels.matches(catalog.nodeLabels[i]))
                && fields.matches { $0 == "metadata.name" ? cluster.nodes[i].name : "false" }
        }
        listed(state, page)
        if r.wantsTable {
            return Tables.response(.nodes, page: page, state: state, api: self, request: r, at: t)
        }
        let nodes = state.nodes
        return streamList("NodeList", page: page, resourceVersion: state.revision) { catalog, i, out in
            catalog.writeNodeBody(nodes[i], into: &out)
        }
    }

    func getNode(_ name: String, _ r: APIRequest, at t: Int64) -> APIResponse {
        guard let i = catalog.nodeIndexByName[name] else {
            return .notFound(kind: "Node", resource: "nodes", name: name)
        }
        let state = log.advance(to: t)
        if r.wantsTable {
            return Tables.response(.nodes, page: ListPage(items: [i]), state: state, api: self, request: r, at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Node\",\"apiVersion\":\"v1\",")
            catalog.writeNodeBody(state.nodes[i], into: &out)
        }
    }

    func writeNamespaceBody(_ i: Int, into out: inout ByteBuffer) {
        let name = catalog.namespaces[i]
        out.writeStaticString("\"metadata\":{")
        writeNamespaceIdentity(i, into: &out)
        out.writeStaticString(",\"labels\":{\"kubernetes.io/metadata.name\":")
        out.writeJSON(name)
        out.writeStaticString("}},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}")
    }

    func writeNamespaceIdentity(_ i: Int, into out: inout ByteBuffer) {
        let name = catalog.namespaces[i]
        out.writeStaticString("\"name\":")
        out.writeJSON(name)
        out.writeStaticString(",\"uid\":\"")
        out.writeString(derivedUID("namespace/" + name))
        out.writeStaticString("\",\"resourceVersion\":\"")
        out.writeDecimal(catalog.renderer.resourceVersionBase + 100 + Int64(i))
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: catalog.namespaceCreatedAt + Int64(i) * Milliseconds.minute)
    }

    func listNamespaces(_ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.namespaceFields)
        let paging = try Paging(r)
        guard let state = listState(paging, at: t) else { return SimulatedAPI.continueExpired() }
        let rv = state.revision
        let page = paging.page(Array(catalog.namespaces.indices), revision: rv) { i in
            labels.matches([(key: "kubernetes.io/metadata.name", value: catalog.namespaces[i])])
                && fields.matches { $0 == "metadata.name" ? catalog.namespaces[i] : "Active" }
        }
        listed(state, page)
        if r.wantsTable {
            return Tables.response(.namespaces, page: page, state: state, api: self, request: r, at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",")
            out.writeListMetadata(resourceVersion: rv, page: page)
            out.writeStaticString(",\"items\":[")
            for (n, i) in page.items.enumerated() {
                out.writeStaticString(n == 0 ? "{" : ",{")
                writeNamespaceBody(i, into: &out)
            }
            out.writeStaticString("]}")
        }
    }

    func getNamespace(_ name: String, _ r: APIRequest, at t: Int64) -> APIResponse {
        guard let i = catalog.namespaces.firstIndex(of: name) else {
            return .notFound(kind: "Namespace", resource: "namespaces", name: name)
        }
        if r.wantsTable {
            return Tables.response(
                .namespaces, page: ListPage(items: [i]), state: log.advance(to: t), api: self, request: r, at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",")
            writeNamespaceBody(i, into: &out)
        }
    }

    /// A `…List` streamed item by item: the header and list metadata, then each item's body.
    private func streamList(
        _ kind: StaticString, page: ListPage, resourceVersion rv: Int64,
        item: @escaping @Sendable (ClusterCatalog, Int, inout ByteBuffer) -> Void
    ) -> APIResponse {
        var header = ByteBufferAllocator().buffer(capacity: 256)
        header.writeStaticString("{\"kind\":\"")
        header.writeStaticString(kind)
        header.writeStaticString("\",\"apiVersion\":\"v1\",")
        header.writeListMetadata(resourceVersion: rv, page: page)
        header.writeStaticString(",\"items\":[")
        let items = page.items
        let rendered = catalog
        return APIResponse(
            body: .stream(
                .list(header: header, count: items.count, footer: "]}") { n, out in
                    out.writeStaticString("{")
                    item(rendered, items[n], &out)
                }))
    }
}
