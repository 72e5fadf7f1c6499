/// The series of each metric name. A few hundred names, looked up once for every new series: a
/// `[String: PostingList]` ran SipHash over the name each time (a tenth of a big cluster's first
/// poll). Here a short hash of a few of the name's bytes picks a bucket and the names in it are compared.
struct NameIndex {
    private var names: [String] = []
    private var lists: [PostingList] = []
    /// Counts the changes to each name's series, so that a reader can tell that a list it sorted is still whole.
    private var versions: [UInt64] = []
    private var buckets = [[Int32]](repeating: [], count: NameIndex.bucketCount)
    private static let bucketCount = 1024

    /// From the length and a few bytes near the end and the middle, where metric names differ
    /// (`…_cpu_usage_cores`, `…_memory_limits_bytes`): hashing every byte was most of the lookup.
    private static func bucket(_ name: String) -> Int {
        var name = name
        return name.withUTF8 { bytes -> Int in
            let n = bytes.count
            guard n > 0 else { return 0 }
            var h = UInt32(truncatingIfNeeded: n) &* 2_654_435_761
            func mix(_ i: Int) { if i >= 0 { h = (h ^ UInt32(bytes[i])) &* 16_777_619 } }
            mix(n - 1)
            mix(n - 3)
            mix(n - 7)
            mix(n / 2)
            mix(n / 3)
            return Int(h % UInt32(bucketCount))
        }
    }

    private func position(_ name: String) -> Int? {
        for i in buckets[NameIndex.bucket(name)] where names[Int(i)] == name { return Int(i) }
        return nil
    }

    /// The series with this name; nil when there are none.
    subscript(name: String) -> PostingList? {
        guard let i = position(name), !lists[i].isEmpty else { return nil }
        return lists[i]
    }

    /// Adds series `id` to `name`'s; returns the stored copy of the name (one for all its series).
    @discardableResult
    mutating func insert(_ id: UInt32, name: String) -> String {
        if let i = position(name) {
            lists[i].insert(id)
            versions[i] &+= 1
            return names[i]
        }
        buckets[NameIndex.bucket(name)].append(Int32(names.count))
        names.append(name)
        var list = PostingList()
        list.insert(id)
        lists.append(list)
        versions.append(1)
        return name
    }

    mutating func remove(_ id: UInt32, name: String) {
        if let i = position(name) {
            lists[i].remove(id)
            versions[i] &+= 1
        }
    }

    /// How many times the series of `name` have changed (0: never had any).
    func version(of name: String) -> UInt64 {
        position(name).map { versions[$0] } ?? 0
    }

    /// Bytes its lists and tables take on the heap (measured).
    var heapBytes: Int {
        HeapSize.of(names) + HeapSize.of(lists) + HeapSize.of(versions) + HeapSize.of(buckets)
            + buckets.reduce(0) { $0 + HeapSize.of($1) } + lists.reduce(0) { $0 + $1.heapBytes }
    }

    /// The names that have series, in no order.
    var keys: [String] { names.indices.filter { !lists[$0].isEmpty }.map { names[$0] } }
}
