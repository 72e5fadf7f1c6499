import Dispatch
import Foundation
import KubeAPI
import KubeglassCore
import Synchronization

/// Turns API objects and usage into the series every store-backed source writes (`SeriesNames`),
/// the same ones the demo writes, so that one dashboard shows either. Label sets are built once per
/// pod and node and reused while the object stays the same: at 150,000 pods hashing is the cost.
/// A big cluster's pods are turned into series in chunks on every core.
struct ClusterSeries {
    /// A class: a pod's twenty-odd label sets move as one reference when the cache grows or is merged.
    fileprivate final class PodKeys: Sendable {
        let node: String
        let series: PodSeriesKeys
        /// In the pod's order: a pod has a few containers, a scan beats hashing their names.
        let containers: [(name: String, keys: ContainerSeriesKeys)]

        init(node: String, series: PodSeriesKeys, containers: [(name: String, keys: ContainerSeriesKeys)]) {
            self.node = node
            self.series = series
            self.containers = containers
        }

        func container(_ name: String) -> ContainerSeriesKeys? {
            for c in containers where c.name == name { return c.keys }
            return nil
        }
    }

    /// What a pod's last poll built: its info series (while its status, phase and node stay the same)
    /// and, once it has run or waited to, its other series' label sets. One per pod, so a poll looks a
    /// pod up once and a first poll inserts 150,000 of these, not twice that.
    fileprivate final class PodCache: Sendable {
        let status: String
        let phase: String
        let node: String?
        let info: Labels
        let keys: PodKeys?
        /// The last poll that listed the pod (`ClusterSeries.round`): the pods a poll did not list are
        /// forgotten without hashing the 150,000 that it did.
        let seen: Atomic<UInt32>

        init(status: String, phase: String, node: String?, info: Labels, keys: PodKeys?, round: UInt32) {
            self.status = status
            self.phase = phase
            self.node = node
            self.info = info
            self.keys = keys
            self.seen = Atomic(round)
        }
    }

    private var nodeKeys: [String: NodeSeriesKeys] = [:]
    private var podCache: [String: PodCache] = [:]
    /// Counts the polls (see `PodCache.seen`).
    private var round: UInt32 = 0
    /// Fewer pods than this are done in one piece: splitting costs more than it saves.
    static let podsPerChunk = 4096

    /// Every series for this state of the cluster, the pods given as the pages they were listed in.
    /// `usage` nil: no usage this poll (metrics API absent). When the pods' series would pass `budget`,
    /// the pods come busiest first (by CPU), else in the pages' order.
    mutating func batch(
        at time: Timestamp, nodes: [NodeObject], pods listed: [[PodObject]], usage: ClusterUsage?, budget: Int? = nil
    ) -> SampleBatch {
        var batch = SampleBatch(time: time)
        var pages = listed
        // A node writes 16 series at most.
        if let budget, let usage, Self.mostSeries(listed) + 16 * nodes.count > budget {
            pages = Self.busiestFirst(listed, usage: usage)
        }
        let podCount = pages.reduce(0) { $0 + $1.count }
        batch.series.reserveCapacity(nodes.count * 18 + 1000)
        // Nodes and namespaces first: when a huge cluster fills the store, the cluster-wide panels still work.
        var runningPods: [String: Int] = [:]
        var namespaces: [String: NamespaceTotals] = [:]
        for page in pages {
            page.withUnsafeBufferPointer { pods in
                for i in pods.indices where pods[i].phase == "Running" {
                    if let node = pods[i].nodeName { runningPods[node, default: 0] += 1 }
                }
            }
        }
        var seenNodes = Set<String>()
        for node in nodes {
            seenNodes.insert(node.name)
            addNode(node, usage: usage?.nodes[node.name], runningPods: runningPods[node.name] ?? 0, to: &batch)
        }
        if nodeKeys.count > seenNodes.count { nodeKeys = nodeKeys.filter { seenNodes.contains($0.key) } }

        // The pods' series are written by chunks of pods on every core, each straight into its own region
        // of the batch's array (sized for the most series its pods can have), then the regions are closed
        // up: at millions of series, copying them into one array cost as much as building them.
        let ranges = Self.chunkRanges(pages.map(\.count))
        let bounds = ranges.map { c in
            pages[c.page].withUnsafeBufferPointer { pods in
                c.range.reduce(0) { $0 + PodSeriesBuilder.mostSeries(pods[$1]) }
            }
        }
        var namespaceNames = Set<String>()
        for page in pages {
            page.withUnsafeBufferPointer { pods in for i in pods.indices { namespaceNames.insert(pods[i].namespace) } }
        }
        let namespaceCount = namespaceNames.count
        let head = batch.series
        // Room for the namespaces' series: seven each, and a few statuses each (more go the slow way below).
        let headCapacity = head.count + 10 * namespaceCount + 16
        var chunks: [PodChunk] = []
        var spilled: [(labels: Labels, value: Double)]?
        round &+= 1
        let builder = PodSeriesBuilder(cache: podCache, usage: usage, round: round)
        batch.series = Array(unsafeUninitializedCapacity: max(1, headCapacity + bounds.reduce(0, +))) {
            buffer, initialized in
            let base = buffer.baseAddress!
            chunks = Self.build(pages, ranges: ranges, bounds: bounds, at: base + headCapacity, with: builder)
            for chunk in chunks {
                for (namespace, t) in chunk.totals { namespaces[namespace, default: NamespaceTotals()].add(t) }
            }
            let namespaceSeries = Self.namespaceSeries(namespaces, withUsage: usage != nil)
            let fits = head.count + namespaceSeries.count <= headCapacity
            var end = 0
            if fits {
                for series in head + namespaceSeries {
                    (base + end).initialize(to: series)
                    end += 1
                }
            }
            var offset = headCapacity
            var pods: [(labels: Labels, value: Double)] = []
            for (i, chunk) in chunks.enumerated() {
                if fits {
                    (base + end).moveInitialize(from: base + offset, count: chunk.written)
                    end += chunk.written
                } else {
                    // More namespace series than room before the pods': the pods' series move out instead.
                    pods.append(contentsOf: UnsafeBufferPointer(start: base + offset, count: chunk.written))
                    (base + offset).deinitialize(count: chunk.written)
                }
                offset += bounds[i]
            }
            if !fits { spilled = head + namespaceSeries + pods }
            initialized = end
        }
        if let spilled { batch.series = spilled }
        for chunk in chunks where !chunk.overflow.isEmpty { batch.series += chunk.overflow }

        let newPods = chunks.reduce(0) { $0 + $1.newCache.count }
        if newPods > 0 { podCache.reserveCapacity(podCache.count + newPods) }
        for chunk in chunks {
            for (key, k) in chunk.newCache { podCache[key] = k }
        }
        // Pods gone since the last poll: forget their label sets. Removed one by one: a filtered copy of the
        // cache hashed every pod's key again, each poll of a churning cluster.
        if podCache.count > podCount {
            let round = round
            let gone = podCache.compactMap { $0.value.seen.load(ordering: .relaxed) == round ? nil : $0.key }
            for key in gone { podCache.removeValue(forKey: key) }
        }
        return batch
    }

    fileprivate struct NamespaceTotals: Sendable {
        /// Pending and running pods.
        var pods = 0
        var cpuUsage = 0.0, memoryWorkingSet = 0.0, cpuRequests = 0.0, memoryRequests = 0.0, cpuLimits = 0.0,
            memoryLimits = 0.0
        /// Every pod, by kubectl STATUS.
        var statuses: [String: Int] = [:]

        mutating func add(_ other: NamespaceTotals) {
            pods += other.pods
            cpuUsage += other.cpuUsage
            memoryWorkingSet += other.memoryWorkingSet
            cpuRequests += other.cpuRequests
            memoryRequests += other.memoryRequests
            cpuLimits += other.cpuLimits
            memoryLimits += other.memoryLimits
            statuses.merge(other.statuses, uniquingKeysWith: +)
        }
    }

    /// The namespaces' series, in the namespaces' order (then the statuses'), so that polls write them alike.
    private static func namespaceSeries(_ namespaces: [String: NamespaceTotals], withUsage: Bool) -> [(
        labels: Labels, value: Double
    )] {
        var series: [(labels: Labels, value: Double)] = []
        for (namespace, totals) in namespaces.sorted(by: { $0.key < $1.key }) {
            let n = NamespaceSeriesKeys(namespace: namespace)
            series += [
                (n.pods, Double(totals.pods)), (n.cpuRequests, totals.cpuRequests),
                (n.memoryRequests, totals.memoryRequests),
            ]
            // Like the pods' limits series: none where no pod has a limit.
            if totals.cpuLimits > 0 { series.append((n.cpuLimits, totals.cpuLimits)) }
            if totals.memoryLimits > 0 { series.append((n.memoryLimits, totals.memoryLimits)) }
            if withUsage { series += [(n.cpuUsage, totals.cpuUsage), (n.memoryWorkingSet, totals.memoryWorkingSet)] }
            for (status, count) in totals.statuses.sorted(by: { $0.key < $1.key }) {
                series.append((n.podsByStatus(status), Double(count)))
            }
        }
        return series
    }

    private static func mostSeries(_ pages: [[PodObject]]) -> Int {
        pages.reduce(0) { total, page in
            page.withUnsafeBufferPointer { pods in pods.reduce(total) { $0 + PodSeriesBuilder.mostSeries($1) } }
        }
    }

    /// The pods by CPU usage, highest first (pods without usage last), ties in the pages' order; in pages
    /// of the largest page's size, so that they are still built in chunks.
    static func busiestFirst(_ pages: [[PodObject]], usage: ClusterUsage) -> [[PodObject]] {
        var order: [(cpu: Double, page: Int32, index: Int32)] = []
        order.reserveCapacity(pages.reduce(0) { $0 + $1.count })
        for (p, page) in pages.enumerated() {
            page.withUnsafeBufferPointer { pods in
                for i in pods.indices {
                    let cpu = usage.pods[ClusterUsage.podKey(pods[i].namespace, pods[i].name)]?.cpuCores ?? -1
                    order.append((cpu, Int32(p), Int32(i)))
                }
            }
        }
        order.sort { a, b in a.cpu != b.cpu ? a.cpu > b.cpu : (a.page, a.index) < (b.page, b.index) }
        let size = max(1, pages.map(\.count).max() ?? 1)
        return stride(from: 0, to: order.count, by: size).map { start in
            order[start..<min(order.count, start + size)].map { pages[Int($0.page)][Int($0.index)] }
        }
    }

    /// Consecutive pods of one page per chunk: a few chunks per core, none smaller than `podsPerChunk`
    /// unless its page is; in the pages' order.
    static func chunkRanges(_ pageSizes: [Int]) -> [(page: Int, range: Range<Int>)] {
        let count = pageSizes.reduce(0, +)
        let chunks = max(
            1, min((count + podsPerChunk - 1) / podsPerChunk, ProcessInfo.processInfo.activeProcessorCount * 4))
        let size = max(podsPerChunk, (count + chunks - 1) / chunks)
        return pageSizes.enumerated().flatMap { (page, n) in
            let pieces = max(1, (n + size - 1) / size)
            let step = (n + pieces - 1) / pieces
            return (0..<pieces).map { (page: page, range: min(n, $0 * step)..<min(n, ($0 + 1) * step)) }
        }
    }

    /// Builds every chunk at once, chunk `i` writing from `start + Σ bounds[..<i]`; in the pods' order.
    private static func build(
        _ pages: [[PodObject]], ranges: [(page: Int, range: Range<Int>)], bounds: [Int],
        at start: UnsafeMutablePointer<(labels: Labels, value: Double)>, with builder: PodSeriesBuilder
    ) -> [PodChunk] {
        let offsets = bounds.indices.map { bounds[..<$0].reduce(0, +) }
        let address = Int(bitPattern: start)
        let results = Mutex([PodChunk?](repeating: nil, count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
            var writer = SeriesWriter(
                start: UnsafeMutablePointer(bitPattern: address)! + offsets[i], capacity: bounds[i])
            var chunk = builder.build(pages[ranges[i].page][ranges[i].range], into: &writer)
            chunk.written = writer.count
            chunk.overflow = writer.overflow
            results.withLock { $0[i] = chunk }
        }
        return results.withLock { $0.map { $0! } }
    }

    private mutating func addNode(
        _ node: NodeObject, usage: ClusterUsage.Node?, runningPods: Int, to batch: inout SampleBatch
    ) {
        let k = keys(for: node)
        let allocatableCPU = node.allocatable["cpu"].map(\.doubleValue)
        let allocatableMemory = node.allocatable["memory"].map(\.doubleValue)
        func add(_ labels: Labels, _ value: Double?) { if let value { batch.series.append((labels, value)) } }
        add(k.cpuAllocatable, allocatableCPU)
        add(k.cpuCapacity, node.capacity["cpu"].map(\.doubleValue))
        add(k.memoryAllocatable, allocatableMemory)
        add(k.memoryCapacity, node.capacity["memory"].map(\.doubleValue))
        add(k.podCapacity, node.allocatable["pods"].map(\.doubleValue))
        add(k.pods, Double(runningPods))
        let conditions = KubectlStatus.node(node)
        batch.add(
            SeriesNames.nodeInfo,
            [
                "node": node.name, "status": conditions.joined(separator: ","),
                "ready": conditions.first == "Ready" ? "true" : "false",
                "internal_ip": node.internalIP ?? "",
                "zone": node.labels["topology.kubernetes.io/zone"] ?? "",
                "instance_type": node.labels["node.kubernetes.io/instance-type"] ?? "",
            ], 1)
        guard let usage else { return }
        add(k.cpuUsage, usage.cpuCores)
        add(k.memoryWorkingSet, usage.memoryWorkingSetBytes)
        add(k.memoryUsage, usage.memoryUsageBytes)
        add(k.networkReceive, usage.networkReceiveBytesPerSecond)
        add(k.networkTransmit, usage.networkTransmitBytesPerSecond)
        add(k.filesystemUsage, usage.filesystemUsedBytes)
        add(
            k.filesystemCapacity, usage.filesystemCapacityBytes ?? node.capacity["ephemeral-storage"].map(\.doubleValue)
        )
        if let a = allocatableCPU, a > 0 { add(k.cpuRatio, usage.cpuCores / a) }
        if let a = allocatableMemory, a > 0 { add(k.memoryRatio, usage.memoryWorkingSetBytes / a) }
    }

    private mutating func keys(for node: NodeObject) -> NodeSeriesKeys {
        if let k = nodeKeys[node.name] { return k }
        let k = NodeSeriesKeys(node: node.name)
        nodeKeys[node.name] = k
        return k
    }

}

/// What a chunk of pods became: how many series it wrote (and any past its region), the label sets it
/// had to build, its namespaces' totals.
private struct PodChunk: Sendable {
    var written = 0
    var overflow: [(labels: Labels, value: Double)] = []
    var newCache: [(String, ClusterSeries.PodCache)] = []
    var totals: [String: ClusterSeries.NamespaceTotals] = [:]
}

/// Builds pods' series from the label sets of the last poll (read only, so chunks share them).
private struct PodSeriesBuilder: Sendable {
    let cache: [String: ClusterSeries.PodCache]
    let usage: ClusterUsage?
    let round: UInt32

    /// The most series `addPod` writes for a pod: info, 14 of the pod, 6 per container.
    static func mostSeries(_ pod: PodObject) -> Int { 15 + 6 * pod.containers.count }

    func build(_ pods: ArraySlice<PodObject>, into out: inout SeriesWriter) -> PodChunk {
        var chunk = PodChunk()
        var totals: [String: ClusterSeries.NamespaceTotals] = [:]
        // Through a buffer pointer, the pods are borrowed: `for pod in pods` copied each, a dozen retains.
        pods.withUnsafeBufferPointer { pods in
            for i in pods.indices {
                let key = ClusterUsage.podKey(pods[i].namespace, pods[i].name)
                addPod(
                    pods[i], key: key, usage: usage?.pods[key], to: &chunk, out: &out,
                    totals: &totals[pods[i].namespace, default: ClusterSeries.NamespaceTotals()])
            }
        }
        chunk.totals = totals
        return chunk
    }

    private func addPod(
        _ pod: PodObject, key: String, usage: ClusterUsage.Pod?, to chunk: inout PodChunk, out: inout SeriesWriter,
        totals: inout ClusterSeries.NamespaceTotals
    ) {
        let status = KubectlStatus.pod(pod)
        let phase = pod.phase ?? "Unknown"
        let cached = cache[key]
        cached?.seen.store(round, ordering: .relaxed)
        var info: Labels
        var changed = false
        if let cached, cached.status == status, cached.phase == phase, cached.node == pod.nodeName {
            info = cached.info
        } else {
            info = Labels(
                name: SeriesNames.podInfo,
                sortedPairs: [
                    Label("namespace", pod.namespace), Label("node", pod.nodeName ?? ""),
                    Label("owner_kind", pod.ownerKind ?? ""),
                    Label("owner_name", pod.ownerName ?? ""), Label("phase", phase), Label("pod", pod.name),
                    Label("status", status),
                ])
            changed = true
        }
        out.add(info, 1)
        totals.statuses[status, default: 0] += 1
        // Finished pods hold no resources: like the scheduler, count only pending and running ones.
        guard pod.phase == "Running" || pod.phase == "Pending" else {
            if changed {
                chunk.newCache.append(
                    (
                        key,
                        ClusterSeries.PodCache(
                            status: status, phase: phase, node: pod.nodeName, info: info, keys: cached?.keys,
                            round: round)
                    ))
            }
            return
        }
        let k: ClusterSeries.PodKeys
        if let old = cached?.keys, Self.fits(old, pod) {
            k = old
        } else {
            k = keys(for: pod)
            changed = true
        }
        if changed {
            chunk.newCache.append(
                (
                    key,
                    ClusterSeries.PodCache(
                        status: status, phase: phase, node: pod.nodeName, info: info, keys: k, round: round)
                ))
        }
        totals.pods += 1
        var cpuRequests = 0.0
        var cpuLimits = 0.0
        var memoryRequests = 0.0
        var memoryLimits = 0.0
        var allCPULimited = !pod.containers.isEmpty
        var allMemoryLimited = !pod.containers.isEmpty
        for container in pod.containers {
            guard let ck = k.container(container.name) else { continue }
            if let v = container.requests["cpu"]?.doubleValue {
                cpuRequests += v
                out.add(ck.cpuRequests, v)
            }
            if let v = container.limits["cpu"]?.doubleValue {
                cpuLimits += v
                out.add(ck.cpuLimits, v)
            } else {
                allCPULimited = false
            }
            if let v = container.requests["memory"]?.doubleValue {
                memoryRequests += v
                out.add(ck.memoryRequests, v)
            }
            if let v = container.limits["memory"]?.doubleValue {
                memoryLimits += v
                out.add(ck.memoryLimits, v)
            } else {
                allMemoryLimited = false
            }
        }
        // The pod's effective request: init containers run one at a time, before the others.
        for container in pod.initContainers {
            cpuRequests = max(cpuRequests, container.requests["cpu"]?.doubleValue ?? 0)
            memoryRequests = max(memoryRequests, container.requests["memory"]?.doubleValue ?? 0)
        }
        out.add(k.series.cpuRequests, cpuRequests)
        out.add(k.series.memoryRequests, memoryRequests)
        if cpuLimits > 0 { out.add(k.series.cpuLimits, cpuLimits) }
        if memoryLimits > 0 { out.add(k.series.memoryLimits, memoryLimits) }
        out.add(k.series.restarts, Double(KubectlStatus.restarts(pod)))
        totals.cpuRequests += cpuRequests
        totals.memoryRequests += memoryRequests
        totals.cpuLimits += cpuLimits
        totals.memoryLimits += memoryLimits
        guard let usage else { return }
        for c in usage.containers {
            guard let ck = k.container(c.name) else { continue }
            out.add(ck.cpuUsage, c.cpuCores)
            out.add(ck.memoryWorkingSet, c.memoryWorkingSetBytes)
        }
        let cpu = usage.cpuCores
        let memory = usage.memoryWorkingSetBytes
        totals.cpuUsage += cpu
        totals.memoryWorkingSet += memory
        out.add(k.series.cpuUsage, cpu)
        out.add(k.series.memoryWorkingSet, memory)
        if let v = usage.memoryUsageBytes { out.add(k.series.memoryUsage, v) }
        if let v = usage.networkReceiveBytesPerSecond { out.add(k.series.networkReceive, v) }
        if let v = usage.networkTransmitBytesPerSecond { out.add(k.series.networkTransmit, v) }
        if cpuRequests > 0 { out.add(k.series.cpuRequestRatio, cpu / cpuRequests) }
        if memoryRequests > 0 { out.add(k.series.memoryRequestRatio, memory / memoryRequests) }
        if allCPULimited, cpuLimits > 0 { out.add(k.series.cpuLimitRatio, cpu / cpuLimits) }
        if allMemoryLimited, memoryLimits > 0 { out.add(k.series.memoryLimitRatio, memory / memoryLimits) }
    }

    /// Whether label sets built for a pod still fit it: same node, same containers.
    private static func fits(_ k: ClusterSeries.PodKeys, _ pod: PodObject) -> Bool {
        k.node == (pod.nodeName ?? "") && k.containers.count == pod.containers.count
            && zip(k.containers, pod.containers).allSatisfy { $0.name == $1.name }
    }

    private func keys(for pod: PodObject) -> ClusterSeries.PodKeys {
        let node = pod.nodeName ?? ""
        var containers: [(name: String, keys: ContainerSeriesKeys)] = []
        containers.reserveCapacity(pod.containers.count)
        for c in pod.containers where !containers.contains(where: { $0.name == c.name }) {
            containers.append(
                (c.name, ContainerSeriesKeys(namespace: pod.namespace, pod: pod.name, node: node, container: c.name)))
        }
        return ClusterSeries.PodKeys(
            node: node, series: PodSeriesKeys(namespace: pod.namespace, pod: pod.name, node: node),
            containers: containers)
    }
}

/// Writes series one after another into memory a chunk owns, and past its end into an array.
private struct SeriesWriter {
    let start: UnsafeMutablePointer<(labels: Labels, value: Double)>
    let capacity: Int
    private(set) var count = 0
    private(set) var overflow: [(labels: Labels, value: Double)] = []

    init(start: UnsafeMutablePointer<(labels: Labels, value: Double)>, capacity: Int) {
        self.start = start
        self.capacity = capacity
    }

    mutating func add(_ labels: Labels, _ value: Double) {
        if count < capacity {
            (start + count).initialize(to: (labels, value))
            count += 1
        } else {
            overflow.append((labels, value))
        }
    }
}
