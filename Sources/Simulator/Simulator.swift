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
        public init() {}
    }
}
