import Foundation
import KubeAPI
import KubeglassCore
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

@testable import Collectors

/// `--source cadvisor` against handmade cAdvisor answers (Tests/Fixtures/cadvisor, made after cAdvisor's
/// info/v1 types): names from labels, old labels and Docker aliases, 2^64−1 limits, rates from cumulative
/// counters within one answer and across polls, counter resets, and a cAdvisor that goes down.
@Suite struct CAdvisorSourceTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: RepositoryFiles.fixture("cadvisor/" + name)))
    }

    static func value(_ batch: SampleBatch, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        batch.series.first { s in
            s.labels.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value }
        }?.value
    }

    /// A source whose one node answers the first fixture, then the second.
    static func twoPollSource() throws -> (CAdvisorSource, Shared<Int>) {
        let machine = try fixture("machine.json")
        let answers = [try fixture("subcontainers-first.json"), try fixture("subcontainers-second.json")]
        let poll = Shared(0)
        let source = CAdvisorSource(endpoints: [CAdvisorEndpoint(node: "node-a", url: "http://node-a:4194")]) {
            [poll] _, path in
            path.hasSuffix("machine") ? machine : answers[poll.value]
        }
        return (source, poll)
    }

    @Test func decodesMachineAndContainersWithUnlimitedLimitsAsTheLargestCounter() throws {
        let machine = try KubeDecode.cadvisorMachine(Self.fixture("machine.json"))
        #expect(machine.cores == 4)
        #expect(machine.memoryCapacity == 8_589_934_592)
        #expect(machine.filesystems.map(\.device) == ["/dev/sda1", "tmpfs"])
        #expect(machine.disks == ["8:0": "sda"])
        let containers = try KubeDecode.cadvisorContainers(Self.fixture("subcontainers-first.json"))
        #expect(containers.count == 7)
        #expect(containers[0].name == "/" && containers[0].stats.count == 2)
        #expect(containers[0].memoryLimit == UInt64.max, "2^64−1 written as an integer")
        #expect(containers[5].memoryLimit == UInt64.max, "2^64−1 written as 1.8446744073709552e19")
        #expect(containers[2].memoryLimit == 268_435_456)
        #expect(containers[0].stats[1].cpuTotal == 1_002_000_000_000)
        #expect(containers[0].stats[1].time - containers[0].stats[0].time == 1000)
        #expect(containers[0].stats[1].interfaces.map(\.name) == ["eth0", "veth1a2b3c"])
        #expect(containers[0].stats[1].disks.first?.writeBytes == 502_000_000)
        // cgroup v1 writes its "no limit" as 2^63 rounded down to a page.
        var v1 = CAdvisor.Container(name: "/kubepods/pod1/c1")
        v1.memoryLimit = 9_223_372_036_854_771_712
        #expect(CAdvisorSource.spec("c1", v1).limits["memory"] == nil)
        #expect(CAdvisorSource.spec("nginx", containers[2]).limits["memory"]?.doubleValue == 268_435_456)
        let second = try KubeDecode.cadvisorContainers(Self.fixture("subcontainers-second.json"))
        #expect(second[5].memoryLimit == UInt64.max, "2^64−1 written as 1.8446744073709552e+19")
    }

    @Test func namesPodsFromLabelsTheOldOneLabelFormAndDockerAliases() throws {
        let containers = try KubeDecode.cadvisorContainers(Self.fixture("subcontainers-first.json"))
        let names = containers.map(CAdvisorContainerName.init)
        #expect(names[0] == nil && names[1] == nil && names[6] == nil, "the machine, kubepods, kubelet.service")
        #expect(
            names[2]
                == CAdvisorContainerName(
                    namespace: "shop", pod: "web-0", container: "nginx", uid: "0b2a9c3d-1111-4e5f-8a9b-0c1d2e3f4a5b"))
        #expect(names[3]?.isSandbox == true)
        #expect(names[4]?.namespace == "default" && names[4]?.pod == "Redis-master-6okig")
        #expect(names[4]?.container == "redis", "old kubelets: the container's name from the Docker name")
        #expect(
            names[5]
                == CAdvisorContainerName(
                    namespace: "jobs", pod: "batch-7", container: "worker", uid: "3c3c3c3c-3333-4e5f-8a9b-0c1d2e3f4a5b")
        )
        #expect(CAdvisorContainerName.docker("k8s_POD.e4cc795_batch-7_jobs_uid_0")?.isSandbox == true)
        #expect(CAdvisorContainerName.docker("nginx") == nil)
        #expect(CAdvisorContainerName.docker("k8s_only_two") == nil)
    }

    @Test func firstPollHasNodeRatesFromTwoStatsAndPodsWithTheirSpecs() async throws {
        let (source, _) = try Self.twoPollSource()
        let batch = try await source.poll(at: 1_796_500_010_000)
        let node = ["node": "node-a"]
        #expect(Self.value(batch, SeriesNames.nodeCPUUsage, node) == 2, "2e9 ns of CPU in one second")
        #expect(Self.value(batch, SeriesNames.nodeCPUCapacity, node) == 4)
        #expect(Self.value(batch, SeriesNames.nodeMemoryCapacity, node) == 8_589_934_592)
        #expect(Self.value(batch, SeriesNames.nodeMemoryWorkingSet, node) == 3_221_225_472)
        #expect(Self.value(batch, SeriesNames.nodeMemoryUsage, node) == 4_294_967_296)
        #expect(Self.value(batch, SeriesNames.nodeNetworkReceive, node) == 100_000, "eth0 only, not the veth")
        #expect(Self.value(batch, SeriesNames.nodeNetworkTransmit, node) == 50_000)
        #expect(
            Self.value(batch, SeriesNames.nodeInterfaceReceive, ["node": "node-a", "interface": "veth1a2b3c"])
                == 10_000)
        #expect(Self.value(batch, SeriesNames.nodeFilesystemUsage, node) == 42_035_704_627)
        #expect(Self.value(batch, SeriesNames.nodeFilesystemCapacity, node) == 105_089_261_568)
        #expect(Self.value(batch, SeriesNames.nodeDiskRead, ["node": "node-a", "device": "sda"]) == 1_000_000)
        #expect(Self.value(batch, SeriesNames.nodeDiskWrite, ["node": "node-a", "device": "sda"]) == 2_000_000)
        let nginx = ["namespace": "shop", "pod": "web-0", "container": "nginx", "node": "node-a"]
        #expect(Self.value(batch, SeriesNames.containerMemoryWorkingSet, nginx) == 41_943_040)
        #expect(Self.value(batch, SeriesNames.containerCPURequests, nginx) == 0.25, "256 shares")
        #expect(Self.value(batch, SeriesNames.containerCPULimits, nginx) == 0.5, "quota 50000 of 100000")
        #expect(Self.value(batch, SeriesNames.containerMemoryLimits, nginx) == 268_435_456)
        #expect(Self.value(batch, SeriesNames.containerCPUUsage, nginx) == 0, "one stat: no rate yet")
        #expect(
            !batch.series.contains { $0.labels["container"] == "POD" }, "the sandbox is the pod's network, no container"
        )
        let worker = ["namespace": "jobs", "pod": "batch-7", "container": "worker"]
        #expect(Self.value(batch, SeriesNames.containerCPULimits, worker) == 2)
        #expect(Self.value(batch, SeriesNames.containerMemoryLimits, worker) == nil, "2^64−1 is no limit")
        let redis = ["namespace": "default", "pod": "Redis-master-6okig", "container": "redis"]
        #expect(Self.value(batch, SeriesNames.containerMemoryWorkingSet, redis) == 9_297_920)
        #expect(Self.value(batch, SeriesNames.containerMemoryLimits, redis) == nil)
        #expect(Self.value(batch, SeriesNames.podInfo, ["pod": "Redis-master-6okig", "phase": "Running"]) == 1)
        #expect(Self.value(batch, SeriesNames.nodeInfo, ["node": "node-a", "ready": "true"]) == 1)
        #expect(batch.warnings.isEmpty)
    }

    @Test func secondPollTakesRatesBetweenPollsAndCountsAResetFromZero() async throws {
        let (source, poll) = try Self.twoPollSource()
        _ = try await source.poll(at: 1_796_500_010_000)
        poll.set(1)
        let batch = try await source.poll(at: 1_796_500_020_000)
        let node = ["node": "node-a"]
        #expect(Self.value(batch, SeriesNames.nodeCPUUsage, node) == 2, "20e9 ns over 10 s")
        #expect(Self.value(batch, SeriesNames.nodeNetworkReceive, node) == 100_000)
        #expect(Self.value(batch, SeriesNames.nodeDiskWrite, ["node": "node-a", "device": "sda"]) == 2_000_000)
        let pod = ["namespace": "shop", "pod": "web-0"]
        #expect(
            Self.value(batch, SeriesNames.containerCPUUsage, pod.merging(["container": "nginx"]) { a, _ in a }) == 0.25)
        #expect(Self.value(batch, SeriesNames.podCPUUsage, pod) == 0.25)
        #expect(Self.value(batch, SeriesNames.podNetworkReceive, pod) == 100_000, "the sandbox's interface")
        #expect(Self.value(batch, SeriesNames.podNetworkTransmit, pod) == 20_000)
        #expect(Self.value(batch, SeriesNames.podCPURequestRatio, pod) == 1)
        // Redis restarted: its counter went from 43.1e9 to 1e9 ns, which counts as 1e9 ns since the restart.
        #expect(Self.value(batch, SeriesNames.containerCPUUsage, ["pod": "Redis-master-6okig"]) == 0.1)
        #expect(Self.value(batch, SeriesNames.containerCPUUsage, ["pod": "batch-7"]) == 0.5)
        #expect(batch.series.allSatisfy { $0.value >= 0 && $0.value.isFinite })
    }

    @Test func malformedJSONIsASentenceNamingTheURLAndTheField() async throws {
        let machine = try Self.fixture("machine.json")
        let bad = Array(
            #"[{"name":"/","stats":[{"timestamp":"2026-12-06T20:00:10Z","cpu":{"usage":{"total":"x"}}}]}]"#.utf8)
        let source = CAdvisorSource(endpoints: [CAdvisorEndpoint(node: "n", url: "http://n:4194")]) { _, path in
            path.hasSuffix("machine") ? machine : bad
        }
        let error = await #expect(throws: CAdvisorError.self) { try await source.poll(at: 1_796_500_010_000) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("http://n:4194/api/v1.3/subcontainers/"), "\(text)")
        #expect(text.contains("stats[0].cpu.usage.total"), "\(text)")
    }

    @Test func endpointsAreNamedByHostOrByTheirGivenName() throws {
        #expect(
            try CAdvisorEndpoint("http://10.0.0.5:4194/")
                == CAdvisorEndpoint(node: "10.0.0.5", url: "http://10.0.0.5:4194"))
        #expect(
            try CAdvisorEndpoint("node-05=http://10.0.0.5:8080/api/v1.3")
                == CAdvisorEndpoint(node: "node-05", url: "http://10.0.0.5:8080"))
        #expect(throws: CAdvisorError.self) { try CAdvisorEndpoint("10.0.0.5:4194") }
        #expect(throws: CAdvisorError.self) { try CAdvisorEndpoint.list(["http://h:1", "http://h:2"]) }
    }

    /// Two cAdvisors over HTTP; one goes down: only its node turns Unknown and loses its series.
    @Test func aCAdvisorThatGoesDownLeavesOnlyItsOwnNodeStale() async throws {
        let machine = String(decoding: try Self.fixture("machine.json"), as: UTF8.self)
        let containers = String(decoding: try Self.fixture("subcontainers-first.json"), as: UTF8.self)
        let down = Shared(false)
        // Node b's pods are other pods: its answer is node a's with another namespace.
        func server(canFail: Bool) async throws -> StubServer {
            let answer = canFail ? containers.replacing(#""shop""#, with: #""shop-b""#) : containers
            return try await StubServer { [down] uri in
                if canFail, down.value {
                    return .init(status: .serviceUnavailable, contentType: "text/plain", body: "overloaded")
                }
                return .init(status: .ok, body: uri.hasSuffix("machine") ? machine : answer)
            }
        }
        let a = try await server(canFail: false)
        let b = try await server(canFail: true)
        // node-b fails by answering 503, not by silence: the timeout only has to outlast a busy test run.
        let source = CAdvisorSource(
            endpoints: try CAdvisorEndpoint.list(["node-a=" + a.url, "node-b=" + b.url]), timeout: 60_000)
        let first = try await source.poll(at: 1_796_500_010_000)
        for n in ["node-a", "node-b"] {
            #expect(Self.value(first, SeriesNames.nodeCPUUsage, ["node": n]) == 2)
            #expect(Self.value(first, SeriesNames.containerMemoryWorkingSet, ["node": n, "pod": "web-0"]) != nil)
        }
        down.set(true)
        let second = try await source.poll(at: 1_796_500_020_000)
        #expect(Self.value(second, SeriesNames.nodeCPUUsage, ["node": "node-a"]) != nil, "node-a keeps updating")
        #expect(Self.value(second, SeriesNames.containerMemoryWorkingSet, ["node": "node-a", "pod": "web-0"]) != nil)
        #expect(Self.value(second, SeriesNames.nodeCPUUsage, ["node": "node-b"]) == nil, "node-b's usage is gone")
        #expect(!second.series.contains { $0.labels["node"] == "node-b" && $0.labels["pod"] != nil })
        #expect(
            Self.value(second, SeriesNames.nodeInfo, ["node": "node-b", "status": "Unknown", "ready": "false"]) == 1)
        #expect(Self.value(second, SeriesNames.nodeCPUCapacity, ["node": "node-b"]) == 4, "capacity kept")
        #expect(second.warnings.count == 1)
        let warning = second.warnings.first ?? ""
        #expect(
            warning.contains("node-b") && warning.contains(b.url + "/api/v1.3/") && warning.contains("503"),
            "\(warning)")
        #expect(!warning.contains("node-a"))
        await a.stop()
        await b.stop()
        let refused = try RefusingPort()
        let dead = CAdvisorSource(endpoints: [CAdvisorEndpoint(node: "x", url: "http://127.0.0.1:\(refused.port)")])
        let error = await #expect(throws: CAdvisorError.self) { try await dead.poll(at: 1_796_500_030_000) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("cannot connect"))
    }
}

/// A value tests change while a source's fetch or a server reads it.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func set(_ value: Value) { mutex.withLock { $0 = value } }
}
