/// core v1 Node: metadata, spec.unschedulable, capacity, allocatable, conditions, InternalIP, kubelet version.
extension KubeDecode {
    static func node(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> NodeObject {
        let depth = r.depth
        var meta = ObjectMeta()
        var node = NodeObject(name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    try objectMeta(&r, &meta)
                    node.name = meta.name
                    node.labels = meta.labels
                    node.createdAt = meta.createdAt
                } else if r.keyIs("spec") {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("unschedulable") {
                            node.unschedulable = try r.readBool()
                        } else {
                            try r.skipValue()
                        }
                    }
                } else if r.keyIs("status") {
                    try nodeStatus(&r, &node)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(meta.name.isEmpty ? "node items[\(index)]" : "node \(meta.name)", at: depth)
        }
        return node
    }

    private static func nodeStatus(_ r: inout JSONReader, _ node: inout NodeObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("capacity") {
                node.capacity = try r.readResourceList()
            } else if r.keyIs("allocatable") {
                node.allocatable = try r.readResourceList()
            } else if r.keyIs("conditions") {
                node.conditions = try r.readArray(condition)
            } else if r.keyIs("addresses") {
                try r.enterArray()
                while try r.nextElement() {
                    if try r.skipNull() { continue }
                    let (type, address) = try nodeAddress(&r)
                    if type == "InternalIP" && node.internalIP == nil { node.internalIP = address }
                }
            } else if r.keyIs("nodeInfo") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("kubeletVersion") {
                        node.kubeletVersion = try r.readString()
                    } else {
                        try r.skipValue()
                    }
                }
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
                condition.type = try r.readSharedString()
            } else if r.keyIs("status") {
                condition.status = try r.readSharedString()
            } else if r.keyIs("reason") {
                condition.reason = try r.readSharedString()
            } else if r.keyIs("message") {
                condition.message = try r.readString()
            } else {
                try r.skipValue()
            }
        }
        return condition
    }

    private static func nodeAddress(_ r: inout JSONReader) throws(KubeDecodeError) -> (type: String?, address: String?)
    {
        var type: String?
        var address: String?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("type") {
                type = try r.readString()
            } else if r.keyIs("address") {
                address = try r.readString()
            } else {
                try r.skipValue()
            }
        }
        return (type, address)
    }
}
