import DemoCluster
import NIOCore

/// cAdvisor's container series as the kubelet serves them at `/metrics/cadvisor`.
extension Scrape {
    func cadvisor() -> [Metric] {
        let counters = self.counters
        func containerLabels(_ n: Int, into out: inout ByteBuffer) {
            let (p, k) = containers[n]
            let pod = cluster.pods[p]
            let c = pod.containers[k]
            let id = containerID(p, k)
            let node = nodeName(p)
            out.writeLabel("container", c.name, first: true)
            out.writeLabel("id", cgroup(p) + "/cri-containerd-" + id + ".scope")
            out.writeLabel("image", c.image)
            if !asKubelet { out.writeLabel("instance", node) }
            out.writeLabel("name", id)
            out.writeLabel("namespace", pod.namespace)
            if !asKubelet { out.writeLabel("node", node) }
            out.writeLabel("pod", pod.name)
        }
        func perContainer(_ name: String, _ help: String, _ type: String, _ value: @escaping (Int) -> Double) -> Metric
        {
            Metric(name: name, help: help, type: type, count: containers.count) { n, out in
                out.writeString(name)
                out.writeStaticString("{")
                containerLabels(n, into: &out)
                out.writeSampleValue(value(n))
            }
        }
        func network(_ name: String, _ help: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: "counter", count: networkPods.count) { [self] n, out in
                let p = networkPods[n]
                let pod = cluster.pods[p]
                let node = nodeName(p)
                out.writeString(name)
                out.writeStaticString("{")
                out.writeLabel("container", "", first: true)
                out.writeLabel("id", cgroup(p))
                out.writeLabel("image", "")
                if !asKubelet { out.writeLabel("instance", node) }
                out.writeLabel("interface", "eth0")
                out.writeLabel("name", "")
                out.writeLabel("namespace", pod.namespace)
                if !asKubelet { out.writeLabel("node", node) }
                out.writeLabel("pod", pod.name)
                out.writeSampleValue(value(p))
            }
        }
        return [
            perContainer("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", "counter") {
                [self] n in
                let (p, k) = containers[n]
                return ((counters?.pods[p].containerCPUSeconds[k] ?? 0) * 1e6).rounded() / 1e6
            },
            perContainer("container_memory_working_set_bytes", "Current working set in bytes.", "gauge") { [self] in
                containerUsage[$0].memoryWorkingSetBytes
            },
            perContainer(
                "container_memory_usage_bytes",
                "Current memory usage in bytes, including all memory regardless of when it was accessed", "gauge"
            ) { [self] in containerUsage[$0].memoryUsageBytes },
            perContainer("container_memory_rss", "Size of RSS in bytes.", "gauge") { [self] in
                (containerUsage[$0].memoryWorkingSetBytes * 0.85).rounded()
            },
            perContainer("container_memory_cache", "Number of bytes of page cache memory.", "gauge") { [self] in
                containerUsage[$0].memoryUsageBytes - containerUsage[$0].memoryWorkingSetBytes
            },
            perContainer(
                "container_fs_usage_bytes", "Number of bytes that are consumed by the container on this filesystem.",
                "gauge"
            ) { [self] n in
                let (p, _) = containers[n]
                return ((podUsage[p]?.filesystemUsedBytes ?? 0) / Double(cluster.pods[p].containers.count)).rounded()
            },
            perContainer("container_spec_memory_limit_bytes", "Memory limit for the container.", "gauge") { [self] n in
                let (p, k) = containers[n]
                return Double(cluster.pods[p].containers[k].memoryLimit ?? 0)
            },
            network("container_network_receive_bytes_total", "Cumulative count of bytes received") {
                (counters?.pods[$0].receiveBytes ?? 0).rounded(.down)
            },
            network("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted") {
                (counters?.pods[$0].transmitBytes ?? 0).rounded(.down)
            },
        ]
    }
}
