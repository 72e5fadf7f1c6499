import AsyncHTTPClient
import Foundation
import NIOCore

extension ScrapeTarget {
    /// Largest exposition read from one target; a kubelet on a busy node serves a few MB.
    public static let maximumBytes = 64 << 20

    /// The client for `--scrape` targets. A short connect timeout, because the connection pool retries a
    /// refused connection until it runs out: a dead exporter should say "connection refused" at once,
    /// not "no answer" after the whole scrape timeout.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(1)
        // A fresh connection per scrape: a target that went away is seen at once, never through a stale kept-alive one.
        configuration.connectionPool = .init(idleTimeout: .milliseconds(200))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A `--scrape URL` target: `instance` is the URL's host:port (the scheme's port when none is
    /// written), as Prometheus' `__address__`.
    public static func url(_ text: String, job: String) throws -> ScrapeTarget {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw ScrapeError("\(text) is not a URL to scrape; give one like http://127.0.0.1:9100/metrics")
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let instance = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let address = url.path.isEmpty ? text + "/metrics" : text
        return ScrapeTarget(labels: ["job": job, "instance": instance], name: address) {
            var request = HTTPClientRequest(url: address)
            request.headers.add(name: "Accept", value: ScrapeBody.accept)
            request.headers.add(name: "User-Agent", value: "kubeglass")
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .seconds(60))
            } catch {
                throw ScrapeError("cannot connect (\(error)); is the exporter running and listening there?")
            }
            guard response.status.code == 200 else {
                throw ScrapeError("HTTP \(response.status.code) \(response.status.reasonPhrase); check the path")
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maximumBytes)
            } catch is NIOTooManyBytesError {
                throw ScrapeError("the response is larger than \(maximumBytes >> 20) MB")
            }
            return ScrapeBody(
                bytes: Array(buffer: body),
                format: ScrapeBody.format(contentType: response.headers.first(name: "Content-Type")))
        }
    }
}
