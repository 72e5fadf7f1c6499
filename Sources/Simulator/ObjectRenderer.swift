import DemoCluster
import Foundation
import KubeglassCore
import NIOCore

/// Writes nodes and pods as the API server serializes them (field names and order of a real
/// `kubectl get -o json`), without the opening brace so a caller can put `kind` first.
struct ObjectRenderer: Sendable {
    let cluster: ClusterModel
    let podLabels: [[(key: String, value: String)]]
    let nodeLabels: [[(key: String, value: String)]]
    /// Image digests, computed once per distinct image.
    let imageIDs: [String: String]
    /// Added to every resourceVersion (`--resource-version-base`).
    let resourceVersionBase: Int64

    init(
        cluster: ClusterModel, podLabels: [[(key: String, value: String)]],
        nodeLabels: [[(key: String, value: String)]],
        resourceVersionBase: Int64 = 0
    ) {
        self.cluster = cluster
        self.resourceVersionBase = resourceVersionBase
        self.podLabels = podLabels
        self.nodeLabels = nodeLabels
        var ids: [String: String] = [:]
        for pod in cluster.pods {
            for c in pod.containers where ids[c.image] == nil { ids[c.image] = ObjectRenderer.imageID(c.image) }
        }
        imageIDs = ids
    }

    static let kubeletVersion = "v1.32.4"

    func writeLabels(_ labels: [(key: String, value: String)], into out: inout ByteBuffer) {
        out.writeStaticString("{")
        for (n, l) in labels.enumerated() {
            if n > 0 { out.writeStaticString(",") }
            out.writeJSONKey(l.key)
            out.writeJSON(l.value)
        }
        out.writeStaticString("}")
    }

    // MARK: pods

    /// The resourceVersion the model's pod `i` has until its first change.
    func podResourceVersion(_ i: Int) -> Int64 { resourceVersionBase + 10_000 + Int64(i) * 3 }

    /// The model's pod `i` as it is before any change, its status as of `t`.
    func initialRecord(pod i: Int, at t: Int64) -> PodRecord {
        let pod = cluster.pods[i]
        return PodRecord(
            slot: i, pod: pod, labels: podLabels[i], resourceVersion: podResourceVersion(i), asOf: t,
            pristine: !pod.crashLoops)
    }

    /// `"name":…,"namespace":…,"uid":…,"resourceVersion":…,"creationTimestamp":…` (no braces).
    func writePodIdentity(_ record: PodRecord, into out: inout ByteBuffer) {
        let pod = record.pod
        out.writeStaticString("\"name\":")
        out.writeJSON(pod.name)
        out.writeStaticString(",\"namespace\":")
        out.writeJSON(pod.namespace)
        out.writeStaticString(",\"uid\":")
        out.writeJSON(pod.uid)
        out.writeStaticString(",\"resourceVersion\":\"")
        out.writeDecimal(record.resourceVersion)
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: pod.createdAt)
    }

    func writePodBody(_ record: PodRecord, into out: inout ByteBuffer) {
        let pod = record.pod
        let node = pod.nodeIndex.map { cluster.nodes[$0] }
        let ownerAPI = pod.ownerKind == "Job" ? "batch/v1" : "apps/v1"
        out.writeStaticString("\"metadata\":{")
        writePodIdentity(record, into: &out)
        if pod.ownerKind != "StatefulSet" {
            out.writeStaticString(",\"generateName\":")
            out.writeJSON(String(pod.name.prefix(pod.name.count - 5)))
        }
        out.writeStaticString(",\"labels\":")
        writeLabels(record.labels, into: &out)
        out.writeStaticString(",\"ownerReferences\":[{\"apiVersion\":\"")
        out.writeString(ownerAPI)
        out.writeStaticString("\",\"kind\":\"")
        out.writeString(pod.ownerKind)
        out.writeStaticString("\",\"name\":")
        out.writeJSON(pod.ownerName)
        out.writeStaticString(",\"uid\":\"")
        out.writeString(derivedUID(pod.namespace + "/" + pod.ownerKind + "/" + pod.ownerName))
        out.writeStaticString("\",\"controller\":true,\"blockOwnerDeletion\":true}]},\"spec\":{\"containers\":[")
        for (n, c) in pod.containers.enumerated() {
            if n > 0 { out.writeStaticString(",") }
            out.writeStaticString("{\"name\":")
            out.writeJSON(c.name)
            out.writeStaticString(",\"image\":")
            out.writeJSON(c.image)
            out.writeStaticString(",\"resources\":{")
            var wrote = false
            if c.cpuLimit != nil || c.memoryLimit != nil {
                out.writeStaticString("\"limits\":{")
                writeCPUMemory(cpu: c.cpuLimit, memory: c.memoryLimit, into: &out)
                out.writeStaticString("}")
                wrote = true
            }
            if c.cpuRequest != nil || c.memoryRequest != nil {
                if wrote { out.writeStaticString(",") }
                out.writeStaticString("\"requests\":{")
                writeCPUMemory(cpu: c.cpuRequest, memory: c.memoryRequest, into: &out)
                out.writeStaticString("}")
            }
            out.writeStaticString(
                "},\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"IfNotPresent\"}"
            )
        }
        out.writeStaticString("],\"restartPolicy\":\"")
        out.writeString(pod.ownerKind == "Job" ? "Never" : "Always")
        out.writeStaticString(
            "\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"serviceAccount\":\"default\""
        )
        if let node {
            out.writeStaticString(",\"nodeName\":")
            out.writeJSON(node.name)
        }
        out.writeStaticString(
            ",\"securityContext\":{},\"schedulerName\":\"default-scheduler\",\"priority\":0,\"enableServiceLinks\":true,\"preemptionPolicy\":\"PreemptLowerPriority\"},\"status\":{\"phase\":\""
        )
        out.writeString(pod.phase.rawValue)
        out.writeStaticString("\"")
        writePodStatus(record, into: &out)
        out.writeStaticString(",\"qosClass\":\"")
        out.writeString(qosClass(pod))
        out.writeStaticString("\"}}")
    }

    private func writeCPUMemory(cpu: Int64?, memory: Int64?, into out: inout ByteBuffer) {
        if let cpu {
            out.writeStaticString("\"cpu\":")
            out.writeJSON(Quantities.cpu(millicores: cpu))
        }
        if let memory {
            if cpu != nil { out.writeStaticString(",") }
            out.writeStaticString("\"memory\":")
            out.writeJSON(Quantities.memory(bytes: memory))
        }
    }

    func qosClass(_ pod: ClusterModel.Pod) -> String {
        let guaranteed = pod.containers.allSatisfy { c in
            c.cpuLimit != nil && c.memoryLimit != nil && (c.cpuRequest ?? c.cpuLimit) == c.cpuLimit
                && (c.memoryRequest ?? c.memoryLimit) == c.memoryLimit
        }
        if guaranteed { return "Guaranteed" }
        let none = pod.containers.allSatisfy {
            $0.cpuRequest == nil && $0.memoryRequest == nil && $0.cpuLimit == nil && $0.memoryLimit == nil
        }
        return none ? "BestEffort" : "Burstable"
    }

    /// Conditions, IPs, start time and container states (after `"phase":"…"`).
    private func writePodStatus(_ record: PodRecord, into out: inout ByteBuffer) {
        let pod = record.pod
        let t = record.asOf
        let created = pod.createdAt
        let scheduled = created + 1000
        let started = created + 4000
        func condition(
            _ type: StaticString, _ status: Bool, _ at: Int64, reason: StaticString? = nil, message: String? = nil
        ) {
            out.writeStaticString("{\"type\":\"")
            out.writeStaticString(type)
            out.writeStaticString("\",\"status\":\"")
            out.writeStaticString(status ? "True" : "False")
            out.writeStaticString("\",\"lastProbeTime\":null,\"lastTransitionTime\":")
            out.writeTimestamp(ms: at)
            if let reason {
                out.writeStaticString(",\"reason\":\"")
                out.writeStaticString(reason)
                out.writeStaticString("\"")
            }
            if let message {
                out.writeStaticString(",\"message\":")
                out.writeJSON(message)
            }
            out.writeStaticString("}")
        }
        out.writeStaticString(",\"conditions\":[")
        if pod.phase == .pending, let n = pod.nodeIndex {
            // Churn's new pod: scheduled, its containers still being created.
            let message = "containers with unready status: [\(pod.containers.map(\.name).joined(separator: " "))]"
            condition("PodReadyToStartContainers", false, scheduled)
            out.writeStaticString(",")
            condition("Initialized", true, scheduled)
            out.writeStaticString(",")
            condition("Ready", false, scheduled, reason: "ContainersNotReady", message: message)
            out.writeStaticString(",")
            condition("ContainersReady", false, scheduled, reason: "ContainersNotReady", message: message)
            out.writeStaticString(",")
            condition("PodScheduled", true, scheduled)
            out.writeStaticString("],\"hostIP\":\"")
            out.writeString(cluster.nodes[n].internalIP)
            out.writeStaticString("\",\"startTime\":")
            out.writeTimestamp(ms: scheduled)
            out.writeStaticString(",\"containerStatuses\":[")
            for (k, c) in pod.containers.enumerated() {
                out.writeStaticString(k == 0 ? "{\"name\":" : ",{\"name\":")
                out.writeJSON(c.name)
                out.writeStaticString(
                    ",\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}},\"lastState\":{},\"ready\":false,\"restartCount\":0,\"image\":"
                )
                out.writeJSON(c.image)
                out.writeStaticString(",\"imageID\":\"\",\"started\":false}")
            }
            out.writeStaticString("]")
            return
        }
        let finished = record.finishedAt ?? started + 120_000
        let since = pod.crashLoops ? cluster.lastRestart(of: pod, at: t) : record.lastStart ?? started
        let restarts = cluster.restarts(pod, at: t) + record.extraRestarts
        let up = cluster.isRunning(pod, at: t)
        switch pod.phase {
        case .pending:
            condition(
                "PodScheduled", false, created, reason: "Unschedulable",
                message:
                    "0/\(cluster.nodes.count) nodes are available: \(cluster.nodes.count) Insufficient cpu. preemption: 0/\(cluster.nodes.count) nodes are available: \(cluster.nodes.count) No preemption victims found for incoming pod."
            )
            out.writeStaticString("]")
            return
        case .succeeded, .failed:
            condition("PodReadyToStartContainers", false, finished)
            out.writeStaticString(",")
            condition("Initialized", true, scheduled, reason: "PodCompleted")
            out.writeStaticString(",")
            condition("Ready", false, finished, reason: "PodCompleted")
            out.writeStaticString(",")
            condition("ContainersReady", false, finished, reason: "PodCompleted")
            out.writeStaticString(",")
            condition("PodScheduled", true, scheduled)
        case .running:
            condition("PodReadyToStartContainers", true, started)
            out.writeStaticString(",")
            condition("Initialized", true, scheduled)
            out.writeStaticString(",")
            if up {
                condition("Ready", true, since)
                out.writeStaticString(",")
                condition("ContainersReady", true, since)
                out.writeStaticString(",")
            } else {
                let down = since + 25_000
                let message = "containers with unready status: [\(pod.containers.map(\.name).joined(separator: " "))]"
                condition("Ready", false, down, reason: "ContainersNotReady", message: message)
                out.writeStaticString(",")
                condition("ContainersReady", false, down, reason: "ContainersNotReady", message: message)
                out.writeStaticString(",")
            }
            condition("PodScheduled", true, scheduled)
        }
        out.writeStaticString("]")
        if let n = pod.nodeIndex {
            let ip = cluster.nodes[n].internalIP
            out.writeStaticString(",\"hostIP\":\"")
            out.writeString(ip)
            out.writeStaticString("\",\"hostIPs\":[{\"ip\":\"")
            out.writeString(ip)
            out.writeStaticString("\"}]")
        }
        if let ip = pod.podIP, pod.phase == .running {
            out.writeStaticString(",\"podIP\":\"")
            out.writeString(ip)
            out.writeStaticString("\",\"podIPs\":[{\"ip\":\"")
            out.writeString(ip)
            out.writeStaticString("\"}]")
        }
        out.writeStaticString(",\"startTime\":")
        out.writeTimestamp(ms: scheduled)
        out.writeStaticString(",\"containerStatuses\":[")
        for (n, c) in pod.containers.enumerated() {
            if n > 0 { out.writeStaticString(",") }
            let id = derivedHex(pod.uid + c.name)
            out.writeStaticString("{\"name\":")
            out.writeJSON(c.name)
            out.writeStaticString(",\"state\":{")
            switch pod.phase {
            case .succeeded, .failed:
                out.writeStaticString("\"terminated\":{\"exitCode\":")
                out.writeStaticString(pod.phase == .succeeded ? "0,\"reason\":\"Completed\"" : "1,\"reason\":\"Error\"")
                out.writeStaticString(",\"startedAt\":")
                out.writeTimestamp(ms: started)
                out.writeStaticString(",\"finishedAt\":")
                out.writeTimestamp(ms: finished)
                out.writeStaticString(",\"containerID\":\"containerd://")
                out.writeString(id)
                out.writeStaticString("\"}},\"lastState\":{}")
            default:
                if up {
                    out.writeStaticString("\"running\":{\"startedAt\":")
                    out.writeTimestamp(ms: since)
                    out.writeStaticString("}},\"lastState\":{")
                } else {
                    out.writeStaticString("\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":")
                    out.writeJSON(
                        "back-off 5m0s restarting failed container=\(c.name) pod=\(pod.name)_\(pod.namespace)(\(pod.uid))"
                    )
                    out.writeStaticString("}},\"lastState\":{")
                }
                if restarts > 0 {
                    // The crash-looping pod's container ran 25 s a cycle ago; one churn restarted died just now.
                    let lastStart =
                        pod.crashLoops ? (up ? since - 5 * Milliseconds.minute : since) : max(started, since - 25_000)
                    out.writeStaticString("\"terminated\":{\"exitCode\":1,\"reason\":\"Error\",\"startedAt\":")
                    out.writeTimestamp(ms: lastStart)
                    out.writeStaticString(",\"finishedAt\":")
                    out.writeTimestamp(ms: lastStart + 25_000)
                    out.writeStaticString(",\"containerID\":\"containerd://")
                    out.writeString(String(id.reversed()))
                    out.writeStaticString("\"}")
                }
                out.writeStaticString("}")
            }
            out.writeStaticString(",\"ready\":")
            out.writeStaticString(up ? "true" : "false")
            out.writeStaticString(",\"restartCount\":")
            out.writeDecimal(restarts)
            out.writeStaticString(",\"image\":")
            out.writeJSON(c.image)
            out.writeStaticString(",\"imageID\":\"")
            out.writeString(imageIDs[c.image] ?? ObjectRenderer.imageID(c.image))
            out.writeStaticString("\"")
            if pod.phase == .running {
                out.writeStaticString(",\"containerID\":\"containerd://")
                out.writeString(id)
                out.writeStaticString("\",\"started\":")
                out.writeStaticString(up ? "true" : "false")
            }
            out.writeStaticString("}")
        }
        out.writeStaticString("]")
    }

    static func imageID(_ image: String) -> String {
        let repo = image.split(separator: ":").first.map(String.init) ?? image
        return "\(repo)@sha256:\(derivedHex(image))\(derivedHex(image + "@"))"
    }

    // MARK: nodes

    /// The resourceVersion node `i` has until its first status post.
    func nodeResourceVersion(_ i: Int) -> Int64 { resourceVersionBase + 1000 + Int64(i) }

    /// Node `i` as it is before any change, its last status post at or before `t`.
    func initialRecord(node i: Int, at t: Int64) -> NodeRecord {
        NodeRecord(
            index: i, resourceVersion: nodeResourceVersion(i), heartbeat: ObjectRenderer.heartbeat(node: i, at: t))
    }

    /// How often a kubelet posts its node's status when nothing changed (nodeStatusReportFrequency; it
    /// renews its Lease in between). Each post is a MODIFIED event, so this sets the nodes' share of changes.
    static let nodeStatusPeriod: Int64 = 5 * Milliseconds.minute

    /// Node `i`'s last status post at or before `t` (nodes post at staggered instants).
    static func heartbeat(node i: Int, at t: Int64) -> Int64 { t - (t + Int64(i) * 997) % nodeStatusPeriod }

    func writeNodeIdentity(_ record: NodeRecord, into out: inout ByteBuffer) {
        writeNodeHead(record.index, into: &out)
        out.writeDecimal(record.resourceVersion)
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: cluster.nodes[record.index].createdAt)
    }

    /// `"name":…,"uid":"…","resourceVersion":"` (the version itself changes, so it is written apart).
    func writeNodeHead(_ i: Int, into out: inout ByteBuffer) {
        let node = cluster.nodes[i]
        out.writeStaticString("\"name\":")
        out.writeJSON(node.name)
        out.writeStaticString(",\"uid\":\"")
        out.writeString(derivedUID("node/" + node.name))
        out.writeStaticString("\",\"resourceVersion\":\"")
    }

    /// From after the resourceVersion to `"conditions":`.
    func writeNodeMiddle(_ i: Int, into out: inout ByteBuffer) {
        let node = cluster.nodes[i]
        out.writeStaticString("\",\"creationTimestamp\":")
        out.writeTimestamp(ms: node.createdAt)
        out.writeStaticString(",\"labels\":")
        writeLabels(nodeLabels[i], into: &out)
        out.writeStaticString(
            ",\"annotations\":{\"node.alpha.kubernetes.io/ttl\":\"0\",\"volumes.kubernetes.io/controller-managed-attach-detach\":\"true\"}},"
        )
        out.writeStaticString("\"spec\":{\"podCIDR\":\"10.")
        out.writeDecimal(64 + i / 256)
        out.writeStaticString(".")
        out.writeDecimal(i % 256)
        out.writeStaticString(".0/24\",\"providerID\":\"kubeglass-sim://")
        out.writeString(node.name)
        out.writeStaticString("\"},\"status\":{\"capacity\":{")
        writeResources(cpu: node.cpuCapacity, memory: node.memoryCapacity, node: node, into: &out)
        out.writeStaticString("},\"allocatable\":{")
        writeResources(cpu: node.cpuAllocatable, memory: node.memoryAllocatable, node: node, into: &out)
        out.writeStaticString("},\"conditions\":")
    }

    private func writeResources(cpu: Int64, memory: Int64, node: ClusterModel.Node, into out: inout ByteBuffer) {
        out.writeStaticString("\"cpu\":")
        out.writeJSON(Quantities.cpu(millicores: cpu))
        out.writeStaticString(",\"ephemeral-storage\":")
        out.writeJSON(Quantities.kibibytes(node.filesystemCapacity))
        out.writeStaticString(",\"hugepages-1Gi\":\"0\",\"hugepages-2Mi\":\"0\",\"memory\":")
        out.writeJSON(Quantities.kibibytes(memory))
        out.writeStaticString(",\"pods\":\"")
        out.writeDecimal(node.podCapacity)
        out.writeStaticString("\"")
    }

    /// The conditions array, as of the node's last status post.
    func writeNodeConditions(_ i: Int, heartbeat: Int64, into out: inout ByteBuffer) {
        let node = cluster.nodes[i]
        let since = node.createdAt + 30_000
        func condition(
            _ type: StaticString, _ status: Bool, _ reason: StaticString, _ message: StaticString, transition: Int64
        ) {
            out.writeStaticString("{\"type\":\"")
            out.writeStaticString(type)
            out.writeStaticString("\",\"status\":\"")
            out.writeStaticString(status ? "True" : "False")
            out.writeStaticString("\",\"lastHeartbeatTime\":")
            out.writeTimestamp(ms: heartbeat)
            out.writeStaticString(",\"lastTransitionTime\":")
            out.writeTimestamp(ms: transition)
            out.writeStaticString(",\"reason\":\"")
            out.writeStaticString(reason)
            out.writeStaticString("\",\"message\":\"")
            out.writeStaticString(message)
            out.writeStaticString("\"},")
        }
        out.writeStaticString("[")
        if node.underMemoryPressure {
            condition(
                "MemoryPressure", true, "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
                transition: cluster.createdAt - Milliseconds.hour)
        } else {
            condition(
                "MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
                transition: since)
        }
        condition("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", transition: since)
        condition(
            "PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available", transition: since)
        if node.ready {
            out.writeStaticString("{\"type\":\"Ready\",\"status\":\"True\",\"lastHeartbeatTime\":")
            out.writeTimestamp(ms: heartbeat)
            out.writeStaticString(",\"lastTransitionTime\":")
            out.writeTimestamp(ms: since)
            out.writeStaticString(",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\"}]")
        } else {
            out.writeStaticString("{\"type\":\"Ready\",\"status\":\"Unknown\",\"lastHeartbeatTime\":")
            out.writeTimestamp(ms: heartbeat)
            out.writeStaticString(",\"lastTransitionTime\":")
            out.writeTimestamp(ms: since)
            out.writeStaticString(
                ",\"reason\":\"NodeStatusUnknown\",\"message\":\"Kubelet stopped posting node status.\"}]")
        }
    }

    func writeNodeSuffix(_ i: Int, into out: inout ByteBuffer) {
        let node = cluster.nodes[i]
        out.writeStaticString(",\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"")
        out.writeString(node.internalIP)
        out.writeStaticString("\"},{\"type\":\"Hostname\",\"address\":")
        out.writeJSON(node.name)
        out.writeStaticString(
            "}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":10250}},\"nodeInfo\":{\"machineID\":\"")
        let id = derivedHex("machine/" + node.name)
        out.writeString(id)
        out.writeStaticString("\",\"systemUUID\":\"")
        out.writeString(derivedUID("system/" + node.name))
        out.writeStaticString("\",\"bootID\":\"")
        out.writeString(derivedUID("boot/" + node.name))
        out.writeStaticString(
            "\",\"kernelVersion\":\"6.1.0-28-amd64\",\"osImage\":\"Debian GNU/Linux 12 (bookworm)\",\"containerRuntimeVersion\":\"containerd://1.7.24\",\"kubeletVersion\":\""
        )
        out.writeString(ObjectRenderer.kubeletVersion)
        out.writeStaticString("\",\"kubeProxyVersion\":\"")
        out.writeString(ObjectRenderer.kubeletVersion)
        out.writeStaticString("\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}}}")
    }
}
