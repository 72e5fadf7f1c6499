import Foundation
import KubeClient
import KubeglassCore
import TestSupport
import Testing

@testable import Collectors

/// `--source local` on fixture trees of every cgroup layout, and on this machine's own /proc.
struct LocalSourceTests {
    static let layouts: [(CgroupFixture.Version, CgroupFixture.Driver)] = [
        (.v2, .systemd), (.v2, .cgroupfs), (.v1, .systemd), (.v1, .cgroupfs),
    ]

    static func value(_ batch: SampleBatch, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        batch.series.first { s in
            s.labels.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value }
        }?.value
    }

    static func source(_ f: CgroupFixture) -> LocalSource {
        LocalSource(
            roots: .init(proc: f.proc, cgroup: f.cgroup, podLogs: f.podLogs), firstPollGap: .zero,
            filesystem: { path in
                switch path {
                case "/": return (100e9, 40e9)
                case "/var/lib/kubelet": return (500e9, 123e9)
                case "/mnt/my data": return (1e12, 1e9)
                default: return nil
                }
            })
    }

    @Test(arguments: 0..<4) func everyLayoutFindsPodsContainersAndTheirSettings(layout: Int) throws {
        let (version, driver) = Self.layouts[layout]
        let f = try CgroupFixture(version, driver)
        defer { f.remove() }
        try f.write(pods: CgroupFixture.pods())
        let cgroups = try Cgroups(root: f.cgroup)
        #expect(cgroups.version.rawValue == "\(version)")
        let pods = cgroups.pods()
        #expect(
            pods.map(\.uid) == [
                "1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "22222222-3333-4444-5555-666666666666",
                "77777777-8888-9999-aaaa-bbbbbbbbbbbb",
            ])
        #expect(pods.map(\.qos) == ["guaranteed", "burstable", "besteffort"])
        #expect(
            pods[0].containers.map(\.id) == [String(repeating: "a1", count: 32), String(repeating: "b2", count: 32)])
        let cart = cgroups.stats(pods[0].containers[0].path)
        #expect(cart.cpuSeconds == 100)
        #expect(cart.memoryUsage == 512 * CgroupFixture.mi)
        #expect(cart.memoryWorkingSet == 448 * CgroupFixture.mi, "usage minus inactive_file")
        #expect(cart.memoryLimit == 512 * CgroupFixture.mi)
        #expect(cart.cpuLimit == 0.5)
        #expect(cart.periods == 1000 && cart.throttledPeriods == 100 && cart.throttledSeconds == 2)
        #expect(cart.oomKills == 1)
        // Shares of 512 are a request of 0.5 cores; v2's weight loses a little in the kubelet's rounding.
        #expect(abs((cart.cpuRequest ?? 0) - 0.5) < 0.02)
        let report = cgroups.stats(pods[2].containers[0].path)
        #expect(report.memoryLimit == nil, "no limit: \(String(describing: report.memoryLimit))")
        #expect(report.cpuLimit == nil && report.cpuRequest == nil, "best effort has neither")
    }

    @Test(arguments: 0..<4) func theSourceWritesTheSeriesOfEveryOtherSource(layout: Int) async throws {
        let (version, driver) = Self.layouts[layout]
        let f = try CgroupFixture(version, driver)
        defer { f.remove() }
        try f.write(pods: CgroupFixture.pods())
        let source = Self.source(f)
        _ = try await source.poll(at: 1_000_000)
        // Five seconds later: 2000 more busy jiffies of 10000 on 4 CPUs, every container used more CPU.
        try f.writeProc(
            user: 2500, system: 1000, idle: 16000, rx: 10_000 + 5 * 1000, tx: 5000 + 5 * 200, readSectors: 100 + 5 * 8,
            writtenSectors: 50 + 5 * 16)
        try f.write(pods: CgroupFixture.pods(cpuScale: 1.05))
        let b = try await source.poll(at: 1_005_000)

        let node = ["node": "worker-1"]
        #expect(Self.value(b, SeriesNames.nodeCPUCapacity, node) == 4)
        #expect(Self.value(b, SeriesNames.nodeCPUUsage, node) == 4 * 2000.0 / 10000)
        #expect(Self.value(b, SeriesNames.nodeCPUModeCores, ["mode": "idle"]) == 4 * 8000.0 / 10000)
        #expect(Self.value(b, SeriesNames.nodeMemoryCapacity, node) == 8 * CgroupFixture.gi)
        // Used is all but free (8 − 2 GiB); the working set leaves out inactive file pages (1 GiB).
        #expect(Self.value(b, SeriesNames.nodeMemoryUsage, node) == 6 * CgroupFixture.gi)
        #expect(Self.value(b, SeriesNames.nodeMemoryWorkingSet, node) == 5 * CgroupFixture.gi)
        #expect(Self.value(b, SeriesNames.nodeMemoryAvailable, node) == 5 * CgroupFixture.gi)
        #expect(Self.value(b, SeriesNames.nodeLoad1, node) == 0.52)
        #expect(Self.value(b, SeriesNames.nodeLoad15, node) == 0.30)
        // eth0 only: loopback and the pods' veth do not count as the node's traffic.
        #expect(Self.value(b, SeriesNames.nodeNetworkReceive, node) == 1000)
        #expect(Self.value(b, SeriesNames.nodeNetworkTransmit, node) == 200)
        #expect(Self.value(b, SeriesNames.nodeInterfaceReceive, ["interface": "veth1a2b"]) == 0)
        // The kubelet's filesystem, not the root's; each real mount once, with its escaped name read.
        #expect(Self.value(b, SeriesNames.nodeFilesystemCapacity, node) == 500e9)
        #expect(Self.value(b, SeriesNames.nodeFilesystemUsage, node) == 123e9)
        #expect(Self.value(b, SeriesNames.nodeMountCapacity, ["mountpoint": "/mnt/my data"]) == 1e12)
        #expect(b.series.filter { $0.labels.name == SeriesNames.nodeMountCapacity }.count == 3)
        // Whole disks only, in bytes (512-byte sectors).
        #expect(Self.value(b, SeriesNames.nodeDiskRead, ["device": "vda"]).map { abs($0 - 8 * 512) < 1e-6 } == true)
        #expect(Self.value(b, SeriesNames.nodeDiskWrite, ["device": "vda"]).map { abs($0 - 16 * 512) < 1e-6 } == true)
        #expect(Self.value(b, SeriesNames.nodeDiskRead, ["device": "vda1"]) == nil)
        #expect(Self.value(b, SeriesNames.nodeDiskRead, ["device": "loop0"]) == nil)
        #expect(Self.value(b, SeriesNames.nodePressureSome, ["resource": "cpu"]) == 0.125)
        #expect(Self.value(b, SeriesNames.nodePressureFull, ["resource": "memory"]) == 0.005)

        // Pods named from the kubelet's log directories; rates from the cumulative CPU.
        let cart = ["namespace": "shop", "pod": "cart-7d9f8-x2kqp"]
        #expect(abs((Self.value(b, SeriesNames.podCPUUsage, cart) ?? 0) - (110 * 0.05) / 5) < 1e-9)
        #expect(
            Self.value(b, SeriesNames.containerCPUUsage, cart.merging(["container": "envoy"]) { a, _ in a }).map {
                abs($0 - 0.1) < 1e-9
            } == true)
        #expect(Self.value(b, SeriesNames.podMemoryWorkingSet, cart) == 576 * CgroupFixture.mi)
        #expect(Self.value(b, SeriesNames.podMemoryLimits, cart) == 640 * CgroupFixture.mi)
        #expect(Self.value(b, SeriesNames.podCPULimits, cart).map { abs($0 - 0.6) < 1e-9 } == true)
        #expect(Self.value(b, SeriesNames.containerOOMKills, ["container": "cart", "node": "worker-1"]) == 1)
        #expect(Self.value(b, SeriesNames.podInfo, ["pod": "coredns-5d78c-abcde", "phase": "Running"]) == 1)
        #expect(Self.value(b, SeriesNames.namespacePods, ["namespace": "batch"]) == 1)
        #expect(Self.value(b, SeriesNames.nodePods, node) == 3)
    }

    @Test func withoutLogDirectoriesPodsAreShownByUID() async throws {
        let f = try CgroupFixture(.v2, .systemd)
        defer { f.remove() }
        try f.write(pods: CgroupFixture.pods(), logs: false)
        let b = try await Self.source(f).poll(at: 1_000_000)
        #expect(Self.value(b, SeriesNames.podInfo, ["pod": "22222222-3333-4444-5555-666666666666"]) == 1)
        #expect(Self.value(b, SeriesNames.containerCPUUsage, ["container": String(repeating: "c3", count: 6)]) != nil)
        #expect(b.warnings.contains { $0.contains("--pods-log-root") })
    }

    @Test(arguments: [CgroupFixture.Version.v2, .v1]) func offKubernetesThePodsAreTopLevelCgroups(
        version: CgroupFixture.Version
    ) async throws {
        let f = try CgroupFixture(version, .systemd)
        defer { f.remove() }
        let unit = CgroupFixture.Container(
            id: "", name: "", cpuSeconds: 3, usage: 100 * CgroupFixture.mi, inactiveFile: 0, limit: nil,
            quotaCores: nil, shares: 1024)
        try f.writeGroup("system.slice/ssh.service", unit)
        try f.writeGroup("system.slice/cron.service", unit)
        try f.writeGroup("init.scope", unit)
        let b = try await Self.source(f).poll(at: 1_000_000)
        #expect(
            Self.value(
                b, SeriesNames.podInfo,
                ["namespace": "system.slice", "pod": "ssh.service", "owner_kind": "systemd unit"])
                == 1)
        #expect(Self.value(b, SeriesNames.podMemoryWorkingSet, ["pod": "cron.service"]) == 100 * CgroupFixture.mi)
        #expect(Self.value(b, SeriesNames.podInfo, ["namespace": "/", "pod": "init.scope"]) == 1)
        #expect(Self.value(b, SeriesNames.nodeCPUCapacity) == 4, "the node panels still work")
    }

    @Test func badInputIsNamedNotACrash() async throws {
        let f = try CgroupFixture(.v2, .cgroupfs)
        defer { f.remove() }
        // No /proc at all: the error names the file and says what the source needs.
        let missing = LocalSource(roots: .init(proc: f.root + "/nope", cgroup: f.cgroup, podLogs: f.podLogs))
        await #expect(throws: LocalSourceError.self) { try await missing.poll(at: 0) }
        do { _ = try await missing.poll(at: 0) } catch { #expect("\(error)".contains("/nope/stat")) }
        // A broken /proc/stat names its file and line.
        try f.write("proc/stat", "intr 1\ncpu  x y z\n")
        do {
            _ = try await Self.source(f).poll(at: 0)
            Issue.record("a broken /proc/stat was read")
        } catch {
            #expect("\(error)".contains("\(f.proc)/stat: line 2"), "\(error)")
        }
        // Not a cgroup tree: the node still shows, with a warning naming the directory.
        try f.writeProc(user: 1, system: 1, idle: 1, rx: 1, tx: 1, readSectors: 1, writtenSectors: 1)
        let noCgroups = LocalSource(
            roots: .init(proc: f.proc, cgroup: f.root + "/empty", podLogs: f.podLogs), firstPollGap: .zero)
        let b = try await noCgroups.poll(at: 0)
        #expect(Self.value(b, SeriesNames.nodeCPUCapacity) == 4)
        #expect(b.warnings.contains { $0.contains("\(f.root)/empty: not a cgroup tree") }, "\(b.warnings)")
        // Unreadable cgroup files read as absent, not as zero or a crash.
        try f.write("cgroup/kubepods/podabc/cpu.stat", "garbage\n")
        try f.write("cgroup/kubepods/podabc/memory.current", "not a number\n")
        let c = try Cgroups(root: f.cgroup)
        #expect(c.stats("kubepods/podabc").cpuSeconds == nil)
        #expect(c.stats("kubepods/podabc").memoryUsage == nil)
    }

    @Test func parsersReadWhatTheKernelWrites() throws {
        #expect(try ProcFiles.loadavg("1.50 0.75 0.25 3/456 789\n") == [1.5, 0.75, 0.25])
        #expect(throws: ProcFiles.ParseError.self) { try ProcFiles.loadavg("") }
        let p = try ProcFiles.pressure("some avg10=2.04 avg60=0.75 avg300=0.40 total=157622\n", file: "cpu")
        #expect(p.some == 0.0204 && p.full == nil)
        #expect(ProcFiles.mounts("/dev/sda1 / ext4 rw 0 0\n/dev/sda1 /home ext4 rw 0 0\n").map(\.mountpoint) == ["/"])
        // A 2^64−1 "unlimited" counter reads without overflow.
        let f = try CgroupFixture(.v2, .cgroupfs)
        defer { f.remove() }
        try f.write("cgroup/x/memory.max", "18446744073709551615\n")
        #expect(try Cgroups(root: f.cgroup).stats("x").memoryLimit == Double(UInt64.max))
    }

    /// This machine's own /proc, checked against other tools reading it (`nproc`, `free -b`, `df -B1`).
    @Test func thisMachineAgreesWithFreeDfAndLoadavg() async throws {
        let source = LocalSource(firstPollGap: .milliseconds(100))
        let b = try await source.poll(at: Int64(Date().timeIntervalSince1970 * 1000))
        let node = try #require(b.series.first { $0.labels.name == SeriesNames.nodeCPUCapacity }?.labels["node"])
        let labels = ["node": node]
        let (_, nproc) = try await spawn(["nproc", "--all"])
        #expect(
            Self.value(b, SeriesNames.nodeCPUCapacity, labels)
                == Double(nproc.trimmingCharacters(in: .whitespacesAndNewlines)))
        let (_, free) = try await spawn(["free", "-b"])
        let mem = free.split(separator: "\n").first { $0.hasPrefix("Mem:") }!.split(separator: " ")
        #expect(Self.value(b, SeriesNames.nodeMemoryCapacity, labels) == Double(mem[1]))
        // free's "used" is total − available; ours is total − free: both within what buffers and cache hold.
        let total = Double(mem[1])!
        let available = Double(mem[6])!
        let used = try #require(Self.value(b, SeriesNames.nodeMemoryUsage, labels))
        #expect(used >= total - available - 64 * CgroupFixture.mi && used <= total)
        let load = try String(contentsOfFile: "/proc/loadavg", encoding: .utf8).split(separator: " ")
        #expect(abs((Self.value(b, SeriesNames.nodeLoad1, labels) ?? -1) - Double(load[0])!) < 1.0)
        let (_, df) = try await spawn(["df", "-B1", "--output=size,used", "/"])
        let row = df.split(separator: "\n")[1].split(separator: " ").map { Double($0)! }
        let root = b.series.first { $0.labels.name == SeriesNames.nodeMountCapacity && $0.labels["mountpoint"] == "/" }
        #expect(root?.value == row[0])
        let rootUsed = b.series.first { $0.labels.name == SeriesNames.nodeMountUsage && $0.labels["mountpoint"] == "/" }
        #expect(abs((rootUsed?.value ?? 0) - row[1]) < 256 * CgroupFixture.mi, "within what is written meanwhile")
        let cpu = try #require(Self.value(b, SeriesNames.nodeCPUUsage, labels))
        #expect(cpu >= 0 && cpu <= Double(nproc.trimmingCharacters(in: .whitespacesAndNewlines))!)
    }

    @Test func anUnreachableClusterSuggestsTheLocalSourceOnALinuxNode() {
        let refused = KubeClientError(.connection, "cannot connect to https://127.0.0.1:1: connection refused")
        #expect(LocalSource.suggestion(for: refused).contains("--source local"))
        let denied = KubeClientError(.credentials, "the token file is unreadable")
        #expect(LocalSource.suggestion(for: denied) == "", "only a cluster out of reach suggests it")
        let nowhere = LocalSource.Roots(proc: "/nonexistent-proc", cgroup: "/nonexistent", podLogs: "/nonexistent")
        #expect(LocalSource.suggestion(for: refused, roots: nowhere) == "", "not where there is no /proc")
    }
}
