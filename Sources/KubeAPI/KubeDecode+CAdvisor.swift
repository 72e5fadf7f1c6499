/// cAdvisor's REST API v1.3: `/api/v1.3/machine` and `/api/v1.3/subcontainers/`.
extension KubeDecode {
    public static func cadvisorMachine(_ body: [UInt8]) throws(KubeDecodeError) -> CAdvisor.Machine {
        try read(body) { (r) throws(KubeDecodeError) in try machine(&r) }
    }

    /// The JSON array `/api/v1.3/subcontainers/` answers: the container and every one below it.
    public static func cadvisorContainers(_ body: [UInt8]) throws(KubeDecodeError) -> [CAdvisor.Container] {
        try read(body) { (r) throws(KubeDecodeError) in
            var containers: [CAdvisor.Container] = []
            try r.enterArray()
            while try r.nextElement() {
                if try r.skipNull() { continue }
                containers.append(try container(&r, containers.count))
            }
            return containers
        }
    }

    private static func machine(_ r: inout JSONReader) throws(KubeDecodeError) -> CAdvisor.Machine {
        var machine = CAdvisor.Machine()
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("num_cores") {
                machine.cores = Int(clamping: try r.readCounter())
            } else if r.keyIs("memory_capacity") {
                machine.memoryCapacity = try r.readCounter()
            } else if r.keyIs("filesystems") {
                machine.filesystems = try r.readArray(filesystem)
            } else if r.keyIs("disk_map") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    let key = try r.keyString()
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("name") {
                            machine.disks[key] = try r.readString()
                        } else {
                            try r.skipValue()
                        }
                    }
                }
            } else {
                try r.skipValue()
            }
        }
        return machine
    }

    private static func container(_ r: inout JSONReader, _ index: Int) throws(KubeDecodeError) -> CAdvisor.Container {
        let depth = r.depth
        var container = CAdvisor.Container(name: "")
        do throws(KubeDecodeError) {
            try r.enterObject()
            while try r.nextKey() {
                if try r.skipNull() { continue }
                if r.keyIs("name") {
                    container.name = try r.readString()
                } else if r.keyIs("aliases") {
                    container.aliases = try r.readArray { (r) throws(KubeDecodeError) in try r.readString() }
                } else if r.keyIs("spec") {
                    try spec(&r, into: &container)
                } else if r.keyIs("stats") {
                    container.stats = try r.readArray(stats)
                } else {
                    try r.skipValue()
                }
            }
        } catch {
            throw error.about(
                container.name.isEmpty ? "container [\(index)]" : "container \(container.name)", at: depth)
        }
        return container
    }

    private static func spec(_ r: inout JSONReader, into c: inout CAdvisor.Container) throws(KubeDecodeError) {
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("labels") {
                c.labels = try r.readStringMap()
            } else if r.keyIs("cpu") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("limit") {
                        c.cpuShares = try r.readCounter()
                    } else if r.keyIs("quota") {
                        c.cpuQuota = try r.readCounter()
                    } else if r.keyIs("period") {
                        c.cpuPeriod = try r.readCounter()
                    } else {
                        try r.skipValue()
                    }
                }
            } else if r.keyIs("memory") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("limit") { c.memoryLimit = try r.readCounter() } else { try r.skipValue() }
                }
            } else {
                try r.skipValue()
            }
        }
    }

    private static func stats(_ r: inout JSONReader) throws(KubeDecodeError) -> CAdvisor.Stats {
        var s = CAdvisor.Stats(time: 0)
        var hasTime = false
        var topInterface: CAdvisor.Interface?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("timestamp") {
                s.time = try r.readTime()
                hasTime = true
            } else if r.keyIs("cpu") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    guard r.keyIs("usage") else {
                        try r.skipValue()
                        continue
                    }
                    try r.enterObject()
                    while try r.nextKey() {
                        if try r.skipNull() { continue }
                        if r.keyIs("total") { s.cpuTotal = try r.readCounter() } else { try r.skipValue() }
                    }
                }
            } else if r.keyIs("memory") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("usage") {
                        s.memoryUsage = try r.readCounter()
                    } else if r.keyIs("working_set") {
                        s.memoryWorkingSet = try r.readCounter()
                    } else {
                        try r.skipValue()
                    }
                }
            } else if r.keyIs("network") {
                try r.enterObject()
                var top = CAdvisor.Interface(name: "", receiveBytes: 0, transmitBytes: 0)
                var hasTop = false
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("interfaces") {
                        s.interfaces = try r.readArray(interface)
                    } else if r.keyIs("name") {
                        top.name = try r.readString()
                    } else if r.keyIs("rx_bytes") {
                        top.receiveBytes = try r.readCounter()
                        hasTop = true
                    } else if r.keyIs("tx_bytes") {
                        top.transmitBytes = try r.readCounter()
                        hasTop = true
                    } else {
                        try r.skipValue()
                    }
                }
                if hasTop { topInterface = top }
            } else if r.keyIs("filesystem") {
                s.filesystems = try r.readArray(filesystem)
            } else if r.keyIs("diskio") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("io_service_bytes") { s.disks = try r.readArray(diskIO) } else { try r.skipValue() }
                }
            } else {
                try r.skipValue()
            }
        }
        guard hasTime else { throw KubeDecodeError.shape("has no timestamp", at: r.position) }
        if s.interfaces.isEmpty, let topInterface, !topInterface.name.isEmpty { s.interfaces = [topInterface] }
        return s
    }

    private static func interface(_ r: inout JSONReader) throws(KubeDecodeError) -> CAdvisor.Interface {
        var i = CAdvisor.Interface(name: "", receiveBytes: 0, transmitBytes: 0)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                i.name = try r.readSharedString()
            } else if r.keyIs("rx_bytes") {
                i.receiveBytes = try r.readCounter()
            } else if r.keyIs("tx_bytes") {
                i.transmitBytes = try r.readCounter()
            } else {
                try r.skipValue()
            }
        }
        return i
    }

    private static func filesystem(_ r: inout JSONReader) throws(KubeDecodeError) -> CAdvisor.Filesystem {
        var fs = CAdvisor.Filesystem(device: "")
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("device") {
                fs.device = try r.readSharedString()
            } else if r.keyIs("type") {
                fs.type = try r.readSharedString()
            } else if r.keyIs("capacity") {
                fs.capacity = try r.readCounter()
            } else if r.keyIs("usage") {
                fs.usage = try r.readCounter()
            } else {
                try r.skipValue()
            }
        }
        return fs
    }

    private static func diskIO(_ r: inout JSONReader) throws(KubeDecodeError) -> CAdvisor.DiskIO {
        var d = CAdvisor.DiskIO(major: 0, minor: 0)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("major") {
                d.major = try r.readCounter()
            } else if r.keyIs("minor") {
                d.minor = try r.readCounter()
            } else if r.keyIs("stats") {
                try r.enterObject()
                while try r.nextKey() {
                    if try r.skipNull() { continue }
                    if r.keyIs("Read") {
                        d.readBytes = try r.readCounter()
                    } else if r.keyIs("Write") {
                        d.writeBytes = try r.readCounter()
                    } else {
                        try r.skipValue()
                    }
                }
            } else {
                try r.skipValue()
            }
        }
        return d
    }
}

extension JSONReader {
    /// A cAdvisor counter or size: a non-negative integer up to 2^64−1, or that bound written as a float by a
    /// JSON writer that went through a double (`1.8446744073709552e19`), which saturates instead of overflowing.
    mutating func readCounter() throws(KubeDecodeError) -> UInt64 {
        let first = try peekValue()
        // Not a number: readUInt says so in its words ("must be a non-negative integer, not a string").
        guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return try readUInt()
        }
        return try withNumberBytes { (bytes, offset) throws(KubeDecodeError) -> UInt64 in
            var value: UInt64 = 0
            var integer = true
            for b in bytes {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else {
                    integer = false
                    break
                }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
                value = o1 || o2 ? .max : s
            }
            if integer { return value }
            let text = String(decoding: bytes, as: UTF8.self)
            guard let d = Double(text), d >= 0 else {
                throw KubeDecodeError.shape("must be a non-negative number, not \(text)", at: offset)
            }
            return d >= 18_446_744_073_709_551_615.0 ? .max : UInt64(d)
        }
    }
}
