/// core v1 Event, old style (`lastTimestamp`, `source.component`) and new style (`eventTime`, `reportingComponent`).
extension KubeDecode {
    static func event(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> EventObject {
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
                    do throws(KubeDecodeError) {
                        try r.enterObject()
                        while try r.nextKey() {
                            if try r.skipNull() { continue }
                            if r.keyIs("name") {
                                do throws(KubeDecodeError) { event.name = try r.readString() } catch { throw error.under("name") }
                            } else if r.keyIs("namespace") {
                                do throws(KubeDecodeError) { event.namespace = try r.readSharedString() } catch { throw error.under("namespace") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("metadata") }
                } else if r.keyIs("type") {
                    do throws(KubeDecodeError) { event.type = try r.readSharedString() } catch { throw error.under("type") }
                } else if r.keyIs("reason") {
                    do throws(KubeDecodeError) { event.reason = try r.readSharedString() } catch { throw error.under("reason") }
                } else if r.keyIs("message") {
                    do throws(KubeDecodeError) { event.message = try r.readString() } catch { throw error.under("message") }
                } else if r.keyIs("count") {
                    do throws(KubeDecodeError) { event.count = Int(try r.readInt()) } catch { throw error.under("count") }
                } else if r.keyIs("lastTimestamp") {
                    do throws(KubeDecodeError) { lastTimestamp = try r.readTime() } catch { throw error.under("lastTimestamp") }
                } else if r.keyIs("eventTime") {
                    do throws(KubeDecodeError) { eventTime = try r.readTime() } catch { throw error.under("eventTime") }
                } else if r.keyIs("firstTimestamp") {
                    do throws(KubeDecodeError) { firstTimestamp = try r.readTime() } catch { throw error.under("firstTimestamp") }
                } else if r.keyIs("reportingComponent") {
                    do throws(KubeDecodeError) { reportingComponent = try r.readSharedString() } catch { throw error.under("reportingComponent") }
                } else if r.keyIs("involvedObject") {
                    do throws(KubeDecodeError) { try involvedObject(&r, &event) } catch { throw error.under("involvedObject") }
                } else if r.keyIs("source") {
                    do throws(KubeDecodeError) {
                        try r.enterObject()
                        while try r.nextKey() {
                            if try r.skipNull() { continue }
                            if r.keyIs("component") {
                                do throws(KubeDecodeError) { sourceComponent = try r.readSharedString() } catch { throw error.under("component") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("source") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(event.name.isEmpty ? "event items[\(index)]" : "event \(event.namespace)/\(event.name)")
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
                do throws(KubeDecodeError) { event.involvedKind = try r.readSharedString() } catch { throw error.under("kind") }
            } else if r.keyIs("namespace") {
                do throws(KubeDecodeError) { event.involvedNamespace = try r.readSharedString() } catch { throw error.under("namespace") }
            } else if r.keyIs("name") {
                do throws(KubeDecodeError) { event.involvedName = try r.readString() } catch { throw error.under("name") }
            } else {
                try r.skipValue()
            }
        }
    }
}
