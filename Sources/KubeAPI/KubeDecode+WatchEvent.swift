/// Watch events of nodes, pods and events, their objects read by the same decoders as the lists' items.
extension KubeDecode {
    public static func nodeEvent(_ line: [UInt8]) throws(KubeDecodeError) -> WatchEvent<NodeObject> {
        try watchEvent(line) { (r) throws(KubeDecodeError) in try node(&r, 0) }
    }

    /// `labels` false: as for `podList`, the labels are skipped.
    public static func podEvent(_ line: [UInt8], labels: Bool = true) throws(KubeDecodeError) -> WatchEvent<PodObject> {
        try watchEvent(line) { (r) throws(KubeDecodeError) in try pod(&r, 0, labels: labels) }
    }

    public static func eventEvent(_ line: [UInt8]) throws(KubeDecodeError) -> WatchEvent<EventObject> {
        try watchEvent(line) { (r) throws(KubeDecodeError) in try event(&r, 0) }
    }

    /// `type` and `object` may come in either order, so the object's bytes are found first and read once the
    /// type says what they hold: an object for ADDED/MODIFIED/DELETED, a `Status` for ERROR, only
    /// `metadata.resourceVersion` for BOOKMARK.
    static func watchEvent<Object>(
        _ line: [UInt8], object decode: (inout JSONReader) throws(KubeDecodeError) -> Object
    ) throws(KubeDecodeError) -> WatchEvent<Object> {
        let (typeText, objectRange) = try read(line) { (r) throws(KubeDecodeError) -> (String?, Range<Int>?) in
            var type: String?
            var range: Range<Int>?
            try r.enterObject()
            while try r.nextKey() {
                if r.keyIs("type") {
                    type = try r.readString()
                } else if r.keyIs("object") {
                    let start = r.position
                    try r.skipValue()
                    range = start..<r.position
                } else {
                    try r.skipValue()
                }
            }
            return (type, range)
        }
        guard let typeText else {
            throw KubeDecodeError(offset: 0, message: "a watch event without a \"type\"")
        }
        guard let kind = WatchEvent<Object>.Kind(rawValue: typeText) else {
            throw KubeDecodeError(offset: 0, message: "a watch event of unknown type \"\(typeText)\"")
        }
        guard let objectRange else {
            throw KubeDecodeError(offset: 0, message: "a \(typeText) watch event without an \"object\"")
        }
        let result = line.withUnsafeBufferPointer { buffer -> Result<WatchEvent<Object>, KubeDecodeError> in
            let bytes = UnsafeBufferPointer(rebasing: buffer[objectRange])
            func object<T>(_ read: (inout JSONReader) throws(KubeDecodeError) -> T) throws(KubeDecodeError) -> T {
                var r = JSONReader(bytes)
                do throws(KubeDecodeError) {
                    return try read(&r)
                } catch {
                    // Offsets count from the line's start, as a reader of the whole line would.
                    var e = error.named
                    e.offset += objectRange.lowerBound
                    throw e
                }
            }
            do throws(KubeDecodeError) {
                switch kind {
                case .error:
                    let found = try object({ (r) throws(KubeDecodeError) in try status(&r, requireKind: false) })
                    guard let found else {
                        throw KubeDecodeError(
                            offset: objectRange.lowerBound, message: "an ERROR watch event whose object is not a Status"
                        )
                    }
                    return .success(WatchEvent(kind: .error, status: found))
                case .bookmark:
                    let version = try object({ (r) throws(KubeDecodeError) in try objectVersion(&r) })
                    return .success(WatchEvent(kind: .bookmark, resourceVersion: version))
                case .added, .modified, .deleted:
                    let version = try object({ (r) throws(KubeDecodeError) in try objectVersion(&r) })
                    let value = try object(decode)
                    return .success(WatchEvent(kind: kind, object: value, resourceVersion: version))
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `metadata.resourceVersion` of an object, the rest skipped.
    static func objectVersion(_ r: inout JSONReader) throws(KubeDecodeError) -> String? {
        var version: String?
        try r.enterObject()
        while try r.nextKey() {
            guard r.keyIs("metadata"), try !r.skipNull() else {
                try r.skipValue()
                continue
            }
            try r.enterObject()
            while try r.nextKey() {
                if r.keyIs("resourceVersion"), try !r.skipNull() {
                    version = try r.readString()
                } else {
                    try r.skipValue()
                }
            }
        }
        return version
    }
}

extension KubeDecode {
    /// The `kind` of a body that is a list (`PodList`, `List`), read without its items when `kind` comes first;
    /// nil for anything else. A server that ignores `watch=1` answers a watch with the list.
    public static func listKind(_ body: [UInt8]) -> String? {
        body.withUnsafeBufferPointer { buffer -> String? in
            var r = JSONReader(buffer)
            do throws(KubeDecodeError) {
                try r.enterObject()
                while try r.nextKey() {
                    guard r.keyIs("kind") else {
                        try r.skipValue()
                        continue
                    }
                    let kind = try r.readString()
                    return kind.hasSuffix("List") ? kind : nil
                }
            } catch {}
            return nil
        }
    }
}
