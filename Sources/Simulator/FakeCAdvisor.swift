import DemoCluster
import NIOCore

/// A small cAdvisor per simulated node, its REST API v1.3 as the stack of the Heapster era read it:
/// `/cadvisor/<node>/api/v1.3/machine` and `/cadvisor/<node>/api/v1.3/subcontainers/` (the whole machine).
/// Each container answers its last two stats, taken every 15 s as the kubelet's cAdvisor housekeeps (at the
/// metrics API's sample times, so both read the model at the same instants); the cumulative counters (CPU,
/// network, disk I/O) are the simulator's `CounterLedger`, so their rate over any window is the model's usage.
enum FakeCAdvisor {
    /// The gap between the two stats of each container: the housekeeping interval.
    static let statsGap: Int64 = MetricsAPI.resolution

    static func response(_ api: SimulatedAPI, node n: Int, request: [String], at t: Int64) -> APIResponse? {
        switch request {
        case ["machine"]: return machine(api, node: n)
        case ["subcontainers"]: return subcontainers(api, node: n, at: t)
        default: return nil
        }
    }

    static func machine(_ api: SimulatedAPI, node n: Int) -> APIResponse {
        let node = api.cluster.nodes[n]
        return .json { out in
            out.writeStaticString("{\"num_cores\":")
            out.writeDecimal(node.cpuCapacity / 1000)
            out.writeStaticString(",\"cpu_frequency_khz\":2600000,\"memory_capacity\":")
            out.writeDecimal(node.memoryCapacity)
            out.writeStaticString(",\"machine_id\":")
            out.writeJSON(derivedHex(node.name + "machine"))
            out.writeStaticString(",\"system_uuid\":")
            out.writeJSON(derivedHex(node.name + "uuid"))
            out.writeStaticString(",\"boot_id\":")
            out.writeJSON(derivedHex(node.name + "boot"))
            out.writeStaticString(",\"filesystems\":[{\"device\":\"/dev/sda1\",\"capacity\":")
            out.writeDecimal(node.filesystemCapacity)
            out.writeStaticString(",\"type\":\"vfs\",\"inodes\":")
            out.writeDecimal(node.filesystemCapacity / 16384)
            out.writeStaticString("}],\"disk_map\":{\"8:0\":{\"name\":\"sda\",\"major\":8,\"minor\":0,\"size\":")
            out.writeDecimal(node.filesystemCapacity)
            out.writeStaticString(",\"scheduler\":\"mq-deadline\"}},\"network_devices\":[{\"name\":\"eth0\",")
            out.writeStaticString(
                "\"mac_address\":\"02:42:ac:11:00:02\",\"speed\":10000,\"mtu\":1500}],\"topology\":[]}")
        }
    }

    /// Counters a housekeeping interval before `t`: the ones at `t` less the model's rate at `t` for that long.
    private static func earlier(_ value: Double, rate: Double) -> Double {
        max(0, value - rate * Double(statsGap) / 1000)
    }

    static func subcontainers(_ api: SimulatedAPI, node n: Int, at now: Int64) -> APIResponse {
        let t = MetricsAPI.sampleTime(now)
        let cluster = api.cluster
        let node = cluster.nodes[n]
        return api.counters.read(node: n, at: t) { nodeCounters, podCounters in
            .json { out in
                let u = cluster.usage(ofNode: n, at: t)
                let disk = (read: nodeCounters.cpuSeconds * 1_048_576, write: nodeCounters.cpuSeconds * 2_097_152)
                out.writeStaticString("[")
                writeContainer(
                    name: "/", aliases: [], labels: [], shares: 1024, quota: 0, memoryLimit: nil, at: t, into: &out
                ) { s, at in
                    let back = at < t
                    var stat = Stat(
                        cpuSeconds: back ? earlier(nodeCounters.cpuSeconds, rate: u.cpuCores) : nodeCounters.cpuSeconds,
                        memoryUsage: u.memoryUsageBytes, workingSet: u.memoryWorkingSetBytes)
                    stat.receive =
                        back
                        ? earlier(nodeCounters.receiveBytes, rate: u.networkReceiveBytesPerSecond)
                        : nodeCounters.receiveBytes
                    stat.transmit =
                        back
                        ? earlier(nodeCounters.transmitBytes, rate: u.networkTransmitBytesPerSecond)
                        : nodeCounters.transmitBytes
                    stat.filesystem = (Double(node.filesystemCapacity), u.filesystemUsedBytes)
                    let cpuBack = back ? u.cpuCores : 0
                    stat.disk = (
                        disk.read - cpuBack * 1_048_576 * Double(statsGap) / 1000,
                        disk.write - cpuBack * 2_097_152 * Double(statsGap) / 1000
                    )
                    writeStat(stat, at: at, into: &s)
                }
                for p in api.catalog.podsByNode[n] {
                    let pod = cluster.pods[p]
                    guard cluster.isRunning(pod, at: t) else { continue }
                    let counters = podCounters(p)
                    let podUsage = cluster.usage(of: pod, at: t)
                    let cgroup = cgroupPath(api, pod)
                    let sandbox = derivedHex(pod.uid + "sandbox")
                    let podLabels = [
                        ("io.kubernetes.pod.name", pod.name), ("io.kubernetes.pod.namespace", pod.namespace),
                        ("io.kubernetes.pod.uid", pod.uid),
                    ]
                    out.writeStaticString(",")
                    writeContainer(
                        name: cgroup + "/" + sandbox, aliases: ["k8s_POD_\(pod.name)_\(pod.namespace)_\(pod.uid)_0"],
                        labels: podLabels + [
                            ("io.kubernetes.container.name", "POD"), ("io.kubernetes.docker.type", "podsandbox"),
                        ], shares: 2, quota: 0, memoryLimit: nil, at: t, into: &out
                    ) { s, at in
                        let back = at < t
                        var stat = Stat(cpuSeconds: 0.05, memoryUsage: 512 * 1024, workingSet: 400 * 1024)
                        stat.receive =
                            back
                            ? earlier(counters.receiveBytes, rate: podUsage.networkReceiveBytesPerSecond)
                            : counters.receiveBytes
                        stat.transmit =
                            back
                            ? earlier(counters.transmitBytes, rate: podUsage.networkTransmitBytesPerSecond)
                            : counters.transmitBytes
                        writeStat(stat, at: at, into: &s)
                    }
                    for (k, c) in pod.containers.enumerated() {
                        let cu = cluster.usage(of: c, in: pod, at: t)
                        // A counter the ledger has not started (a container begun at a frozen instant) still has to
                        // span the gap at the model's rate: else both stats read 0 and the rate served is 0.
                        let seconds = max(counters.containerCPUSeconds[k], cu.cpuCores * Double(statsGap) / 1000)
                        out.writeStaticString(",")
                        writeContainer(
                            name: cgroup + "/" + derivedHex(pod.uid + c.name),
                            aliases: ["k8s_\(c.name)_\(pod.name)_\(pod.namespace)_\(pod.uid)_0"],
                            labels: podLabels + [("io.kubernetes.container.name", c.name)],
                            shares: max(2, (c.cpuRequest ?? 0) * 1024 / 1000), quota: (c.cpuLimit ?? 0) * 100,
                            memoryLimit: c.memoryLimit, at: t, into: &out
                        ) { s, at in
                            let stat = Stat(
                                cpuSeconds: at < t ? earlier(seconds, rate: cu.cpuCores) : seconds,
                                memoryUsage: cu.memoryUsageBytes, workingSet: cu.memoryWorkingSetBytes)
                            writeStat(stat, at: at, into: &s)
                        }
                    }
                }
                out.writeStaticString("]")
            }
        }
    }

    /// The cgroup the kubelet's systemd driver gives the pod.
    static func cgroupPath(_ api: SimulatedAPI, _ pod: ClusterModel.Pod) -> String {
        let qos = api.catalog.renderer.qosClass(pod).lowercased()
        let uid = pod.uid.replacing("-", with: "_")
        return qos == "guaranteed"
            ? "/kubepods.slice/kubepods-pod\(uid).slice"
            : "/kubepods.slice/kubepods-\(qos).slice/kubepods-\(qos)-pod\(uid).slice"
    }

    struct Stat {
        var cpuSeconds: Double
        var memoryUsage: Double
        var workingSet: Double
        /// Nil: the container shares its pod's network and reports zeroes, as cAdvisor does.
        var receive: Double?
        var transmit: Double?
        var filesystem: (capacity: Double, used: Double)?
        var disk: (read: Double, write: Double)?

        init(cpuSeconds: Double, memoryUsage: Double, workingSet: Double) {
            (self.cpuSeconds, self.memoryUsage, self.workingSet) = (cpuSeconds, memoryUsage, workingSet)
        }
    }

    private static func writeContainer(
        name: String, aliases: [String], labels: [(String, String)], shares: Int64, quota: Int64, memoryLimit: Int64?,
        at t: Int64, into out: inout ByteBuffer, stat: (inout ByteBuffer, Int64) -> Void
    ) {
        out.writeStaticString("{\"name\":")
        out.writeJSON(name)
        out.writeStaticString(",\"aliases\":[")
        for (i, a) in aliases.enumerated() {
            if i > 0 { out.writeStaticString(",") }
            out.writeJSON(a)
        }
        out.writeStaticString("],\"namespace\":\"containerd\",\"spec\":{\"creation_time\":\"2026-01-01T00:00:00Z\"")
        if !labels.isEmpty {
            out.writeStaticString(",\"labels\":{")
            for (i, (k, v)) in labels.enumerated() {
                if i > 0 { out.writeStaticString(",") }
                out.writeJSONKey(k)
                out.writeJSON(v)
            }
            out.writeStaticString("}")
        }
        out.writeStaticString(",\"has_cpu\":true,\"cpu\":{\"limit\":")
        out.writeDecimal(shares)
        out.writeStaticString(",\"max_limit\":0,\"mask\":\"0-3\"")
        if quota > 0 {
            out.writeStaticString(",\"quota\":")
            out.writeDecimal(quota)
            out.writeStaticString(",\"period\":100000")
        }
        // No limit is 2^64−1, as cAdvisor reports an unlimited cgroup.
        out.writeStaticString("},\"has_memory\":true,\"memory\":{\"limit\":")
        if let memoryLimit { out.writeDecimal(memoryLimit) } else { out.writeStaticString("18446744073709551615") }
        out.writeStaticString(
            ",\"reservation\":18446744073709551615,\"swap_limit\":18446744073709551615},\"has_network\":true,")
        out.writeStaticString("\"has_filesystem\":true,\"has_diskio\":true,\"image\":\"\"},\"stats\":[")
        stat(&out, t - statsGap)
        out.writeStaticString(",")
        stat(&out, t)
        out.writeStaticString("]}")
    }

    /// One element of `stats`, with the fields of cAdvisor's `ContainerStats` that kubeglass reads and a few more.
    private static func writeStat(_ s: Stat, at t: Int64, into out: inout ByteBuffer) {
        func counter(_ v: Double) { out.writeDecimal(UInt64(max(0, v).rounded(.down))) }
        out.writeStaticString("{\"timestamp\":\"")
        out.writeRFC3339(ms: t, fraction: true)
        out.writeStaticString("\",\"cpu\":{\"usage\":{\"total\":")
        counter(s.cpuSeconds * 1e9)
        out.writeStaticString(",\"user\":")
        counter(s.cpuSeconds * 0.7e9)
        out.writeStaticString(",\"system\":")
        counter(s.cpuSeconds * 0.3e9)
        out.writeStaticString("},\"cfs\":{\"periods\":0,\"throttled_periods\":0,\"throttled_time\":0},")
        out.writeStaticString("\"load_average\":0},\"memory\":{\"usage\":")
        counter(s.memoryUsage)
        out.writeStaticString(",\"cache\":")
        counter(s.memoryUsage - s.workingSet)
        out.writeStaticString(",\"rss\":")
        counter(s.workingSet * 0.85)
        out.writeStaticString(",\"working_set\":")
        counter(s.workingSet)
        out.writeStaticString(",\"failcnt\":0},\"network\":")
        // The top level is the default interface; `interfaces` lists them all (here the one).
        func interface(_ name: StaticString, _ rx: Double, _ tx: Double) {
            out.writeStaticString("\"name\":\"")
            out.writeStaticString(name)
            out.writeStaticString("\",\"rx_bytes\":")
            counter(rx)
            out.writeStaticString(",\"rx_packets\":")
            counter(rx / 1200)
            out.writeStaticString(",\"rx_errors\":0,\"rx_dropped\":0,\"tx_bytes\":")
            counter(tx)
            out.writeStaticString(",\"tx_packets\":")
            counter(tx / 1200)
            out.writeStaticString(",\"tx_errors\":0,\"tx_dropped\":0")
        }
        out.writeStaticString("{")
        if let rx = s.receive, let tx = s.transmit {
            interface("eth0", rx, tx)
            out.writeStaticString(",\"interfaces\":[{")
            interface("eth0", rx, tx)
            out.writeStaticString("}]}")
        } else {
            interface("", 0, 0)
            out.writeStaticString("}")
        }
        if let fs = s.filesystem {
            out.writeStaticString(",\"filesystem\":[{\"device\":\"/dev/sda1\",\"type\":\"vfs\",\"capacity\":")
            counter(fs.capacity)
            out.writeStaticString(",\"usage\":")
            counter(fs.used)
            out.writeStaticString(",\"available\":")
            counter(fs.capacity - fs.used)
            out.writeStaticString(",\"inodes_free\":")
            counter((fs.capacity - fs.used) / 16384)
            out.writeStaticString("}]")
        }
        if let d = s.disk {
            out.writeStaticString(",\"diskio\":{\"io_service_bytes\":[{\"major\":8,\"minor\":0,\"stats\":{\"Read\":")
            counter(d.read)
            out.writeStaticString(",\"Write\":")
            counter(d.write)
            out.writeStaticString(",\"Total\":")
            counter(d.read + d.write)
            out.writeStaticString("}}]}")
        }
        out.writeStaticString(",\"task_stats\":{\"nr_sleeping\":0,\"nr_running\":0,\"nr_stopped\":0,")
        out.writeStaticString("\"nr_uninterruptible\":0,\"nr_io_wait\":0}}")
    }
}
