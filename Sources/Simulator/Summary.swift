import DemoCluster
import NIOCore

/// The kubelet Summary API (`/stats/summary`, reached through `/api/v1/nodes/{node}/proxy/`):
/// the node's cpu/memory/network/fs and every pod on it with its containers, as Heapster read it.
enum Summary {
    static func response(_ api: SimulatedAPI, node n: Int, at t: Int64) -> APIResponse {
        let cluster = api.cluster
        let node = cluster.nodes[n]
        let pods = api.catalog.podsByNode[n]
        return api.counters.read(node: n, at: t) { nodeCounters, podCounters in
            .json { out in
                let usage = cluster.usage(ofNode: n, at: t)
                out.writeStaticString("{\"node\":{\"nodeName\":")
                out.writeJSON(node.name)
                out.writeStaticString(",\"systemContainers\":[")
                writeSystemContainer(
                    "kubelet", cores: usage.cpuCores * 0.04, memory: 96 * 1_048_576, since: node.createdAt, t: t,
                    into: &out)
                out.writeStaticString(",")
                writeSystemContainer(
                    "runtime", cores: usage.cpuCores * 0.02, memory: 180 * 1_048_576, since: node.createdAt, t: t,
                    into: &out)
                out.writeStaticString("],\"startTime\":")
                writeTime(node.createdAt, into: &out)
                out.writeStaticString(",")
                writeCPU(cores: usage.cpuCores, seconds: nodeCounters.cpuSeconds, t: t, into: &out)
                out.writeStaticString(",")
                writeMemory(
                    workingSet: usage.memoryWorkingSetBytes, usage: usage.memoryUsageBytes,
                    limit: Double(node.memoryCapacity), t: t, into: &out)
                out.writeStaticString(",")
                writeNetwork(rx: nodeCounters.receiveBytes, tx: nodeCounters.transmitBytes, t: t, into: &out)
                out.writeStaticString(",\"fs\":")
                writeFilesystem(
                    used: usage.filesystemUsedBytes, capacity: Double(node.filesystemCapacity), t: t, into: &out)
                out.writeStaticString(",\"runtime\":{\"imageFs\":")
                writeFilesystem(
                    used: Double(node.filesystemCapacity) * 0.12, capacity: Double(node.filesystemCapacity), t: t,
                    into: &out)
                out.writeStaticString("}},\"pods\":[")
                var first = true
                for p in pods {
                    let pod = cluster.pods[p]
                    guard pod.phase == .running else { continue }
                    if !first { out.writeStaticString(",") }
                    first = false
                    let counters = podCounters(p)
                    let podUsage = cluster.usage(of: pod, at: t)
                    out.writeStaticString("{\"podRef\":{\"name\":")
                    out.writeJSON(pod.name)
                    out.writeStaticString(",\"namespace\":")
                    out.writeJSON(pod.namespace)
                    out.writeStaticString(",\"uid\":")
                    out.writeJSON(pod.uid)
                    out.writeStaticString("},\"startTime\":")
                    writeTime(pod.createdAt + 1000, into: &out)
                    out.writeStaticString(",\"containers\":[")
                    let start = cluster.lastRestart(of: pod, at: t)
                    for (k, c) in pod.containers.enumerated() {
                        if k > 0 { out.writeStaticString(",") }
                        let u = cluster.usage(of: c, in: pod, at: t)
                        out.writeStaticString("{\"name\":")
                        out.writeJSON(c.name)
                        out.writeStaticString(",\"startTime\":")
                        writeTime(start, into: &out)
                        out.writeStaticString(",")
                        writeCPU(cores: u.cpuCores, seconds: counters.containerCPUSeconds[k], t: t, into: &out)
                        out.writeStaticString(",")
                        writeMemory(
                            workingSet: u.memoryWorkingSetBytes, usage: u.memoryUsageBytes,
                            limit: c.memoryLimit.map(Double.init), t: t, into: &out)
                        out.writeStaticString(",\"rootfs\":")
                        writeFilesystem(
                            used: 40_960 + podUsage.filesystemUsedBytes / Double(pod.containers.count) * 0.1,
                            capacity: Double(node.filesystemCapacity), t: t, into: &out)
                        out.writeStaticString(",\"logs\":")
                        writeFilesystem(
                            used: 65_536 + podUsage.filesystemUsedBytes / Double(pod.containers.count) * 0.05,
                            capacity: Double(node.filesystemCapacity), t: t, into: &out)
                        out.writeStaticString("}")
                    }
                    out.writeStaticString("],")
                    writeCPU(cores: podUsage.cpuCores, seconds: counters.cpuSeconds, t: t, into: &out)
                    out.writeStaticString(",")
                    writeMemory(
                        workingSet: podUsage.memoryWorkingSetBytes, usage: podUsage.memoryUsageBytes, limit: nil, t: t,
                        into: &out)
                    out.writeStaticString(",")
                    writeNetwork(rx: counters.receiveBytes, tx: counters.transmitBytes, t: t, into: &out)
                    out.writeStaticString(",\"volume\":[],\"ephemeral-storage\":")
                    writeFilesystem(
                        used: podUsage.filesystemUsedBytes, capacity: Double(node.filesystemCapacity), t: t, into: &out)
                    out.writeStaticString("}")
                }
                out.writeStaticString("]}")
            }
        }
    }

    static func writeTime(_ ms: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"")
        out.writeRFC3339(ms: ms, fraction: false)
        out.writeStaticString("\"")
    }

    static func writeSystemContainer(
        _ name: StaticString, cores: Double, memory: Double, since: Int64, t: Int64, into out: inout ByteBuffer
    ) {
        out.writeStaticString("{\"name\":\"")
        out.writeStaticString(name)
        out.writeStaticString("\",\"startTime\":")
        writeTime(since, into: &out)
        out.writeStaticString(",\"cpu\":{\"time\":")
        writeTime(t, into: &out)
        out.writeStaticString(",\"usageNanoCores\":")
        out.writeDecimal(Int64(cores * 1e9))
        out.writeStaticString("},\"memory\":{\"time\":")
        writeTime(t, into: &out)
        out.writeStaticString(",\"usageBytes\":")
        out.writeDecimal(Int64(memory * 1.2))
        out.writeStaticString(",\"workingSetBytes\":")
        out.writeDecimal(Int64(memory))
        out.writeStaticString(",\"rssBytes\":")
        out.writeDecimal(Int64(memory * 0.8))
        out.writeStaticString(",\"pageFaults\":0,\"majorPageFaults\":0}}")
    }

    static func writeCPU(cores: Double, seconds: Double, t: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"cpu\":{\"time\":")
        writeTime(t, into: &out)
        out.writeStaticString(",\"usageNanoCores\":")
        out.writeDecimal(Int64(max(0, cores) * 1e9))
        out.writeStaticString(",\"usageCoreNanoSeconds\":")
        out.writeDecimal(UInt64(max(0, seconds) * 1e9))
        out.writeStaticString("}")
    }

    static func writeMemory(workingSet: Double, usage: Double, limit: Double?, t: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"memory\":{\"time\":")
        writeTime(t, into: &out)
        if let limit {
            out.writeStaticString(",\"availableBytes\":")
            out.writeDecimal(Int64(max(0, limit - workingSet)))
        }
        out.writeStaticString(",\"usageBytes\":")
        out.writeDecimal(Int64(usage))
        out.writeStaticString(",\"workingSetBytes\":")
        out.writeDecimal(Int64(workingSet))
        out.writeStaticString(",\"rssBytes\":")
        out.writeDecimal(Int64(workingSet * 0.85))
        out.writeStaticString(",\"pageFaults\":")
        out.writeDecimal(Int64(usage / 4096))
        out.writeStaticString(",\"majorPageFaults\":0}")
    }

    static func writeNetwork(rx: Double, tx: Double, t: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("\"network\":{\"time\":")
        writeTime(t, into: &out)
        out.writeStaticString(",\"name\":\"eth0\",\"rxBytes\":")
        out.writeDecimal(UInt64(max(0, rx)))
        out.writeStaticString(",\"rxErrors\":0,\"txBytes\":")
        out.writeDecimal(UInt64(max(0, tx)))
        out.writeStaticString(",\"txErrors\":0,\"interfaces\":[{\"name\":\"eth0\",\"rxBytes\":")
        out.writeDecimal(UInt64(max(0, rx)))
        out.writeStaticString(",\"rxErrors\":0,\"txBytes\":")
        out.writeDecimal(UInt64(max(0, tx)))
        out.writeStaticString(",\"txErrors\":0}]}")
    }

    static func writeFilesystem(used: Double, capacity: Double, t: Int64, into out: inout ByteBuffer) {
        out.writeStaticString("{\"time\":")
        writeTime(t, into: &out)
        out.writeStaticString(",\"availableBytes\":")
        out.writeDecimal(Int64(max(0, capacity - used)))
        out.writeStaticString(",\"capacityBytes\":")
        out.writeDecimal(Int64(capacity))
        out.writeStaticString(",\"usedBytes\":")
        out.writeDecimal(Int64(used))
        let inodes = Int64(capacity / 16384)
        out.writeStaticString(",\"inodesFree\":")
        out.writeDecimal(inodes - Int64(used / 65536))
        out.writeStaticString(",\"inodes\":")
        out.writeDecimal(inodes)
        out.writeStaticString(",\"inodesUsed\":")
        out.writeDecimal(Int64(used / 65536))
        out.writeStaticString("}")
    }
}
