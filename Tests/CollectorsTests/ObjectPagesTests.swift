import KubeAPI
import TestSupport
import Testing

@testable import Collectors

@Suite struct ObjectPagesTests {
    static func pod(_ name: String, restarts: Int = 0) -> PodObject {
        var pod = PodObject(namespace: "ns", name: name)
        pod.containerStatuses = [ContainerStatus(name: "c")]
        pod.containerStatuses[0].restartCount = restarts
        return pod
    }

    static func model(_ pages: ObjectPages<PodObject>) -> [String: Int] {
        var seen: [String: Int] = [:]
        for pod in pages.all { seen[pod.name] = pod.containerStatuses[0].restartCount }
        return seen
    }

    /// Random sets and removes, checked against a dictionary: every object once, no page empty,
    /// and a page taken before the changes (as a poll holds it) unchanged by them.
    @Test(arguments: [1, 2, 3])
    func setsAndRemovesKeepEveryObjectOnceAndLeaveTakenPagesAlone(seed: UInt64) {
        var random = SplitMix64(state: seed)
        var pages = ObjectPages<PodObject>(
            listed: [(0..<5).map { Self.pod("p\($0)") }, [], [Self.pod("p5")]], pageSize: 3)
        var expected = Dictionary(uniqueKeysWithValues: (0..<6).map { ("p\($0)", 0) })
        #expect(Self.model(pages) == expected && pages.pages.count == 2, "empty pages are dropped")
        for step in 0..<400 {
            let taken = pages.pages
            let takenModel = Self.model(pages)
            let name = "p\(Int.random(in: 0..<20, using: &random))"
            if Bool.random(using: &random) {
                pages.set(Self.pod(name, restarts: step))
                expected[name] = step
            } else {
                #expect(pages.remove(ObjectKey(namespace: "ns", name: name)) == (expected[name] != nil))
                expected[name] = nil
            }
            #expect(Self.model(pages) == expected)
            #expect(pages.count == expected.count && Array(pages.all).count == expected.count, "no object twice")
            #expect(pages[ObjectKey(namespace: "ns", name: name)]?.containerStatuses[0].restartCount == expected[name])
            var held: [String: Int] = [:]
            for pod in taken.joined() { held[pod.name] = pod.containerStatuses[0].restartCount }
            #expect(held == takenModel, "what a poll took stays as it was")
        }
        #expect(pages.pages.dropLast().allSatisfy { !$0.isEmpty } && pages.pages.last?.isEmpty != true)
    }

    @Test func aListThatRepeatsAnObjectKeepsItOnce() {
        let pages = ObjectPages<PodObject>(listed: [[Self.pod("a"), Self.pod("b")], [Self.pod("a", restarts: 3)]])
        #expect(pages.count == 2 && Array(pages.all).count == 2)
        #expect(pages[ObjectKey(namespace: "ns", name: "a")]?.containerStatuses[0].restartCount == 3)
    }
}
