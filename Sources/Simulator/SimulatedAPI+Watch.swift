import NIOCore

/// What a watch is about.
enum WatchResource: Sendable {
    case pods, nodes, events
}

/// Which objects a watch sees: its namespace, label and field selectors, as its list would.
struct WatchFilter: Sendable {
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector

    init(_ resource: WatchResource, _ r: APIRequest, namespace: String?) throws(SelectorError) {
        self.namespace = namespace
        labels = try LabelSelector(r.query["labelSelector"] ?? "")
        let supported: Set<String>
        switch resource {
        case .pods: supported = SimulatedAPI.podFields
        case .nodes: supported = SimulatedAPI.nodeFields
        case .events: supported = EventFeed.fields
        }
        fields = try FieldSelector(r.query["fieldSelector"] ?? "", supported: supported)
    }

    func matches(_ pod: PodRecord, api: SimulatedAPI) -> Bool {
        (namespace == nil || pod.pod.namespace == namespace)
            && (labels.isEmpty || labels.matches(pod.labels))
            && (fields.isEmpty || fields.matches { api.podField(pod, $0) })
    }

    func matches(node i: Int, api: SimulatedAPI) -> Bool {
        (labels.isEmpty || labels.matches(api.catalog.nodeLabels[i]))
            && fields.matches { $0 == "metadata.name" ? api.cluster.nodes[i].name : "false" }
    }

    func matches(_ event: EventRecord) -> Bool {
        (namespace == nil || event.event.namespace == namespace)
            && labels.matches([]) && fields.matches { EventFeed.field(event.event, $0) }
    }
}

/// `?watch=1` on the pod, node and event lists: a stream of changes, as kube-apiserver serves it.
extension SimulatedAPI {
    func watch(_ resource: WatchResource, _ r: APIRequest, namespace: String?, at t: Int64) throws(SelectorError)
        -> APIResponse
    {
        let filter = try WatchFilter(resource, r, namespace: namespace)
        var timeout = watchOptions.defaultTimeout
        if let text = r.query["timeoutSeconds"], !text.isEmpty {
            guard let seconds = Int64(text), seconds >= 0 else {
                throw SelectorError("timeoutSeconds: Invalid value: \"\(text)\": must be a whole number of seconds")
            }
            if seconds > 0 { timeout = seconds * 1000 }
        }
        let state = log.advance(to: t)
        let start: WatchStream.Start
        let text = r.query["resourceVersion"] ?? ""
        if text.isEmpty || text == "0" {
            start = .listing(state)
        } else {
            guard let revision = Int64(text), revision > 0 else {
                throw SelectorError("resourceVersion: Invalid value: \"\(text)\": must be a resource version")
            }
            // The API server waits a few seconds for a future revision, then gives up like this.
            if revision > state.revision { return SimulatedAPI.tooLarge(revision, current: state.revision) }
            start = .after(revision)
        }
        let stream = WatchStream(
            api: self, resource: resource, filter: filter,
            table: r.wantsTable ? Tables.objectPolicy(r) : nil,
            bookmarks: ["true", "1"].contains(r.query["allowWatchBookmarks"] ?? ""),
            initialEventsEnd: r.query["sendInitialEvents"] == "true",
            start: start, at: t, timeout: timeout)
        return APIResponse(body: .watch(stream))
    }

    static func tooLarge(_ revision: Int64, current: Int64) -> APIResponse {
        .json(504) { out in
            out.writeStaticString(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Too large resource version: "
            )
            out.writeDecimal(revision)
            out.writeStaticString(", current: ")
            out.writeDecimal(current)
            out.writeStaticString(
                "\",\"reason\":\"Timeout\",\"details\":{\"causes\":[{\"reason\":\"ResourceVersionTooLarge\",\"message\":\"Too large resource version\"}],\"retryAfterSeconds\":1},\"code\":504}"
            )
        }
    }
}
