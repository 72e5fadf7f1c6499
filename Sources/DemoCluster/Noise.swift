import Foundation

/// Deterministic smooth noise: the same (seed, key, time) always gives the same value,
/// so the demo and the simulator agree, and history can be computed for any past time.
struct Noise: Sendable {
    let seed: UInt64

    /// A hash of a seed, a key and an integer, mixed with splitmix64.
    static func hash(_ seed: UInt64, _ key: UInt64, _ n: Int64) -> UInt64 {
        var z = seed &+ key &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: n) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) for (key, n).
    func uniform(_ key: UInt64, _ n: Int64) -> Double {
        Double(Noise.hash(seed, key, n) >> 11) / Double(1 << 53)
    }

    /// Smooth value noise in [-1, 1] with features about `period` ms apart.
    func smooth(_ key: UInt64, time: Int64, period: Int64) -> Double {
        let cell = Int64(floor(Double(time) / Double(period)))
        let f = Double(time - cell * period) / Double(period)
        let a = uniform(key, cell) * 2 - 1
        let b = uniform(key, cell + 1) * 2 - 1
        let t = f * f * (3 - 2 * f)
        return a + (b - a) * t
    }

    /// 1 during a burst, 0 otherwise: bursts start at random windows and last `length` ms.
    func burst(_ key: UInt64, time: Int64, window: Int64, probability: Double, length: Int64) -> Double {
        let cell = Int64(floor(Double(time) / Double(window)))
        guard uniform(key ^ 0xB0B5, cell) < probability else { return 0 }
        let start = cell * window + Int64(uniform(key ^ 0x5EED, cell) * Double(window - length))
        return (time >= start && time < start + length) ? 1 : 0
    }
}

/// A stable 64-bit key for a name (FNV-1a), independent of Swift's per-process hash seed.
func stableKey(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}
