/// core v1 Pod: metadata, spec.nodeName and containers, status.phase and container statuses.
extension KubeDecode {
    static func pod(_ r: inout JSONReader, _ index: Int, labels: Bool = true) throws(KubeDecodeError) -> PodObject {
        let depth = r.depth
        var meta = ObjectMeta()
        var pod = PodObject(namespace: "", name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    try objectMeta(&r, &meta, labels: labels)
                    pod.name = meta.name
                    pod.namespace = meta.namespace
                    pod.uid = meta.uid
                    pod.labels = meta.labels
                    pod.createdAt = meta.createdAt
                    pod.deletedAt = meta.deletedAt
                    pod.ownerKind = meta.ownerKind
                    pod.ownerName = meta.ownerName
                } else if r.keyIs("spec") {
                    try podSpec(&r, &pod)
                } else if r.keyIs("status") {
                    try podStatus(&r, &pod)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(
                meta.name.isEmpty ? "pod items[\(index)]" : "pod \(meta.namespace)/\(meta.name)", at: depth)
        }
        return pod
    }

    private static func podSpec(_ r: inout JSONReader, _ pod: inout PodObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("nodeName") {
                let node = try r.readSharedString()
                pod.nodeName = node.isEmpty ? nil : node
            } else if r.keyIs("containers") {
                pod.containers = try r.readArray(containerSpec)
            } else if r.keyIs("initContainers") {
                pod.initContainers = try r.readArray(containerSpec)
            } else {
                try r.skipValue()
            }
        }
    }

    private static func containerSpec(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerSpec {
        var container = ContainerSpec(name: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                container.name = try r.readSharedString()
            } else if r.keyIs("image") {
                container.image = try r.readSharedString()
            } else if r.keyIs("resources") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("requests") {
                        container.requests = try r.readResourceList()
                    } else if r.keyIs("limits") {
                        container.limits = try r.readResourceList()
                    } else {
                        try r.skipValue()
                    }
                }
            } else {
                try r.skipValue()
            }
        }
        return container
    }

    private static func podStatus(_ r: inout JSONReader, _ pod: inout PodObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("phase") {
                pod.phase = try r.readSharedString()
            } else if r.keyIs("reason") {
                pod.reason = try r.readSharedString()
            } else if r.keyIs("containerStatuses") {
                pod.containerStatuses = try r.readArray(containerStatus)
            } else if r.keyIs("initContainerStatuses") {
                pod.initContainerStatuses = try r.readArray(containerStatus)
            } else {
                try r.skipValue()
            }
        }
    }

    private static func containerStatus(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerStatus {
        var status = ContainerStatus(name: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                status.name = try r.readSharedString()
            } else if r.keyIs("ready") {
                status.ready = try r.readBool()
            } else if r.keyIs("restartCount") {
                status.restartCount = Int(try r.readInt())
            } else if r.keyIs("state") {
                status.state = try containerState(&r)
            } else {
                try r.skipValue()
            }
        }
        return status
    }

    /// `state` holds one of `running`, `waiting` (reason) or `terminated` (reason, exitCode).
    private static func containerState(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerStatus.State {
        var state = ContainerStatus.State.unknown
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("running") {
                try r.skipValue()
                state = .running
            } else if r.keyIs("waiting") {
                var reason: String?
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("reason") {
                        reason = try r.readSharedString()
                    } else {
                        try r.skipValue()
                    }
                }
                state = .waiting(reason: reason)
            } else if r.keyIs("terminated") {
                var reason: String?
                var exitCode: Int?
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("reason") {
                        reason = try r.readSharedString()
                    } else if r.keyIs("exitCode") {
                        exitCode = Int(try r.readInt())
                    } else {
                        try r.skipValue()
                    }
                }
                state = .terminated(reason: reason, exitCode: exitCode)
            } else {
                try r.skipValue()
            }
        }
        return state
    }
}
