import AsyncHTTPClient
import NIOCore
import Synchronization

/// Reads a response body chunk by chunk, counting: a body over the limit stops being read at the limit
/// (it is never held whole), and a body cut short says how many bytes came, and how many were announced.
enum BodyReading {
    /// The body passed `limit` after `received` bytes; `announced` is its Content-Length, when it had one.
    struct TooLarge: Error {
        var received: Int
        var announced: Int?
    }

    /// The body ended early after `received` bytes (of `announced`, when the server said).
    struct Cut: Error {
        var received: Int
        var announced: Int?
        var cause: any Error
    }

    /// The bytes held by the bodies being read at once, shared by one client's requests.
    final class Budget: Sendable {
        let limit: Int
        private let held = Atomic<Int>(0)
        init(limit: Int) { self.limit = limit }

        /// Takes `bytes` if the total stays within the limit; else takes nothing and returns false.
        func take(_ bytes: Int) -> Bool {
            var now = held.load(ordering: .relaxed)
            while true {
                guard now + bytes <= limit else { return false }
                let (exchanged, original) = held.compareExchange(
                    expected: now, desired: now + bytes, ordering: .relaxed)
                if exchanged { return true }
                now = original
            }
        }

        func give(_ bytes: Int) { held.subtract(bytes, ordering: .relaxed) }
        var inUse: Int { held.load(ordering: .relaxed) }
    }

    /// Other bodies being read at the same time hold so much that this one cannot go on (it is worth
    /// asking again once they are done).
    struct OverBudget: Error {
        var received: Int
        var heldByOthers: Int
    }

    static func read(_ response: HTTPClientResponse, upTo limit: Int, budget: Budget? = nil) async throws -> [UInt8] {
        // A gzip body's Content-Length counts compressed bytes; the chunks here are decompressed.
        let compressed = response.headers.first(name: "Content-Encoding").map { $0.lowercased() != "identity" } ?? false
        let announced = compressed ? nil : response.headers.first(name: "Content-Length").flatMap { Int($0) }
        if let announced, announced > limit { throw TooLarge(received: 0, announced: announced) }
        var body: [UInt8] = []
        var taken = 0
        defer { budget?.give(taken) }
        do {
            let reserve = min(announced ?? 64 << 10, limit)
            if let budget {
                guard budget.take(reserve) else { throw OverBudget(received: 0, heldByOthers: budget.inUse) }
                taken = reserve
            }
            body.reserveCapacity(reserve)
            for try await chunk in response.body {
                let size = body.count + chunk.readableBytes
                guard size <= limit else { throw TooLarge(received: size, announced: announced) }
                if let budget, size > taken {
                    // The array grows by doubling: what it will hold is what is taken.
                    let grow = min(limit, max(size, taken * 2)) - taken
                    guard budget.take(grow) else {
                        throw OverBudget(received: body.count, heldByOthers: budget.inUse - taken)
                    }
                    taken += grow
                }
                chunk.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            }
        } catch let error as TooLarge {
            throw error
        } catch let error as OverBudget {
            throw error
        } catch let error as NIOTooManyBytesError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .cancelled
        {
            throw error
        } catch {
            if "\(String(reflecting: type(of: error)))".contains("DecompressionError") { throw error }
            throw Cut(received: body.count, announced: announced, cause: error)
        }
        if let announced, body.count < announced {
            throw Cut(received: body.count, announced: announced, cause: HTTPClientError.remoteConnectionClosed)
        }
        return body
    }
}
