import KubeglassCore
import Testing

@testable import KubeAPI

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func q(_ text: String) -> Quantity { try! Quantity(parsing: text) }

@Suite struct DecodeTests {
    /// Skipping the labels changes nothing else, and a malformed labels object still fails the page.
    @Test func podListWithoutLabels() throws {
        var all: [PodObject] = []
        var unlabelled: [PodObject] = []
        _ = try KubeDecode.podList(bytes(PodListFixture.body), appendingTo: &all)
        let list = try KubeDecode.podList(bytes(PodListFixture.body), appendingTo: &unlabelled, labels: false)
        #expect(list.resourceVersion == "184467" && unlabelled.count == 5)
        #expect(all.contains { !$0.labels.isEmpty } && unlabelled.allSatisfy { $0.labels.isEmpty })
        #expect(
            unlabelled
                == all.map {
                    var pod = $0
                    pod.labels = [:]
                    return pod
                })
        let broken = #"{"kind":"PodList","items":[{"metadata":{"name":"a","labels":{"x":"y",}}}]}"#
        #expect(throws: KubeDecodeError.self) {
            _ = try KubeDecode.podList(bytes(broken), appendingTo: &unlabelled, labels: false)
        }
    }

    @Test func podList() throws {
        let list = try KubeDecode.podList(bytes(PodListFixture.body))
        #expect(list.resourceVersion == "184467")
        #expect(list.continueToken?.hasPrefix("eyJ2Ij") == true)
        #expect(
            list.items.map(\.name) == [
                "web-7d9c8b6f5d-x2lkq", "api-5c6b9d7f4-8hq2m", "backup-28497120-tx4zp", "gpu-trainer-0", "db-migrate",
            ])

        let web = list.items[0]
        #expect(web.namespace == "default")
        #expect(web.uid == "4f0c3a0e-8d5b-4a4e-9a52-7f4f2b1e9c11")
        #expect(
            web.labels == [
                "app": "web", "pod-template-hash": "7d9c8b6f5d", "app.kubernetes.io/part-of": "shop — frontend",
            ])
        #expect(web.createdAt == 1_709_630_067_000)
        #expect(web.deletedAt == nil)
        #expect(web.ownerKind == "ReplicaSet" && web.ownerName == "web-7d9c8b6f5d")
        #expect(web.nodeName == "worker-1")
        #expect(web.phase == "Running")
        #expect(web.containers.map(\.name) == ["web", "metrics-sidecar"])
        #expect(web.containers[0].image == "nginx:1.25.4")
        #expect(web.containers[0].requests == ["cpu": q("100m"), "memory": q("128Mi")])
        #expect(web.containers[0].limits == ["cpu": q("500m"), "memory": q("256Mi")])
        #expect(web.containers[1].requests == ["cpu": q("50m"), "memory": q("32M"), "ephemeral-storage": q("1Gi")])
        #expect(web.containers[1].limits.isEmpty)
        #expect(web.containerStatuses.map(\.name) == ["metrics-sidecar", "web"])
        #expect(web.containerStatuses[1].state == .running)
        #expect(web.containerStatuses[1].restartCount == 2)
        #expect(web.containerStatuses[1].ready)

        let crashing = list.items[1]
        #expect(
            crashing.ownerKind == "ReplicaSet" && crashing.ownerName == "api-5c6b9d7f4",
            "the controller reference wins over the first")
        #expect(crashing.containerStatuses[0].state == .waiting(reason: "CrashLoopBackOff"))
        #expect(crashing.containerStatuses[0].restartCount == 17)
        #expect(!crashing.containerStatuses[0].ready)

        let job = list.items[2]
        #expect(job.ownerKind == "Job")
        #expect(job.phase == "Succeeded")
        #expect(job.containers[0].requests.isEmpty && job.containers[0].limits.isEmpty)
        #expect(job.containerStatuses[0].state == .terminated(reason: "Completed", exitCode: 0))
        #expect(job.createdAt == 1_709_604_000_000)

        let pending = list.items[3]
        #expect(pending.nodeName == nil)
        #expect(pending.phase == "Pending")
        #expect(pending.containerStatuses.isEmpty)
        #expect(pending.createdAt == 1_709_627_400_000, "+01:00 is an hour before UTC")
        #expect(pending.containers[0].limits["nvidia.com/gpu"] == q("1"))
        #expect(pending.labels.isEmpty)

        let migrating = list.items[4]
        #expect(migrating.uid == nil && migrating.labels.isEmpty, "null is accepted for optional fields")
        #expect(migrating.nodeName == nil, "an empty nodeName is not a node")
        #expect(migrating.ownerKind == nil && migrating.ownerName == nil)
        #expect(migrating.deletedAt == 1_709_631_910_000)
        #expect(migrating.reason == nil)
        #expect(migrating.initContainers.map(\.name) == ["wait-for-db", "schema"])
        #expect(migrating.containers.map(\.name) == ["migrate"])
        #expect(
            migrating.initContainerStatuses.map(\.state) == [.terminated(reason: "Completed", exitCode: 0), .running])
        #expect(migrating.containerStatuses[0].state == .waiting(reason: "PodInitializing"))
    }

    @Test func nodeList() throws {
        let list = try KubeDecode.nodeList(bytes(Fixtures.nodeList))
        #expect(list.resourceVersion == "")
        #expect(list.continueToken == nil)
        #expect(list.items.count == 2)
        let minikube = list.items[0]
        #expect(minikube.name == "minikube")
        #expect(minikube.createdAt == 1_643_309_313_000)
        #expect(minikube.labels["node-role.kubernetes.io/control-plane"] == "")
        #expect(!minikube.unschedulable)
        #expect(minikube.capacity["memory"] == q("16495632Ki"))
        #expect(minikube.allocatable["memory"]?.value == Int64(16_393_232) * 1024)
        #expect(minikube.allocatable["cpu"]?.milliValue == 4000)
        #expect(minikube.allocatable["hugepages-2Mi"] == .zero)
        #expect(minikube.conditions.map(\.type) == ["MemoryPressure", "DiskPressure", "Ready"])
        #expect(
            minikube.conditions[2]
                == NodeCondition(
                    type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status"))
        #expect(minikube.isReady)
        #expect(minikube.internalIP == "192.168.49.2")
        #expect(minikube.kubeletVersion == "v1.23.1")

        let cordoned = list.items[1]
        #expect(cordoned.unschedulable)
        #expect(!cordoned.isReady)
        #expect(cordoned.internalIP == "10.0.0.12", "the first InternalIP")
        #expect(cordoned.allocatable["cpu"]?.milliValue == 7800)
        #expect(cordoned.kubeletVersion == "v1.30.2")
    }

    @Test func nodeMetricsList() throws {
        let list = try KubeDecode.nodeMetricsList(bytes(Fixtures.nodeMetricsList))
        #expect(list.items.map(\.name) == ["minikube", "worker-2", "worker-3"])
        #expect(list.items[0].timestamp == 1_643_309_313_000)
        #expect(list.items[0].window == 30_000)
        #expect(list.items[0].cpu.nanoValue == 487_558_164)
        #expect(list.items[0].memory.value == 732_212 * 1024)
        #expect(list.items[1].timestamp == 1_643_309_311_500)
        #expect(list.items[1].window == 60_000)
        #expect(list.items[1].cpu.milliValue == 1500)
        #expect(list.items[2].window == 10_500)
        #expect(list.items[2].cpu == q("2"))
        #expect(list.items[2].memory.value == 1000)
    }

    @Test func podMetricsList() throws {
        let list = try KubeDecode.podMetricsList(bytes(Fixtures.podMetricsList))
        #expect(list.items.count == 2)
        let scheduler = list.items[0]
        #expect(scheduler.namespace == "kube-system" && scheduler.name == "kube-scheduler-minikube")
        #expect(scheduler.timestamp == 1_643_311_471_000)
        #expect(scheduler.window == 30_000)
        #expect(
            scheduler.containers == [ContainerMetrics(name: "kube-scheduler", cpu: q("9559630n"), memory: q("22244Ki"))]
        )
        #expect(list.items[1].containers.map(\.name) == ["web", "metrics-sidecar"])
        #expect(list.items[1].containers[0].cpu.milliValue == 1)
        #expect(list.items[1].containers[1].memory == .zero)
        #expect(list.items[1].window == 15_000)
    }

    @Test func eventList() throws {
        let list = try KubeDecode.eventList(bytes(Fixtures.eventList))
        #expect(list.resourceVersion == "190001")
        #expect(list.items.count == 3)
        let backOff = list.items[0]
        #expect(backOff.namespace == "shop")
        #expect(backOff.type == "Warning" && backOff.reason == "BackOff")
        #expect(backOff.message?.hasPrefix("Back-off restarting") == true)
        #expect(
            backOff.involvedKind == "Pod" && backOff.involvedNamespace == "shop"
                && backOff.involvedName == "api-5c6b9d7f4-8hq2m")
        #expect(backOff.count == 183)
        #expect(backOff.lastSeen == 1_709_631_852_000)
        #expect(backOff.firstSeen == 1_709_629_260_000)
        #expect(backOff.component == "kubelet")

        let scheduling = list.items[1]
        #expect(scheduling.count == 1, "a new-style event without count happened once")
        #expect(scheduling.lastSeen == 1_709_627_400_123, "eventTime when lastTimestamp is null")
        #expect(scheduling.firstSeen == 1_709_627_400_123)
        #expect(scheduling.component == "default-scheduler", "reportingComponent when source is empty")

        let scaled = list.items[2]
        #expect(scaled.type == "Normal")
        #expect(scaled.lastSeen == 1_709_630_067_000, "firstTimestamp as the last resort")
        #expect(scaled.component == "deployment-controller")
        #expect(scaled.count == 1)
    }

    @Test func summary() throws {
        let summary = try KubeDecode.summary(bytes(Fixtures.summary))
        #expect(summary.node.nodeName == "worker-1")
        #expect(summary.node.cpu?.usageNanoCores == 412_839_123)
        #expect(summary.node.cpu?.usageCoreNanoSeconds == 167_483_991_823_451)
        #expect(summary.node.cpu?.time == 1_709_631_901_000)
        #expect(summary.node.memory?.workingSetBytes == 4_294_967_296)
        #expect(summary.node.memory?.availableBytes == 12_884_901_888)
        #expect(summary.node.memory?.rssBytes == 3_221_225_472)
        #expect(summary.node.network?.name == "eth0")
        #expect(summary.node.network?.rxBytes == 98_234_871_234)
        #expect(summary.node.network?.interfaces.map(\.name) == ["eth0", "cni0"])
        #expect(summary.node.network?.interfaces[1].txBytes == 5678)
        #expect(summary.node.fs?.capacityBytes == 104_560_844_800)
        #expect(summary.node.fs?.usedBytes == 58_691_682_304)

        #expect(summary.pods.count == 2)
        let web = summary.pods[0]
        #expect(web.namespace == "default" && web.name == "web-7d9c8b6f5d-x2lkq")
        #expect(web.uid == "4f0c3a0e-8d5b-4a4e-9a52-7f4f2b1e9c11")
        #expect(web.cpu?.usageNanoCores == 1_305_873)
        #expect(web.memory?.workingSetBytes == 4_792_320)
        #expect(web.network?.txBytes == 7_723_411)
        #expect(web.ephemeralStorage?.usedBytes == 73_728)
        #expect(web.containers.map(\.name) == ["web"])
        #expect(web.containers[0].rootfs?.usedBytes == 49_152)
        #expect(web.containers[0].logs?.usedBytes == 20_480)
        #expect(web.containers[0].memory?.rssBytes == 3_084_288)

        let done = summary.pods[1]
        #expect(done.containers.isEmpty)
        #expect(done.cpu?.usageNanoCores == nil)
        #expect(done.memory?.workingSetBytes == 0)
        #expect(done.network == nil)
    }

    @Test func status() {
        let status = KubeDecode.status(bytes(Fixtures.status))
        #expect(status?.code == 403)
        #expect(status?.reason == "Forbidden")
        #expect(status?.message?.hasPrefix("pods is forbidden: User \"system:serviceaccount:default:viewer\"") == true)
        #expect(KubeDecode.status(bytes(Fixtures.nodeMetricsList)) == nil, "a list is not a Status")
        #expect(KubeDecode.status(bytes("not json")) == nil)
        #expect(KubeDecode.status(bytes(#"{"kind":"Status","code":"#)) == nil)
    }

    @Test func aStatusInsteadOfAListSaysWhatTheServerSaid() {
        #expect {
            _ = try KubeDecode.podList(bytes(Fixtures.status))
        } throws: { error in
            let message = (error as? KubeDecodeError)?.message ?? ""
            return message.hasPrefix(
                "the API server answered with an error instead of a PodList: 403 Forbidden pods is forbidden")
        }
        #expect(throws: KubeDecodeError(offset: 0, message: "expected a PodList, but the body is a NodeMetricsList")) {
            _ = try KubeDecode.podList(bytes(Fixtures.nodeMetricsList))
        }
    }

    @Test func apiGroups() throws {
        let groups = try KubeDecode.apiGroups(bytes(Fixtures.apiGroupList))
        #expect(groups == ["apps": "v1", "autoscaling": "v2", "metrics.k8s.io": "v1beta1", "example.com": "v1alpha1"])
    }

    @Test func emptyAndNullLists() throws {
        #expect(
            try KubeDecode.podList(
                bytes(#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[]}"#)
            ).items.isEmpty)
        #expect(try KubeDecode.podList(bytes(#"{"kind":"PodList","metadata":null,"items":null}"#)).items.isEmpty)
        #expect(try KubeDecode.eventList(bytes(#" { } "#)).items.isEmpty)
    }
}
