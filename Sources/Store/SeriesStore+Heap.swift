import KubeglassCore

extension SeriesStore {
    /// Where the store's heap goes, part by part: each allocation measured with `malloc_usable_size`
    /// (label pair arrays and strings, which may come from literals, by their sizes instead).
    public struct HeapUse: Sendable {
        public var series = 0
        /// The shards' arrays of entries (labels' references, slots' generations, sample buffers) and free slots.
        public var entries = 0
        /// The objects holding each series' chunk and rollup state.
        public var boxes = 0
        /// The compressed samples' words.
        public var sampleWords = 0
        /// The rollups' tiers (their codecs, open and newest buckets), of the series that have rollups.
        public var rollupState = 0
        /// The rollups' words.
        public var rollupWords = 0
        /// Slots by label-set hash.
        public var slotTable = 0
        /// Series by metric name, label indexes, and label order.
        public var indexes = 0
        /// The arrays of label pairs (each shared by the series that share it: a pod's).
        public var labelPairs = 0
        /// The tables that keep one copy of each label string and array of pairs.
        public var labelTable = 0
        /// The label strings longer than 15 UTF-8 bytes (shorter ones are inline), each counted once.
        public var labelStrings = 0

        /// Everything but the samples' words, the rollups' and the label strings: the fixed cost of a series
        /// that has no rollups yet.
        public var fixed: Int { entries + boxes + slotTable + indexes + labelPairs + labelTable }
        public var total: Int { fixed + sampleWords + rollupState + rollupWords + labelStrings }

        /// One line per part, with its bytes a series.
        public var lines: [String] {
            let parts: [(String, Int)] = [
                ("entries", entries), ("sample boxes", boxes), ("sample words", sampleWords),
                ("rollup state", rollupState), ("rollup words", rollupWords),
                ("slot table", slotTable), ("indexes", indexes), ("label pair arrays", labelPairs),
                ("label table", labelTable),
                ("label strings", labelStrings),
            ]
            return parts.map { name, bytes in
                "\(name): \(bytes) B, \(bytes / Swift.max(1, series)) B/series"
            }
        }
    }

    /// Gives the pages freed after a burst of short-lived allocations back to the system (glibc's
    /// `malloc_trim`): a start's saved history and backfill (an hour of the cluster's series decoded at once)
    /// left them between the store's own allocations, where `free` does not return them, and the dashboard
    /// held the demo's hour at 130 MB RSS rather than 55.
    public static func returnFreedPages() { HeapSize.trim() }

    /// The heap the store holds now, by part (see `HeapUse`).
    public var heapUse: HeapUse {
        var use = HeapUse()
        var pairsSeen = Set<UnsafeRawPointer>()
        var stringsSeen = Set<UnsafeRawPointer>()
        func string(_ s: String) -> Int {
            guard s.utf8.count > 15 else { return 0 }
            var s = s
            let base = s.withUTF8 { $0.baseAddress.map(UnsafeRawPointer.init) }
            guard let base, stringsSeen.insert(base).inserted else { return 0 }
            return HeapSize.ofString(utf8Count: s.utf8.count)
        }
        _ = eachShard { s in
            use.entries += HeapSize.of(s.entries) + HeapSize.of(s.free)
            use.slotTable += s.bySlot.heapBytes
            use.indexes += s.byName.heapBytes + s.recent.heapBytes
            use.labelTable += s.labelTable.heapBytes
            for (_, values) in s.byLabel { use.indexes += values.values.reduce(0) { $0 + $1.heapBytes } }
            for (_, labels) in s.byNameLabel {
                for (_, values) in labels { use.indexes += values.values.reduce(0) { $0 + $1.heapBytes } }
            }
            for entry in s.entries {
                guard let samples = entry.samples else { continue }
                use.series += 1
                let heap = samples.heapBytes
                use.boxes += heap.box
                use.sampleWords += heap.words
                use.rollupState += heap.rollupState
                use.rollupWords += heap.rollupWords
                let labels = entry.labels
                use.labelStrings += string(labels.name ?? "")
                if let pairs = labels.pairsIdentity, pairsSeen.insert(pairs).inserted {
                    let rest = labels.unnamedPairs
                    use.labelPairs += (HeapSize.arrayHeader + rest.capacity * MemoryLayout<Label>.stride + 8 + 15) & ~15
                    for pair in rest { use.labelStrings += string(pair.name) + string(pair.value) }
                }
            }
        }
        use.indexes += labelOrder.withLock { order in order.values.reduce(0) { $0 + HeapSize.of($1.slots) } }
        return use
    }
}
