import KubeAPI
import KubeglassCore

extension CAdvisorSource {
    static func cpuTotal(_ s: CAdvisor.Stats) -> UInt64? { s.cpuTotal }

    /// Memory limits at or above this are cgroups' "no limit" (2^64−1 on v2, 2^63 rounded to a page on v1).
    static let unlimitedMemory: UInt64 = 1 << 62

    /// One node's answer: its node object (returned), its usage and pods, and the node-only series.
    func add(
        _ answer: Answer, of nodeName: String, at time: Timestamp, usage: inout ClusterUsage, pods: inout [PodObject],
        extra: inout SampleBatch
    ) -> NodeObject {
        let node = Self.nodeObject(nodeName, answer.machine)
        let prefix = nodeName + "\u{0}"
        if let root = answer.containers.first(where: { $0.name == "/" }) {
            usage.nodes[nodeName] = nodeUsage(root, machine: answer.machine, key: prefix, node: nodeName, extra: &extra)
        }

        // Containers by pod, in the order cAdvisor lists them.
        var order: [String] = []
        var byPod: [String: [(name: CAdvisorContainerName, container: CAdvisor.Container)]] = [:]
        for c in answer.containers {
            guard let name = CAdvisorContainerName(c), !c.stats.isEmpty else { continue }
            let key = ClusterUsage.podKey(name.namespace, name.pod)
            if byPod[key] == nil { order.append(key) }
            byPod[key, default: []].append((name, c))
        }
        for key in order {
            let members = byPod[key]!
            let first = members[0].name
            var pod = PodObject(namespace: first.namespace, name: first.pod)
            pod.nodeName = nodeName
            pod.uid = members.lazy.compactMap { $0.name.uid }.first
            pod.phase = "Running"
            var podUsage = ClusterUsage.Pod(containers: [])
            var memoryUsage = 0.0
            var sandboxNetwork: (rx: Double, tx: Double)?
            var widestNetwork: (rx: Double, tx: Double)?
            for (name, c) in members {
                let k = prefix + c.name + "\u{0}"
                let network = networkRates(c, key: k)
                if name.isSandbox {
                    if let network { sandboxNetwork = network }
                    continue
                }
                // Containers of a pod share one network namespace: the widest view of it, never a sum.
                if let network, network.rx + network.tx > (widestNetwork.map { $0.rx + $0.tx } ?? -1) {
                    widestNetwork = network
                }
                guard !pod.containers.contains(where: { $0.name == name.container }) else { continue }
                pod.containers.append(Self.spec(name.container, c))
                var status = ContainerStatus(name: name.container)
                status.ready = true
                status.state = .running
                pod.containerStatuses.append(status)
                let newest = c.stats.last!
                let cpu = counters.rate(k + "cpu", c.stats, Self.cpuTotal).map { $0 / 1e9 } ?? 0
                podUsage.containers.append(
                    .init(
                        name: name.container, cpuCores: cpu,
                        memoryWorkingSetBytes: Double(newest.memoryWorkingSet ?? newest.memoryUsage ?? 0)))
                memoryUsage += Double(newest.memoryUsage ?? 0)
            }
            guard !pod.containers.isEmpty else { continue }
            podUsage.memoryUsageBytes = memoryUsage
            if let network = sandboxNetwork ?? widestNetwork {
                podUsage.networkReceiveBytesPerSecond = network.rx
                podUsage.networkTransmitBytesPerSecond = network.tx
            }
            usage.pods[key] = podUsage
            pods.append(pod)
        }
        return node
    }

    /// Requests and limits from the cgroup's settings: CPU shares (1024 a core) and CFS quota, memory limit.
    static func spec(_ name: String, _ c: CAdvisor.Container) -> ContainerSpec {
        var spec = ContainerSpec(name: name)
        // 2 shares is what the kubelet gives a container without a request.
        if let shares = c.cpuShares, shares > 2 {
            spec.requests["cpu"] = Quantity(milliValue: Int64((Double(shares) * 1000 / 1024).rounded()))
        }
        if let quota = c.cpuQuota, let period = c.cpuPeriod, quota > 0, period > 0, quota < unlimitedMemory {
            spec.limits["cpu"] = Quantity(milliValue: Int64((Double(quota) * 1000 / Double(period)).rounded()))
        }
        if let limit = c.memoryLimit, limit > 0, limit < unlimitedMemory {
            spec.limits["memory"] = Quantity(value: Int64(limit), format: .binarySI)
        }
        return spec
    }

    /// Bytes received and sent per second over the container's interfaces, nil when it reports none.
    private func networkRates(_ c: CAdvisor.Container, key: String) -> (rx: Double, tx: Double)? {
        guard let names = c.stats.last?.interfaces.map(\.name), !names.isEmpty else { return nil }
        var rx = 0.0
        var tx = 0.0
        for name in names {
            let receive: (CAdvisor.Stats) -> UInt64? = { $0.interface(name)?.receiveBytes }
            let transmit: (CAdvisor.Stats) -> UInt64? = { $0.interface(name)?.transmitBytes }
            rx += counters.rate(key + "rx " + name, c.stats, receive) ?? 0
            tx += counters.rate(key + "tx " + name, c.stats, transmit) ?? 0
        }
        return (rx, tx)
    }

    /// The machine from its root container `/`: CPU, memory, network, filesystems and disks.
    private func nodeUsage(
        _ root: CAdvisor.Container, machine: CAdvisor.Machine, key: String, node: String, extra: inout SampleBatch
    ) -> ClusterUsage.Node? {
        guard let newest = root.stats.last else { return nil }
        let cpu = counters.rate(key + "/cpu", root.stats, Self.cpuTotal).map { $0 / 1e9 } ?? 0
        var usage = ClusterUsage.Node(
            cpuCores: cpu, memoryWorkingSetBytes: Double(newest.memoryWorkingSet ?? newest.memoryUsage ?? 0))
        usage.memoryUsageBytes = newest.memoryUsage.map { Double($0) }
        var rx = 0.0
        var tx = 0.0
        for i in newest.interfaces {
            let receive: (CAdvisor.Stats) -> UInt64? = { $0.interface(i.name)?.receiveBytes }
            let transmit: (CAdvisor.Stats) -> UInt64? = { $0.interface(i.name)?.transmitBytes }
            let r = counters.rate(key + "/rx " + i.name, root.stats, receive)
            let t = counters.rate(key + "/tx " + i.name, root.stats, transmit)
            let labels = ["node": node, "interface": i.name]
            if let r { extra.add(SeriesNames.nodeInterfaceReceive, labels, r) }
            if let t { extra.add(SeriesNames.nodeInterfaceTransmit, labels, t) }
            if LocalSource.isPhysical(i.name) {
                rx += r ?? 0
                tx += t ?? 0
            }
        }
        if !newest.interfaces.isEmpty {
            usage.networkReceiveBytesPerSecond = rx
            usage.networkTransmitBytesPerSecond = tx
        }
        var capacities: [String: UInt64] = [:]
        for fs in machine.filesystems { capacities[fs.device] = capacities[fs.device] ?? fs.capacity }
        var largest: (used: Double, capacity: Double)?
        for fs in newest.filesystems {
            guard let capacity = fs.capacity ?? capacities[fs.device], let used = fs.usage else { continue }
            let labels = ["node": node, "device": fs.device, "mountpoint": "", "fstype": fs.type ?? ""]
            extra.add(SeriesNames.nodeMountUsage, labels, Double(used))
            extra.add(SeriesNames.nodeMountCapacity, labels, Double(capacity))
            if Double(capacity) > largest?.capacity ?? -1 { largest = (Double(used), Double(capacity)) }
        }
        if let largest {
            usage.filesystemUsedBytes = largest.used
            usage.filesystemCapacityBytes = largest.capacity
        }
        for d in newest.disks {
            let id = "\(d.major):\(d.minor)"
            let labels = ["node": node, "device": machine.disks[id] ?? id]
            let match = { (s: CAdvisor.Stats) in s.disks.first { $0.major == d.major && $0.minor == d.minor } }
            if let r = counters.rate(key + "/read " + id, root.stats, { match($0)?.readBytes }) {
                extra.add(SeriesNames.nodeDiskRead, labels, r)
            }
            if let w = counters.rate(key + "/write " + id, root.stats, { match($0)?.writeBytes }) {
                extra.add(SeriesNames.nodeDiskWrite, labels, w)
            }
        }
        return usage
    }
}

extension CAdvisor.Stats {
    func interface(_ name: String) -> CAdvisor.Interface? { interfaces.first { $0.name == name } }
}
