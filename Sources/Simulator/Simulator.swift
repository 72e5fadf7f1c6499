import DemoCluster
import Foundation
import KubeglassCore

/// `kubeglass sim`: a demo cluster served over the real Kubernetes APIs.
public enum Simulator {
    /// How a kubeconfig written for the sim authenticates.
    public enum Authentication: String, Sendable, CaseIterable {
        case certificate = "cert"
        case token
    }

    public struct Configuration: Sendable {
        public var cluster = ClusterModel.Options(nodes: 12, pods: 300, seed: 1)
        public var address = "127.0.0.1"
        /// HTTPS port; 0 picks a free one.
        public var port = 6443
        /// Plain HTTP port without auth; 0 picks a free one; nil turns it off.
        public var httpPort: Int? = 8001
        public var token: String? = nil
        public var expireTokenAfterMilliseconds: Milliseconds? = nil
        public var faults = FaultPlan()
        public var servesMetricsAPI = true
        /// Answer every request with the cluster at this instant (ms), so that two clients see one snapshot.
        public var frozenAt: Int64? = nil
        /// Pods created, deleted, restarted or failed per minute (`--churn`; 0 for none).
        public var churnPerMinute: Double = 0
        /// Added to every resourceVersion, so a restarted sim hands out versions its clients never saw.
        public var resourceVersionBase: Int64 = 0
        /// Bookmarks, history and injected faults of watch streams.
        public var watch = WatchOptions()
        public init() {}
    }

    /// `--churn`'s rate: `600/min`, `10/s`, `36000/h` or a bare number per minute (nil if none of those).
    public static func churnPerMinute(_ text: String) -> Double? { PodChurn.perMinute(text) }
}
