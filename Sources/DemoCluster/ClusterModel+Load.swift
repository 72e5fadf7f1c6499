import Foundation
import KubeglassCore

/// What a pod, container or node uses at one instant.
public struct ResourceUsage: Sendable, Hashable {
    public var cpuCores: Double
    public var memoryWorkingSetBytes: Double
    /// Working set plus page cache, as cAdvisor's `memory/usage`.
    public var memoryUsageBytes: Double
    public var networkReceiveBytesPerSecond: Double
    public var networkTransmitBytesPerSecond: Double
    public var filesystemUsedBytes: Double

    public static let zero = ResourceUsage(
        cpuCores: 0, memoryWorkingSetBytes: 0, memoryUsageBytes: 0,
        networkReceiveBytesPerSecond: 0, networkTransmitBytesPerSecond: 0, filesystemUsedBytes: 0)

    /// As a real cluster reports it: CPU in whole nanocores, bytes and bytes per second whole.
    /// (The metrics API and cAdvisor give integers; the store keeps integers compactly.)
    var asReported: ResourceUsage {
        ResourceUsage(
            cpuCores: (cpuCores * 1e9).rounded() / 1e9,
            memoryWorkingSetBytes: memoryWorkingSetBytes.rounded(), memoryUsageBytes: memoryUsageBytes.rounded(),
            networkReceiveBytesPerSecond: networkReceiveBytesPerSecond.rounded(),
            networkTransmitBytesPerSecond: networkTransmitBytesPerSecond.rounded(),
            filesystemUsedBytes: filesystemUsedBytes.rounded())
    }

    static func + (a: ResourceUsage, b: ResourceUsage) -> ResourceUsage {
        ResourceUsage(
            cpuCores: a.cpuCores + b.cpuCores,
            memoryWorkingSetBytes: a.memoryWorkingSetBytes + b.memoryWorkingSetBytes,
            memoryUsageBytes: a.memoryUsageBytes + b.memoryUsageBytes,
            networkReceiveBytesPerSecond: a.networkReceiveBytesPerSecond + b.networkReceiveBytesPerSecond,
            networkTransmitBytesPerSecond: a.networkTransmitBytesPerSecond + b.networkTransmitBytesPerSecond,
            filesystemUsedBytes: a.filesystemUsedBytes + b.filesystemUsedBytes)
    }
}

extension ClusterModel {
    /// A crash-looping container runs this long after each restart before it dies again.
    static let crashRunTime: Int64 = 25_000
    /// And is restarted this often (CrashLoopBackOff's back-off tops out at five minutes).
    static let crashPeriod: Milliseconds = 5 * Milliseconds.minute

    /// Load over the (compressed) day: 1 ± 0.35.
    func dayFactor(_ t: Int64) -> Double {
        1 + 0.35 * sin(2 * Double.pi * Double(t) / Double(options.dayLength))
    }

    /// Whether the pod's containers are running at `t` (a crash-looping one is, briefly, after each restart).
    public func isRunning(_ pod: Pod, at t: Int64) -> Bool {
        guard pod.phase == .running else { return false }
        if pod.crashLoops { return t - crashCycleStart(pod, t) < ClusterModel.crashRunTime }
        return true
    }

    private func crashCycleStart(_ pod: Pod, _ t: Int64) -> Int64 {
        let offset = Int64(noise.uniform(pod.key, 40) * Double(ClusterModel.crashPeriod))
        let n = Int64(floor(Double(t - offset) / Double(ClusterModel.crashPeriod)))
        return n * ClusterModel.crashPeriod + offset
    }

    /// When the crash-looping pod's containers last started (its latest restart) at or before `t`.
    public func lastRestart(of pod: Pod, at t: Int64) -> Int64 {
        pod.crashLoops ? crashCycleStart(pod, t) : pod.createdAt
    }

    /// When the crash-looping pod's state next changes after `t`: its container dies, or is restarted.
    public func nextCrashChange(of pod: Pod, after t: Int64) -> Int64 {
        let start = crashCycleStart(pod, t)
        let death = start + ClusterModel.crashRunTime
        return t < death ? death : start + ClusterModel.crashPeriod
    }

    /// Container restarts so far: only the crash-looping pod restarts, every five minutes.
    public func restarts(_ pod: Pod, at t: Int64) -> Int {
        guard pod.crashLoops else { return 0 }
        let cycles = (crashCycleStart(pod, t) - (createdAt - 2 * Milliseconds.hour)) / ClusterModel.crashPeriod
        return Int(max(0, cycles))
    }

    /// The STATUS column kubectl would show.
    public func status(_ pod: Pod, at t: Int64) -> String {
        switch pod.phase {
        case .succeeded: return "Completed"
        case .pending: return "Pending"
        case .failed: return "Error"
        case .running: return isRunning(pod, at: t) ? "Running" : "CrashLoopBackOff"
        }
    }

    public func usage(of container: Container, in pod: Pod, at t: Int64) -> ResourceUsage {
        guard isRunning(pod, at: t) else { return .zero }
        let day = dayFactor(t)
        let wobble =
            1 + 0.25 * noise.smooth(container.key, time: t, period: 90_000) + 0.08
            * noise.smooth(container.key ^ 1, time: t, period: 7_000)
        let burst = noise.burst(container.key, time: t, window: 600_000, probability: pod.burstiness, length: 150_000)
        var cpu = 0.75 * container.baseCPU * day * wobble * (1 + 2.5 * burst)
        if pod.crashLoops { cpu = container.baseCPU * 3 }
        if let limit = container.cpuLimit { cpu = min(cpu, Double(limit)) } // the CFS quota throttles at the limit
        var memory =
            container.baseMemory
            * (1 + 0.12 * noise.smooth(container.key ^ 2, time: t, period: 600_000) + 0.1 * (day - 1))
        if let limit = container.memoryLimit { memory = min(memory, Double(limit) * 0.97) }
        let cache = memory * (0.15 + 0.1 * noise.uniform(container.key, 5))
        return ResourceUsage(
            cpuCores: max(0, cpu) / 1000, memoryWorkingSetBytes: max(0, memory).rounded(),
            memoryUsageBytes: (max(0, memory) + cache).rounded(),
            networkReceiveBytesPerSecond: 0, networkTransmitBytesPerSecond: 0, filesystemUsedBytes: 0
        ).asReported
    }

    /// A pod's usage: its containers' CPU and memory, plus the pod's network and filesystem.
    public func usage(of pod: Pod, at t: Int64) -> ResourceUsage {
        guard isRunning(pod, at: t) else { return .zero }
        var total = pod.containers.reduce(ResourceUsage.zero) { $0 + usage(of: $1, in: pod, at: t) }
        let burst = noise.burst(pod.key, time: t, window: 600_000, probability: pod.burstiness, length: 150_000)
        let rate =
            pod.networkBase * dayFactor(t) * (1 + 0.3 * noise.smooth(pod.key ^ 3, time: t, period: Milliseconds.minute))
            * (1 + 2 * burst)
        total.networkReceiveBytesPerSecond = max(0, rate)
        total.networkTransmitBytesPerSecond = max(0, rate * (0.5 + noise.uniform(pod.key, 6)))
        total.filesystemUsedBytes = (20 + 200 * noise.uniform(pod.key, 7)) * 1_048_576
        return total.asReported
    }

    /// A node's usage: its pods plus what the kubelet, runtime and OS use.
    public func usage(ofNode index: Int, at t: Int64) -> ResourceUsage {
        let node = nodes[index]
        var total = podsByNode[index].reduce(ResourceUsage.zero) { $0 + usage(of: pods[$1], at: t) }
        total.cpuCores += Double(node.systemCPU) / 1000 * (1 + 0.2 * noise.smooth(node.key, time: t, period: 30_000))
        // A node cannot run more than its cores: past that, its pods wait.
        total.cpuCores = min(total.cpuCores, Double(node.cpuCapacity) / 1000 * 0.98)
        total.memoryWorkingSetBytes += Double(node.systemMemory)
        if node.underMemoryPressure {
            // Something outside the pods' accounting (a leaking daemon) holds the node near its limit.
            let target =
                Double(node.memoryAllocatable) * (0.95 + 0.025 * noise.smooth(node.key ^ 4, time: t, period: 120_000))
            total.memoryWorkingSetBytes = max(total.memoryWorkingSetBytes, target)
        }
        total.memoryWorkingSetBytes = min(total.memoryWorkingSetBytes.rounded(), Double(node.memoryCapacity))
        total.memoryUsageBytes = min(total.memoryWorkingSetBytes * 1.18, Double(node.memoryCapacity))
        let base = 0.3 + 0.3 * noise.uniform(node.key, 8)
        let logs = 0.06 * (Double(t % 1_200_000) / 1_200_000) // log files grow, then rotate
        total.filesystemUsedBytes = (base + logs) * Double(node.filesystemCapacity)
        total.networkReceiveBytesPerSecond *= 1.05
        total.networkTransmitBytesPerSecond *= 1.05
        return total.asReported
    }

    /// Node conditions kubectl shows in STATUS: `Ready`, plus `MemoryPressure` etc. when true.
    public func conditions(ofNode index: Int) -> [String] {
        let node = nodes[index]
        var out = [node.ready ? "Ready" : "NotReady"]
        if node.underMemoryPressure { out.append("MemoryPressure") }
        return out
    }

    public func pods(onNode index: Int) -> [Pod] { podsByNode[index].map { pods[$0] } }
}
