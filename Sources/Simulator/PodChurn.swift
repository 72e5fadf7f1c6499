import DemoCluster
import Foundation

/// `--churn`: pods created (Pending, then Running), deleted, restarted and failed at a steady overall
/// rate. Which pod and what happens is drawn from the seed and the change's ordinal, so one seed and
/// one rate give the same history on every run.
struct PodChurn: Sendable {
    enum Action: Sendable { case create, delete, restart, fail }

    /// Changes per minute (0: none).
    let perMinute: Double
    let seed: UInt64
    let startedAt: Int64
    /// How long a created pod stays Pending (ContainerCreating) before it runs.
    static let startDelay: Int64 = 2000
    /// The next change's ordinal.
    private(set) var ordinal: Int64 = 0
    /// Pods that exist, for drawing one; with each one's position for O(1) removal.
    private var alive: [Int] = []
    private var position: [Int: Int] = [:]
    /// Model pods a new pod copies (scheduled Deployment and Job pods: a DaemonSet or StatefulSet has
    /// its fixed set).
    private let templates: [Int]
    /// The cluster's size at the start: churn stays within 10% of it, as controllers keep their replica
    /// counts, so a long run neither empties nor floods the cluster.
    private let size: Int

    init(perMinute: Double, seed: UInt64, startedAt: Int64, cluster: ClusterModel) {
        self.perMinute = perMinute
        self.seed = seed
        self.startedAt = startedAt
        templates = cluster.pods.indices.filter {
            ["ReplicaSet", "Job"].contains(cluster.pods[$0].ownerKind) && !cluster.pods[$0].crashLoops
                && cluster.pods[$0].nodeIndex != nil
        }
        size = cluster.pods.count
        if perMinute > 0 {
            alive = Array(cluster.pods.indices)
            position.reserveCapacity(alive.count)
            for (p, slot) in alive.enumerated() { position[slot] = p }
        }
    }

    /// Parses `600/min`, `10/s`, `36000/h` or a bare number (per minute).
    static func perMinute(_ text: String) -> Double? {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let count = Double(parts[0]), count >= 0, count.isFinite else { return nil }
        guard parts.count == 2 else { return count }
        switch parts[1] {
        case "s", "sec", "second": return count * 60
        case "m", "min", "minute": return count
        case "h", "hour": return count / 60
        default: return nil
        }
    }

    /// When the next change is due (nil without churn).
    var nextAt: Int64? {
        guard perMinute > 0 else { return nil }
        return startedAt + Int64((Double(ordinal + 1) * 60_000 / perMinute).rounded(.down))
    }

    /// The next change's action and a number to draw its pod with; moves on to the change after.
    mutating func draw() -> (action: Action, key: UInt64) {
        let key = PodChurn.mix(seed ^ 0x6368_7572_6e, UInt64(ordinal))
        ordinal += 1
        let action: Action
        switch key % 100 {
        case 0..<35: action = .create
        case 35..<70: action = .delete
        case 70..<90: action = .restart
        default: action = .fail
        }
        if action == .delete && alive.count * 10 < size * 9 { return (.create, key >> 8) }
        if action == .create && alive.count * 10 > size * 11 && !alive.isEmpty { return (.delete, key >> 8) }
        return (alive.isEmpty ? .create : action, key >> 8)
    }

    /// A pod that exists, drawn with `key` (probing further with `attempt`).
    func pick(_ key: UInt64, attempt: Int) -> Int? {
        guard !alive.isEmpty else { return nil }
        let k = PodChurn.mix(key, UInt64(attempt))
        return alive[Int(k % UInt64(alive.count))]
    }

    func template(_ key: UInt64) -> Int? {
        templates.isEmpty ? nil : templates[Int(key % UInt64(templates.count))]
    }

    mutating func born(_ slot: Int) {
        guard perMinute > 0 else { return }
        position[slot] = alive.count
        alive.append(slot)
    }

    mutating func died(_ slot: Int) {
        guard let p = position.removeValue(forKey: slot) else { return }
        let last = alive.removeLast()
        if p < alive.count {
            alive[p] = last
            position[last] = p
        }
    }

    /// A new pod like the template's: same workload and node, its own name, uid and start.
    func newPod(from template: ClusterModel.Pod, key: UInt64, at t: Int64, attempt: Int) -> ClusterModel.Pod {
        var pod = template
        let suffix = PodChurn.nameSuffix(PodChurn.mix(key ^ 0x6e_616d65, UInt64(attempt)))
        pod.name = pod.ownerName + "-" + suffix
        pod.uid = derivedUID("churn/\(seed)/\(pod.namespace)/\(pod.name)/\(t)")
        pod.createdAt = t
        pod.phase = .pending
        pod.crashLoops = false
        if let n = pod.nodeIndex { pod.podIP = "10.\(64 + n / 256).\(n % 256).\(2 + Int(key % 250))" }
        return pod
    }

    /// splitmix64 of two numbers: our own, so a draw does not depend on Swift's per-process hash seed.
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ b &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Five characters of the alphabet the ReplicaSet controller draws pod name suffixes from.
    static func nameSuffix(_ key: UInt64) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var k = key
        var out = ""
        for _ in 0..<5 {
            out.append(alphabet[Int(k % UInt64(alphabet.count))])
            k /= UInt64(alphabet.count)
        }
        return out
    }
}
