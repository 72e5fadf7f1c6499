import DemoCluster

/// The pods that exist at one revision: the model's pods minus the deleted ones, with the changed
/// ones replaced, plus the ones churn created. A value that holds only what changed, so a list can
/// keep the revision it started with while the log moves on, for the price of the changes.
struct LivePods: Sendable {
    let catalog: ClusterCatalog
    /// The instant the model pods' unchanged records describe.
    let startedAt: Int64
    /// Current records of model pods that changed and of every created pod, by slot.
    private(set) var changed: [Int: PodRecord] = [:]
    /// Model pods that were deleted.
    private(set) var deleted: Set<Int> = []
    /// Created pods that still exist, in creation order, and their slots by `namespace/name`.
    private(set) var created: [Int] = []
    private(set) var createdByName: [String: Int] = [:]
    /// The slot the next created pod takes (slots are never reused, so a slot names one pod for good).
    private(set) var nextSlot: Int

    init(catalog: ClusterCatalog, startedAt: Int64) {
        self.catalog = catalog
        self.startedAt = startedAt
        nextSlot = catalog.cluster.pods.count
    }

    var modelCount: Int { catalog.cluster.pods.count }
    var count: Int { modelCount - deleted.count + created.count }

    func record(_ slot: Int) -> PodRecord? {
        if let r = changed[slot] { return r }
        guard slot < modelCount, !deleted.contains(slot) else { return nil }
        return catalog.renderer.initialRecord(pod: slot, at: startedAt)
    }

    func slot(named namespacedName: String) -> Int? {
        if let i = catalog.podIndexByName[namespacedName], !deleted.contains(i) { return i }
        return createdByName[namespacedName]
    }

    mutating func update(_ record: PodRecord) { changed[record.slot] = record }

    mutating func insert(_ record: PodRecord) {
        nextSlot = max(nextSlot, record.slot + 1)
        changed[record.slot] = record
        created.append(record.slot)
        createdByName[record.namespacedName] = record.slot
    }

    mutating func remove(_ slot: Int) {
        let record = changed.removeValue(forKey: slot)
        if slot < modelCount {
            deleted.insert(slot)
        } else if let record {
            createdByName[record.namespacedName] = nil
            if let at = created.firstIndex(of: slot) { created.remove(at: at) }
        }
    }

    /// The slots a list or watch considers, in list order, narrowed by namespace or `spec.nodeName=` first.
    func candidates(namespace: String?, fields: FieldSelector) -> [Int] {
        let cluster = catalog.cluster
        var nodeFilter: Int?? = nil
        var slots: [Int]
        if let nodeName = fields.required("spec.nodeName") {
            if nodeName.isEmpty {
                nodeFilter = .some(nil)
                slots = cluster.pods.indices.filter {
                    cluster.pods[$0].nodeIndex == nil && (namespace == nil || cluster.pods[$0].namespace == namespace)
                }
            } else {
                guard let n = catalog.nodeIndexByName[nodeName] else { return [] }
                nodeFilter = .some(n)
                slots = catalog.podsByNode[n].filter { namespace == nil || cluster.pods[$0].namespace == namespace }
            }
        } else if let ns = namespace ?? fields.required("metadata.namespace") {
            slots = catalog.podsByNamespace[ns] ?? []
        } else {
            slots = Array(cluster.pods.indices)
        }
        if !deleted.isEmpty { slots.removeAll { deleted.contains($0) } }
        let ns = namespace ?? fields.required("metadata.namespace")
        for slot in created {
            guard let pod = changed[slot]?.pod else { continue }
            if let ns, pod.namespace != ns { continue }
            if let nodeFilter, pod.nodeIndex != nodeFilter { continue }
            slots.append(slot)
        }
        return slots
    }
}
