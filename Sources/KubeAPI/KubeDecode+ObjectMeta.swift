/// `metadata` of any object, read by one helper for every kind.
struct ObjectMeta {
    var name = ""
    var namespace = ""
    var uid: String?
    var labels: [String: String] = [:]
    var createdAt: Int64?
    var deletedAt: Int64?
    /// The controller `ownerReference`, or else the first one.
    var ownerKind: String?
    var ownerName: String?
}

extension KubeDecode {
    /// Reads `metadata` into `meta`, field by field, so that an error further in can still name
    /// the object. `labels: false` skips the label map unread (a pod list at 150k pods spends
    /// much of its time there when no one asked for labels).
    static func objectMeta(_ r: inout JSONReader, _ meta: inout ObjectMeta, labels: Bool = true) throws(KubeDecodeError)
    {
        var ownerIsController = false
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                meta.name = try r.readString()
            } else if r.keyIs("namespace") {
                meta.namespace = try r.readSharedString()
            } else if r.keyIs("uid") {
                meta.uid = try r.readString()
            } else if r.keyIs("labels") {
                if labels { meta.labels = try r.readStringMap() } else { try r.skipValue() }
            } else if r.keyIs("creationTimestamp") {
                meta.createdAt = try r.readTime()
            } else if r.keyIs("deletionTimestamp") {
                meta.deletedAt = try r.readTime()
            } else if r.keyIs("ownerReferences") {
                try r.enterArray()
                while try r.nextElement() {
                    if try r.skipNull() { continue }
                    let owner = try ownerReference(&r)
                    // The controller wins; otherwise the first reference stands.
                    if !ownerIsController && (owner.controller || meta.ownerKind == nil && meta.ownerName == nil) {
                        meta.ownerKind = owner.kind
                        meta.ownerName = owner.name
                        ownerIsController = owner.controller
                    }
                }
            } else {
                try r.skipValue()
            }
        }
    }

    private static func ownerReference(_ r: inout JSONReader) throws(KubeDecodeError) -> (
        kind: String?, name: String?, controller: Bool
    ) {
        var owner: (kind: String?, name: String?, controller: Bool) = (nil, nil, false)
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("kind") {
                owner.kind = try r.readSharedString()
            } else if r.keyIs("name") {
                owner.name = try r.readSharedString()
            } else if r.keyIs("controller") {
                owner.controller = try r.readBool()
            } else {
                try r.skipValue()
            }
        }
        return owner
    }
}
