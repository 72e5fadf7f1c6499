import Dispatch
import Foundation
import KubeglassCore
import Synchronization
import TestSupport
import Testing

@testable import Store

/// Readers see whole poll rounds: a sharded store writes a round shard by shard, on every core, and a
/// query running meanwhile must not see some series at the new round and others at the old one.
struct RoundConsistencyTests {
    @Test func aReaderNeverSeesHalfARound() async throws {
        let (reads, mixed) = try await offThePool { Self.readWhileWriting() }
        #expect(reads > 0)
        #expect(mixed.isEmpty, "\(mixed.prefix(3))")
    }

    /// Reads while rounds are written: how many reads, and what each mixed read saw.
    static func readWhileWriting() -> (Int, [String]) {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 1000, maxSeries: 1_000_000))
        let series = (0..<20_000).map { Labels(["__name__": "x", "pod": "p\($0)", "namespace": "n\($0 % 7)"]) }
        let rounds = 60
        let done = Atomic<Bool>(false)
        let mixed = Mutex<[String]>([])
        let reads = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 2) { role in
            if role == 0 {
                // Rounds begin once the reader reads (a busy machine may start it late).
                while reads.load(ordering: .relaxed) == 0 { usleep(1000) }
                for k in 1...rounds {
                    store.append(series.map { (labels: $0, value: Double(k)) }, at: Int64(k) * 1000)
                }
                done.store(true, ordering: .releasing)
                return
            }
            while !done.load(ordering: .acquiring) {
                var values = Set<Double>()
                store.scan([.equal("__name__", "x")]) { _, samples in values.insert(samples.last!.value) }
                let selected = Set(store.select([.equal("__name__", "x")]).compactMap { $0.samples.last?.value })
                if values.count > 1 || selected.count > 1 {
                    mixed.withLock { $0.append("\(values.sorted()) \(selected.sorted())") }
                }
                reads.add(1, ordering: .relaxed)
            }
        }
        return (reads.load(ordering: .relaxed), mixed.withLock { $0 })
    }

    /// A poll's round and the staleness markers of the series it no longer reports appear together.
    @Test func aRoundAndItsStalenessMarkersAppearTogether() {
        let store = SeriesStore(.init(retention: Milliseconds.hour, interval: 1000, tiers: []))
        let a = Labels(["__name__": "x", "pod": "a"])
        let b = Labels(["__name__": "x", "pod": "b"])
        let first = store.append([(labels: a, value: 1), (labels: b, value: 1)], at: 1000)
        _ = store.append([(labels: a, value: 2)], at: 2000, publishing: false)
        #expect(store.select([]).map { $0.samples.last!.value } == [1, 1], "nothing of round 2 yet")
        store.appendStaleMarkers([first[1]], at: 2000, publishing: false)
        #expect(store.select([]).map { $0.samples.last!.value } == [1, 1])
        store.publish(2000)
        let now = store.select([]).map { $0.samples.last! }
        #expect(now[0].value == 2 && now[1].isStaleMarker)
    }
}
