import NIOCore

/// One request as the simulated API sees it (method, path, query, Accept), free of NIO types.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var accept: String

    public init(method: String = "GET", uri: String, accept: String = "application/json") {
        self.method = method
        self.accept = accept
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var path = String(parts[0])
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path.removingPercentEncodingOrSelf
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(kv[0]).formDecoded
                query[key] = kv.count > 1 ? String(kv[1]).formDecoded : ""
            }
        }
        self.query = query
    }

    /// kubectl asks for `application/json;as=Table;v=v1;g=meta.k8s.io` when it prints columns.
    var wantsTable: Bool { accept.contains("as=Table") }

    /// `?watch=1` or `?watch=true` turns a list into a watch.
    var isWatch: Bool { ["1", "true", "True"].contains(query["watch"] ?? "") }
}

/// A response: status, content type, and a body that is either bytes or written chunk by chunk.
public struct APIResponse {
    public var status: Int
    public var contentType: String
    public var body: Body

    public enum Body {
        case bytes(ByteBuffer)
        case stream(ChunkSource)
        /// Written as the cluster changes, until the watch ends.
        case watch(WatchStream)
    }

    init(status: Int = 200, contentType: String = "application/json", body: Body) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static func json(_ status: Int = 200, _ write: (inout ByteBuffer) -> Void) -> APIResponse {
        var buffer = ByteBufferAllocator().buffer(capacity: 1024)
        write(&buffer)
        return APIResponse(status: status, body: .bytes(buffer))
    }

    static func text(_ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8")
        -> APIResponse
    {
        APIResponse(status: status, contentType: contentType, body: .bytes(ByteBuffer(string: text)))
    }

    /// A `Status` object, as the API server answers errors.
    static func failure(_ code: Int, reason: String, message: String, details: (kind: String, name: String)? = nil)
        -> APIResponse
    {
        json(code) { out in
            out.writeStaticString(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":")
            out.writeJSON(message)
            out.writeStaticString(",\"reason\":")
            out.writeJSON(reason)
            if let details {
                out.writeStaticString(",\"details\":{\"name\":")
                out.writeJSON(details.name)
                out.writeStaticString(",\"kind\":")
                out.writeJSON(details.kind)
                out.writeStaticString("}")
            }
            out.writeStaticString(",\"code\":")
            out.writeDecimal(code)
            out.writeStaticString("}")
        }
    }

    static func notFound(_ path: String) -> APIResponse {
        failure(404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    static func notFound(kind: String, resource: String, name: String) -> APIResponse {
        failure(404, reason: "NotFound", message: "\(resource) \"\(name)\" not found", details: (resource, name))
    }

    /// The whole body (tests and small responses).
    public func collectBody() -> ByteBuffer {
        switch body {
        case .bytes(let b): return b
        case .stream(let source):
            var out = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            while source.next(into: &out) {}
            return out
        case .watch(let stream):
            // What the watch has to say at its start (its initial events, or an error).
            var out = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            while stream.poll(now: stream.startedAt, into: &out) == .more {}
            return out
        }
    }
}

/// Produces a big body in pieces so a 300 MB pod list never sits in memory whole.
public final class ChunkSource {
    /// Writes roughly one chunk into the buffer; returns false once everything is written.
    private let fill: (inout ByteBuffer) -> Bool
    private var finished = false

    init(_ fill: @escaping (inout ByteBuffer) -> Bool) { self.fill = fill }

    /// Appends the next piece; false when the body is complete (nothing more will be written).
    public func next(into buffer: inout ByteBuffer) -> Bool {
        if finished { return false }
        if !fill(&buffer) { finished = true }
        return !finished
    }

    static let chunkSize = 128 * 1024

    /// `header`, then each item separated by commas, then `footer`.
    static func list(
        header: ByteBuffer, count: Int, footer: StaticString,
        item: @escaping (Int, inout ByteBuffer) -> Void
    ) -> ChunkSource {
        var next = -1
        return ChunkSource { out in
            let limit = out.readableBytes + chunkSize
            if next == -1 {
                var h = header
                out.writeBuffer(&h)
                next = 0
            }
            while next < count && out.readableBytes < limit {
                if next > 0 { out.writeStaticString(",") }
                item(next, &out)
                next += 1
            }
            if next >= count {
                out.writeStaticString(footer)
                return false
            }
            return true
        }
    }
}

extension String {
    var removingPercentEncodingOrSelf: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var it = Array(utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
                let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Query values: `+` is a space, then percent-decoding.
    var formDecoded: String { replacing("+", with: " ").removingPercentEncodingOrSelf }
}
