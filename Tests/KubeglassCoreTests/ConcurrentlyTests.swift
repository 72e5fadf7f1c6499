import KubeglassCore
import Synchronization
import Testing

@Suite struct ConcurrentlyTests {
    @Test func everyIndexRunsOnceAndAllHaveRunOnReturn() {
        for count in [0, 1, 2, 7, 64] {
            let runs = Mutex([Int](repeating: 0, count: count))
            concurrently(count) { i in runs.withLock { $0[i] += 1 } }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: count), "\(count)")
        }
    }
}
