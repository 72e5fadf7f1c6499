import Foundation
import TestSupport
import Testing

extension KubernetesEndToEndTests {
    /// `top nodes NAME` for a node the cluster does not have says so, as kubectl does, instead of
    /// blaming the metrics; a node it has still prints.
    @Test func topOfAnUnknownNodeSaysItIsNotFound() throws {
        let sim = try SimProcess(["--nodes", "3", "--pods", "20", "--seed", "3", "--freeze"])
        let bin = try kubeglassBinary()
        let (status, output) = try run([bin, "top", "nodes", "nope", "--kubeconfig", sim.kubeconfig])
        #expect(status == 1)
        #expect(output == "Error from server (NotFound): nodes \"nope\" not found\n")
        let (knownStatus, known) = try run([bin, "top", "nodes", "node-01", "--kubeconfig", sim.kubeconfig])
        #expect(knownStatus == 0, "\(known)")
        #expect(known.split(separator: "\n").count == 2 && known.contains("node-01"))
        if let kubectl = Self.kubectl {
            let (kStatus, kOutput) = try run([kubectl, "--kubeconfig", sim.kubeconfig, "top", "nodes", "nope"])
            #expect(kStatus == 1)
            #expect(kOutput.contains("(NotFound)") && kOutput.contains("\"nope\" not found"), "kubectl: \(kOutput)")
        }
    }
}
