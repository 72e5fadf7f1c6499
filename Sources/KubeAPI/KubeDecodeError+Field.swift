extension KubeDecodeError {
    /// Names the object and the field in the message: `pod kube-system/etcd-1: containers[0].usage.cpu "12x" is not a
    /// quantity`. `depth` is where the object starts in the document: the path above it is the object's name.
    func about(_ object: String, at depth: Int) -> KubeDecodeError {
        guard let path else { return self }
        let field = Self.text(path.dropFirst(depth))
        var e = self
        e.message = field.isEmpty ? "\(object): \(message)" : "\(object): \(field) \(message)"
        e.path = nil
        return e
    }

    /// A shape error that reached the top without an object to name.
    var named: KubeDecodeError {
        guard let path else { return self }
        let field = Self.text(path[...])
        var e = self
        e.message = field.isEmpty ? "the body \(message)" : "\(field) \(message)"
        e.path = nil
        return e
    }

    /// `spec.containers[0].image`.
    static func text(_ path: ArraySlice<PathSegment>) -> String {
        var out = ""
        for segment in path {
            switch segment {
            case .member(let name): out += out.isEmpty ? name : "." + name
            case .element(let index): out += "[\(index)]"
            }
        }
        return out
    }
}
