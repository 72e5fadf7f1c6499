import KubeglassCore

/// One series' samples: the newest `capacity` of them, refusing out-of-order samples, compressed
/// (`SampleChunks`).
///
/// A series' first sample sits in the buffer itself and the chunks are made when the second
/// arrives: a big cluster's first poll makes millions of series at once, and a store entry's size
/// (times millions) was most of that poll's memory and page faults. The chunks sit behind a
/// reference, copied on write, so that an entry is a few words while the chunks hold the rest.
struct SampleBuffer {
    private var soloTime: Int64 = 0
    private var soloBits: UInt64 = 0
    fileprivate var box: RingBox?
    private let ringCapacity: Int32
    private var hasSolo = false

    /// Mutated only while uniquely referenced (copied on write), so sharing one between threads is safe.
    fileprivate final class RingBox: @unchecked Sendable {
        var ring: SampleChunks
        init(_ ring: SampleChunks) { self.ring = ring }
    }

    init(capacity: Int) {
        precondition(
            capacity > 0 && capacity <= Int(Int32.max), "a sample buffer needs room for 1 to Int32.max samples")
        ringCapacity = Int32(capacity)
    }

    var capacity: Int { Int(ringCapacity) }
    var count: Int { box?.ring.count ?? (hasSolo ? 1 : 0) }

    var last: Sample? {
        if let box { return box.ring.last }
        return hasSolo ? Sample(time: soloTime, value: Double(bitPattern: soloBits)) : nil
    }

    mutating func append(_ sample: Sample) {
        if box == nil {
            guard hasSolo else {
                soloTime = sample.time
                soloBits = sample.value.bitPattern
                hasSolo = true
                return
            }
            if sample.time <= soloTime {
                if sample.time == soloTime { soloBits = sample.value.bitPattern }
                return
            }
            if capacity == 1 {
                soloTime = sample.time
                soloBits = sample.value.bitPattern
                return
            }
            let first = Sample(time: soloTime, value: Double(bitPattern: soloBits))
            hasSolo = false
            box = RingBox(SampleChunks(capacity: capacity, first: first, second: sample))
            return
        } else if !isKnownUniquelyReferenced(&box!) {
            box = RingBox(box!.ring)
        }
        box!.ring.append(sample)
    }

    func samples(from: Timestamp, to: Timestamp) -> [Sample] {
        var out: [Sample] = []
        appendSamples(from: from, to: to, into: &out)
        return out
    }

    /// Appends the samples in `[from, to]` to `out`, so a reader can reuse one array for many series.
    func appendSamples(from: Timestamp, to: Timestamp, into out: inout [Sample]) {
        if let box {
            box.ring.appendSamples(from: from, to: to, into: &out)
        } else if hasSolo && soloTime >= from && soloTime <= to {
            out.append(Sample(time: soloTime, value: Double(bitPattern: soloBits)))
        }
    }
}

extension SampleBuffer {
    /// Bytes of compressed samples behind this buffer (its chunks' words and index).
    var sampleBytes: Int { box?.ring.bytes ?? 0 }
}
