extension KubeDecodeError {
    /// Prefixes a shape error's path with the field it occurred under; syntax errors pass unchanged.
    func under(_ segment: String) -> KubeDecodeError {
        guard let field else { return self }
        var e = self
        e.field = field.isEmpty ? segment : field.hasPrefix("[") ? segment + field : segment + "." + field
        return e
    }

    /// Names the object and the field in the message: `pod kube-system/etcd-1: containers[0].usage.cpu "12x" is not a quantity`.
    func about(_ object: String) -> KubeDecodeError {
        guard let field else { return self }
        var e = self
        e.message = field.isEmpty ? "\(object): \(message)" : "\(object): \(field) \(message)"
        e.field = nil
        return e
    }

    /// A shape error that reached the top without an object to name.
    var named: KubeDecodeError {
        guard let field else { return self }
        var e = self
        e.message = field.isEmpty ? "the body \(message)" : "\(field) \(message)"
        e.field = nil
        return e
    }
}
