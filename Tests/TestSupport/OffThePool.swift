import Dispatch

/// Runs CPU-bound test work on a Dispatch thread and awaits it, so that it does not hold one of the
/// cooperative pool's threads (two on a 2-core machine) that every async test shares: a test that
/// computes for seconds on the pool starves the end-to-end tests' waits meanwhile.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result: Result<T, any Error> = await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: Result { try body() }) }
    }
    return try result.get()
}
