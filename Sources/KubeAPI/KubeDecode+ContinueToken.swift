extension KubeDecode {
    /// A paged list's `metadata`, read without its items: the `continue` token (nil: no further page) and
    /// `remainingItemCount`, the server's estimate of the items after this page (not every server sends it).
    public struct ListMetadata: Sendable, Equatable {
        public var continueToken: String?
        public var remainingItemCount: Int?
        public init(continueToken: String? = nil, remainingItemCount: Int? = nil) {
            self.continueToken = continueToken
            self.remainingItemCount = remainingItemCount
        }
    }

    /// The `continue` token of a list, read without its items when `metadata` comes before `items`
    /// (as the API server writes lists), so the next page can be asked for while this one is decoded.
    /// `.some(nil)`: no further page. `nil`: not known without decoding the whole list.
    public static func continueToken(_ body: [UInt8]) -> String?? {
        listMetadata(body).map(\.continueToken)
    }

    /// `metadata` of a list whose `metadata` comes before `items`; nil when it does not (or cannot be read).
    public static func listMetadata(_ body: [UInt8]) -> ListMetadata? {
        body.withUnsafeBufferPointer { buffer -> ListMetadata? in
            var r = JSONReader(buffer)
            do throws(KubeDecodeError) {
                try r.enterObject()
                while try r.nextKey() {
                    if r.keyIs("items") { return nil }
                    guard r.keyIs("metadata") else {
                        try r.skipValue()
                        continue
                    }
                    if try r.skipNull() { return ListMetadata() }
                    var found = ListMetadata()
                    try r.enterObject()
                    while try r.nextKey() {
                        if r.keyIs("continue"), try !r.skipNull() {
                            let token = try r.readString()
                            found.continueToken = token.isEmpty ? nil : token
                        } else if r.keyIs("remainingItemCount"), try !r.skipNull() {
                            found.remainingItemCount = try r.withNumberBytes { bytes, _ in
                                Int(String(decoding: bytes, as: UTF8.self))
                            }
                        } else {
                            try r.skipValue()
                        }
                    }
                    return found
                }
                return nil
            } catch {
                return nil
            }
        }
    }
}
