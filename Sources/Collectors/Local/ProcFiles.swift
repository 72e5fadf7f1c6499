/// Parsers for the /proc files `--source local` reads. Each takes a file's text and gives what it
/// holds, or throws naming the file and the line it could not read.
public enum ProcFiles {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ file: String, _ message: String) { description = "\(file): \(message)" }
    }

    /// `/proc/stat`'s aggregate `cpu` line: jiffies per mode, and how many `cpuN` lines (CPUs) follow.
    public struct CPUTimes: Sendable, Equatable {
        public static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
        /// In the order of `modes` (guest time is already inside user and nice).
        public var jiffies: [UInt64]
        public var cpus: Int
        public var busy: UInt64 { jiffies.indices.reduce(0) { $1 == 3 || $1 == 4 ? $0 : $0 + jiffies[$1] } }
        public var total: UInt64 { jiffies.reduce(0, +) }
    }

    public static func stat(_ text: String, file: String = "/proc/stat") throws(ParseError) -> CPUTimes {
        var aggregate: [UInt64]?
        var cpus = 0
        for (n, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let head = fields.first, head.hasPrefix("cpu") else { continue }
            if head == "cpu" {
                let values = fields.dropFirst().prefix(CPUTimes.modes.count).map { UInt64($0) }
                guard values.count >= 4, !values.contains(nil) else {
                    throw ParseError(file, "line \(n + 1): the cpu line has no jiffies (\(line.prefix(60)))")
                }
                aggregate = values.map { $0! } + Array(repeating: 0, count: CPUTimes.modes.count - values.count)
            } else {
                cpus += 1
            }
        }
        guard let aggregate else { throw ParseError(file, "no aggregate cpu line") }
        return CPUTimes(jiffies: aggregate, cpus: max(1, cpus))
    }

    /// `/proc/loadavg`: the 1, 5 and 15 minute load averages.
    public static func loadavg(_ text: String, file: String = "/proc/loadavg") throws(ParseError) -> [Double] {
        let values = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard values.count == 3 else {
            throw ParseError(file, "expected three load averages, got \"\(text.prefix(40))\"")
        }
        return values
    }

    /// `/proc/meminfo` in bytes, by key (`MemTotal`, `Inactive(file)`, …).
    public static func meminfo(_ text: String, file: String = "/proc/meminfo") throws(ParseError) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let rest = line[line.index(after: colon)...].split(separator: " ")
            guard let first = rest.first, let value = Double(first) else { continue }
            out[String(line[..<colon])] = rest.count > 1 && rest[1] == "kB" ? value * 1024 : value
        }
        guard out["MemTotal"] != nil else { throw ParseError(file, "no MemTotal line") }
        return out
    }

    /// `/proc/net/dev`: received and sent bytes per interface.
    public static func netDev(_ text: String, file: String = "/proc/net/dev") throws(ParseError) -> [String: (
        receive: UInt64, transmit: UInt64
    )] {
        var out: [String: (receive: UInt64, transmit: UInt64)] = [:]
        for (n, line) in text.split(separator: "\n").enumerated() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces
            let fields = line[line.index(after: colon)...].split(separator: " ")
            guard fields.count >= 9, let rx = UInt64(fields[0]), let tx = UInt64(fields[8]) else {
                throw ParseError(file, "line \(n + 1): interface \(name) has no byte counters")
            }
            out[String(name)] = (rx, tx)
        }
        return out
    }

    /// `/proc/diskstats`: bytes read and written per whole disk (sectors are 512 bytes here, whatever
    /// the device's own). Partitions, loop and ram devices are left out: a partition's bytes are its disk's.
    public static func diskstats(_ text: String, file: String = "/proc/diskstats") throws(ParseError) -> [String: (
        read: UInt64, written: UInt64
    )] {
        var rows: [String: (read: UInt64, written: UInt64)] = [:]
        for (n, line) in text.split(separator: "\n").enumerated() {
            let f = line.split(separator: " ")
            guard f.count >= 10 else { continue }
            let name = String(f[2])
            guard let read = UInt64(f[5]), let written = UInt64(f[9]) else {
                throw ParseError(file, "line \(n + 1): device \(name) has no sector counts")
            }
            if name.hasPrefix("loop") || name.hasPrefix("ram") || name.hasPrefix("zram") { continue }
            rows[name] = (read * 512, written * 512)
        }
        // A partition is named after its disk (sda1, nvme0n1p1, vda2, mmcblk0p1): leave out names whose
        // disk is there too.
        return rows.filter { name, _ in
            !rows.keys.contains { $0 != name && name.hasPrefix($0) && partitionSuffix(name.dropFirst($0.count)) }
        }
    }

    private static func partitionSuffix(_ s: Substring) -> Bool {
        let digits = s.first == "p" ? s.dropFirst() : s
        return !digits.isEmpty && digits.allSatisfy(\.isNumber)
    }

    /// `/proc/pressure/{cpu,memory,io}`: the share of the last 10 s some (and all, `full`) tasks stalled, 0–1.
    public static func pressure(_ text: String, file: String) throws(ParseError) -> (some: Double, full: Double?) {
        var some: Double?
        var full: Double?
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard let kind = f.first, let avg10 = f.first(where: { $0.hasPrefix("avg10=") }),
                let v = Double(avg10.dropFirst(6))
            else { continue }
            if kind == "some" { some = v / 100 } else if kind == "full" { full = v / 100 }
        }
        guard let some else { throw ParseError(file, "no \"some avg10=\" line") }
        return (some, full)
    }

    /// One mounted filesystem of `/proc/self/mounts` worth showing.
    public struct Mount: Sendable, Equatable {
        public var device: String
        public var mountpoint: String
        public var type: String
    }

    /// Pseudo and virtual filesystems, as node_exporter and df -x leave them out.
    static let pseudo: Set<String> = [
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "pstore", "bpf",
        "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "rpc_pipefs",
        "nsfs", "overlay", "squashfs", "ramfs", "efivarfs", "selinuxfs", "fuse.lxcfs", "fuse.gvfsd-fuse",
        "fuse.portal", "nfsd", "rootfs",
    ]

    /// `/proc/self/mounts`, pseudo filesystems and container bind mounts left out, each device once
    /// (its first mount point). Octal escapes (`\040` for a space) are decoded.
    public static func mounts(_ text: String) -> [Mount] {
        var seen = Set<String>()
        var out: [Mount] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3 else { continue }
            let m = Mount(device: unescape(f[0]), mountpoint: unescape(f[1]), type: String(f[2]))
            if pseudo.contains(m.type) || !m.device.hasPrefix("/") { continue }
            if m.mountpoint.hasPrefix("/var/lib/kubelet/pods/") || m.mountpoint.hasPrefix("/run/")
                || m.mountpoint.hasPrefix("/snap/")
            {
                continue
            }
            guard seen.insert(m.device).inserted else { continue }
            out.append(m)
        }
        return out
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var bytes: [UInt8] = []
        var chars = Array(s.utf8)[...]
        while let c = chars.popFirst() {
            if c == UInt8(ascii: "\\"), chars.count >= 3,
                let v = UInt8(String(decoding: chars.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(v)
                chars = chars.dropFirst(3)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
