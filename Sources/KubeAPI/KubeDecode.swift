/// Decoding of API responses. Every function takes the whole body and throws `KubeDecodeError`
/// on malformed, truncated or wrongly shaped JSON; it never traps on any input.
public enum KubeDecode {
    public static func nodeList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<NodeObject> {
        try list(body, kind: "NodeList") { (r, index) throws(KubeDecodeError) in try node(&r, index) }
    }

    public static func podList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<PodObject> {
        try list(body, kind: "PodList") { (r, index) throws(KubeDecodeError) in try pod(&r, index) }
    }

    public static func nodeMetricsList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<NodeMetricsObject> {
        try list(body, kind: "NodeMetricsList") { (r, index) throws(KubeDecodeError) in try nodeMetrics(&r, index) }
    }

    public static func podMetricsList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<PodMetricsObject> {
        try list(body, kind: "PodMetricsList") { (r, index) throws(KubeDecodeError) in try podMetrics(&r, index) }
    }

    public static func eventList(_ body: [UInt8]) throws(KubeDecodeError) -> KubeList<EventObject> {
        try list(body, kind: "EventList") { (r, index) throws(KubeDecodeError) in try event(&r, index) }
    }

    // The same lists, each page's items decoded onto the end of `items`: a list read page by page is
    // built in place, not copied together afterwards (150,000 pods, a dozen retains each). The returned
    // list has the page's metadata and no items.

    public static func nodeList(_ body: [UInt8], appendingTo items: inout [NodeObject]) throws(KubeDecodeError)
        -> KubeList<NodeObject>
    {
        try list(body, kind: "NodeList", appendingTo: &items) { (r, index) throws(KubeDecodeError) in
            try node(&r, index)
        }
    }

    /// `labels` false: the pods' labels are skipped, not read (a poll of 150,000 pods has no use for
    /// them, and reading them into dictionaries cost 5 % of its CPU).
    public static func podList(_ body: [UInt8], appendingTo items: inout [PodObject], labels: Bool = true)
        throws(KubeDecodeError) -> KubeList<PodObject>
    {
        try list(body, kind: "PodList", appendingTo: &items) { (r, index) throws(KubeDecodeError) in
            try pod(&r, index, labels: labels)
        }
    }

    public static func nodeMetricsList(_ body: [UInt8], appendingTo items: inout [NodeMetricsObject])
        throws(KubeDecodeError) -> KubeList<NodeMetricsObject>
    {
        try list(body, kind: "NodeMetricsList", appendingTo: &items) { (r, index) throws(KubeDecodeError) in
            try nodeMetrics(&r, index)
        }
    }

    public static func podMetricsList(_ body: [UInt8], appendingTo items: inout [PodMetricsObject])
        throws(KubeDecodeError) -> KubeList<PodMetricsObject>
    {
        try list(body, kind: "PodMetricsList", appendingTo: &items) { (r, index) throws(KubeDecodeError) in
            try podMetrics(&r, index)
        }
    }

    public static func eventList(_ body: [UInt8], appendingTo items: inout [EventObject]) throws(KubeDecodeError)
        -> KubeList<EventObject>
    {
        try list(body, kind: "EventList", appendingTo: &items) { (r, index) throws(KubeDecodeError) in
            try event(&r, index)
        }
    }

    public static func summary(_ body: [UInt8]) throws(KubeDecodeError) -> Summary {
        try read(body) { (r) throws(KubeDecodeError) in try summary(&r) }
    }

    /// The `Status` in an error response; nil when the body is not a Status.
    public static func status(_ body: [UInt8]) -> KubeStatus? {
        try? read(body) { (r) throws(KubeDecodeError) in try status(&r) }
    }

    /// `/apis` (an APIGroupList): group name → preferred version (`metrics.k8s.io` → `v1beta1`).
    public static func apiGroups(_ body: [UInt8]) throws(KubeDecodeError) -> [String: String] {
        try read(body) { (r) throws(KubeDecodeError) in try apiGroups(&r) }
    }

    /// Runs `decode` over the body, then checks nothing but whitespace follows the document.
    static func read<T>(_ body: [UInt8], _ decode: (inout JSONReader) throws(KubeDecodeError) -> T)
        throws(KubeDecodeError) -> T
    {
        let result = body.withUnsafeBufferPointer { buffer -> Result<T, KubeDecodeError> in
            var reader = JSONReader(buffer)
            do throws(KubeDecodeError) {
                let value = try decode(&reader)
                try reader.finish()
                return .success(value)
            } catch {
                return .failure(error.named)
            }
        }
        return try result.get()
    }

    /// A `…List`: `metadata.resourceVersion`/`continue` and every item of `items`.
    /// `kind` is checked when present, so a Status or a list of something else is not read as empty.
    static func list<Item>(
        _ body: [UInt8], kind expectedKind: String,
        item: (inout JSONReader, Int) throws(KubeDecodeError) -> Item
    ) throws(KubeDecodeError) -> KubeList<Item> {
        var items: [Item] = []
        var list = try list(body, kind: expectedKind, appendingTo: &items, item: item)
        list.items = items
        return list
    }

    /// `list`, its items appended to `items` (the returned list has none).
    static func list<Item>(
        _ body: [UInt8], kind expectedKind: String, appendingTo items: inout [Item],
        item: (inout JSONReader, Int) throws(KubeDecodeError) -> Item
    ) throws(KubeDecodeError) -> KubeList<Item> {
        let (list, kind) = try read(body) { (r) throws(KubeDecodeError) -> (KubeList<Item>, String?) in
            var list = KubeList<Item>()
            var kind: String?
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("items") {
                    try r.enterArray()
                    var index = 0
                    while try r.nextElement() {
                        if try r.skipNull() { continue }
                        items.append(try item(&r, index))
                        index += 1
                    }
                } else if r.keyIs("metadata") {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("resourceVersion") {
                            list.resourceVersion = try r.readString()
                        } else if r.keyIs("continue") {
                            let token = try r.readString()
                            list.continueToken = token.isEmpty ? nil : token
                        } else {
                            try r.skipValue()
                        }
                    }
                } else if r.keyIs("kind") {
                    kind = try r.readString()
                } else {
                    try r.skipValue()
                }
            }
            return (list, kind)
        }
        if let kind, !kind.isEmpty, kind != expectedKind, kind != "List" {
            if kind == "Status", let status = status(body) {
                let what = [status.code.map { "\($0)" }, status.reason, status.message].compactMap { $0 }.joined(
                    separator: " ")
                throw KubeDecodeError(
                    offset: 0, message: "the API server answered with an error instead of a \(expectedKind): \(what)")
            }
            throw KubeDecodeError(offset: 0, message: "expected a \(expectedKind), but the body is a \(kind)")
        }
        return list
    }
}
