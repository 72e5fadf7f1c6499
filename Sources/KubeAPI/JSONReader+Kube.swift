import KubeglassCore

/// Readers for the value types Kubernetes objects are built from.
extension JSONReader {
    /// An array of `element`s: nulls are skipped (an error's path names the element's index).
    mutating func readArray<T>(_ element: (inout JSONReader) throws(KubeDecodeError) -> T) throws(KubeDecodeError)
        -> [T]
    {
        var items: [T] = []
        try enterArray()
        while try nextElement() {
            if try skipNull() { continue }
            items.append(try element(&self))
        }
        return items
    }

    /// A `map[string]string` such as labels; nulls are left out.
    mutating func readStringMap() throws(KubeDecodeError) -> [String: String] {
        var map: [String: String] = [:]
        try enterObject()
        while try nextKey() {
            if try skipNull() { continue }
            let key = try keyString()
            map[key] = try readSharedString()
        }
        return map
    }

    /// A `ResourceList` (`requests`, `capacity`, `usage`): resource name → quantity.
    mutating func readResourceList() throws(KubeDecodeError) -> ResourceList {
        var list: ResourceList = [:]
        try enterObject()
        while try nextKey() {
            if try skipNull() { continue }
            let key = try keyString()
            list[key] = try readQuantity()
        }
        return list
    }

    /// A quantity as a string ("100m"), or as a bare number, which Kubernetes also accepts.
    mutating func readQuantity() throws(KubeDecodeError) -> Quantity {
        if try peekValue() != UInt8(ascii: "\"") {
            return try withNumberBytes { (bytes, offset) throws(KubeDecodeError) -> Quantity in
                try Self.quantity(bytes, offset)
            }
        }
        return try withStringBytes { (bytes, offset) throws(KubeDecodeError) -> Quantity in
            try Self.quantity(bytes, offset)
        }
    }

    private static func quantity(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) throws(KubeDecodeError) -> Quantity
    {
        do throws(QuantityError) {
            return try Quantity(bytes: bytes)
        } catch {
            throw KubeDecodeError.shape(
                "\"\(String(decoding: bytes, as: UTF8.self))\" is not a quantity (\(explain(error.reason)))", at: offset
            )
        }
    }

    /// An RFC 3339 time (`metav1.Time`, `MicroTime`) as milliseconds since the epoch.
    mutating func readTime() throws(KubeDecodeError) -> Int64 {
        try withStringBytes { (bytes, offset) throws(KubeDecodeError) -> Int64 in
            guard let millis = KubeTime.millis(rfc3339: bytes) else {
                throw KubeDecodeError.shape(
                    "\"\(String(decoding: bytes, as: UTF8.self))\" is not an RFC 3339 time such as \"2022-01-27T18:48:33Z\"",
                    at: offset)
            }
            return millis
        }
    }

    /// A Go duration ("30s", "1m0s") as milliseconds.
    mutating func readDuration() throws(KubeDecodeError) -> Int64 {
        try withStringBytes { (bytes, offset) throws(KubeDecodeError) -> Int64 in
            guard let millis = KubeTime.millis(duration: bytes) else {
                throw KubeDecodeError.shape(
                    "\"\(String(decoding: bytes, as: UTF8.self))\" is not a duration such as \"30s\"", at: offset)
            }
            return millis
        }
    }
}

extension KubeDecodeError {
    /// A value of the wrong shape; `detail` reads after the field's path ("must be a string, not a number").
    static func shape(_ detail: String, at offset: Int) -> KubeDecodeError {
        var e = KubeDecodeError(offset: offset, message: detail)
        e.path = []
        return e
    }
}

/// The part of a QuantityError that says what is wrong, without repeating the text.
private func explain(_ reason: QuantityError.Reason) -> String {
    switch reason {
    case .format: return "expected a number and a suffix such as 100m, 1.5Gi or 129e6"
    case .numeric: return "no digits"
    case .suffix(let suffix):
        return
            "unknown suffix \"\(suffix)\"; use n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e6"
    case .tooLarge: return "too large"
    case .tooPrecise: return "more than 38 significant digits"
    }
}
