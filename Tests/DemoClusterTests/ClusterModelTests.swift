import DemoCluster
import Testing

struct ClusterModelTests {
    let cluster = ClusterModel(.init(nodes: 12, pods: 300, seed: 1), createdAt: 1_700_000_000_000)
    let t: Int64 = 1_700_000_600_000

    @Test func defaultShape() {
        #expect(cluster.nodes.count == 12)
        #expect(cluster.pods.count == 300)
        #expect(cluster.namespaces.count == 8)
        #expect(Set(cluster.pods.map { "\($0.namespace)/\($0.name)" }).count == 300, "pod names are unique")
        #expect(cluster.nodes.map(\.name).first == "node-01")
        #expect(cluster.nodes.filter(\.underMemoryPressure).count == 1)
        #expect(cluster.pods.filter(\.crashLoops).count == 1)
    }

    @Test func sameSeedSameCluster() {
        let again = ClusterModel(.init(nodes: 12, pods: 300, seed: 1), createdAt: 1_700_000_000_000)
        #expect(again.pods == cluster.pods)
        #expect(again.usage(ofNode: 3, at: t) == cluster.usage(ofNode: 3, at: t))
        let other = ClusterModel(.init(nodes: 12, pods: 300, seed: 2), createdAt: 1_700_000_000_000)
        #expect(other.usage(ofNode: 3, at: t) != cluster.usage(ofNode: 3, at: t))
    }

    @Test func loadIsPlausible() {
        for i in cluster.nodes.indices {
            let u = cluster.usage(ofNode: i, at: t)
            let node = cluster.nodes[i]
            #expect(u.cpuCores > 0 && u.cpuCores < Double(node.cpuCapacity) / 1000)
            #expect(u.memoryWorkingSetBytes > 0 && u.memoryWorkingSetBytes <= Double(node.memoryCapacity))
            #expect(u.filesystemUsedBytes < Double(node.filesystemCapacity))
        }
        let pressured = cluster.nodes.firstIndex(where: \.underMemoryPressure)!
        let ratio =
            cluster.usage(ofNode: pressured, at: t).memoryWorkingSetBytes
            / Double(cluster.nodes[pressured].memoryAllocatable)
        #expect(ratio > 0.9, "the memory-pressure node runs near its limit (\(ratio))")
        #expect(cluster.conditions(ofNode: pressured) == ["Ready", "MemoryPressure"])
    }

    @Test func loadMovesOverTime() {
        let a = cluster.usage(ofNode: 0, at: t).cpuCores
        let b = cluster.usage(ofNode: 0, at: t + 5000).cpuCores
        let c = cluster.usage(ofNode: 0, at: t + 15 * 60_000).cpuCores
        #expect(a != b)
        #expect(abs(a - c) > 0.001)
    }

    @Test func crashLoopingPodRestartsAndWaits() {
        let pod = cluster.pods.first(where: \.crashLoops)!
        let states = stride(from: t, to: t + 600_000, by: 5000).map { cluster.status(pod, at: $0) }
        #expect(states.contains("Running") && states.contains("CrashLoopBackOff"))
        #expect(states.filter { $0 == "CrashLoopBackOff" }.count > states.filter { $0 == "Running" }.count)
        #expect(cluster.restarts(pod, at: t + 600_000) > cluster.restarts(pod, at: t))
        let calm = cluster.pods.first { !$0.crashLoops && $0.phase == .running }!
        #expect(cluster.restarts(calm, at: t) == 0)
    }

    @Test func cpuNeverExceedsTheLimit() {
        for pod in cluster.pods.prefix(100) {
            for c in pod.containers {
                guard let limit = c.cpuLimit else { continue }
                for dt in stride(from: Int64(0), to: 3_600_000, by: 97_000) {
                    #expect(cluster.usage(of: c, in: pod, at: t + dt).cpuCores <= Double(limit) / 1000 + 1e-9)
                }
            }
        }
    }

    @Test func scalesToManyNodes() {
        let big = ClusterModel(.init(nodes: 500, pods: 15_000, seed: 3))
        #expect(big.nodes.count == 500 && big.pods.count == 15_000)
        #expect(big.nodes.last?.name == "node-500")
    }

    @Test func tinyClusters() {
        let one = ClusterModel(.init(nodes: 1, pods: 0))
        #expect(one.pods.isEmpty)
        #expect(one.usage(ofNode: 0, at: t).cpuCores > 0)
        let few = ClusterModel(.init(nodes: 2, pods: 5))
        #expect(few.pods.count == 5)
    }
}
