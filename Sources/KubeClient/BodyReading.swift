import AsyncHTTPClient
import NIOCore

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

    static func read(_ response: HTTPClientResponse, upTo limit: Int) async throws -> [UInt8] {
        // A gzip body's Content-Length counts compressed bytes; the chunks here are decompressed.
        let compressed = response.headers.first(name: "Content-Encoding").map { $0.lowercased() != "identity" } ?? false
        let announced = compressed ? nil : response.headers.first(name: "Content-Length").flatMap { Int($0) }
        if let announced, announced > limit { throw TooLarge(received: 0, announced: announced) }
        var body: [UInt8] = []
        body.reserveCapacity(min(announced ?? 64 << 10, limit))
        do {
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= limit else {
                    throw TooLarge(received: body.count + chunk.readableBytes, announced: announced)
                }
                chunk.withUnsafeReadableBytes { body.append(contentsOf: $0) }
            }
        } catch let error as TooLarge {
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
