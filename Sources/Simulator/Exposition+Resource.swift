import DemoCluster
import NIOCore

/// The kubelet's resource metrics (`/metrics/resource`, what metrics-server reads): node, pod and
/// container CPU seconds and working set, each line with the time it was measured (milliseconds).
extension Scrape {
    func resource() -> [Metric] {
        let t = self.t
        func end(_ value: Double, into out: inout ByteBuffer) {
            out.writeStaticString(" ")
            if value == value.rounded(), abs(value) < 1e15 {
                out.writeDecimal(Int64(value))
            } else {
                out.writeString(String(value))
            }
            out.writeStaticString(" ")
            out.writeDecimal(t)
            out.writeStaticString("\n")
        }
        func node(_ name: String, _ help: String, _ type: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: type, count: nodes.count) { n, out in
                out.writeString(name)
                end(value(n), into: &out)
            }
        }
        func container(_ name: String, _ help: String, _ type: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: type, count: containers.count) { [self] n, out in
                let (p, k) = containers[n]
                let pod = cluster.pods[p]
                out.writeString(name)
                out.writeStaticString("{")
                out.writeLabel("container", pod.containers[k].name, first: true)
                out.writeLabel("namespace", pod.namespace)
                out.writeLabel("pod", pod.name)
                out.writeStaticString("}")
                end(value(n), into: &out)
            }
        }
        func pod(_ name: String, _ help: String, _ type: String, _ value: @escaping (Int) -> Double) -> Metric {
            Metric(name: name, help: help, type: type, count: networkPods.count) { [self] n, out in
                let pod = cluster.pods[networkPods[n]]
                out.writeString(name)
                out.writeStaticString("{")
                out.writeLabel("namespace", pod.namespace, first: true)
                out.writeLabel("pod", pod.name)
                out.writeStaticString("}")
                end(value(n), into: &out)
            }
        }
        let counters = self.counters
        let micro = { (v: Double) in (v * 1e6).rounded() / 1e6 }
        return [
            container(
                "container_cpu_usage_seconds_total",
                "[STABLE] Cumulative cpu time consumed by the container in core-seconds", "counter"
            ) { [self] n in
                let (p, k) = containers[n]
                return micro(counters?.pods[p].containerCPUSeconds[k] ?? 0)
            },
            container(
                "container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", "gauge"
            ) { [self] in containerUsage[$0].memoryWorkingSetBytes },
            node(
                "node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
                "counter"
            ) { [self] in micro(counters?.nodes[nodes[$0]].cpuSeconds ?? 0) },
            node("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", "gauge") {
                [self] in nodeUsage[$0].memoryWorkingSetBytes
            },
            pod(
                "pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
                "counter"
            ) { [self] n in
                micro(counters?.pods[networkPods[n]].cpuSeconds ?? 0)
            },
            pod("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", "gauge") {
                [self] n in podUsage[networkPods[n]]?.memoryWorkingSetBytes ?? 0
            },
            Metric(
                name: "resource_scrape_error",
                help: "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise", type: "gauge",
                count: 1
            ) { _, out in
                out.writeStaticString("resource_scrape_error 0\n")
            },
        ]
    }
}
