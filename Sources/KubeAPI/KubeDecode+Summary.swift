/// The kubelet's `/stats/summary`: node and per-pod CPU, memory, network and filesystem stats.
extension KubeDecode {
    static func summary(_ r: inout JSONReader) throws(KubeDecodeError) -> Summary {
        var summary = Summary(node: NodeStats(nodeName: ""))
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("node") {
                do throws(KubeDecodeError) { summary.node = try nodeStats(&r) } catch { throw error.under("node") }
            } else if r.keyIs("pods") {
                try r.enterArray()
                while try r.nextElement() {
                    if try r.skipNull() { continue }
                    summary.pods.append(try podStats(&r, summary.pods.count))
                }
            } else {
                try r.skipValue()
            }
        }
        return summary
    }

    private static func nodeStats(_ r: inout JSONReader) throws(KubeDecodeError) -> NodeStats {
        var node = NodeStats(nodeName: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("nodeName") {
                do throws(KubeDecodeError) { node.nodeName = try r.readString() } catch { throw error.under("nodeName") }
            } else if r.keyIs("cpu") {
                do throws(KubeDecodeError) { node.cpu = try cpuStats(&r) } catch { throw error.under("cpu") }
            } else if r.keyIs("memory") {
                do throws(KubeDecodeError) { node.memory = try memoryStats(&r) } catch { throw error.under("memory") }
            } else if r.keyIs("network") {
                do throws(KubeDecodeError) { node.network = try networkStats(&r) } catch { throw error.under("network") }
            } else if r.keyIs("fs") {
                do throws(KubeDecodeError) { node.fs = try fsStats(&r) } catch { throw error.under("fs") }
            } else {
                try r.skipValue()
            }
        }
        return node
    }

    private static func podStats(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> PodStats {
        var pod = PodStats(namespace: "", name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("podRef") {
                    do throws(KubeDecodeError) {
                        try r.enterObject()
                        while try r.nextKey() {
                            if try r.skipNull() { continue }
                            if r.keyIs("name") {
                                do throws(KubeDecodeError) { pod.name = try r.readString() } catch { throw error.under("name") }
                            } else if r.keyIs("namespace") {
                                do throws(KubeDecodeError) { pod.namespace = try r.readSharedString() } catch { throw error.under("namespace") }
                            } else if r.keyIs("uid") {
                                do throws(KubeDecodeError) { pod.uid = try r.readString() } catch { throw error.under("uid") }
                            } else {
                                try r.skipValue()
                            }
                        }
                    } catch { throw error.under("podRef") }
                } else if r.keyIs("cpu") {
                    do throws(KubeDecodeError) { pod.cpu = try cpuStats(&r) } catch { throw error.under("cpu") }
                } else if r.keyIs("memory") {
                    do throws(KubeDecodeError) { pod.memory = try memoryStats(&r) } catch { throw error.under("memory") }
                } else if r.keyIs("network") {
                    do throws(KubeDecodeError) { pod.network = try networkStats(&r) } catch { throw error.under("network") }
                } else if r.keyIs("ephemeral-storage") {
                    do throws(KubeDecodeError) { pod.ephemeralStorage = try fsStats(&r) } catch { throw error.under("ephemeral-storage") }
                } else if r.keyIs("containers") {
                    do throws(KubeDecodeError) {
                        pod.containers = try r.readArray(containerStats)
                    } catch { throw error.under("containers") }
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(pod.name.isEmpty ? "summary pods[\(index)]" : "summary of pod \(pod.namespace)/\(pod.name)")
        }
        return pod
    }

    private static func containerStats(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerStats {
        var container = ContainerStats(name: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                do throws(KubeDecodeError) { container.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("cpu") {
                do throws(KubeDecodeError) { container.cpu = try cpuStats(&r) } catch { throw error.under("cpu") }
            } else if r.keyIs("memory") {
                do throws(KubeDecodeError) { container.memory = try memoryStats(&r) } catch { throw error.under("memory") }
            } else if r.keyIs("rootfs") {
                do throws(KubeDecodeError) { container.rootfs = try fsStats(&r) } catch { throw error.under("rootfs") }
            } else if r.keyIs("logs") {
                do throws(KubeDecodeError) { container.logs = try fsStats(&r) } catch { throw error.under("logs") }
            } else {
                try r.skipValue()
            }
        }
        return container
    }

    private static func cpuStats(_ r: inout JSONReader) throws(KubeDecodeError) -> CPUStats {
        var cpu = CPUStats()
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("time") {
                do throws(KubeDecodeError) { cpu.time = try r.readTime() } catch { throw error.under("time") }
            } else if r.keyIs("usageNanoCores") {
                do throws(KubeDecodeError) { cpu.usageNanoCores = try r.readUInt() } catch { throw error.under("usageNanoCores") }
            } else if r.keyIs("usageCoreNanoSeconds") {
                do throws(KubeDecodeError) { cpu.usageCoreNanoSeconds = try r.readUInt() } catch { throw error.under("usageCoreNanoSeconds") }
            } else {
                try r.skipValue()
            }
        }
        return cpu
    }

    private static func memoryStats(_ r: inout JSONReader) throws(KubeDecodeError) -> MemoryStats {
        var memory = MemoryStats()
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("time") {
                do throws(KubeDecodeError) { memory.time = try r.readTime() } catch { throw error.under("time") }
            } else if r.keyIs("availableBytes") {
                do throws(KubeDecodeError) { memory.availableBytes = try r.readUInt() } catch { throw error.under("availableBytes") }
            } else if r.keyIs("usageBytes") {
                do throws(KubeDecodeError) { memory.usageBytes = try r.readUInt() } catch { throw error.under("usageBytes") }
            } else if r.keyIs("workingSetBytes") {
                do throws(KubeDecodeError) { memory.workingSetBytes = try r.readUInt() } catch { throw error.under("workingSetBytes") }
            } else if r.keyIs("rssBytes") {
                do throws(KubeDecodeError) { memory.rssBytes = try r.readUInt() } catch { throw error.under("rssBytes") }
            } else {
                try r.skipValue()
            }
        }
        return memory
    }

    /// The top level holds the default interface's counters; `interfaces` lists them all.
    private static func networkStats(_ r: inout JSONReader) throws(KubeDecodeError) -> NetworkStats {
        var network = NetworkStats()
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("time") {
                do throws(KubeDecodeError) { network.time = try r.readTime() } catch { throw error.under("time") }
            } else if r.keyIs("name") {
                do throws(KubeDecodeError) { network.name = try r.readString() } catch { throw error.under("name") }
            } else if r.keyIs("rxBytes") {
                do throws(KubeDecodeError) { network.rxBytes = try r.readUInt() } catch { throw error.under("rxBytes") }
            } else if r.keyIs("txBytes") {
                do throws(KubeDecodeError) { network.txBytes = try r.readUInt() } catch { throw error.under("txBytes") }
            } else if r.keyIs("interfaces") {
                do throws(KubeDecodeError) {
                    network.interfaces = try r.readArray(interfaceStats)
                } catch { throw error.under("interfaces") }
            } else {
                try r.skipValue()
            }
        }
        return network
    }

    private static func interfaceStats(_ r: inout JSONReader) throws(KubeDecodeError) -> InterfaceStats {
        var interface = InterfaceStats(name: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                do throws(KubeDecodeError) { interface.name = try r.readSharedString() } catch { throw error.under("name") }
            } else if r.keyIs("rxBytes") {
                do throws(KubeDecodeError) { interface.rxBytes = try r.readUInt() } catch { throw error.under("rxBytes") }
            } else if r.keyIs("txBytes") {
                do throws(KubeDecodeError) { interface.txBytes = try r.readUInt() } catch { throw error.under("txBytes") }
            } else {
                try r.skipValue()
            }
        }
        return interface
    }

    private static func fsStats(_ r: inout JSONReader) throws(KubeDecodeError) -> FsStats {
        var fs = FsStats()
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("availableBytes") {
                do throws(KubeDecodeError) { fs.availableBytes = try r.readUInt() } catch { throw error.under("availableBytes") }
            } else if r.keyIs("capacityBytes") {
                do throws(KubeDecodeError) { fs.capacityBytes = try r.readUInt() } catch { throw error.under("capacityBytes") }
            } else if r.keyIs("usedBytes") {
                do throws(KubeDecodeError) { fs.usedBytes = try r.readUInt() } catch { throw error.under("usedBytes") }
            } else {
                try r.skipValue()
            }
        }
        return fs
    }
}
