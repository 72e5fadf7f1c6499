import Collectors
import DemoCluster
import KubeClient
import KubeglassCore
import Testing

struct DemoEventsTests {
    static let start: Timestamp = 1_700_000_000_000
    let source = DemoClusterSource(cluster: ClusterModel(.init(nodes: 12, pods: 300, seed: 1), createdAt: Self.start))

    @Test func theDemoTellsItsStoryInWarnings() {
        let now = Self.start + Milliseconds.hour
        let events = source.events(at: now)
        let crashing = source.cluster.pods.first { $0.crashLoops }!
        let pressured = source.cluster.nodes.first { $0.underMemoryPressure }!
        #expect(events.contains { $0.reason == "BackOff" && $0.objectName == crashing.name && $0.count > 1 })
        #expect(
            events.contains {
                $0.reason == "EvictionThresholdMet" && $0.objectKind == "Node" && $0.objectName == pressured.name
            })
        #expect(events.contains { $0.reason == "Evicted" && $0.objectKind == "Pod" })
        #expect(events.allSatisfy { $0.isWarning && $0.time <= now })
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.time >= $1.time }, "newest first")
    }

    @Test func eventsFollowTheClock() async {
        var pinned = source
        pinned.clock = ManualClock(Self.start + 600_000)
        #expect(await pinned.events() == source.events(at: Self.start + 600_000))
    }
}
