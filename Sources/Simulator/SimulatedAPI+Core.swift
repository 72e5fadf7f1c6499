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

    func podField(_ i: Int, _ field: String) -> String {
        let pod = cluster.pods[i]
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

    /// The pods a selector can possibly match, narrowed by namespace or `spec.nodeName=` first.
    func podCandidates(namespace: String?, fields: FieldSelector) -> [Int] {
        if let nodeName = fields.required("spec.nodeName") {
            if nodeName.isEmpty {
                return cluster.pods.indices.filter {
                    cluster.pods[$0].nodeIndex == nil && (namespace == nil || cluster.pods[$0].namespace == namespace)
                }
            }
            guard let n = catalog.nodeIndexByName[nodeName] else { return [] }
            return catalog.podsByNode[n].filter { namespace == nil || cluster.pods[$0].namespace == namespace }
        }
        if let namespace { return catalog.podsByNamespace[namespace] ?? [] }
        if let ns = fields.required("metadata.namespace") { return catalog.podsByNamespace[ns] ?? [] }
        return Array(cluster.pods.indices)
    }

    func listPods(_ r: APIRequest, namespace: String?, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.podFields)
        let paging = try Paging(r)
        let page = paging.page(podCandidates(namespace: namespace, fields: fields)) { i in
            (labels.isEmpty || labels.matches(catalog.podLabels[i]))
                && (fields.isEmpty || fields.matches { podField(i, $0) })
        }
        let rv = resourceVersion(at: t)
        if r.wantsTable {
            return Tables.response(.pods, page: page, resourceVersion: rv, api: self, request: r, at: t)
        }
        return streamList(
            "PodList", page: page, resourceVersion: rv, at: t, item: { $0.writePodBody($1, at: $2, into: &$3) })
    }

    func getPod(namespace: String, name: String, _ r: APIRequest, at t: Int64) -> APIResponse {
        guard let i = catalog.podIndexByName[namespace + "/" + name] else {
            return .notFound(kind: "Pod", resource: "pods", name: name)
        }
        if r.wantsTable {
            return Tables.response(
                .pods, page: ListPage(items: [i]), resourceVersion: resourceVersion(at: t), api: self, request: r, at: t
            )
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",")
            catalog.writePodBody(i, at: t, into: &out)
        }
    }

    func listNodes(_ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.nodeFields)
        let paging = try Paging(r)
        let page = paging.page(Array(cluster.nodes.indices)) { i in
            (labels.isEmpty || labels.matches(catalog.nodeLabels[i]))
                && fields.matches { $0 == "metadata.name" ? cluster.nodes[i].name : "false" }
        }
        let rv = resourceVersion(at: t)
        if r.wantsTable {
            return Tables.response(.nodes, page: page, resourceVersion: rv, api: self, request: r, at: t)
        }
        return streamList(
            "NodeList", page: page, resourceVersion: rv, at: t, item: { $0.writeNodeBody($1, at: $2, into: &$3) })
    }

    func getNode(_ name: String, _ r: APIRequest, at t: Int64) -> APIResponse {
        guard let i = catalog.nodeIndexByName[name] else {
            return .notFound(kind: "Node", resource: "nodes", name: name)
        }
        if r.wantsTable {
            return Tables.response(
                .nodes, page: ListPage(items: [i]), resourceVersion: resourceVersion(at: t), api: self, request: r,
                at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Node\",\"apiVersion\":\"v1\",")
            catalog.writeNodeBody(i, at: t, into: &out)
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
        out.writeDecimal(100 + i)
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: catalog.namespaceCreatedAt + Int64(i) * Milliseconds.minute)
    }

    func listNamespaces(_ r: APIRequest, at t: Int64) throws(SelectorError) -> APIResponse {
        let labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: SimulatedAPI.namespaceFields)
        let page = try Paging(r).page(Array(catalog.namespaces.indices)) { i in
            labels.matches([(key: "kubernetes.io/metadata.name", value: catalog.namespaces[i])])
                && fields.matches { $0 == "metadata.name" ? catalog.namespaces[i] : "Active" }
        }
        let rv = resourceVersion(at: t)
        if r.wantsTable {
            return Tables.response(.namespaces, page: page, resourceVersion: rv, api: self, request: r, at: t)
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
                .namespaces, page: ListPage(items: [i]), resourceVersion: resourceVersion(at: t), api: self, request: r,
                at: t)
        }
        return .json { out in
            out.writeStaticString("{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",")
            writeNamespaceBody(i, into: &out)
        }
    }

    /// A `…List` streamed item by item: the header and list metadata, then each item's body.
    private func streamList(
        _ kind: StaticString, page: ListPage, resourceVersion rv: Int64, at t: Int64,
        item: @escaping @Sendable (ClusterCatalog, Int, Int64, inout ByteBuffer) -> Void
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
                    item(rendered, items[n], t, &out)
                }))
    }
}
