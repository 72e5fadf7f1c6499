import Foundation
import KubeAPI
import KubeClient
import KubeglassCore

/// A list's items page by page, and the `resourceVersion` it was read at (a watch starts there).
struct ListedPages<Item: Sendable>: Sendable {
    var pages: [[Item]]
    var resourceVersion: String?
}

/// Reads lists from an API server: paged (`limit` / `continue`), pages decoded as they come, errors in
/// words. Shared by the source's polls and its watched lists.
struct ListReader: Sendable {
    let transport: any KubeTransport
    /// Items per page of a list call (`limit=`): bounds the memory one response takes.
    let pageSize: Int
    /// How a request that failed for a passing reason (a 5xx, a cut or malformed answer) is asked again.
    var retry = RequestRetry()
    /// Told of every request and page, for the status bar while a long first list runs.
    var progress: PollProgress?

    init(
        transport: any KubeTransport, pageSize: Int, progress: PollProgress? = nil, retry: RequestRetry = RequestRetry()
    ) {
        self.transport = transport
        self.pageSize = pageSize
        self.progress = progress
        self.retry = retry
    }

    /// Every item of a list (see `pages`), in one array.
    func list<Item: Sendable>(
        path: String, resource: String,
        decode: @escaping @Sendable ([UInt8], inout [Item]) throws(KubeDecodeError) -> KubeList<Item>,
        paginate: Bool = true
    ) async throws -> [Item] {
        let pages = try await pages(path: path, resource: resource, decode: decode, paginate: paginate).pages
        return pages.count == 1 ? pages[0] : Array(pages.joined())
    }

    /// Every item of a list, page by page, as the pages came: a big list is not copied together. The next
    /// page is asked for as soon as a page's token is read, and pages are decoded as they come, several
    /// at once on every core, so the lists of one poll decode at once too. The `resourceVersion` is the
    /// first page's: every page of a paged list is read at that version.
    func pages<Item: Sendable>(
        path: String, resource: String,
        decode: @escaping @Sendable ([UInt8], inout [Item]) throws(KubeDecodeError) -> KubeList<Item>,
        paginate: Bool = true
    ) async throws -> ListedPages<Item> {
        let isMetricsAPI = path.hasPrefix("/apis/metrics.k8s.io")
        let pageSize = pageSize
        func url(_ continueToken: String?) -> String {
            var query: [String] = []
            if paginate { query.append("limit=\(pageSize)") }
            if let c = continueToken { query.append("continue=\(Self.escapeQuery(c))") }
            let separator = path.contains("?") ? "&" : "?"
            return query.isEmpty ? path : path + separator + query.joined(separator: "&")
        }
        let server = transport.server
        @Sendable func decodePage(_ body: [UInt8]) throws -> (items: [Item], page: KubeList<Item>) {
            var items: [Item] = []
            do {
                let page = try decode(body, &items)
                return (items, page)
            } catch {
                throw APIRequestError(
                    .malformed, "the answer to GET \(path) from \(server) is not valid \(resource) JSON: \(error)")
            }
        }
        let retry = retry
        /// The page's items; an answer that does not decode (cut short, garbled) is asked for again.
        @Sendable func decodeOrRefetch(_ body: [UInt8], _ url: String) async throws -> (
            items: [Item], page: KubeList<Item>
        ) {
            do { return try decodePage(body) } catch let first as APIRequestError {
                return try await retry.run(after: first) {
                    try decodePage(try await self.get(url, resource: resource, isMetricsAPI: isMetricsAPI))
                }
            }
        }
        func decodeTask(_ body: [UInt8], _ url: String) -> Task<(items: [Item], page: KubeList<Item>), any Error> {
            Task { try await decodeOrRefetch(body, url) }
        }
        var pages: [[Item]] = []
        var resourceVersion: String?
        // Pages being decoded, oldest first; a few at most, so that bodies do not pile up in memory.
        var decoding: [Task<(items: [Item], page: KubeList<Item>), any Error>] = []
        let mostDecoding = max(2, ProcessInfo.processInfo.activeProcessorCount)
        // The server's estimate of the items after the newest page read (`remainingItemCount`).
        var remaining: Int?
        func take(_ page: (items: [Item], page: KubeList<Item>)) {
            if pages.isEmpty { resourceVersion = page.page.resourceVersion }
            pages.append(page.items)
            progress?.listed(resource, count: page.items.count, remaining: remaining)
        }
        do {
            var current = url(nil)
            progress?.asking(resource)
            var body = try await getRetrying(current, resource: resource, isMetricsAPI: isMetricsAPI)
            while true {
                let token: String?
                let metadata = paginate ? KubeDecode.listMetadata(body) : nil
                if !paginate {
                    token = nil
                    decoding.append(decodeTask(body, current))
                } else if let metadata {
                    token = metadata.continueToken
                    remaining = metadata.remainingItemCount
                    decoding.append(decodeTask(body, current))
                } else {
                    // The token comes after the items: this page is decoded before the next is asked for.
                    let decoded = try await decodeOrRefetch(body, current)
                    token = decoded.page.continueToken.flatMap { $0.isEmpty ? nil : $0 }
                    decoding.append(Task { decoded })
                }
                body = [] // the decoding task holds the bytes; they go when it is done
                let nextURL = token.map(url)
                let next = nextURL.map { u in
                    Task { try await self.getRetrying(u, resource: resource, isMetricsAPI: isMetricsAPI) }
                }
                do {
                    while decoding.count > mostDecoding { take(try await decoding.removeFirst().value) }
                } catch {
                    next?.cancel()
                    throw error
                }
                guard let next, let nextURL else { break }
                current = nextURL
                body = try await withTaskCancellationHandler {
                    try await next.value
                } onCancel: {
                    next.cancel()
                }
            }
            for d in decoding { take(try await d.value) }
        } catch {
            for d in decoding { d.cancel() }
            throw error
        }
        return ListedPages(pages: pages, resourceVersion: resourceVersion)
    }

    /// `get`, asked again (with jittered back-off) while it fails for a passing reason.
    func getRetrying(_ path: String, resource: String, isMetricsAPI: Bool) async throws -> [UInt8] {
        do { return try await get(path, resource: resource, isMetricsAPI: isMetricsAPI) } catch let first
            as APIRequestError
        {
            return try await retry.run(after: first) {
                try await self.get(path, resource: resource, isMetricsAPI: isMetricsAPI)
            }
        }
    }

    func get(_ path: String, resource: String, isMetricsAPI: Bool) async throws -> [UInt8] {
        let response: KubeResponse
        do { response = try await transport.get(path) } catch {
            var failure = APIRequestError(.transport, error.description + LocalSource.suggestion(for: error))
            failure.transportIsTransient = error.kind == .connection || error.kind == .timeout
            throw failure
        }
        guard (200..<300).contains(response.status) else {
            throw APIRequestError.from(
                response, path: Self.withoutQuery(path), resource: resource, server: transport.server,
                isMetricsAPI: isMetricsAPI)
        }
        return response.body
    }

    static func withoutQuery(_ path: String) -> String {
        path.split(separator: "?").first.map(String.init) ?? path
    }

    static func escapePath(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? s
    }

    static func escapeQuery(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", ".", "~"])) ?? s
    }
}
