import KubeglassCore

/// One copy of each label string and of each array of label pairs a shard's series hold: a pod's name,
/// its namespace and its node are stored once for the pod's twenty series (and a node's name once for
/// its pods), whichever poll or source made them. Each copy counts its holders and goes with the last.
/// (Metric names are stored once by `NameIndex`.)
///
/// Strings of up to 15 UTF-8 bytes are kept inline by Swift and are not interned.
struct LabelTable {
    /// Each interned string (the key is the stored copy) and how many arrays of pairs hold it.
    private var strings: [String: Int] = [:]
    /// Each array of pairs (the key is the stored copy) and how many series hold it.
    private var pairs: [[Label]: Int] = [:]
    /// The last labels given, what they became, and the holders of its pairs not yet counted in `pairs`: the
    /// series of one pod come one after another and share one array of pairs, found here without hashing
    /// it (a big cluster's first poll brings millions of series).
    private var last: (given: Labels, stored: Labels, uncounted: Int)?
    var distinctStrings: Int { strings.count }
    var distinctPairs: Int { pairs.count }

    /// `labels` stored in the table's copies (which now count one more holder), with `name`, its metric
    /// name's stored copy (`NameIndex` keeps one of each).
    mutating func intern(_ labels: Labels, name: String) -> Labels {
        if let last, labels.sharesPairs(with: last.given) {
            self.last!.uncounted += 1
            return labels.sharingStorage(pairs: last.stored.unnamedPairs, name: name)
        }
        settle()
        let rest: [Label]
        if labels.unnamedPairs.isEmpty {
            rest = labels.unnamedPairs
        } else if let i = pairs.index(forKey: labels.unnamedPairs) {
            rest = pairs.keys[i]
            pairs.values[i] += 1
        } else {
            let given = labels.unnamedPairs
            let interned = given.map { Label(string($0.name), string($0.value)) }
            // The given array itself when it holds the stored strings already (a new pod's own): no copy.
            rest =
                zip(given, interned).allSatisfy { sameStorage($0.name, $1.name) && sameStorage($0.value, $1.value) }
                ? given : interned
            pairs[rest] = 1
        }
        let stored = labels.sharingStorage(pairs: rest, name: name)
        last = rest.isEmpty ? nil : (labels, stored, 0)
        return stored
    }

    /// Counts the holders `last` took without hashing.
    private mutating func settle() {
        guard let last, last.uncounted > 0 else { return }
        pairs[last.stored.unnamedPairs, default: 0] += last.uncounted
        self.last!.uncounted = 0
    }

    /// The holder of `labels` (given by `intern`) went.
    mutating func release(_ labels: Labels) {
        settle()
        let rest = labels.unnamedPairs
        guard !rest.isEmpty, let i = pairs.index(forKey: rest) else { return }
        if pairs.values[i] > 1 {
            pairs.values[i] -= 1
            return
        }
        pairs.remove(at: i)
        for pair in rest {
            release(string: pair.name)
            release(string: pair.value)
        }
        if let last, last.stored.sharesPairs(with: labels) { self.last = nil }
    }

    /// Whether two equal strings are one copy (short ones are inline: nothing to share).
    private func sameStorage(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count > 15 else { return true }
        var (a, b) = (a, b)
        return a.withUTF8 { x in b.withUTF8 { y in x.baseAddress == y.baseAddress } }
    }

    private mutating func string(_ s: String) -> String {
        guard s.utf8.count > 15 else { return s }
        if let i = strings.index(forKey: s) {
            strings.values[i] += 1
            return strings.keys[i]
        }
        strings[s] = 1
        return s
    }

    private mutating func release(string s: String) {
        guard s.utf8.count > 15, let i = strings.index(forKey: s) else { return }
        if strings.values[i] > 1 {
            strings.values[i] -= 1
        } else {
            strings.remove(at: i)
        }
    }

    /// Bytes of the two hash tables (by their capacity: a Swift dictionary's buckets and bitmap), besides the
    /// strings and arrays they hold.
    var heapBytes: Int {
        func table<K, V>(_ d: [K: V]) -> Int {
            guard d.capacity > 0 else { return 0 }
            var buckets = 1
            while buckets * 3 < d.capacity * 4 { buckets *= 2 }
            return 64 + buckets * (MemoryLayout<K>.stride + MemoryLayout<V>.stride) + buckets / 8
        }
        return table(strings) + table(pairs)
    }
}
