/// Asks again after a request failed for a passing reason (`APIRequestError.isTransient`): a few times,
/// each after a jittered, doubling wait, and never past `budget` from the first failure, so that one
/// unlucky request of a poll does not cost the whole poll and a poll still ends within its refresh.
struct RequestRetry: Sendable {
    /// Tries after the first.
    var attempts = 3
    var firstDelay: Duration = .milliseconds(100)
    var budget: Duration = .seconds(4)

    /// Runs `operation` again while it fails transiently; `first` is the failure that brought us here.
    /// The error thrown at the end is the last one, with how many tries were made.
    func run<T: Sendable>(after first: APIRequestError, _ operation: () async throws -> T) async throws -> T {
        guard first.isTransient, attempts > 0 else { throw first }
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        var last = first
        var delay = firstDelay
        var tries = 1
        for _ in 0..<attempts {
            // Full jitter between half and one and a half times the delay, so that many failed requests
            // of one poll do not come back at the same instant.
            let wait = delay * Double.random(in: 0.5...1.5)
            guard clock.now + wait < deadline else { break }
            try await Task.sleep(for: wait)
            tries += 1
            do { return try await operation() } catch let error as APIRequestError {
                last = error
                guard error.isTransient else { throw error }
            }
            delay *= 2
        }
        var failure = last
        if tries > 1 { failure.description += " (asked \(tries) times)" }
        throw failure
    }
}
