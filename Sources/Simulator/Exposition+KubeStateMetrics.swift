import DemoCluster
import KubeglassCore
import NIOCore

/// kube-state-metrics series: objects' state and spec (info, owners, phases, requests, limits,
/// restarts, node capacity and conditions, namespaces).
extension Scrape {
    func kubeStateMetrics() -> [Metric] {
        let catalog = api.catalog
        func podLabels(_ p: Int, into out: inout ByteBuffer) {
            let pod = cluster.pods[p]
            out.writeLabel("namespace", pod.namespace, first: true)
            out.writeLabel("pod", pod.name)
            out.writeLabel("uid", pod.uid)
        }
        // (pod, container, resource, unit, value) rows for requests and limits.
        typealias Row = (pod: Int, container: Int, resource: StaticString, unit: StaticString, value: Double)
        var requests: [Row] = []
        var limits: [Row] = []
        var allContainers: [(pod: Int, index: Int)] = []
        for p in pods {
            let pod = cluster.pods[p]
            for (k, c) in pod.containers.enumerated() {
                allContainers.append((p, k))
                guard pod.phase == .running || pod.phase == .pending else { continue }
                if let v = c.cpuRequest { requests.append((p, k, "cpu", "core", Double(v) / 1000)) }
                if let v = c.memoryRequest { requests.append((p, k, "memory", "byte", Double(v))) }
                if let v = c.cpuLimit { limits.append((p, k, "cpu", "core", Double(v) / 1000)) }
                if let v = c.memoryLimit { limits.append((p, k, "memory", "byte", Double(v))) }
            }
        }
        let phases: [ClusterModel.Phase?] = [.pending, .succeeded, .failed, nil, .running]
        let t = self.t
        func resources(_ name: String, _ help: String, _ rows: [Row]) -> Metric {
            Metric(name: name, help: help, type: "gauge", count: rows.count) { [self] n, out in
                let r = rows[n]
                out.writeString(name)
                out.writeStaticString("{")
                podLabels(r.pod, into: &out)
                out.writeLabel("container", cluster.pods[r.pod].containers[r.container].name)
                out.writeLabel("node", nodeName(r.pod))
                out.writeLabel("resource", r.resource.description)
                out.writeLabel("unit", r.unit.description)
                out.writeSampleValue(r.value)
            }
        }
        let nodeResources: [(resource: StaticString, unit: StaticString)] = [
            ("cpu", "core"), ("ephemeral_storage", "byte"), ("memory", "byte"), ("pods", "integer"),
        ]
        func nodeResource(_ name: String, _ help: String, allocatable: Bool) -> Metric {
            Metric(name: name, help: help, type: "gauge", count: nodes.count * nodeResources.count) { [self] n, out in
                let node = cluster.nodes[nodes[n / nodeResources.count]]
                let r = nodeResources[n % nodeResources.count]
                let value: Double
                switch r.resource.description {
                case "cpu": value = Double(allocatable ? node.cpuAllocatable : node.cpuCapacity) / 1000
                case "memory": value = Double(allocatable ? node.memoryAllocatable : node.memoryCapacity)
                case "pods": value = Double(node.podCapacity)
                default: value = Double(node.filesystemCapacity) * (allocatable ? 0.9 : 1)
                }
                out.writeString(name)
                out.writeStaticString("{")
                out.writeLabel("node", node.name, first: true)
                out.writeLabel("resource", r.resource.description)
                out.writeLabel("unit", r.unit.description)
                out.writeSampleValue(value)
            }
        }
        let conditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
        let statuses = ["true", "false", "unknown"]
        let namespaces = catalog.namespaces
        return [
            Metric(name: "kube_pod_info", help: "Information about pod.", type: "gauge", count: pods.count) {
                [self] n, out in
                let p = pods[n]
                let pod = cluster.pods[p]
                let node = pod.nodeIndex.map { cluster.nodes[$0] }
                out.writeStaticString("kube_pod_info{")
                podLabels(p, into: &out)
                out.writeLabel("host_ip", node?.internalIP ?? "")
                out.writeLabel("pod_ip", pod.phase == .running ? (pod.podIP ?? "") : "")
                out.writeLabel("node", node?.name ?? "")
                out.writeLabel("created_by_kind", pod.ownerKind)
                out.writeLabel("created_by_name", pod.ownerName)
                out.writeLabel("priority_class", "")
                out.writeLabel("host_network", "false")
                out.writeSampleValue(1)
            },
            Metric(name: "kube_pod_owner", help: "Information about the Pod's owner.", type: "gauge", count: pods.count)
            { [self] n, out in
                let p = pods[n]
                let pod = cluster.pods[p]
                out.writeStaticString("kube_pod_owner{")
                podLabels(p, into: &out)
                out.writeLabel("owner_kind", pod.ownerKind)
                out.writeLabel("owner_name", pod.ownerName)
                out.writeLabel("owner_is_controller", "true")
                out.writeSampleValue(1)
            },
            Metric(
                name: "kube_pod_status_phase", help: "The pods current phase.", type: "gauge",
                count: pods.count * phases.count
            ) { [self] n, out in
                let p = pods[n / phases.count]
                let phase = phases[n % phases.count]
                out.writeStaticString("kube_pod_status_phase{")
                podLabels(p, into: &out)
                out.writeLabel("phase", phase?.rawValue ?? "Unknown")
                out.writeSampleValue(cluster.pods[p].phase == phase ? 1 : 0)
            },
            Metric(name: "kube_pod_created", help: "Unix creation timestamp", type: "gauge", count: pods.count) {
                [self] n, out in
                out.writeStaticString("kube_pod_created{")
                podLabels(pods[n], into: &out)
                out.writeSampleValue(Double(cluster.pods[pods[n]].createdAt / 1000))
            },
            resources(
                "kube_pod_container_resource_requests", "The number of requested request resource by a container.",
                requests),
            resources(
                "kube_pod_container_resource_limits", "The number of requested limit resource by a container.", limits),
            Metric(
                name: "kube_pod_container_status_restarts_total",
                help: "The number of container restarts per container.", type: "counter", count: allContainers.count
            ) { [self] n, out in
                let (p, k) = allContainers[n]
                out.writeStaticString("kube_pod_container_status_restarts_total{")
                podLabels(p, into: &out)
                out.writeLabel("container", cluster.pods[p].containers[k].name)
                out.writeSampleValue(Double(cluster.restarts(cluster.pods[p], at: t)))
            },
            Metric(
                name: "kube_pod_container_status_waiting_reason",
                help: "Describes the reason the container is currently in waiting state.", type: "gauge",
                count: allContainers.count
            ) { [self] n, out in
                let (p, k) = allContainers[n]
                let pod = cluster.pods[p]
                out.writeStaticString("kube_pod_container_status_waiting_reason{")
                podLabels(p, into: &out)
                out.writeLabel("container", pod.containers[k].name)
                out.writeLabel("reason", "CrashLoopBackOff")
                out.writeSampleValue(pod.phase == .running && !cluster.isRunning(pod, at: t) ? 1 : 0)
            },
            Metric(name: "kube_node_info", help: "Information about a cluster node.", type: "gauge", count: nodes.count)
            { [self] n, out in
                let node = cluster.nodes[nodes[n]]
                out.writeStaticString("kube_node_info{")
                out.writeLabel("node", node.name, first: true)
                out.writeLabel("kernel_version", "6.1.0-28-amd64")
                out.writeLabel("os_image", "Debian GNU/Linux 12 (bookworm)")
                out.writeLabel("container_runtime_version", "containerd://1.7.24")
                out.writeLabel("kubelet_version", ObjectRenderer.kubeletVersion)
                out.writeLabel("kubeproxy_version", ObjectRenderer.kubeletVersion)
                out.writeLabel("provider_id", "kubeglass-sim://" + node.name)
                out.writeLabel("internal_ip", node.internalIP)
                out.writeSampleValue(1)
            },
            nodeResource(
                "kube_node_status_capacity", "The capacity for different resources of a node.", allocatable: false),
            nodeResource(
                "kube_node_status_allocatable",
                "The allocatable for different resources of a node that are available for scheduling.",
                allocatable: true),
            Metric(
                name: "kube_node_status_condition", help: "The condition of a cluster node.", type: "gauge",
                count: nodes.count * conditions.count * statuses.count
            ) { [self] n, out in
                let i = nodes[n / (conditions.count * statuses.count)]
                let condition = conditions[n / statuses.count % conditions.count]
                let status = statuses[n % statuses.count]
                let node = cluster.nodes[i]
                let isTrue: Bool
                switch condition {
                case "Ready": isTrue = node.ready
                case "MemoryPressure": isTrue = node.underMemoryPressure
                default: isTrue = false
                }
                out.writeStaticString("kube_node_status_condition{")
                out.writeLabel("node", node.name, first: true)
                out.writeLabel("condition", condition)
                out.writeLabel("status", status)
                out.writeSampleValue((status == "true") == isTrue && status != "unknown" ? 1 : 0)
            },
            Metric(
                name: "kube_namespace_created", help: "Unix creation timestamp", type: "gauge", count: namespaces.count
            ) { n, out in
                out.writeStaticString("kube_namespace_created{")
                out.writeLabel("namespace", namespaces[n], first: true)
                out.writeSampleValue(Double((catalog.namespaceCreatedAt + Int64(n) * Milliseconds.minute) / 1000))
            },
            Metric(
                name: "kube_namespace_status_phase", help: "kubernetes namespace status phase.", type: "gauge",
                count: namespaces.count
            ) { n, out in
                out.writeStaticString("kube_namespace_status_phase{")
                out.writeLabel("namespace", namespaces[n], first: true)
                out.writeLabel("phase", "Active")
                out.writeSampleValue(1)
            },
        ]
    }
}
