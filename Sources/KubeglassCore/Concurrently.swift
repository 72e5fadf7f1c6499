import Dispatch

/// Runs `body(i)` for each `i` in `0..<count`, several at a time (one per core), and returns when all
/// have. The bodies must touch disjoint state: each its own slot of an output, each its own lock. For a
/// query's reads of millions of series, split across the store's shards or a vector's chunks.
public func concurrently(_ count: Int, _ body: (Int) -> Void) {
    // One piece (an unsharded store, a small vector) runs here: the dispatch costs more than it.
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let work = Unshared(body)
        DispatchQueue.concurrentPerform(iterations: count) { work.value($0) }
    }
}

/// The body of `concurrently`: run on several threads, it is the caller's promise that they share nothing.
private struct Unshared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
