import Foundation
import KubeglassCore

/// Builds the nodes and pods of a demo cluster from its options, deterministically.
struct ClusterGenerator {
    let options: ClusterModel.Options
    let createdAt: Int64
    let noise: Noise

    init(options: ClusterModel.Options, createdAt: Int64) {
        self.options = options
        self.createdAt = createdAt
        noise = Noise(seed: options.seed)
    }

    private static let gib: Int64 = 1 << 30
    private static let mib: Int64 = 1 << 20

    mutating func makeNodes() -> [ClusterModel.Node] {
        let digits = max(2, String(options.nodes).count)
        let shapes: [(cpu: Int64, memGiB: Int64)] = [(4, 16), (8, 32), (8, 32), (16, 64)]
        // One node in a dozen runs close to its memory limit (the third, so the demo always has one).
        let pressureIndex = min(2, options.nodes - 1)
        return (0..<options.nodes).map { i in
            let name = "node-" + String(repeating: "0", count: max(0, digits - String(i + 1).count)) + String(i + 1)
            let key = stableKey(name) ^ options.seed
            let shape = shapes[Int(noise.uniform(key, 1) * Double(shapes.count))]
            let cpu = shape.cpu * 1000
            let memory = shape.memGiB * ClusterGenerator.gib
            let zone = ["a", "b", "c"][i % 3]
            return ClusterModel.Node(
                name: name,
                cpuCapacity: cpu,
                memoryCapacity: memory,
                cpuAllocatable: cpu - 100 - cpu / 50,
                memoryAllocatable: memory - 768 * ClusterGenerator.mib - memory / 20,
                podCapacity: 110,
                filesystemCapacity: [100, 150, 200][i % 3] * ClusterGenerator.gib,
                labels: [
                    "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                    "topology.kubernetes.io/zone": "zone-\(zone)",
                    "node.kubernetes.io/instance-type": "c\(shape.cpu)m\(shape.memGiB)",
                ],
                internalIP: "10.0.\(i / 250).\(i % 250 + 4)",
                createdAt: createdAt - 30 * Milliseconds.day + Int64(i) * Milliseconds.minute,
                underMemoryPressure: options.nodes >= 3 && i == pressureIndex,
                ready: true,
                key: key,
                systemCPU: 120 + Int64(noise.uniform(key, 2) * 200),
                systemMemory: 900 * ClusterGenerator.mib + Int64(noise.uniform(key, 3) * 600) * ClusterGenerator.mib
            )
        }
    }

    /// A workload template: pods of one Deployment, StatefulSet, DaemonSet or Job.
    private struct Workload {
        var namespace: String
        var name: String
        var kind: String
        var weight: Double // share of the non-DaemonSet pods
        var containers:
            [(
                name: String, image: String, cpuReq: Int64?, cpuLim: Int64?, memReqMiB: Int64?, memLimMiB: Int64?,
                cpu: Double, memMiB: Double
            )]
        var burstiness: Double = 0.1
        var networkKBps: Double = 50
    }

    private static let daemonSets: [Workload] = [
        Workload(
            namespace: "kube-system", name: "kube-proxy", kind: "DaemonSet", weight: 0,
            containers: [("kube-proxy", "registry.k8s.io/kube-proxy:v1.29.4", 100, nil, 64, nil, 15, 40)],
            networkKBps: 2),
        Workload(
            namespace: "kube-system", name: "fluent-bit", kind: "DaemonSet", weight: 0,
            containers: [("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.0", 50, 200, 64, 256, 30, 70)],
            networkKBps: 120),
        Workload(
            namespace: "monitoring", name: "node-exporter", kind: "DaemonSet", weight: 0,
            containers: [("node-exporter", "quay.io/prometheus/node-exporter:v1.8.0", 20, 250, 32, 180, 8, 25)],
            networkKBps: 10),
    ]

    private static let workloads: [Workload] = [
        Workload(
            namespace: "kube-system", name: "coredns", kind: "Deployment", weight: 2,
            containers: [("coredns", "registry.k8s.io/coredns/coredns:v1.11.1", 100, nil, 70, 170, 12, 30)],
            networkKBps: 40),
        Workload(
            namespace: "kube-system", name: "metrics-server", kind: "Deployment", weight: 1,
            containers: [
                ("metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.1", 100, nil, 200, nil, 9, 35)
            ], networkKBps: 30),
        Workload(
            namespace: "monitoring", name: "prometheus-k8s", kind: "StatefulSet", weight: 2,
            containers: [
                ("prometheus", "quay.io/prometheus/prometheus:v2.52.0", 500, 2000, 2048, 4096, 420, 2600),
                (
                    "config-reloader", "quay.io/prometheus-operator/prometheus-config-reloader:v0.74.0", 10, 100, 25,
                    50, 2, 18
                ),
            ],
            burstiness: 0.3, networkKBps: 900),
        Workload(
            namespace: "monitoring", name: "grafana", kind: "Deployment", weight: 1,
            containers: [("grafana", "docker.io/grafana/grafana:10.4.2", 100, 200, 128, 256, 25, 110)], networkKBps: 60),
        Workload(
            namespace: "monitoring", name: "kube-state-metrics", kind: "Deployment", weight: 1,
            containers: [
                (
                    "kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.12.0", 10, 100, 190,
                    250, 12, 80
                )
            ]),
        Workload(
            namespace: "monitoring", name: "alertmanager-main", kind: "StatefulSet", weight: 3,
            containers: [("alertmanager", "quay.io/prometheus/alertmanager:v0.27.0", 4, 100, 100, 100, 3, 30)],
            networkKBps: 5),
        Workload(
            namespace: "ingress-nginx", name: "ingress-nginx-controller", kind: "Deployment", weight: 3,
            containers: [
                ("controller", "registry.k8s.io/ingress-nginx/controller:v1.10.1", 100, nil, 90, nil, 180, 160)
            ],
            burstiness: 0.4, networkKBps: 4500),
        Workload(
            namespace: "default", name: "hello", kind: "Deployment", weight: 2,
            containers: [("hello", "docker.io/nginxdemos/hello:0.4", 10, 50, 16, 64, 1, 8)], networkKBps: 1),
        Workload(
            namespace: "payments", name: "payments-api", kind: "Deployment", weight: 24,
            containers: [
                ("api", "registry.example.com/payments/api:2.14.3", 250, 600, 256, 512, 160, 300),
                ("istio-proxy", "docker.io/istio/proxyv2:1.21.2", 100, 500, 128, 256, 30, 70),
            ],
            burstiness: 0.35, networkKBps: 800),
        Workload(
            namespace: "payments", name: "payments-worker", kind: "Deployment", weight: 10,
            containers: [("worker", "registry.example.com/payments/worker:2.14.3", 200, 600, 512, 1024, 140, 480)],
            burstiness: 0.5, networkKBps: 120),
        Workload(
            namespace: "payments", name: "redis", kind: "StatefulSet", weight: 3,
            containers: [("redis", "docker.io/library/redis:7.2", 100, 500, 512, 1024, 40, 420)], networkKBps: 600),
        Workload(
            namespace: "checkout", name: "frontend", kind: "Deployment", weight: 40,
            containers: [("frontend", "registry.example.com/checkout/frontend:5.2.0", 100, 300, 128, 256, 70, 150)],
            burstiness: 0.3, networkKBps: 1200),
        Workload(
            namespace: "checkout", name: "cart", kind: "Deployment", weight: 24,
            containers: [("cart", "registry.example.com/checkout/cart:5.2.0", 200, 500, 256, 512, 110, 220)],
            burstiness: 0.3, networkKBps: 400),
        Workload(
            namespace: "search", name: "search-api", kind: "Deployment", weight: 30,
            containers: [("api", "registry.example.com/search/api:1.8.0", 300, 800, 512, 1024, 260, 420)],
            burstiness: 0.4, networkKBps: 700),
        Workload(
            namespace: "search", name: "elasticsearch", kind: "StatefulSet", weight: 6,
            containers: [
                (
                    "elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch:8.13.4", 1000, 2000, 4096, 4096,
                    650, 3500
                )
            ],
            burstiness: 0.25, networkKBps: 1500),
        Workload(
            namespace: "batch", name: "report-builder", kind: "Job", weight: 10,
            containers: [("report", "registry.example.com/batch/report:0.9.1", 500, 1200, 1024, 2048, 700, 800)],
            burstiness: 0.6, networkKBps: 200),
    ]

    mutating func makePods(nodes: [ClusterModel.Node]) -> [ClusterModel.Pod] {
        var pods: [ClusterModel.Pod] = []
        let dsPerNode = options.pods >= nodes.count * ClusterGenerator.daemonSets.count * 2
        if dsPerNode {
            for ds in ClusterGenerator.daemonSets {
                for (n, node) in nodes.enumerated() {
                    pods.append(
                        makePod(
                            ds, ordinal: n, replicaSetHash: nil, node: n, nodes: nodes, name: nil, nodeName: node.name))
                }
            }
        }
        let remaining = max(0, options.pods - pods.count)
        let totalWeight = ClusterGenerator.workloads.reduce(0) { $0 + $1.weight }
        // Largest-remainder apportionment so the total is exactly `remaining`.
        var counts = ClusterGenerator.workloads.map { Int(Double(remaining) * $0.weight / totalWeight) }
        var shortfall = remaining - counts.reduce(0, +)
        var order = Array(ClusterGenerator.workloads.indices).sorted {
            let a = Double(remaining) * ClusterGenerator.workloads[$0].weight / totalWeight
            let b = Double(remaining) * ClusterGenerator.workloads[$1].weight / totalWeight
            return (a - a.rounded(.down)) > (b - b.rounded(.down))
        }
        while shortfall > 0 && !order.isEmpty {
            counts[order.removeFirst()] += 1
            shortfall -= 1
        }
        var scheduler = Scheduler(nodes: nodes, pods: pods)
        for (w, workload) in ClusterGenerator.workloads.enumerated() where counts[w] > 0 {
            let rsHash = ClusterGenerator.suffix(Noise.hash(options.seed, stableKey(workload.name), 7), length: 10)
            let cpu = workload.containers.reduce(Int64(0)) { $0 + ($1.cpuReq ?? 0) }
            for r in 0..<counts[w] {
                let node = scheduler.place(cpu: cpu, key: Noise.hash(options.seed, stableKey(workload.name), Int64(r)))
                pods.append(
                    makePod(
                        workload, ordinal: r, replicaSetHash: rsHash, node: node, nodes: nodes, name: nil, nodeName: nil
                    ))
            }
        }
        // The API server keeps a namespace's pod names unique: a generated name that is taken is drawn
        // again. (Five characters of 27 collide about a hundred times among 150,000 pods.)
        var taken = Set<String>(minimumCapacity: pods.count)
        for i in pods.indices where pods[i].ownerKind != "StatefulSet" {
            var attempt: Int64 = 0
            while !taken.insert(pods[i].namespace + "/" + pods[i].name).inserted {
                attempt += 1
                let key = Noise.hash(pods[i].key, stableKey("name"), attempt)
                pods[i].name = "\(pods[i].ownerName)-\(ClusterGenerator.suffix(key, length: 5))"
            }
        }
        markSpecialPods(&pods)
        return pods
    }

    private func makePod(
        _ w: Workload, ordinal: Int, replicaSetHash: String?, node: Int, nodes: [ClusterModel.Node],
        name: String?, nodeName: String?
    ) -> ClusterModel.Pod {
        let key = Noise.hash(options.seed, stableKey(w.namespace + "/" + w.name), Int64(ordinal) &+ Int64(node) << 32)
        let podName: String
        let ownerName: String
        switch w.kind {
        case "StatefulSet":
            podName = "\(w.name)-\(ordinal)"
            ownerName = w.name
        case "DaemonSet":
            podName = "\(w.name)-\(ClusterGenerator.suffix(key, length: 5))"
            ownerName = w.name
        case "Job":
            let job = "\(w.name)-\(29_000_000 + ordinal)"
            podName = "\(job)-\(ClusterGenerator.suffix(key, length: 5))"
            ownerName = job
        default:
            ownerName = "\(w.name)-\(replicaSetHash ?? "")"
            podName = "\(ownerName)-\(ClusterGenerator.suffix(key, length: 5))"
        }
        let scale = 0.7 + noise.uniform(key, 11) * 0.6
        let containers = w.containers.map { c in
            ClusterModel.Container(
                name: c.name, image: c.image,
                cpuRequest: c.cpuReq, cpuLimit: c.cpuLim,
                memoryRequest: c.memReqMiB.map { $0 * ClusterGenerator.mib },
                memoryLimit: c.memLimMiB.map { $0 * ClusterGenerator.mib },
                baseCPU: c.cpu * scale, baseMemory: c.memMiB * scale * Double(ClusterGenerator.mib),
                key: key ^ stableKey(c.name))
        }
        let age = Int64(noise.uniform(key, 12) * 20 * Double(Milliseconds.day)) + Milliseconds.hour
        return ClusterModel.Pod(
            namespace: w.namespace, name: podName,
            uid: ClusterGenerator.uid(key),
            nodeIndex: node, ownerKind: w.kind == "Deployment" ? "ReplicaSet" : w.kind, ownerName: ownerName,
            labels: ["app.kubernetes.io/name": w.name],
            containers: containers, phase: .running,
            podIP: "10.\(64 + node / 256).\(node % 256).\(ordinal % 250 + 2)",
            createdAt: createdAt - age, crashLoops: false, key: key,
            burstiness: w.burstiness, networkBase: w.networkKBps * 1024 * scale)
    }

    /// One worker crash-loops; a few batch pods have finished and one waits unschedulable.
    private func markSpecialPods(_ pods: inout [ClusterModel.Pod]) {
        if let i = pods.firstIndex(where: { $0.ownerName.hasPrefix("payments-worker") }) {
            pods[i].crashLoops = true
        }
        let jobs = pods.indices.filter { pods[$0].ownerKind == "Job" }
        for (n, i) in jobs.enumerated() {
            if n % 3 == 0 { pods[i].phase = .succeeded }
        }
        if let last = jobs.last, jobs.count > 1 {
            pods[last].phase = .pending
            pods[last].nodeIndex = nil
            pods[last].podIP = nil
        }
    }

    /// Puts each pod on the node with the smallest share of its CPU requested, as the default
    /// scheduler's LeastAllocated scoring does; large clusters compare two random nodes only.
    struct Scheduler {
        var requested: [Int64]
        let allocatable: [Int64]

        init(nodes: [ClusterModel.Node], pods: [ClusterModel.Pod]) {
            allocatable = nodes.map(\.cpuAllocatable)
            requested = Array(repeating: 0, count: nodes.count)
            for pod in pods {
                if let n = pod.nodeIndex { requested[n] += pod.containers.reduce(0) { $0 + ($1.cpuRequest ?? 0) } }
            }
        }

        mutating func place(cpu: Int64, key: UInt64) -> Int {
            func share(_ n: Int) -> Double { Double(requested[n] + cpu) / Double(max(1, allocatable[n])) }
            let best: Int
            if allocatable.count <= 256 {
                best = allocatable.indices.min { share($0) < share($1) }!
            } else {
                let a = Int(key % UInt64(allocatable.count))
                let b = Int((key >> 32) % UInt64(allocatable.count))
                best = share(a) <= share(b) ? a : b
            }
            requested[best] += cpu
            return best
        }
    }

    static func suffix(_ key: UInt64, length: Int) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var k = key
        return String(
            (0..<length).map { _ in
                defer { k = k / UInt64(alphabet.count) ^ (k << 7) }
                return alphabet[Int(k % UInt64(alphabet.count))]
            })
    }

    static func uid(_ key: UInt64) -> String {
        let a = Noise.hash(key, 1, 1)
        let b = Noise.hash(key, 2, 2)
        let hex = String(format: "%016llx%016llx", a, b)
        let c = Array(hex)
        return
            "\(String(c[0..<8]))-\(String(c[8..<12]))-4\(String(c[13..<16]))-a\(String(c[17..<20]))-\(String(c[20..<32]))"
    }
}
