/// `kind: Status` error bodies and the `/apis` APIGroupList.
extension KubeDecode {
    /// `requireKind` false: a watch ERROR's object is a Status by its place, whether or not it says `kind`.
    static func status(_ r: inout JSONReader, requireKind: Bool = true) throws(KubeDecodeError) -> KubeStatus? {
        var status = KubeStatus()
        var kind: String?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("kind") {
                kind = try r.readString()
            } else if r.keyIs("code") {
                status.code = Int(try r.readInt())
            } else if r.keyIs("reason") {
                status.reason = try r.readSharedString()
            } else if r.keyIs("message") {
                status.message = try r.readString()
            } else {
                try r.skipValue()
            }
        }
        return kind == "Status" || !requireKind && kind == nil ? status : nil
    }

    static func apiGroups(_ r: inout JSONReader) throws(KubeDecodeError) -> [String: String] {
        var groups: [String: String] = [:]
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            guard r.keyIs("groups") else {
                try r.skipValue()
                continue
            }
            try r.enterArray()
            while try r.nextElement() {
                if try r.skipNull() { continue }
                let (name, version) = try apiGroup(&r)
                if let name, let version { groups[name] = version }
            }
        }
        return groups
    }

    /// A group's name and its preferred version, else its first listed version.
    private static func apiGroup(_ r: inout JSONReader) throws(KubeDecodeError) -> (name: String?, version: String?) {
        var name: String?
        var preferred: String?
        var first: String?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("name") {
                name = try r.readString()
            } else if r.keyIs("preferredVersion") {
                preferred = try groupVersion(&r)
            } else if r.keyIs("versions") {
                try r.enterArray()
                while try r.nextElement() {
                    if try r.skipNull() { continue }
                    let version = try groupVersion(&r)
                    if first == nil { first = version }
                }
            } else {
                try r.skipValue()
            }
        }
        return (name, preferred ?? first)
    }

    private static func groupVersion(_ r: inout JSONReader) throws(KubeDecodeError) -> String? {
        var version: String?
        try r.enterObject()
        while try r.nextKey() {
            if try r.skipNull() { continue }
            if r.keyIs("version") {
                version = try r.readString()
            } else {
                try r.skipValue()
            }
        }
        return version
    }
}
