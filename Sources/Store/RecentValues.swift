/// The values a shard appended last, in a ring: a ratio's denominator is written just before it (a pod's
/// request or limit, a node's allocatable), and a chunk that starts with the ratio is coded as quotients by
/// it (see `CodecState.startChunk`). Noting a value writes one slot; it was a shift of the whole array, for
/// every sample stored.
struct RecentValues {
    private var values: [Double]
    /// Where the next value goes: the newest is just before it.
    private var next = 0

    /// `count` zeros (no divisor: a quotient by 0 is never chosen).
    init(count: Int) { values = [Double](repeating: 0, count: count) }

    /// These values, the newest last.
    init(_ newestLast: [Double] = []) { values = newestLast }

    @inline(__always)
    mutating func note(_ value: Double) {
        guard !values.isEmpty else { return }
        values[next] = value
        next = next + 1 == values.count ? 0 : next + 1
    }

    /// The first value, newest first, for which `body` gives a result.
    func firstNewestFirst<T>(_ body: (Double) -> T?) -> T? {
        var i = next
        for _ in 0..<values.count {
            i = i == 0 ? values.count - 1 : i - 1
            if let found = body(values[i]) { return found }
        }
        return nil
    }

    var heapBytes: Int { HeapSize.of(values) }
}
