import KubeglassCore

/// metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics.
extension KubeDecode {
    static func nodeMetrics(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> NodeMetricsObject {
        var metrics = NodeMetricsObject(name: "")
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
                                do throws(KubeDecodeError) { metrics.name = try r.readString() } catch { throw error.under("name") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("metadata") }
                } else if r.keyIs("timestamp") {
                    do throws(KubeDecodeError) { metrics.timestamp = try r.readTime() } catch { throw error.under("timestamp") }
                } else if r.keyIs("window") {
                    do throws(KubeDecodeError) { metrics.window = try r.readDuration() } catch { throw error.under("window") }
                } else if r.keyIs("usage") {
                    do throws(KubeDecodeError) { (metrics.cpu, metrics.memory) = try usage(&r) } catch { throw error.under("usage") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(metrics.name.isEmpty ? "node metrics items[\(index)]" : "node \(metrics.name)")
        }
        return metrics
    }

    static func podMetrics(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> PodMetricsObject {
        var metrics = PodMetricsObject(namespace: "", name: "")
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
                                do throws(KubeDecodeError) { metrics.name = try r.readString() } catch { throw error.under("name") }
                            } else if r.keyIs("namespace") {
                                do throws(KubeDecodeError) { metrics.namespace = try r.readSharedString() } catch { throw error.under("namespace") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("metadata") }
                } else if r.keyIs("timestamp") {
                    do throws(KubeDecodeError) { metrics.timestamp = try r.readTime() } catch { throw error.under("timestamp") }
                } else if r.keyIs("window") {
                    do throws(KubeDecodeError) { metrics.window = try r.readDuration() } catch { throw error.under("window") }
                } else if r.keyIs("containers") {
                    do throws(KubeDecodeError) {
                        metrics.containers = try r.readArray(containerMetrics)
                    } catch { throw error.under("containers") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(metrics.name.isEmpty ? "pod metrics items[\(index)]" : "pod \(metrics.namespace)/\(metrics.name)")
        }
        return metrics
    }

    private static func containerMetrics(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerMetrics {
        var container = ContainerMetrics(name: "", cpu: .zero, memory: .zero)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                do throws(KubeDecodeError) { container.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("usage") {
                do throws(KubeDecodeError) { (container.cpu, container.memory) = try usage(&r) } catch { throw error.under("usage") }
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
                do throws(KubeDecodeError) { cpu = try r.readQuantity() } catch { throw error.under("cpu") }
            } else if r.keyIs("memory") {
                do throws(KubeDecodeError) { memory = try r.readQuantity() } catch { throw error.under("memory") }
            } else {
                try r.skipValue()
            }
        }
        return (cpu, memory)
    }
}
