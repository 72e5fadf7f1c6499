import NIOCore

/// Writes watch events as kube-apiserver frames them over HTTP: one JSON object a line,
/// `{"type":"ADDED","object":{…}}`. Asked for a Table (`kubectl get -w`), each object is a one-row
/// Table, and only the first carries the column definitions, as the API server does.
struct WatchEventWriter {
    let api: SimulatedAPI
    let resource: WatchResource
    /// Rows' object policy when the client asked for a Table; nil for plain objects.
    let table: Tables.ObjectPolicy?
    private var columnsSent = false

    init(api: SimulatedAPI, resource: WatchResource, table: Tables.ObjectPolicy?) {
        self.api = api
        self.resource = resource
        self.table = table
    }

    private static func writeType(_ type: ChangeType, into out: inout ByteBuffer) {
        switch type {
        case .added: out.writeStaticString("{\"type\":\"ADDED\",\"object\":")
        case .modified: out.writeStaticString("{\"type\":\"MODIFIED\",\"object\":")
        case .deleted: out.writeStaticString("{\"type\":\"DELETED\",\"object\":")
        }
    }

    mutating func write(_ type: ChangeType, _ object: ChangedObject, into out: inout ByteBuffer) {
        WatchEventWriter.writeType(type, into: &out)
        if let table {
            writeTable(object, policy: table, into: &out)
        } else {
            writeObject(object, into: &out)
        }
        out.writeStaticString("}\n")
    }

    private func writeObject(_ object: ChangedObject, into out: inout ByteBuffer) {
        switch object {
        case .pod(let record):
            out.writeStaticString("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",")
            api.catalog.writePodBody(record, into: &out)
        case .node(let record):
            out.writeStaticString("{\"kind\":\"Node\",\"apiVersion\":\"v1\",")
            api.catalog.writeNodeBody(record, into: &out)
        case .event(let record):
            out.writeStaticString("{\"kind\":\"Event\",\"apiVersion\":\"v1\",")
            EventFeed.writeBody(record.event, rv: record.resourceVersion, into: &out)
        }
    }

    private func resourceVersion(_ object: ChangedObject) -> Int64 {
        switch object {
        case .pod(let r): return r.resourceVersion
        case .node(let r): return r.resourceVersion
        case .event(let r): return r.resourceVersion
        }
    }

    private mutating func writeTable(_ object: ChangedObject, policy: Tables.ObjectPolicy, into out: inout ByteBuffer) {
        let t = api.log.current.time
        out.writeStaticString(
            "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"")
        out.writeDecimal(resourceVersion(object))
        out.writeStaticString("\"},\"columnDefinitions\":")
        if columnsSent {
            out.writeStaticString("null")
        } else {
            columnsSent = true
            switch resource {
            case .pods: Tables.writeColumns(Tables.podColumns, into: &out)
            case .nodes: Tables.writeColumns(Tables.nodeColumns, into: &out)
            case .events: Tables.writeColumns(EventFeed.columns, into: &out)
            }
        }
        out.writeStaticString(",\"rows\":[{\"cells\":[")
        switch object {
        case .pod(let record): Tables.writePodCells(record, cluster: api.cluster, at: t, into: &out)
        case .node(let record): Tables.writeNodeCells(record.index, cluster: api.cluster, at: t, into: &out)
        case .event(let record): EventFeed.writeCells(record.event, at: t, into: &out)
        }
        out.writeStaticString("]")
        switch policy {
        case .none: break
        case .metadata:
            out.writeStaticString(
                ",\"object\":{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{")
            switch object {
            case .pod(let record): api.catalog.renderer.writePodIdentity(record, into: &out)
            case .node(let record): api.catalog.renderer.writeNodeIdentity(record, into: &out)
            case .event(let record): EventFeed.writeIdentity(record.event, rv: record.resourceVersion, into: &out)
            }
            out.writeStaticString("}}")
        case .object:
            out.writeStaticString(",\"object\":")
            writeObject(object, into: &out)
        }
        out.writeStaticString("}]}")
    }

    /// `{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"…"}}}`:
    /// the revision a client may resume from, with nothing else.
    func writeBookmark(_ revision: Int64, initialEventsEnd: Bool = false, into out: inout ByteBuffer) {
        out.writeStaticString("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"")
        if table != nil {
            out.writeStaticString("Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"resourceVersion\":\"")
            out.writeDecimal(revision)
            out.writeStaticString("\"},\"columnDefinitions\":null,\"rows\":[]}}\n")
            return
        }
        switch resource {
        case .pods: out.writeStaticString("Pod")
        case .nodes: out.writeStaticString("Node")
        case .events: out.writeStaticString("Event")
        }
        out.writeStaticString("\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"")
        out.writeDecimal(revision)
        out.writeStaticString(
            initialEventsEnd ? "\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n" : "\"}}}\n")
    }

    /// The ERROR kube-apiserver sends when a watch starts before the history it keeps; then it ends.
    func writeExpired(_ revision: Int64, floor: Int64, into out: inout ByteBuffer) {
        out.writeStaticString(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: "
        )
        out.writeDecimal(revision)
        out.writeStaticString(" (")
        out.writeDecimal(floor)
        out.writeStaticString(")\",\"reason\":\"Expired\",\"code\":410}}\n")
    }
}
