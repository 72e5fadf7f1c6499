import DemoCluster
import NIOCore

/// node-exporter series, one target per node (`instance="<node>:9100"`).
extension Scrape {
    func nodeExporter() -> [Metric] {
        let modes: [(mode: String, share: Double)] = [
            ("iowait", 0.03), ("irq", 0.0), ("nice", 0.0), ("softirq", 0.03), ("steal", 0.0), ("system", 0.22),
            ("user", 0.72),
        ]
        // (node position, cpu) for every core of every node.
        var cores: [(n: Int, cpu: Int)] = []
        for (n, i) in nodes.enumerated() {
            for c in 0..<Int(cluster.nodes[i].cpuCapacity / 1000) { cores.append((n, c)) }
        }
        let t = self.t
        func instance(_ n: Int, into out: inout ByteBuffer) {
            out.writeLabel("instance", cluster.nodes[nodes[n]].name + ":9100", first: true)
        }
        func gauge(_ name: String, _ help: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: "gauge", count: nodes.count) { n, out in
                out.writeString(name)
                out.writeStaticString("{")
                instance(n, into: &out)
                out.writeSampleValue(value(n))
            }
        }
        func filesystem(_ name: String, _ help: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: "gauge", count: nodes.count) { n, out in
                out.writeString(name)
                out.writeStaticString("{")
                instance(n, into: &out)
                out.writeLabel("device", "/dev/sda1")
                out.writeLabel("fstype", "ext4")
                out.writeLabel("mountpoint", "/")
                out.writeSampleValue(value(n))
            }
        }
        func network(_ name: String, _ help: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: "counter", count: nodes.count) { n, out in
                out.writeString(name)
                out.writeStaticString("{")
                instance(n, into: &out)
                out.writeLabel("device", "eth0")
                out.writeSampleValue(value(n).rounded(.down))
            }
        }
        return [
            Metric(
                name: "node_cpu_seconds_total", help: "Seconds the CPUs spent in each mode.", type: "counter",
                count: cores.count * (modes.count + 1)
            ) { [self] k, out in
                let (n, cpu) = cores[k / (modes.count + 1)]
                let m = k % (modes.count + 1)
                let node = cluster.nodes[nodes[n]]
                let count = Double(node.cpuCapacity / 1000)
                let busy = (counters?.nodes[nodes[n]].cpuSeconds ?? 0) / count
                let uptime = Double(t - node.createdAt) / 1000
                out.writeStaticString("node_cpu_seconds_total{")
                instance(n, into: &out)
                out.writeLabel("cpu", String(cpu))
                if m == 0 {
                    out.writeLabel("mode", "idle")
                    out.writeSampleValue(((uptime - busy) * 100).rounded() / 100)
                } else {
                    out.writeLabel("mode", modes[m - 1].mode)
                    out.writeSampleValue((busy * modes[m - 1].share * 100).rounded() / 100)
                }
            },
            gauge("node_memory_MemTotal_bytes", "Memory information field MemTotal_bytes.") { [self] in
                Double(cluster.nodes[nodes[$0]].memoryCapacity)
            },
            gauge("node_memory_MemAvailable_bytes", "Memory information field MemAvailable_bytes.") { [self] in
                max(0, Double(cluster.nodes[nodes[$0]].memoryCapacity) - nodeUsage[$0].memoryWorkingSetBytes)
            },
            gauge("node_memory_MemFree_bytes", "Memory information field MemFree_bytes.") { [self] in
                max(0, Double(cluster.nodes[nodes[$0]].memoryCapacity) - nodeUsage[$0].memoryUsageBytes)
            },
            gauge("node_memory_Cached_bytes", "Memory information field Cached_bytes.") { [self] in
                nodeUsage[$0].memoryUsageBytes - nodeUsage[$0].memoryWorkingSetBytes
            },
            filesystem("node_filesystem_size_bytes", "Filesystem size in bytes.") { [self] in
                Double(cluster.nodes[nodes[$0]].filesystemCapacity)
            },
            filesystem("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.") {
                [self] in
                (Double(cluster.nodes[nodes[$0]].filesystemCapacity) * 0.95 - nodeUsage[$0].filesystemUsedBytes)
                    .rounded()
            },
            filesystem("node_filesystem_free_bytes", "Filesystem free space in bytes.") { [self] in
                (Double(cluster.nodes[nodes[$0]].filesystemCapacity) - nodeUsage[$0].filesystemUsedBytes).rounded()
            },
            network("node_network_receive_bytes_total", "Network device statistic receive_bytes.") { [self] in
                counters?.nodes[nodes[$0]].receiveBytes ?? 0
            },
            network("node_network_transmit_bytes_total", "Network device statistic transmit_bytes.") { [self] in
                counters?.nodes[nodes[$0]].transmitBytes ?? 0
            },
            gauge("node_load1", "1m load average.") { [self] in (nodeUsage[$0].cpuCores * 1.1 * 100).rounded() / 100 },
            gauge("node_load5", "5m load average.") { [self] in (nodeUsage[$0].cpuCores * 1.05 * 100).rounded() / 100 },
            gauge("node_load15", "15m load average.") { [self] in (nodeUsage[$0].cpuCores * 100).rounded() / 100 },
            gauge("node_boot_time_seconds", "Node boot time, in unixtime.") { [self] in
                Double(cluster.nodes[nodes[$0]].createdAt / 1000)
            },
        ]
    }
}
