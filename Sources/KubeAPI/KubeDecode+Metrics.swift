import KubeglassCore

/// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics.
extension KubeDecode {
    static func nodeMetrics(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> NodeMetricsObject {
        let depth = r.depth
        var meta = ObjectMeta()
        var metrics = NodeMetricsObject(name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    try objectMeta(&r, &meta, labels: false)
                    metrics.name = meta.name
                } else if r.keyIs("timestamp") {
                    metrics.timestamp = try r.readTime()
                } else if r.keyIs("window") {
                    metrics.window = try r.readDuration()
                } else if r.keyIs("usage") {
                    (metrics.cpu, metrics.memory) = try usage(&r)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(meta.name.isEmpty ? "node metrics items[\(index)]" : "node \(meta.name)", at: depth)
        }
        return metrics
    }

    static func podMetrics(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> PodMetricsObject {
        let depth = r.depth
        var meta = ObjectMeta()
        var metrics = PodMetricsObject(namespace: "", name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("metadata") {
                    try objectMeta(&r, &meta, labels: false)
                    metrics.name = meta.name
                    metrics.namespace = meta.namespace
                } else if r.keyIs("timestamp") {
                    metrics.timestamp = try r.readTime()
                } else if r.keyIs("window") {
                    metrics.window = try r.readDuration()
                } else if r.keyIs("containers") {
                    metrics.containers = try r.readArray(containerMetrics)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(
                meta.name.isEmpty ? "pod metrics items[\(index)]" : "pod \(meta.namespace)/\(meta.name)", at: depth)
        }
        return metrics
    }

    private static func containerMetrics(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerMetrics {
        var container = ContainerMetrics(name: "", cpu: .zero, memory: .zero)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                container.name = try r.readSharedString()
            } else if r.keyIs("usage") {
                (container.cpu, container.memory) = try usage(&r)
            } else {
                try r.skipValue()
            }
        }
        return container
    }

    /// `usage`: cpu and memory; other resources are read for validity and dropped.
    private static func usage(_ r: inout JSONReader) throws(KubeDecodeError) -> (cpu: Quantity, memory: Quantity) {
        var cpu = Quantity.zero
        var memory = Quantity.zero
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("cpu") {
                cpu = try r.readQuantity()
            } else if r.keyIs("memory") {
                memory = try r.readQuantity()
            } else {
                try r.skipValue()
            }
        }
        return (cpu, memory)
    }
}
