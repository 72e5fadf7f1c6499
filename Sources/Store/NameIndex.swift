/// The series of each metric name. A few hundred names, looked up once for every new series: a
/// `[String: PostingList]` ran SipHash over the name each time (a tenth of a big cluster's first
/// poll). Here a short FNV hash of the name picks a bucket and the few names in it are compared.
struct NameIndex {
    private var names: [String] = []
    private var lists: [PostingList] = []
    private var buckets = [[Int32]](repeating: [], count: NameIndex.bucketCount)
    private static let bucketCount = 1024

    private static func bucket(_ name: String) -> Int {
        var h: UInt32 = 2_166_136_261
        for byte in name.utf8 { h = (h ^ UInt32(byte)) &* 16_777_619 }
        return Int(h % UInt32(bucketCount))
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

    mutating func insert(_ id: UInt32, name: String) {
        if let i = position(name) {
            lists[i].insert(id)
            return
        }
        buckets[NameIndex.bucket(name)].append(Int32(names.count))
        names.append(name)
        var list = PostingList()
        list.insert(id)
        lists.append(list)
    }

    mutating func remove(_ id: UInt32, name: String) {
        if let i = position(name) { lists[i].remove(id) }
    }

    /// The names that have series, in no order.
    var keys: [String] { names.indices.filter { !lists[$0].isEmpty }.map { names[$0] } }
}
