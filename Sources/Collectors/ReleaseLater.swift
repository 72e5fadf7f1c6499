import Dispatch

/// Drops the last reference to `value` on a background thread. A big cluster's poll ends holding
/// 150,000 decoded pods and millions of label sets; freeing them one by one took a tenth of a second
/// each, which the poll's caller (the screen waiting for new data) need not wait for.
/// The caller must give up its own reference (`releaseLater(consume x)`), or this frees nothing.
func releaseLater<T: Sendable>(_ value: consuming T) {
    let box = ReleaseBox(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

private final class ReleaseBox<T: Sendable>: @unchecked Sendable {
    // Set once here and cleared once on the background queue; nothing else touches it.
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func drop() { value = nil }
}
