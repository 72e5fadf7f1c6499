import Foundation

/// A cgroup tree and /proc written into a temporary directory, laid out as each kubelet cgroup driver
/// and cgroup version writes them. File formats follow the kernel's cgroup-v1 and cgroup-v2
/// documentation (Documentation/admin-guide/cgroup-v1/, cgroup-v2.rst) and the kubelet's naming
/// (pkg/kubelet/cm/cgroup_manager_linux.go: `kubepods-burstable-pod<uid>.slice`, `pod<uid>`).
struct CgroupFixture {
    enum Driver { case systemd, cgroupfs }
    enum Version { case v1, v2 }

    struct Container {
        var id: String
        var name: String
        var cpuSeconds: Double
        var usage: Double
        var inactiveFile: Double
        var limit: Double?
        var quotaCores: Double?
        var shares: Int
        var periods: UInt64 = 1000
        var throttled: UInt64 = 0
        var throttledSeconds: Double = 0
        var oomKills: UInt64 = 0
    }

    struct Pod {
        var uid: String
        var namespace: String
        var name: String
        var qos: String
        var containers: [Container]
    }

    let root: String
    let version: Version
    let driver: Driver
    var proc: String { root + "/proc" }
    var cgroup: String { root + "/cgroup" }
    var podLogs: String { root + "/log/pods" }

    init(_ version: Version, _ driver: Driver) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kg-cgroup-\(UUID().uuidString)").path
        self.version = version
        self.driver = driver
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if version == .v2 {
            try write("cgroup/cgroup.controllers", "cpuset cpu io memory pids\n")
        } else {
            for c in ["cpu,cpuacct", "memory"] { try mkdir("cgroup/" + c) }
            try FileManager.default.createSymbolicLink(atPath: cgroup + "/cpu", withDestinationPath: "cpu,cpuacct")
            try FileManager.default.createSymbolicLink(atPath: cgroup + "/cpuacct", withDestinationPath: "cpu,cpuacct")
        }
        try writeProc(user: 1000, system: 500, idle: 8000, rx: 10_000, tx: 5000, readSectors: 100, writtenSectors: 50)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func mkdir(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
    }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// /proc on a 4-CPU machine with 8 GiB.
    func writeProc(
        user: UInt64, system: UInt64, idle: UInt64, rx: UInt64, tx: UInt64, readSectors: UInt64, writtenSectors: UInt64
    ) throws {
        var stat = "cpu  \(user) 0 \(system) \(idle) 0 0 0 0 0 0\n"
        for i in 0..<4 { stat += "cpu\(i) \(user / 4) 0 \(system / 4) \(idle / 4) 0 0 0 0 0 0\n" }
        stat += "intr 1 2 3\nctxt 100\nbtime 1700000000\n"
        try write("proc/stat", stat)
        try write("proc/loadavg", "0.52 0.41 0.30 2/345 6789\n")
        try write(
            "proc/meminfo",
            """
            MemTotal:        8388608 kB
            MemFree:         2097152 kB
            MemAvailable:    5242880 kB
            Buffers:          102400 kB
            Cached:          3145728 kB
            Active(file):    1048576 kB
            Inactive(file):  1048576 kB

            """)
        try write(
            "proc/net/dev",
            """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:  999999    10    0    0    0     0          0         0   999999    10    0    0    0     0       0          0
              eth0: \(rx)     991    0    0    0     0          0         0 \(tx)     603    0    0    0     0       0          0
            veth1a2b: 777777   5    0    0    0     0          0         0   777777     5    0    0    0     0       0          0

            """)
        try write(
            "proc/diskstats",
            """
               7       0 loop0 10 0 80 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             252       0 vda 100 0 \(readSectors) 20 40 0 \(writtenSectors) 30 0 50 60 0 0 0 0 0 0
             252       1 vda1 90 0 \(readSectors / 2) 10 30 0 \(writtenSectors / 2) 20 0 40 50 0 0 0 0 0 0

            """)
        try write(
            "proc/pressure/cpu",
            "some avg10=12.50 avg60=3.00 avg300=1.00 total=123\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
        try write(
            "proc/pressure/memory",
            "some avg10=1.00 avg60=0.00 avg300=0.00 total=5\nfull avg10=0.50 avg60=0.00 avg300=0.00 total=1\n")
        try write("proc/sys/kernel/hostname", "Worker-1\n")
        try write(
            "proc/self/mounts",
            """
            proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
            /dev/vda1 / ext4 rw,relatime 0 0
            tmpfs /run tmpfs rw,nosuid,nodev 0 0
            /dev/vdb /var/lib/kubelet xfs rw,relatime 0 0
            /dev/vdb /var/lib/kubelet/pods/abc/volumes/x xfs rw,relatime 0 0
            /dev/vdc /mnt/my\\040data ext4 rw 0 0
            overlay /var/lib/containerd/x overlay rw 0 0

            """)
    }

    /// The pod's directory under the kubepods tree, as this driver names it.
    func podPath(_ pod: Pod) -> String {
        switch driver {
        case .systemd:
            let uid = pod.uid.replacingOccurrences(of: "-", with: "_")
            if pod.qos == "guaranteed" { return "kubepods.slice/kubepods-pod\(uid).slice" }
            return "kubepods.slice/kubepods-\(pod.qos).slice/kubepods-\(pod.qos)-pod\(uid).slice"
        case .cgroupfs:
            if pod.qos == "guaranteed" { return "kubepods/pod\(pod.uid)" }
            return "kubepods/\(pod.qos)/pod\(pod.uid)"
        }
    }

    func containerPath(_ pod: Pod, _ c: Container) -> String {
        podPath(pod) + "/" + (driver == .systemd ? "cri-containerd-\(c.id).scope" : c.id)
    }

    /// Writes the pods' and containers' cgroups (the pod's are the sum of its containers'), and the
    /// kubelet's log directories that name them.
    func write(pods: [Pod], logs: Bool = true) throws {
        for pod in pods {
            var total = Container(
                id: "", name: "", cpuSeconds: 0, usage: 0, inactiveFile: 0, limit: nil, quotaCores: nil, shares: 0)
            for c in pod.containers {
                try writeGroup(containerPath(pod, c), c)
                total.cpuSeconds += c.cpuSeconds
                total.usage += c.usage
                total.inactiveFile += c.inactiveFile
                total.shares += c.shares
                if logs {
                    try mkdir("log/pods/\(pod.namespace)_\(pod.name)_\(pod.uid)/\(c.name)")
                    try write("log/containers/\(pod.name)_\(pod.namespace)_\(c.name)-\(c.id).log", "")
                }
            }
            try writeGroup(podPath(pod), total)
        }
    }

    func writeGroup(_ path: String, _ c: Container) throws {
        switch version {
        case .v2:
            let p = "cgroup/" + path
            try write(
                p + "/cpu.stat",
                "usage_usec \(UInt64(c.cpuSeconds * 1e6))\nuser_usec 1\nsystem_usec 1\nnr_periods \(c.periods)\nnr_throttled \(c.throttled)\nthrottled_usec \(UInt64(c.throttledSeconds * 1e6))\n"
            )
            try write(p + "/memory.current", "\(UInt64(c.usage))\n")
            try write(
                p + "/memory.stat", "anon 1000\nfile 2000\nactive_file 5\ninactive_file \(UInt64(c.inactiveFile))\n")
            try write(p + "/memory.max", c.limit.map { "\(UInt64($0))" } ?? "max")
            try write(p + "/cpu.max", c.quotaCores.map { "\(UInt64($0 * 100_000)) 100000" } ?? "max 100000")
            // The kubelet's shares → weight: 1 + (shares − 2)·9999/262142.
            try write(p + "/cpu.weight", "\(1 + (max(2, c.shares) - 2) * 9999 / 262_142)")
            try write(p + "/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill \(c.oomKills)\n")
        case .v1:
            let cpu = "cgroup/cpu,cpuacct/" + path
            let mem = "cgroup/memory/" + path
            try write(cpu + "/cpuacct.usage", "\(UInt64(c.cpuSeconds * 1e9))\n")
            try write(
                cpu + "/cpu.stat",
                "nr_periods \(c.periods)\nnr_throttled \(c.throttled)\nthrottled_time \(UInt64(c.throttledSeconds * 1e9))\n"
            )
            try write(cpu + "/cpu.cfs_quota_us", c.quotaCores.map { "\(Int($0 * 100_000))" } ?? "-1")
            try write(cpu + "/cpu.cfs_period_us", "100000")
            try write(cpu + "/cpu.shares", "\(max(2, c.shares))")
            try write(mem + "/memory.usage_in_bytes", "\(UInt64(c.usage))\n")
            try write(
                mem + "/memory.stat", "cache 1\nrss 2\ninactive_file 7\ntotal_inactive_file \(UInt64(c.inactiveFile))\n"
            )
            try write(mem + "/memory.limit_in_bytes", c.limit.map { "\(UInt64($0))" } ?? "9223372036854771712")
            try write(mem + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill \(c.oomKills)\n")
        }
    }

    static let gi = 1024.0 * 1024 * 1024
    static let mi = 1024.0 * 1024

    /// A guaranteed pod of two containers, a burstable one and a best-effort one.
    static func pods(cpuScale: Double = 1) -> [Pod] {
        [
            Pod(
                uid: "1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", namespace: "shop", name: "cart-7d9f8-x2kqp",
                qos: "guaranteed",
                containers: [
                    Container(
                        id: String(repeating: "a1", count: 32), name: "cart", cpuSeconds: 100 * cpuScale,
                        usage: 512 * mi, inactiveFile: 64 * mi, limit: 512 * mi, quotaCores: 0.5, shares: 512,
                        periods: 1000, throttled: 100, throttledSeconds: 2, oomKills: 1),
                    Container(
                        id: String(repeating: "b2", count: 32), name: "envoy", cpuSeconds: 10 * cpuScale,
                        usage: 128 * mi, inactiveFile: 0, limit: 128 * mi, quotaCores: 0.1, shares: 102),
                ]),
            Pod(
                uid: "22222222-3333-4444-5555-666666666666", namespace: "kube-system", name: "coredns-5d78c-abcde",
                qos: "burstable",
                containers: [
                    Container(
                        id: String(repeating: "c3", count: 32), name: "coredns", cpuSeconds: 50 * cpuScale,
                        usage: 70 * mi, inactiveFile: 10 * mi, limit: 170 * mi, quotaCores: nil, shares: 102)
                ]),
            Pod(
                uid: "77777777-8888-9999-aaaa-bbbbbbbbbbbb", namespace: "batch", name: "report-29000014-c56gz",
                qos: "besteffort",
                containers: [
                    Container(
                        id: String(repeating: "d4", count: 32), name: "report", cpuSeconds: 5 * cpuScale,
                        usage: 1 * gi, inactiveFile: 512 * mi, limit: nil, quotaCores: nil, shares: 2)
                ]),
        ]
    }
}
