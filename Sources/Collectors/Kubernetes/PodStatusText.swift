import KubeAPI

/// What kubectl prints in a pod's STATUS column and a node's STATUS column, worked out the way
/// `kubectl get` does (printers.go), so that kubeglass and kubectl agree.
public enum KubectlStatus {
    public static func pod(_ pod: PodObject) -> String {
        var reason = pod.reason ?? pod.phase ?? "Unknown"
        var initializing = false
        initLoop: for (i, status) in pod.initContainerStatuses.enumerated() {
            switch status.state {
            case .terminated(let r, let exitCode):
                if exitCode == 0 { continue }
                if let r, !r.isEmpty { reason = "Init:" + r } else { reason = "Init:ExitCode:\(exitCode ?? 0)" }
                initializing = true
            case .waiting(let r) where r != nil && !(r!.isEmpty) && r != "PodInitializing":
                reason = "Init:" + r!
                initializing = true
            default:
                reason = "Init:\(i)/\(pod.initContainers.count)"
                initializing = true
            }
            break initLoop
        }
        if !initializing {
            var hasRunning = false
            for status in pod.containerStatuses.reversed() {
                switch status.state {
                case .waiting(let r?) where !r.isEmpty:
                    reason = r
                case .terminated(let r, let exitCode):
                    if let r, !r.isEmpty { reason = r } else { reason = "ExitCode:\(exitCode ?? 0)" }
                case .running where status.ready:
                    hasRunning = true
                default:
                    break
                }
            }
            // A pod whose last container completed but another still runs is Running (or NotReady).
            if reason == "Completed" && hasRunning {
                reason = pod.containerStatuses.allSatisfy(\.ready) ? "Running" : "NotReady"
            }
        }
        if pod.deletedAt != nil { reason = pod.reason == "NodeLost" ? "Unknown" : "Terminating" }
        return reason
    }

    /// `Ready`, `NotReady` or `Unknown`, then any pressure condition that is True, then `SchedulingDisabled`.
    public static func node(_ node: NodeObject) -> [String] {
        var out: [String]
        switch node.conditions.first(where: { $0.type == "Ready" })?.status {
        case "True": out = ["Ready"]
        case "False": out = ["NotReady"]
        default: out = ["Unknown"]
        }
        for c in node.conditions where c.type.hasSuffix("Pressure") && c.status == "True" { out.append(c.type) }
        if node.unschedulable { out.append("SchedulingDisabled") }
        return out
    }

    /// Restarts as kubectl counts them: the sum over the pod's containers.
    public static func restarts(_ pod: PodObject) -> Int {
        pod.containerStatuses.reduce(0) { $0 + $1.restartCount }
    }
}
