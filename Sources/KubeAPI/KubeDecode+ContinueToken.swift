extension KubeDecode {
    /// The `continue` token of a list, read without its items when `metadata` comes before `items`
    /// (as the API server writes lists), so the next page can be asked for while this one is decoded.
    /// `.some(nil)`: no further page. `nil`: not known without decoding the whole list.
    public static func continueToken(_ body: [UInt8]) -> String?? {
        body.withUnsafeBufferPointer { buffer -> String?? in
            var r = JSONReader(buffer)
            do throws(KubeDecodeError) {
                try r.enterObject()
                while try r.nextKey() {
                    if r.keyIs("items") { return nil }
                    guard r.keyIs("metadata") else {
                        try r.skipValue()
                        continue
                    }
                    if try r.skipNull() { return .some(nil) }
                    var token: String?
                    try r.enterObject()
                    while try r.nextKey() {
                        if r.keyIs("continue"), try !r.skipNull() {
                            token = try r.readString()
                        } else {
                            try r.skipValue()
                        }
                    }
                    return .some(token.flatMap { $0.isEmpty ? nil : $0 })
                }
                return nil
            } catch {
                return nil
            }
        }
    }
}
