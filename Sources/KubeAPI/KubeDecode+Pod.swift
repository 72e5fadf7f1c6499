/// core v1 Pod: metadata, spec.nodeName and containers, status.phase and container statuses.
extension KubeDecode {
    static func pod(_ r: inout JSONReader, _ index: Int, labels: Bool = true) throws(KubeDecodeError) -> PodObject {
        var pod = PodObject(namespace: "", name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    do throws(KubeDecodeError) { try podMetadata(&r, &pod, labels: labels) } catch { throw error.under("metadata") }
                } else if r.keyIs("spec") {
                    do throws(KubeDecodeError) { try podSpec(&r, &pod) } catch { throw error.under("spec") }
                } else if r.keyIs("status") {
                    do throws(KubeDecodeError) { try podStatus(&r, &pod) } catch { throw error.under("status") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(pod.name.isEmpty ? "pod items[\(index)]" : "pod \(pod.namespace)/\(pod.name)")
        }
        return pod
    }

    private static func podMetadata(_ r: inout JSONReader, _ pod: inout PodObject, labels: Bool) throws(KubeDecodeError) {
        try r.enterObject()
        var ownerIsController = false
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                do throws(KubeDecodeError) { pod.name = try r.readString() } catch { throw error.under("name") }
            } else if r.keyIs("namespace") {
                do throws(KubeDecodeError) { pod.namespace = try r.readSharedString() } catch { throw error.under("namespace") }
            } else if r.keyIs("uid") {
                do throws(KubeDecodeError) { pod.uid = try r.readString() } catch { throw error.under("uid") }
            } else if r.keyIs("labels") {
                do throws(KubeDecodeError) {
                    if labels { pod.labels = try r.readStringMap() } else { try r.skipValue() }
                } catch { throw error.under("labels") }
            } else if r.keyIs("creationTimestamp") {
                do throws(KubeDecodeError) { pod.createdAt = try r.readTime() } catch { throw error.under("creationTimestamp") }
            } else if r.keyIs("deletionTimestamp") {
                do throws(KubeDecodeError) { pod.deletedAt = try r.readTime() } catch { throw error.under("deletionTimestamp") }
            } else if r.keyIs("ownerReferences") {
                do throws(KubeDecodeError) {
                    try r.enterArray()
                    var index = 0
                    while try r.nextElement() {
                        if try r.skipNull() { continue }
                        do throws(KubeDecodeError) {
                            let owner = try ownerReference(&r)
                            // The controller wins; otherwise the first reference stands.
                            if !ownerIsController && (owner.controller || pod.ownerKind == nil && pod.ownerName == nil) {
                                pod.ownerKind = owner.kind
                                pod.ownerName = owner.name
                                ownerIsController = owner.controller
                            }
                        } catch { throw error.under("[\(index)]") }
                        index += 1
                    }
                } catch { throw error.under("ownerReferences") }
            } else {
                try r.skipValue()
            }
        }
    }

    private static func ownerReference(_ r: inout JSONReader) throws(KubeDecodeError) -> (kind: String?, name: String?, controller: Bool) {
        var owner: (kind: String?, name: String?, controller: Bool) = (nil, nil, false)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("kind") {
                do throws(KubeDecodeError) { owner.kind = try r.readSharedString() } catch { throw error.under("kind") }
            } else if r.keyIs("name") {
                do throws(KubeDecodeError) { owner.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("controller") {
                do throws(KubeDecodeError) { owner.controller = try r.readBool() } catch { throw error.under("controller") }
            } else {
                try r.skipValue()
            }
        }
        return owner
    }

    private static func podSpec(_ r: inout JSONReader, _ pod: inout PodObject) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("nodeName") {
                do throws(KubeDecodeError) {
                    let node = try r.readSharedString()
                    pod.nodeName = node.isEmpty ? nil : node
                } catch { throw error.under("nodeName") }
            } else if r.keyIs("containers") {
                do throws(KubeDecodeError) { pod.containers = try r.readArray(containerSpec) } catch { throw error.under("containers") }
            } else if r.keyIs("initContainers") {
                do throws(KubeDecodeError) { pod.initContainers = try r.readArray(containerSpec) } catch { throw error.under("initContainers") }
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
                do throws(KubeDecodeError) { container.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("image") {
                do throws(KubeDecodeError) { container.image = try r.readSharedString() } catch { throw error.under("image") }
            } else if r.keyIs("resources") {
                do throws(KubeDecodeError) {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("requests") {
                            do throws(KubeDecodeError) { container.requests = try r.readResourceList() } catch { throw error.under("requests") }
                        } else if r.keyIs("limits") {
                            do throws(KubeDecodeError) { container.limits = try r.readResourceList() } catch { throw error.under("limits") }
                        } else {
                            try r.skipValue()
                        }
                    }
                } catch { throw error.under("resources") }
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
                do throws(KubeDecodeError) { pod.phase = try r.readSharedString() } catch { throw error.under("phase") }
            } else if r.keyIs("reason") {
                do throws(KubeDecodeError) { pod.reason = try r.readSharedString() } catch { throw error.under("reason") }
            } else if r.keyIs("containerStatuses") {
                do throws(KubeDecodeError) { pod.containerStatuses = try r.readArray(containerStatus) } catch { throw error.under("containerStatuses") }
            } else if r.keyIs("initContainerStatuses") {
                do throws(KubeDecodeError) { pod.initContainerStatuses = try r.readArray(containerStatus) } catch { throw error.under("initContainerStatuses") }
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
                do throws(KubeDecodeError) { status.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("ready") {
                do throws(KubeDecodeError) { status.ready = try r.readBool() } catch { throw error.under("ready") }
            } else if r.keyIs("restartCount") {
                do throws(KubeDecodeError) { status.restartCount = Int(try r.readInt()) } catch { throw error.under("restartCount") }
            } else if r.keyIs("state") {
                do throws(KubeDecodeError) { status.state = try containerState(&r) } catch { throw error.under("state") }
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
                do throws(KubeDecodeError) {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("reason") {
                            do throws(KubeDecodeError) { reason = try r.readSharedString() } catch { throw error.under("reason") }
                        } else {
                            try r.skipValue()
                        }
                    }
                } catch { throw error.under("waiting") }
                state = .waiting(reason: reason)
            } else if r.keyIs("terminated") {
                var reason: String?
                var exitCode: Int?
                do throws(KubeDecodeError) {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("reason") {
                            do throws(KubeDecodeError) { reason = try r.readSharedString() } catch { throw error.under("reason") }
                        } else if r.keyIs("exitCode") {
                            do throws(KubeDecodeError) { exitCode = Int(try r.readInt()) } catch { throw error.under("exitCode") }
                        } else {
                            try r.skipValue()
                        }
                    }
                } catch { throw error.under("terminated") }
                state = .terminated(reason: reason, exitCode: exitCode)
            } else {
                try r.skipValue()
            }
        }
        return state
    }
}
