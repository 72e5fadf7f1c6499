import Foundation
import TestSupport
import Testing

extension KubernetesEndToEndTests {
    /// `top nodes NAME` for a node the cluster does not have says so, word for word as kubectl does,
    /// instead of blaming the metrics; a node it has still prints. `top pods NAME` too.
    @Test func topOfAnUnknownNodeSaysItIsNotFound() async throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20", "--seed", "3", "--freeze"])
        let bin = try kubeglassBinary()
        let (status, output) = try await run([bin, "top", "nodes", "nope", "--kubeconfig", sim.kubeconfig])
        #expect(status == 1)
        #expect(output == "Error from server (NotFound): nodemetrics.metrics.k8s.io \"nope\" not found\n")
        let (podStatus, pod) = try await run([bin, "top", "pods", "nope", "--kubeconfig", sim.kubeconfig])
        #expect(podStatus == 1)
        #expect(pod == "Error from server (NotFound): podmetrics.metrics.k8s.io \"nope\" not found\n")
        let (knownStatus, known) = try await run([bin, "top", "nodes", "node-01", "--kubeconfig", sim.kubeconfig])
        #expect(knownStatus == 0, "\(known)")
        #expect(known.split(separator: "\n").count == 2 && known.contains("node-01"))
        if let kubectl = Self.kubectl {
            for kind in ["nodes", "pods"] {
                let (kStatus, expected) = try await run([kubectl, "--kubeconfig", sim.kubeconfig, "top", kind, "nope"])
                let (ourStatus, got) = try await run([bin, "top", kind, "nope", "--kubeconfig", sim.kubeconfig])
                #expect(kStatus == 1 && ourStatus == 1)
                #expect(got == expected, "top \(kind) nope: kubectl says \(expected)")
            }
        }
    }
}
