/// Runs `operation` under a deadline that covers all of it: an HTTP request's own timeout ends at the response
/// head, and a slow body would otherwise hold a poll or a panel without bound. The Kubernetes client and the
/// TSDB connection both read their answers through this.
public func withDeadline<T: Sendable>(
    _ timeout: Duration, orFailWith timeoutError: any Error & Sendable,
    _ operation: @escaping @Sendable () async throws -> T
) async -> Result<T, any Error> {
    await withTaskGroup(of: Result<T, any Error>?.self) { group in
        group.addTask {
            do { return .success(try await operation()) } catch { return .failure(error) }
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return Task.isCancelled ? nil : .failure(timeoutError)
        }
        var first: Result<T, any Error>?
        for await outcome in group {
            if let outcome {
                first = outcome
                break
            }
        }
        group.cancelAll()
        return first ?? .failure(CancellationError())
    }
}
