/// core v1 Event, old style (`lastTimestamp`, `source.component`) and new style (`eventTime`, `reportingComponent`).
extension KubeDecode {
    static func event(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> EventObject {
        let depth = r.depth
        var meta = ObjectMeta()
        var event = EventObject(namespace: "", name: "")
        var lastTimestamp: Int64?
        var eventTime: Int64?
        var firstTimestamp: Int64?
        var sourceComponent: String?
        var reportingComponent: String?
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    try objectMeta(&r, &meta, labels: false)
                    event.name = meta.name
                    event.namespace = meta.namespace
                } else if r.keyIs("type") {
                    event.type = try r.readSharedString()
                } else if r.keyIs("reason") {
                    event.reason = try r.readSharedString()
                } else if r.keyIs("message") {
                    event.message = try r.readString()
                } else if r.keyIs("count") {
                    event.count = Int(try r.readInt())
                } else if r.keyIs("lastTimestamp") {
                    lastTimestamp = try r.readTime()
                } else if r.keyIs("eventTime") {
                    eventTime = try r.readTime()
                } else if r.keyIs("firstTimestamp") {
                    firstTimestamp = try r.readTime()
                } else if r.keyIs("reportingComponent") {
                    reportingComponent = try r.readSharedString()
                } else if r.keyIs("involvedObject") {
                    try involvedObject(&r, &event)
                } else if r.keyIs("source") {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("component") {
                            sourceComponent = try r.readSharedString()
                        } else {
                            try r.skipValue()
                        }
                    }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(
                meta.name.isEmpty ? "event items[\(index)]" : "event \(meta.namespace)/\(meta.name)", at: depth)
        }
        event.lastSeen = lastTimestamp ?? eventTime ?? firstTimestamp
        event.firstSeen = firstTimestamp ?? eventTime ?? lastTimestamp
        // New-style events leave `source` empty and name the reporter in `reportingComponent`.
        event.component = [sourceComponent, reportingComponent].compactMap { $0 }.first { !$0.isEmpty }
        return event
    }

    private static func involvedObject(_ r: inout JSONReader, _ event: inout EventObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("kind") {
                event.involvedKind = try r.readSharedString()
            } else if r.keyIs("namespace") {
                event.involvedNamespace = try r.readSharedString()
            } else if r.keyIs("name") {
                event.involvedName = try r.readString()
            } else {
                try r.skipValue()
            }
        }
    }
}
