import Foundation

/// The cgroup tree of this machine (or a fixture tree), read as the kubelet's cAdvisor reads it:
/// cgroup v2 (one unified tree) or v1 (one tree per controller), with the systemd or the cgroupfs
/// driver's names for pods and containers.
public struct Cgroups: Sendable {
    public enum Version: String, Sendable { case v1, v2 }

    /// One cgroup's counters and settings; nil where the file is missing or unreadable.
    public struct Stats: Sendable, Equatable {
        /// CPU time used, in seconds (cumulative).
        public var cpuSeconds: Double?
        public var periods: UInt64?
        public var throttledPeriods: UInt64?
        /// Time throttled, in seconds (cumulative).
        public var throttledSeconds: Double?
        public var memoryUsage: Double?
        /// Usage minus inactive file pages, as the kubelet computes the working set.
        public var memoryWorkingSet: Double?
        public var memoryLimit: Double?
        /// CPU limit in cores (quota ÷ period).
        public var cpuLimit: Double?
        /// CPU request in cores, from the cgroup's shares (v1) or weight (v2), as the kubelet sets them.
        public var cpuRequest: Double?
        public var oomKills: UInt64?
    }

    /// A pod's cgroup and its containers' (relative paths inside the hierarchy).
    public struct PodGroup: Sendable, Equatable {
        public var uid: String
        /// `guaranteed`, `burstable` or `besteffort`.
        public var qos: String
        public var path: String
        public var containers: [(id: String, path: String)]

        public static func == (a: PodGroup, b: PodGroup) -> Bool {
            a.uid == b.uid && a.qos == b.qos && a.path == b.path
                && a.containers.map(\.id) == b.containers.map(\.id)
                && a.containers.map(\.path) == b.containers.map(\.path)
        }
    }

    public let root: String
    public let version: Version
    /// v1: where each controller's tree is (cpuacct, cpu, memory); v2: the root for all.
    let cpuacctDir: String
    let cpuDir: String
    let memoryDir: String

    /// Reads which version `root` holds. Throws when it holds neither.
    public init(root: String) throws(LocalSourceError) {
        self.root = root
        let fm = FileManager.default
        if fm.fileExists(atPath: root + "/cgroup.controllers") {
            version = .v2
            (cpuacctDir, cpuDir, memoryDir) = (root, root, root)
            return
        }
        func first(_ names: [String]) -> String? {
            names.map { root + "/" + $0 }.first { fm.fileExists(atPath: $0) }
        }
        guard let memory = first(["memory"]), let cpuacct = first(["cpuacct", "cpu,cpuacct", "cpuacct,cpu"]) else {
            throw LocalSourceError(
                "\(root): not a cgroup tree (neither cgroup.controllers for v2 nor memory and cpuacct for v1)")
        }
        version = .v1
        cpuacctDir = cpuacct
        cpuDir = first(["cpu", "cpu,cpuacct", "cpuacct,cpu"]) ?? cpuacct
        memoryDir = memory
    }

    /// The tree pods are found in (v1: the memory controller's; every kubelet creates pods in it).
    var listingDir: String { memoryDir }

    // MARK: Kubernetes pods

    /// Every pod cgroup the kubelet made, with its containers: systemd names
    /// (`kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<UID>.slice/cri-containerd-<ID>.scope`)
    /// or cgroupfs names (`kubepods/burstable/pod<UID>/<ID>`). Empty when this is not a Kubernetes node.
    public func pods() -> [PodGroup] {
        var out: [PodGroup] = []
        for top in ["kubepods.slice", "kubepods"] where isDirectory(listingDir + "/" + top) {
            let systemd = top.hasSuffix(".slice")
            for (child, qos) in [("", "guaranteed"), ("burstable", "burstable"), ("besteffort", "besteffort")] {
                let dirName = child.isEmpty ? top : top + "/" + (systemd ? "kubepods-\(child).slice" : child)
                for entry in children(of: dirName) {
                    guard let uid = Cgroups.podUID(entry, systemd: systemd) else { continue }
                    let path = dirName + "/" + entry
                    let containers = children(of: path).compactMap { name -> (id: String, path: String)? in
                        guard let id = Cgroups.containerID(name) else { return nil }
                        return (id, path + "/" + name)
                    }.sorted { $0.id < $1.id }
                    out.append(PodGroup(uid: uid, qos: qos, path: path, containers: containers))
                }
            }
        }
        return out.sorted { $0.uid < $1.uid }
    }

    /// `kubepods-burstable-pod0a1b_2c.slice` → `0a1b-2c`; `pod0a1b-2c` → `0a1b-2c`.
    static func podUID(_ name: String, systemd: Bool) -> String? {
        if systemd {
            guard name.hasSuffix(".slice"), let r = name.range(of: "-pod") else { return nil }
            let uid = name[r.upperBound..<name.index(name.endIndex, offsetBy: -6)]
            return uid.isEmpty ? nil : uid.replacingOccurrences(of: "_", with: "-")
        }
        guard name.hasPrefix("pod"), name.count > 3 else { return nil }
        return String(name.dropFirst(3))
    }

    /// `cri-containerd-<ID>.scope`, `crio-<ID>.scope`, `docker-<ID>.scope` or a bare 64-hex `<ID>` → `<ID>`.
    static func containerID(_ name: String) -> String? {
        var s = Substring(name)
        if s.hasSuffix(".scope") {
            s = s.dropLast(6)
            guard let dash = s.lastIndex(of: "-") else { return nil }
            s = s[s.index(after: dash)...]
        }
        guard s.count >= 12, s.allSatisfy(\.isHexDigit) else { return nil }
        return String(s)
    }

    // MARK: Off Kubernetes

    /// The top-level cgroups and their children (systemd's slices and their units), for a machine
    /// that is not a Kubernetes node: (group, unit, path).
    public func topLevel() -> [(group: String, unit: String, path: String)] {
        var out: [(group: String, unit: String, path: String)] = []
        for top in children(of: "") {
            let units = children(of: top)
            if units.isEmpty {
                out.append(("/", top, top))
            } else {
                for unit in units { out.append((top, unit, top + "/" + unit)) }
            }
        }
        return out
    }

    // MARK: Reading one cgroup

    public func stats(_ path: String) -> Stats {
        var s = Stats()
        switch version {
        case .v2:
            let dir = root + "/" + path
            let cpu = keyed(dir + "/cpu.stat")
            s.cpuSeconds = cpu["usage_usec"].map { Double($0) / 1e6 }
            s.periods = cpu["nr_periods"]
            s.throttledPeriods = cpu["nr_throttled"]
            s.throttledSeconds = cpu["throttled_usec"].map { Double($0) / 1e6 }
            s.memoryUsage = number(dir + "/memory.current")
            if let usage = s.memoryUsage {
                let inactive = keyed(dir + "/memory.stat")["inactive_file"].map { Double($0) } ?? 0
                s.memoryWorkingSet = max(0, usage - inactive)
            }
            s.memoryLimit = number(dir + "/memory.max")
            if let max = read(dir + "/cpu.max")?.split(separator: " "), max.count == 2,
                let quota = Double(max[0]), let period = Double(max[1]), period > 0
            {
                s.cpuLimit = quota / period
            }
            if let weight = number(dir + "/cpu.weight") {
                // The kubelet's shares → weight mapping, turned back: weight = 1 + (shares − 2)·9999/262142.
                let shares = 2 + (weight - 1) * 262_142 / 9999
                s.cpuRequest = shares <= 2.5 ? nil : shares / 1024
            }
            s.oomKills = keyed(dir + "/memory.events")["oom_kill"]
        case .v1:
            s.cpuSeconds = number(cpuacctDir + "/" + path + "/cpuacct.usage").map { $0 / 1e9 }
            let cpu = keyed(cpuDir + "/" + path + "/cpu.stat")
            s.periods = cpu["nr_periods"]
            s.throttledPeriods = cpu["nr_throttled"]
            s.throttledSeconds = cpu["throttled_time"].map { Double($0) / 1e9 }
            let mem = memoryDir + "/" + path
            s.memoryUsage = number(mem + "/memory.usage_in_bytes")
            if let usage = s.memoryUsage {
                let stat = keyed(mem + "/memory.stat")
                let inactive = (stat["total_inactive_file"] ?? stat["inactive_file"]).map { Double($0) } ?? 0
                s.memoryWorkingSet = max(0, usage - inactive)
            }
            // v1 writes "no limit" as the page-rounded largest Int64.
            if let limit = number(mem + "/memory.limit_in_bytes"), limit < Double(1 << 62) { s.memoryLimit = limit }
            if let quota = number(cpuDir + "/" + path + "/cpu.cfs_quota_us"), quota > 0,
                let period = number(cpuDir + "/" + path + "/cpu.cfs_period_us"), period > 0
            {
                s.cpuLimit = quota / period
            }
            if let shares = number(cpuDir + "/" + path + "/cpu.shares") {
                s.cpuRequest = shares <= 2 ? nil : shares / 1024
            }
            s.oomKills = keyed(mem + "/memory.oom_control")["oom_kill"]
        }
        return s
    }

    // MARK: Files

    func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A file holding one number; nil when missing, `max`, or not a number. 2^64−1 (unlimited) reads as
    /// a Double without overflow.
    func number(_ path: String) -> Double? {
        guard let text = read(path), text != "max" else { return nil }
        return Double(text)
    }

    /// A file of `key value` lines (`cpu.stat`, `memory.stat`, `memory.events`).
    func keyed(_ path: String) -> [String: UInt64] {
        guard let text = read(path) else { return [:] }
        var out: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, let v = UInt64(f[1]) { out[String(f[0])] = v }
        }
        return out
    }

    func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    /// The child cgroups (directories) of `path`, relative to the listing tree, sorted.
    func children(of path: String) -> [String] {
        let dir = path.isEmpty ? listingDir : listingDir + "/" + path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { isDirectory(dir + "/" + $0) }.sorted()
    }
}

public struct LocalSourceError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
