import Foundation
import NIOCore

/// One page of a list: which objects, and the `continue` token for the next page if any.
struct ListPage {
    var items: [Int]
    var continueToken: String?
    var remaining: Int?
}

/// `limit` and `continue` as the API server handles them: a token names where the next page starts.
struct Paging {
    var limit: Int?
    var start: Int
    /// The revision of the list's first page (from a `continue` token): every page reads that revision.
    var revision: Int64?

    init(_ request: APIRequest) throws(SelectorError) {
        if let l = request.query["limit"], let n = Int(l), n > 0 { limit = n } else { limit = nil }
        start = 0
        if let token = request.query["continue"], !token.isEmpty {
            guard let (start, revision) = Paging.decode(token) else {
                throw SelectorError("continue key is not valid: the token is not one this server gave out")
            }
            self.start = start
            self.revision = revision
        }
    }

    /// The matching candidates from `start`, at most `limit`, and where the next page begins.
    func page(_ candidates: [Int], revision: Int64, matching keep: (Int) -> Bool) -> ListPage {
        var items: [Int] = []
        var position = min(start, candidates.count)
        while position < candidates.count {
            if let limit, items.count == limit { break }
            if keep(candidates[position]) { items.append(candidates[position]) }
            position += 1
        }
        // Like the API server: only hand out a token when another match exists.
        while position < candidates.count && !keep(candidates[position]) { position += 1 }
        guard position < candidates.count else { return ListPage(items: items, continueToken: nil) }
        let remaining = candidates[position...].reduce(0) { $0 + (keep($1) ? 1 : 0) }
        return ListPage(items: items, continueToken: Paging.encode(position, revision: revision), remaining: remaining)
    }

    /// Like the API server's token: a version, the revision the list reads, and where the next page starts.
    static func encode(_ start: Int, revision: Int64) -> String {
        Data("{\"v\":\"meta.k8s.io/v1\",\"rv\":\(revision),\"start\":\(start)}".utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> (start: Int, revision: Int64?)? {
        var t = token
        while t.count % 4 != 0 { t += "=" }
        guard let data = Data(base64Encoded: t),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["v"] as? String == "meta.k8s.io/v1", let start = object["start"] as? Int, start >= 0
        else { return nil }
        return (start, (object["rv"] as? NSNumber)?.int64Value)
    }
}

extension ByteBuffer {
    /// A list's `metadata`: resourceVersion, and `continue` / `remainingItemCount` when paged.
    mutating func writeListMetadata(resourceVersion: Int64, page: ListPage) {
        writeStaticString("\"metadata\":{\"resourceVersion\":\"")
        writeDecimal(resourceVersion)
        writeStaticString("\"")
        if let token = page.continueToken {
            writeStaticString(",\"continue\":\"")
            writeString(token)
            writeStaticString("\"")
            if let remaining = page.remaining {
                writeStaticString(",\"remainingItemCount\":")
                writeDecimal(remaining)
            }
        }
        writeStaticString("}")
    }
}
