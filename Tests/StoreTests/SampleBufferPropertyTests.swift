import KubeglassCore
import TestSupport
import Testing

@testable import Store

/// SampleBuffer against a plain array of samples under random appends, checked on every window.
struct SampleBufferPropertyTests {
    /// What the buffer must behave like: newest `capacity` samples, later times only, same time replaces.
    struct Reference {
        let capacity: Int
        var samples: [Sample] = []
        mutating func append(_ s: Sample) {
            if let last = samples.last, s.time <= last.time {
                if s.time == last.time { samples[samples.count - 1] = s }
                return
            }
            samples.append(s)
            if samples.count > capacity { samples.removeFirst() }
        }
        func window(_ from: Timestamp, _ to: Timestamp) -> [Sample] {
            samples.filter { $0.time >= from && $0.time <= to }
        }
    }

    static let specialValues: [Double] = [
        0, -0.0, 1, 2.5, -7, .nan, -.nan, Sample.staleNaN, Double(bitPattern: 0x7ff8_0000_0000_0001),
        .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
    ]

    static func same(_ a: [Sample], _ b: [Sample]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.time == $1.time && $0.value.bitPattern == $1.value.bitPattern }
    }

    enum Times: CaseIterable { case regular, jittered, irregular, days, huge }

    /// With `divisors`, the new values are ratios by one of them (bytes or nanocores by a request), which
    /// the buffer is given as its chunks' candidate divisors, and smooth integers.
    func run(seed: UInt64, capacity: Int, steps: Int, times: Times, changeRate: Int, divisors: [Double] = []) {
        var rng = SplitMix64(state: seed)
        var buffer = SampleBuffer(capacity: capacity)
        var reference = Reference(capacity: capacity)
        var t: Int64 = [Int64(1_700_000_000_000), 0, Int64.min + 1_000, -5_000, Int64.max - 200_000_000_000_000][
            Int(rng.next() % 5)]
        var value = 1.0
        for step in 0..<steps {
            // Times: mostly forward, sometimes the same again, sometimes back in time.
            let kind = rng.next() % 20
            var time = t
            switch kind {
            case 0: time = t // re-poll
            case 1: time = t &- Int64(rng.next() % 20_000) // out of order
            default:
                switch times {
                case .regular: time = t &+ 5_000
                case .jittered: time = t &+ 5_000 &+ Int64(rng.next() % 7) &- 3
                case .irregular: time = t &+ 1 &+ Int64(rng.next() % 100_000)
                case .days: time = t &+ 1 &+ Int64(rng.next() % 200_000_000) // a long run: time offsets get rebased
                case .huge: time = t &+ 1 &+ Int64(rng.next() % 3_000_000_000) &* Int64(1 + rng.next() % 3)
                }
            }
            if time < t && kind != 1 { time = t } // overflowed past Int64.max: stay put (a re-poll)
            // Values: repeat the last one mostly (runs), else something new or special.
            // Phases: changing at `changeRate`, then constant long enough to settle back into runs.
            let rate = (step / (capacity * 2 + 5)) % 2 == 0 ? changeRate : 0
            if rng.next() % 100 < UInt64(rate) {
                value =
                    rng.next() % 2 == 0
                    ? Self.specialValues[Int(rng.next() % UInt64(Self.specialValues.count))]
                    : Double(Int(rng.next() % 1_000)) / 8
                if !divisors.isEmpty && rng.next() % 4 != 0 {
                    let divisor = divisors[Int(rng.next() % UInt64(divisors.count))]
                    switch rng.next() % 3 {
                    case 0: value = Double(rng.next() % (1 << 50)) / divisor
                    case 1: value = Double(rng.next() % 1_000_000_000_000) / 1e9 / divisor
                    default: value = Double(1_000_000_000 + step * 40_960 + Int(rng.next() % 9))
                    }
                }
            }
            let sample = Sample(time: time, value: value)
            buffer.append(sample, divisors: RecentValues(divisors))
            reference.append(sample)
            if time > t { t = time }

            #expect(buffer.count == reference.samples.count)
            let last = buffer.last
            #expect(
                last?.time == reference.samples.last?.time
                    && last?.value.bitPattern == reference.samples.last?.value.bitPattern)
            if step % 17 == 0 || step == steps - 1 {
                // Every window with ends at, just around, and beyond the kept times.
                var ends: [Timestamp] = [.min, .max]
                for s in reference.samples { ends += [s.time, s.time &- 1, s.time &+ 1] }
                ends = Array(Set(ends)).sorted()
                let stride = max(1, ends.count / 12) // keep big buffers quick: every endpoint, a sample of pairs
                for (i, from) in ends.enumerated() {
                    for (j, to) in ends[i...].enumerated()
                    where (i % stride == 0 && j % stride == 0) || to == .max || from == .min {
                        let got = buffer.samples(from: from, to: to)
                        let want = reference.window(from, to)
                        if !Self.same(got, want) {
                            Issue.record(
                                "seed \(seed) capacity \(capacity) \(times) step \(step): [\(from), \(to)] gave \(got) want \(want)"
                            )
                            return
                        }
                    }
                }
                #expect(buffer.samples(from: 1, to: 0).isEmpty || reference.window(1, 0).isEmpty)
            }
        }
    }

    @Test(arguments: Times.allCases) func matchesAPlainArray(times: Times) {
        var seed: UInt64 = 1
        for capacity in [1, 2, 3, 5, 11, 33, 64, 121] {
            for changeRate in [0, 3, 30, 100] {
                run(seed: seed, capacity: capacity, steps: capacity * 6 + 40, times: times, changeRate: changeRate)
                seed += 1
            }
        }
    }

    @Test(arguments: Times.allCases) func ratiosAndSmoothIntegersMatchAPlainArray(times: Times) {
        var seed: UInt64 = 1_000
        let divisors: [Double] = [0.25, 268_435_456, 3.5, 0, .nan, 1, 1e-300, 7e12]
        for capacity in [2, 3, 11, 64, 121] {
            for changeRate in [3, 30, 100] {
                run(
                    seed: seed, capacity: capacity, steps: capacity * 6 + 40, times: times, changeRate: changeRate,
                    divisors: divisors)
                seed += 1
            }
        }
    }

    /// Runs of repeated samples longer than a word of bits (read a word at a time), in chunks of 240,
    /// cut by windows that start and end inside them.
    @Test func longConstantRunsReadAsWritten() {
        var buffer = SampleBuffer(capacity: 1_000)
        var reference = Reference(capacity: 1_000)
        var rng = SplitMix64(state: 7)
        var t: Int64 = 1_700_000_000_000
        var value = 3.0
        for i in 0..<2_500 {
            // Mostly one step and one value; now and then a new value or an odd step, so runs have all lengths.
            if rng.next() % 150 == 0 { value += 1 }
            t += rng.next() % 200 == 0 ? 1_234 : 1_000
            let s = Sample(time: t, value: value)
            buffer.append(s)
            reference.append(s)
            if i % 250 == 249 {
                let times = reference.samples.map(\.time)
                for _ in 0..<60 {
                    let a = times[Int(rng.next() % UInt64(times.count))] + Int64(rng.next() % 3) - 1
                    let b = times[Int(rng.next() % UInt64(times.count))] + Int64(rng.next() % 3) - 1
                    let (from, to) = (min(a, b), max(a, b))
                    #expect(
                        Self.same(buffer.samples(from: from, to: to), reference.window(from, to)), "[\(from), \(to)]")
                }
                #expect(Self.same(buffer.samples(from: .min, to: .max), reference.samples))
            }
        }
    }

    @Test func copiesAreIndependent() {
        // The ring sits behind a reference: a copy must not see the original's later samples, nor it the copy's.
        var a = SampleBuffer(capacity: 8)
        a.append(Sample(time: 1, value: 1))
        var solo = a
        a.append(Sample(time: 2, value: 2))
        var b = a
        b.append(Sample(time: 3, value: 3))
        a.append(Sample(time: 4, value: 4))
        solo.append(Sample(time: 5, value: 5))
        #expect(a.samples(from: .min, to: .max).map(\.time) == [1, 2, 4])
        #expect(b.samples(from: .min, to: .max).map(\.time) == [1, 2, 3])
        #expect(solo.samples(from: .min, to: .max).map(\.time) == [1, 5])
        #expect(a.count == 3 && b.last?.value == 3 && solo.last?.time == 5)
    }

    @Test func changingThenConstantThenChangingRoundTrips() {
        // Changing, then constant for a while, then changing again, across many wraparounds.
        var buffer = SampleBuffer(capacity: 64)
        var reference = Reference(capacity: 64)
        for i in 0..<2_000 {
            let phase = (i / 300) % 2
            let v = phase == 0 ? Double(i) : (i % 150 == 0 ? Sample.staleNaN : 42)
            let s = Sample(time: Int64(i) * 5_000, value: v)
            buffer.append(s)
            reference.append(s)
            if i % 50 == 0 {
                buffer.append(Sample(time: Int64(i) * 5_000, value: -1))
                reference.append(Sample(time: Int64(i) * 5_000, value: -1))
            }
            #expect(Self.same(buffer.samples(from: .min, to: .max), reference.samples))
        }
    }
}
