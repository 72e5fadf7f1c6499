/// The kubelet's `/stats/summary`: node and per-pod CPU, memory, network and filesystem stats.
extension KubeDecode {
    static func summary(_ r: inout JSONReader) throws(KubeDecodeError) -> Summary {
        var summary = Summary(node: NodeStats(nodeName: ""))
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("node") {
                summary.node = try nodeStats(&r)
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
                node.nodeName = try r.readString()
            } else if r.keyIs("cpu") {
                node.cpu = try cpuStats(&r)
            } else if r.keyIs("memory") {
                node.memory = try memoryStats(&r)
            } else if r.keyIs("network") {
                node.network = try networkStats(&r)
            } else if r.keyIs("fs") {
                node.fs = try fsStats(&r)
            } else {
                try r.skipValue()
            }
        }
        return node
    }

    private static func podStats(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> PodStats {
        let depth = r.depth
        var pod = PodStats(namespace: "", name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("podRef") {
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("name") {
                            pod.name = try r.readString()
                        } else if r.keyIs("namespace") {
                            pod.namespace = try r.readSharedString()
                        } else if r.keyIs("uid") {
                            pod.uid = try r.readString()
                        } else {
                            try r.skipValue()
                        }
                    }
                } else if r.keyIs("cpu") {
                    pod.cpu = try cpuStats(&r)
                } else if r.keyIs("memory") {
                    pod.memory = try memoryStats(&r)
                } else if r.keyIs("network") {
                    pod.network = try networkStats(&r)
                } else if r.keyIs("ephemeral-storage") {
                    pod.ephemeralStorage = try fsStats(&r)
                } else if r.keyIs("containers") {
                    pod.containers = try r.readArray(containerStats)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(
                pod.name.isEmpty ? "summary pods[\(index)]" : "summary of pod \(pod.namespace)/\(pod.name)", at: depth)
        }
        return pod
    }

    private static func containerStats(_ r: inout JSONReader) throws(KubeDecodeError) -> ContainerStats {
        var container = ContainerStats(name: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                container.name = try r.readSharedString()
            } else if r.keyIs("cpu") {
                container.cpu = try cpuStats(&r)
            } else if r.keyIs("memory") {
                container.memory = try memoryStats(&r)
            } else if r.keyIs("rootfs") {
                container.rootfs = try fsStats(&r)
            } else if r.keyIs("logs") {
                container.logs = try fsStats(&r)
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
                cpu.time = try r.readTime()
            } else if r.keyIs("usageNanoCores") {
                cpu.usageNanoCores = try r.readUInt()
            } else if r.keyIs("usageCoreNanoSeconds") {
                cpu.usageCoreNanoSeconds = try r.readUInt()
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
                memory.time = try r.readTime()
            } else if r.keyIs("availableBytes") {
                memory.availableBytes = try r.readUInt()
            } else if r.keyIs("usageBytes") {
                memory.usageBytes = try r.readUInt()
            } else if r.keyIs("workingSetBytes") {
                memory.workingSetBytes = try r.readUInt()
            } else if r.keyIs("rssBytes") {
                memory.rssBytes = try r.readUInt()
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
                network.time = try r.readTime()
            } else if r.keyIs("name") {
                network.name = try r.readString()
            } else if r.keyIs("rxBytes") {
                network.rxBytes = try r.readUInt()
            } else if r.keyIs("txBytes") {
                network.txBytes = try r.readUInt()
            } else if r.keyIs("interfaces") {
                network.interfaces = try r.readArray(interfaceStats)
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
                interface.name = try r.readSharedString()
            } else if r.keyIs("rxBytes") {
                interface.rxBytes = try r.readUInt()
            } else if r.keyIs("txBytes") {
                interface.txBytes = try r.readUInt()
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
                fs.availableBytes = try r.readUInt()
            } else if r.keyIs("capacityBytes") {
                fs.capacityBytes = try r.readUInt()
            } else if r.keyIs("usedBytes") {
                fs.usedBytes = try r.readUInt()
            } else {
                try r.skipValue()
            }
        }
        return fs
    }
}
