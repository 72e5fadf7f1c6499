/// Bits appended most significant first to 64-bit words, and read back in order.
struct BitWriter {
    /// Bits written into `words` so far (the last word's low bits are zero until written).
    private(set) var bitCount = 0

    /// Writes the low `width` bits of `value` (0…64).
    @inline(__always)
    mutating func write(_ value: UInt64, _ width: Int, into words: inout [UInt64]) {
        guard width > 0 else { return }
        let value = width == 64 ? value : value & ((1 << UInt64(width)) - 1)
        let used = bitCount & 63
        if used == 0 {
            words.append(value << UInt64(64 - width))
        } else {
            let free = 64 - used
            if width <= free {
                words[words.count - 1] |= value << UInt64(free - width)
            } else {
                words[words.count - 1] |= value >> UInt64(width - free)
                words.append(value << UInt64(64 - (width - free)))
            }
        }
        bitCount += width
    }

    /// Skips to the start of the next word, so that what follows can be dropped word by word.
    mutating func alignToWord() { bitCount = (bitCount + 63) & ~63 }

    /// After the first `n` words were removed from the front of the buffer.
    mutating func droppedWords(_ n: Int) { bitCount -= n * 64 }
}

struct BitReader {
    let words: UnsafeBufferPointer<UInt64>
    var position: Int

    init(_ words: UnsafeBufferPointer<UInt64>, word: Int) {
        self.words = words
        position = word * 64
    }

    @inline(__always)
    mutating func read(_ width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        let index = position >> 6
        let used = position & 63
        position += width
        let first = words[index] << UInt64(used)
        if used + width <= 64 { return first >> UInt64(64 - width) }
        let high = first >> UInt64(64 - width)
        return high | words[index + 1] >> UInt64(128 - used - width)
    }

    @inline(__always)
    mutating func bit() -> Bool { read(1) == 1 }

    /// Zeros from here, at most `limit`, all consumed (the one after them is not): a run of samples
    /// that repeat the time step and the value is one zero bit each.
    @inline(__always)
    mutating func zeros(upTo limit: Int) -> Int {
        var n = 0
        while n < limit {
            let index = position >> 6
            guard index < words.count else { break }
            let used = position & 63
            let available = 64 - used
            let z = min((words[index] << UInt64(used)).leadingZeroBitCount, available, limit - n)
            n += z
            position += z
            if z < available { break }
        }
        return n
    }

    /// Ones before the first zero, at most `limit` (the zero is consumed when found).
    @inline(__always)
    mutating func ones(upTo limit: Int) -> Int {
        var n = 0
        while n < limit && bit() { n += 1 }
        return n
    }
}

extension Int64 {
    /// Zigzag: small magnitudes of either sign become small unsigned numbers.
    @inline(__always) var zigzag: UInt64 { UInt64(bitPattern: (self << 1) ^ (self >> 63)) }
}

extension UInt64 {
    @inline(__always) var unzigzag: Int64 { Int64(bitPattern: self >> 1) ^ -Int64(bitPattern: self & 1) }
}
