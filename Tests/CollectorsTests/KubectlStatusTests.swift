import KubeAPI
import Testing

@testable import Collectors
@testable import KubeClient

/// The STATUS column as kubectl 1.32 prints it (pkg/printers/internalversion/printers.go, printPod).
@Suite struct KubectlStatusTests {
    func pod(
        phase: String = "Running", reason: String? = nil, statuses: [ContainerStatus], inits: [ContainerStatus] = [],
        deleted: Bool = false
    ) -> PodObject {
        var p = PodObject(namespace: "ns", name: "p")
        p.phase = phase
        p.reason = reason
        p.containers = statuses.map { ContainerSpec(name: $0.name) }
        p.containerStatuses = statuses
        p.initContainers = inits.map { ContainerSpec(name: $0.name) }
        p.initContainerStatuses = inits
        if deleted { p.deletedAt = 1 }
        return p
    }

    func status(_ name: String, _ state: ContainerStatus.State, ready: Bool = false) -> ContainerStatus {
        var s = ContainerStatus(name: name)
        s.state = state
        s.ready = ready
        return s
    }

    @Test func containerStatesWin() {
        #expect(KubectlStatus.pod(pod(statuses: [status("a", .running, ready: true)])) == "Running")
        #expect(
            KubectlStatus.pod(pod(statuses: [status("a", .waiting(reason: "CrashLoopBackOff"))])) == "CrashLoopBackOff")
        #expect(
            KubectlStatus.pod(
                pod(statuses: [status("a", .waiting(reason: "ImagePullBackOff")), status("b", .running, ready: true)]))
                == "ImagePullBackOff")
        #expect(
            KubectlStatus.pod(
                pod(phase: "Succeeded", statuses: [status("a", .terminated(reason: "Completed", exitCode: 0))]))
                == "Completed")
        #expect(
            KubectlStatus.pod(pod(phase: "Failed", statuses: [status("a", .terminated(reason: nil, exitCode: 137))]))
                == "ExitCode:137")
        #expect(KubectlStatus.pod(pod(phase: "Pending", statuses: [])) == "Pending")
        #expect(KubectlStatus.pod(pod(phase: "Failed", reason: "Evicted", statuses: [])) == "Evicted")
    }

    @Test func aCompletedSidecarBesideARunningContainerIsRunning() {
        #expect(
            KubectlStatus.pod(
                pod(statuses: [
                    status("a", .running, ready: true),
                    status("b", .terminated(reason: "Completed", exitCode: 0), ready: true),
                ])) == "Running")
        #expect(
            KubectlStatus.pod(
                pod(statuses: [
                    status("a", .running, ready: true), status("b", .terminated(reason: "Completed", exitCode: 0)),
                ])) == "NotReady")
    }

    @Test func initContainersShowProgressOrTheirProblem() {
        #expect(
            KubectlStatus.pod(
                pod(
                    phase: "Pending", statuses: [status("a", .waiting(reason: "PodInitializing"))],
                    inits: [status("i1", .terminated(reason: "Completed", exitCode: 0)), status("i2", .running)]))
                == "Init:1/2")
        #expect(
            KubectlStatus.pod(
                pod(phase: "Pending", statuses: [], inits: [status("i1", .waiting(reason: "ImagePullBackOff"))]))
                == "Init:ImagePullBackOff")
        #expect(
            KubectlStatus.pod(
                pod(phase: "Pending", statuses: [], inits: [status("i1", .terminated(reason: "Error", exitCode: 1))]))
                == "Init:Error")
        #expect(
            KubectlStatus.pod(
                pod(phase: "Pending", statuses: [], inits: [status("i1", .terminated(reason: nil, exitCode: 2))]))
                == "Init:ExitCode:2")
    }

    @Test func deletionMeansTerminating() {
        #expect(KubectlStatus.pod(pod(statuses: [status("a", .running, ready: true)], deleted: true)) == "Terminating")
    }

    @Test func nodeStatusListsReadinessPressureAndCordon() {
        var node = NodeObject(name: "n")
        #expect(KubectlStatus.node(node) == ["Unknown"])
        node.conditions = [
            NodeCondition(type: "Ready", status: "False"), NodeCondition(type: "DiskPressure", status: "True"),
            NodeCondition(type: "PIDPressure", status: "False"),
        ]
        node.unschedulable = true
        #expect(KubectlStatus.node(node) == ["NotReady", "DiskPressure", "SchedulingDisabled"])
    }
}
