/// core v1 Node: metadata, spec.unschedulable, capacity, allocatable, conditions, InternalIP, kubelet version.
extension KubeDecode {
    static func node(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> NodeObject {
        var node = NodeObject(name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    do throws(KubeDecodeError) { try nodeMetadata(&r, &node) } catch { throw error.under("metadata") }
                } else if r.keyIs("spec") {
                    do throws(KubeDecodeError) {
                        try r.enterObject()
                        while try r.nextKey() {
                            if try r.skipNull() { continue }
                            if r.keyIs("unschedulable") {
                                do throws(KubeDecodeError) { node.unschedulable = try r.readBool() } catch { throw error.under("unschedulable") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("spec") }
                } else if r.keyIs("status") {
                    do throws(KubeDecodeError) { try nodeStatus(&r, &node) } catch { throw error.under("status") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(node.name.isEmpty ? "node items[\(index)]" : "node \(node.name)")
        }
        return node
    }

    private static func nodeMetadata(_ r: inout JSONReader, _ node: inout NodeObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                do throws(KubeDecodeError) { node.name = try r.readString() } catch { throw error.under("name") }
            } else if r.keyIs("labels") {
                do throws(KubeDecodeError) { node.labels = try r.readStringMap() } catch { throw error.under("labels") }
            } else if r.keyIs("creationTimestamp") {
                do throws(KubeDecodeError) { node.createdAt = try r.readTime() } catch { throw error.under("creationTimestamp") }
            } else {
                try r.skipValue()
            }
        }
    }

    private static func nodeStatus(_ r: inout JSONReader, _ node: inout NodeObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("capacity") {
                do throws(KubeDecodeError) { node.capacity = try r.readResourceList() } catch { throw error.under("capacity") }
            } else if r.keyIs("allocatable") {
                do throws(KubeDecodeError) { node.allocatable = try r.readResourceList() } catch { throw error.under("allocatable") }
            } else if r.keyIs("conditions") {
                do throws(KubeDecodeError) {
                    node.conditions = try r.readArray(condition)
                } catch { throw error.under("conditions") }
            } else if r.keyIs("addresses") {
                do throws(KubeDecodeError) {
                    try r.enterArray()
                    var index = 0
                    while try r.nextElement() {
                        if try r.skipNull() { continue }
                        do throws(KubeDecodeError) {
                            let (type, address) = try nodeAddress(&r)
                            if type == "InternalIP" && node.internalIP == nil { node.internalIP = address }
                        } catch { throw error.under("[\(index)]") }
                        index += 1
                    }
                } catch { throw error.under("addresses") }
            } else if r.keyIs("nodeInfo") {
                do throws(KubeDecodeError) {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("kubeletVersion") {
                            do throws(KubeDecodeError) { node.kubeletVersion = try r.readString() } catch { throw error.under("kubeletVersion") }
                        } else {
                            try r.skipValue()
                        }
                    }
                } catch { throw error.under("nodeInfo") }
            } else {
                try r.skipValue()
            }
        }
    }

    private static func condition(_ r: inout JSONReader) throws(KubeDecodeError) -> NodeCondition {
        var condition = NodeCondition(type: "", status: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("type") {
                do throws(KubeDecodeError) { condition.type = try r.readSharedString() } catch { throw error.under("type") }
            } else if r.keyIs("status") {
                do throws(KubeDecodeError) { condition.status = try r.readSharedString() } catch { throw error.under("status") }
            } else if r.keyIs("reason") {
                do throws(KubeDecodeError) { condition.reason = try r.readSharedString() } catch { throw error.under("reason") }
            } else if r.keyIs("message") {
                do throws(KubeDecodeError) { condition.message = try r.readString() } catch { throw error.under("message") }
            } else {
                try r.skipValue()
            }
        }
        return condition
    }

    private static func nodeAddress(_ r: inout JSONReader) throws(KubeDecodeError) -> (type: String?, address: String?) {
        var type: String?
        var address: String?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("type") {
                do throws(KubeDecodeError) { type = try r.readString() } catch { throw error.under("type") }
            } else if r.keyIs("address") {
                do throws(KubeDecodeError) { address = try r.readString() } catch { throw error.under("address") }
            } else {
                try r.skipValue()
            }
        }
        return (type, address)
    }
}
