import Foundation
import KubeAPI
import KubeClient
import KubeglassCore

/// `--source local`: this machine read straight from the kernel, as the kubelet's built-in cAdvisor
/// reads it. The node from /proc (CPU per mode, load, memory, network, filesystems, disks, pressure);
/// its pods and containers from their cgroups (v1 or v2, systemd or cgroupfs driver), named from the
/// kubelet's log directories. Off Kubernetes the "pods" are the top-level cgroups and systemd units.
/// It writes the series every store-backed source writes, so the built-in dashboards work unchanged.
public actor LocalSource: MetricSource {
    public struct Roots: Sendable {
        public var proc = "/proc"
        public var cgroup = "/sys/fs/cgroup"
        public var podLogs = "/var/log/pods"
        public init() {}
        public init(proc: String, cgroup: String, podLogs: String) {
            (self.proc, self.cgroup, self.podLogs) = (proc, cgroup, podLogs)
        }
    }

    public nonisolated let id = "local"
    public nonisolated let displayName: String
    let roots: Roots
    let cgroups: Cgroups?
    let cgroupProblem: String?
    /// A mount point's size and use in bytes (statvfs); a parameter so fixture trees can stand in.
    let filesystem: @Sendable (String) -> (capacity: Double, used: Double)?
    /// How long the first poll waits between its two reads, so that it already shows rates.
    let firstPollGap: Duration

    private var previous: Snapshot?
    private var series = ClusterSeries()

    public init(
        roots: Roots = Roots(), firstPollGap: Duration = .milliseconds(250),
        filesystem: @escaping @Sendable (String) -> (capacity: Double, used: Double)? = LocalSource.mountedFilesystem
    ) {
        self.roots = roots
        self.firstPollGap = firstPollGap
        self.filesystem = filesystem
        do {
            cgroups = try Cgroups(root: roots.cgroup)
            cgroupProblem = nil
        } catch {
            cgroups = nil
            cgroupProblem = error.description
        }
        let host = LocalSource.hostname(roots)
        displayName = "this machine, \(host) (/proc" + (cgroups.map { ", cgroup \($0.version.rawValue)" } ?? "") + ")"
    }

    /// One read of every counter, for rates against the next.
    struct Snapshot {
        var time: Timestamp
        var cpu: ProcFiles.CPUTimes
        var interfaces: [String: (receive: UInt64, transmit: UInt64)]
        var disks: [String: (read: UInt64, written: UInt64)]
        /// By cgroup path.
        var groups: [String: Cgroups.Stats]
    }

    public func poll(at time: Timestamp) async throws -> SampleBatch {
        var now = try read(at: time)
        if previous == nil {
            let first = now
            try? await Task.sleep(for: firstPollGap)
            now = try read(at: time)
            previous = first
            previous!.time =
                time - Int64(firstPollGap.components.seconds * 1000)
                - Int64(firstPollGap.components.attoseconds / 1_000_000_000_000_000)
        }
        defer { previous = now }
        return try batch(now, since: previous!)
    }

    static func hostname(_ roots: Roots) -> String {
        if let text = try? String(contentsOfFile: roots.proc + "/sys/kernel/hostname", encoding: .utf8) {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !name.isEmpty { return name.lowercased() }
        }
        return ProcessInfo.processInfo.hostName.lowercased()
    }

    private func file(_ name: String) throws -> String {
        let path = roots.proc + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LocalSourceError(
                "\(path): cannot be read (--source local reads Linux's /proc; on another system, or without /proc, use a cluster or the demo)"
            )
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func read(at time: Timestamp) throws -> Snapshot {
        let cpu = try ProcFiles.stat(file("stat"), file: roots.proc + "/stat")
        let interfaces = (try? file("net/dev")).flatMap { try? ProcFiles.netDev($0, file: roots.proc + "/net/dev") }
        let disks = (try? file("diskstats")).flatMap { try? ProcFiles.diskstats($0, file: roots.proc + "/diskstats") }
        var groups: [String: Cgroups.Stats] = [:]
        if let cgroups {
            let pods = cgroups.pods()
            if pods.isEmpty {
                for unit in cgroups.topLevel() { groups[unit.path] = cgroups.stats(unit.path) }
            } else {
                for pod in pods {
                    groups[pod.path] = cgroups.stats(pod.path)
                    for c in pod.containers { groups[c.path] = cgroups.stats(c.path) }
                }
            }
        }
        return Snapshot(time: time, cpu: cpu, interfaces: interfaces ?? [:], disks: disks ?? [:], groups: groups)
    }

    /// Interfaces that carry the node's own traffic: not loopback, and not the virtual ones that
    /// container networking adds (each pod's traffic would count twice).
    /// What to add to a cluster's connection error on a Linux machine, where `--source local` can
    /// show this node without any cluster; empty elsewhere and for other errors.
    static func suggestion(for error: any Error, roots: Roots = Roots()) -> String {
        guard let e = error as? KubeClientError, e.kind == .connection || e.kind == .timeout,
            FileManager.default.isReadableFile(atPath: roots.proc + "/stat")
        else { return "" }
        return "; on this node, --source local shows it from /proc and cgroups without a cluster"
    }

    static func isPhysical(_ name: String) -> Bool {
        let virtual = [
            "lo", "veth", "cali", "flannel", "cni", "docker", "br-", "kube-", "tunl", "vxlan", "cilium", "lxc",
            "weave", "virbr", "genev", "tap", "tun", "dummy", "nodelocaldns",
        ]
        return !virtual.contains { name.hasPrefix($0) }
    }

    private func batch(_ now: Snapshot, since old: Snapshot) throws -> SampleBatch {
        let seconds = max(0.001, Double(now.time - old.time) / 1000)
        func rate(_ a: UInt64?, _ b: UInt64?) -> Double? {
            guard let a, let b, a >= b else { return nil }
            return Double(a - b) / seconds
        }
        let node = LocalSource.hostname(roots)
        var warnings: [String] = []
        let meminfo = try ProcFiles.meminfo(file("meminfo"), file: roots.proc + "/meminfo")
        let total = meminfo["MemTotal"] ?? 0
        // The root cgroup as cAdvisor reads it: usage is all but free memory; the working set leaves out
        // inactive file pages, which the kernel can take back at once.
        let usage = total - (meminfo["MemFree"] ?? 0)
        let workingSet = max(0, usage - (meminfo["Inactive(file)"] ?? 0))

        // CPU: shares of the jiffies between the two reads, times the CPUs.
        let cpus = Double(now.cpu.cpus)
        let deltaTotal = Double(now.cpu.total &- old.cpu.total)
        let busyCores = deltaTotal > 0 ? Double(now.cpu.busy &- old.cpu.busy) / deltaTotal * cpus : 0

        var usageNow = ClusterUsage()
        var nodeUsage = ClusterUsage.Node(cpuCores: busyCores, memoryWorkingSetBytes: workingSet)
        nodeUsage.memoryUsageBytes = usage
        var rx = 0.0
        var tx = 0.0
        for (name, c) in now.interfaces where LocalSource.isPhysical(name) {
            rx += rate(c.receive, old.interfaces[name]?.receive) ?? 0
            tx += rate(c.transmit, old.interfaces[name]?.transmit) ?? 0
        }
        nodeUsage.networkReceiveBytesPerSecond = rx
        nodeUsage.networkTransmitBytesPerSecond = tx
        let mounts = (try? file("self/mounts")).map(ProcFiles.mounts) ?? []
        // The node's filesystem is the kubelet's (as the Summary API's `fs`), else the root's.
        let kubeletMount = mounts.filter { "/var/lib/kubelet".hasPrefix($0.mountpoint) }
            .max { $0.mountpoint.count < $1.mountpoint.count }
        if let main = kubeletMount, let fs = filesystem(main.mountpoint) {
            nodeUsage.filesystemUsedBytes = fs.used
            nodeUsage.filesystemCapacityBytes = fs.capacity
        }
        usageNow.nodes[node] = nodeUsage

        var object = NodeObject(name: node)
        object.labels = ["kubernetes.io/hostname": node, "kubernetes.io/os": "linux"]
        object.capacity = [
            "cpu": Quantity(value: Int64(now.cpu.cpus)), "memory": Quantity(value: Int64(total), format: .binarySI),
            "pods": Quantity(value: 110),
        ]
        object.allocatable = object.capacity
        object.conditions = [NodeCondition(type: "Ready", status: "True")]

        // Pods and containers.
        var pods: [PodObject] = []
        var extra = SampleBatch(time: now.time)
        if let cgroups {
            let groups = cgroups.pods()
            if groups.isEmpty {
                for unit in cgroups.topLevel() {
                    var pod = PodObject(namespace: unit.group, name: unit.unit)
                    pod.nodeName = node
                    pod.ownerKind = LocalSource.isSystemdUnit(unit.unit) ? "systemd unit" : "cgroup"
                    pod.ownerName = unit.group
                    let c = addContainer(
                        name: unit.unit, path: unit.path, to: &pod, usage: &usageNow, now: now, old: old,
                        seconds: seconds, extra: &extra)
                    _ = c
                    pods.append(pod)
                }
            } else {
                let names = PodLogNames(podsRoot: roots.podLogs)
                if names.pods.isEmpty {
                    warnings.append(
                        "\(roots.podLogs): no pod log directories, so pods are shown by UID (--pods-log-root)")
                }
                for group in groups {
                    let known = names.pods[group.uid]
                    var pod = PodObject(namespace: known?.namespace ?? "(uid)", name: known?.name ?? group.uid)
                    pod.nodeName = node
                    pod.uid = group.uid
                    pod.labels = ["kubeglass.io/qos": group.qos]
                    for c in group.containers {
                        let name = names.containers[c.id] ?? String(c.id.prefix(12))
                        addContainer(
                            name: name, path: c.path, to: &pod, usage: &usageNow, now: now, old: old,
                            seconds: seconds, extra: &extra)
                    }
                    pods.append(pod)
                }
            }
        } else if let cgroupProblem {
            warnings.append(cgroupProblem + "; no pods shown (--cgroup-root)")
        }

        var out = series.batch(at: now.time, nodes: [object], pods: [pods], usage: usageNow)
        out.warnings += warnings
        addNodeDetails(node: node, now: now, old: old, rate: rate, meminfo: meminfo, mounts: mounts, to: &out)
        out.series += extra.series
        return out
    }

    static func isSystemdUnit(_ name: String) -> Bool {
        [".service", ".scope", ".slice", ".socket", ".mount"].contains { name.hasSuffix($0) }
    }

    /// One container: its spec from the cgroup's settings, its usage, and its throttling and OOM series.
    @discardableResult
    private func addContainer(
        name: String, path: String, to pod: inout PodObject, usage: inout ClusterUsage, now: Snapshot,
        old: Snapshot, seconds: Double, extra: inout SampleBatch
    ) -> Cgroups.Stats? {
        guard let stats = now.groups[path] else { return nil }
        let before = old.groups[path]
        var spec = ContainerSpec(name: name)
        if let r = stats.cpuRequest { spec.requests["cpu"] = Quantity(milliValue: Int64((r * 1000).rounded())) }
        if let l = stats.cpuLimit { spec.limits["cpu"] = Quantity(milliValue: Int64((l * 1000).rounded())) }
        if let m = stats.memoryLimit { spec.limits["memory"] = Quantity(value: Int64(m), format: .binarySI) }
        pod.containers.append(spec)
        var status = ContainerStatus(name: name)
        status.ready = true
        status.state = .running
        pod.containerStatuses.append(status)
        pod.phase = "Running"
        var cpu = 0.0
        if let a = stats.cpuSeconds, let b = before?.cpuSeconds, a >= b { cpu = (a - b) / seconds }
        let key = ClusterUsage.podKey(pod.namespace, pod.name)
        var podUsage = usage.pods[key] ?? ClusterUsage.Pod(containers: [])
        podUsage.containers.append(
            .init(name: name, cpuCores: cpu, memoryWorkingSetBytes: stats.memoryWorkingSet ?? 0))
        podUsage.memoryUsageBytes = (podUsage.memoryUsageBytes ?? 0) + (stats.memoryUsage ?? 0)
        usage.pods[key] = podUsage

        let labels = ["namespace": pod.namespace, "pod": pod.name, "container": name, "node": pod.nodeName ?? ""]
        if let p = stats.periods, let t = stats.throttledPeriods, let p0 = before?.periods,
            let t0 = before?.throttledPeriods, p > p0, t >= t0
        {
            extra.add(SeriesNames.containerCPUThrottledRatio, labels, Double(t - t0) / Double(p - p0))
        }
        if let s = stats.throttledSeconds, let s0 = before?.throttledSeconds, s >= s0 {
            extra.add(SeriesNames.containerCPUThrottledSeconds, labels, (s - s0) / seconds)
        }
        if let kills = stats.oomKills { extra.add(SeriesNames.containerOOMKills, labels, Double(kills)) }
        return stats
    }

    private func addNodeDetails(
        node: String, now: Snapshot, old: Snapshot, rate: (UInt64?, UInt64?) -> Double?, meminfo: [String: Double],
        mounts: [ProcFiles.Mount], to out: inout SampleBatch
    ) {
        let labels = ["node": node]
        let deltaTotal = Double(now.cpu.total &- old.cpu.total)
        for (i, mode) in ProcFiles.CPUTimes.modes.enumerated() where deltaTotal > 0 {
            let share = Double(now.cpu.jiffies[i] &- old.cpu.jiffies[i]) / deltaTotal
            out.add(SeriesNames.nodeCPUModeCores, ["node": node, "mode": mode], share * Double(now.cpu.cpus))
        }
        if let load = (try? file("loadavg")).flatMap({ try? ProcFiles.loadavg($0) }) {
            out.add(SeriesNames.nodeLoad1, labels, load[0])
            out.add(SeriesNames.nodeLoad5, labels, load[1])
            out.add(SeriesNames.nodeLoad15, labels, load[2])
        }
        if let available = meminfo["MemAvailable"] { out.add(SeriesNames.nodeMemoryAvailable, labels, available) }
        for (name, c) in now.interfaces.sorted(by: { $0.key < $1.key }) where name != "lo" {
            let l = ["node": node, "interface": name]
            if let r = rate(c.receive, old.interfaces[name]?.receive) {
                out.add(SeriesNames.nodeInterfaceReceive, l, r)
            }
            if let t = rate(c.transmit, old.interfaces[name]?.transmit) {
                out.add(SeriesNames.nodeInterfaceTransmit, l, t)
            }
        }
        for m in mounts {
            guard let fs = filesystem(m.mountpoint) else { continue }
            let l = ["node": node, "device": m.device, "mountpoint": m.mountpoint, "fstype": m.type]
            out.add(SeriesNames.nodeMountUsage, l, fs.used)
            out.add(SeriesNames.nodeMountCapacity, l, fs.capacity)
        }
        for (name, d) in now.disks.sorted(by: { $0.key < $1.key }) {
            let l = ["node": node, "device": name]
            if let r = rate(d.read, old.disks[name]?.read) { out.add(SeriesNames.nodeDiskRead, l, r) }
            if let w = rate(d.written, old.disks[name]?.written) { out.add(SeriesNames.nodeDiskWrite, l, w) }
        }
        for resource in ["cpu", "memory", "io"] {
            let path = "pressure/" + resource
            guard let text = try? file(path),
                let p = try? ProcFiles.pressure(text, file: roots.proc + "/" + path)
            else { continue }
            out.add(SeriesNames.nodePressureSome, ["node": node, "resource": resource], p.some)
            if let full = p.full { out.add(SeriesNames.nodePressureFull, ["node": node, "resource": resource], full) }
        }
    }

    /// Size and use of the filesystem mounted at `path`, as `df` counts them (used = blocks − free).
    public static let mountedFilesystem: @Sendable (String) -> (capacity: Double, used: Double)? = { path in
        // fstatvfs: Swift reads `statvfs(path, &s)` as the struct's initializer.
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var s = Glibc.statvfs()
        guard fstatvfs(fd, &s) == 0, s.f_blocks > 0 else { return nil }
        let unit = Double(s.f_frsize)
        return (Double(s.f_blocks) * unit, Double(s.f_blocks - s.f_bfree) * unit)
    }
}
