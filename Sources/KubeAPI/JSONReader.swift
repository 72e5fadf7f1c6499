#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A strict, non-recursive JSON pull parser over the bytes of one response body.
///
/// The caller walks the document: `enterObject()` then `nextKey()` until it returns false,
/// reading or `skipValue()`-ing each member's value. Keys are compared as bytes (`keyIs`),
/// and skipped values allocate nothing, so decoding cost is dominated by the fields kept.
/// Every malformed or truncated input throws `KubeDecodeError` with the byte offset.
struct JSONReader: ~Copyable {
    /// Containers may nest this deep; deeper documents are rejected rather than walked.
    static let maximumDepth = 512

    private let base: UnsafePointer<UInt8>
    let count: Int
    /// Offset of the next unread byte.
    private(set) var position = 0
    /// How many containers are open.
    private(set) var depth = 0
    /// Where each open container is: an object's current member (the offset of its key's opening quote), an array's
    /// current element index; -1 before the first. Errors read the path from it, so decoders need not say where they are.
    private let pathMarks: UnsafeMutablePointer<Int>
    /// One bit per open container, set for objects: says which kind a truncation ended inside.
    /// Owned by the reader (it is not copyable), so no copy-on-write checks on every container.
    private let containerKinds: UnsafeMutablePointer<UInt64>
    /// After a value inside a container, the next member or element must be preceded by a comma.
    private var needsComma = false
    /// The current key's bytes: a range of the body, or `escapedKey` when it held escapes.
    private var keyStart = 0
    private var keyCount = 0
    private var keyWasEscaped = false
    private var escapedKey: [UInt8] = []
    /// Recently read strings that repeat across objects (namespaces, images, label keys and values,
    /// owner names), so 150,000 pods share one copy of each instead of allocating their own.
    private let sharedStrings: UnsafeMutablePointer<String>
    private let sharedHashes: UnsafeMutablePointer<UInt64>
    private static let sharedSlots = 4096

    /// `bytes` must stay valid while the reader lives (the caller holds it in `withUnsafeBufferPointer`).
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        // An empty body has no base address; any valid pointer does, since nothing is ever read from it.
        base = bytes.baseAddress ?? UnsafePointer(bitPattern: 0x10)!
        count = bytes.count
        let words = JSONReader.maximumDepth / 64 + 1
        containerKinds = .allocate(capacity: words)
        containerKinds.initialize(repeating: 0, count: words)
        pathMarks = .allocate(capacity: JSONReader.maximumDepth)
        pathMarks.initialize(repeating: -1, count: JSONReader.maximumDepth)
        sharedStrings = .allocate(capacity: JSONReader.sharedSlots)
        sharedStrings.initialize(repeating: "", count: JSONReader.sharedSlots)
        sharedHashes = .allocate(capacity: JSONReader.sharedSlots)
        sharedHashes.initialize(repeating: 0, count: JSONReader.sharedSlots)
    }

    deinit {
        containerKinds.deallocate()
        pathMarks.deallocate()
        sharedStrings.deinitialize(count: JSONReader.sharedSlots)
        sharedStrings.deallocate()
        sharedHashes.deallocate()
    }

    // MARK: - Errors

    func error(_ message: String, at offset: Int? = nil) -> KubeDecodeError {
        KubeDecodeError(offset: offset ?? position, message: message)
    }

    /// The body ended early: says inside what, at its end.
    private func truncated() -> KubeDecodeError {
        if count == 0 { return error("truncated JSON: the body is empty", at: 0) }
        if depth == 0 { return error("truncated JSON: the body ended before a value", at: count) }
        let insideObject = containerKinds[(depth - 1) >> 6] & (1 << UInt64((depth - 1) & 63)) != 0
        return error("truncated JSON: the body ended inside \(insideObject ? "an object" : "an array")", at: count)
    }

    private func describe(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "byte 0x\(String(byte, radix: 16))"
        }
    }

    /// A wrong-typed value: a shape error, which the decoders prefix with the field's path.
    /// A byte that cannot start any value is a syntax error instead.
    private func wrongType(expected: String) -> KubeDecodeError {
        let found = base[position]
        switch found {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"),
            UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return shapeError("must be \(expected), not \(describe(found))")
        default:
            return error("expected a value, found \(describe(found))")
        }
    }

    func shapeError(_ detail: String) -> KubeDecodeError {
        located(KubeDecodeError.shape(detail, at: position))
    }

    /// A shape error made where the reader could not be seen (a quantity's parser) gets the reader's path.
    func located(_ error: KubeDecodeError) -> KubeDecodeError {
        guard error.path?.isEmpty == true else { return error }
        var e = error
        e.path = path()
        return e
    }

    /// The members and elements from the document's root to the value being read.
    func path() -> [KubeDecodeError.PathSegment] {
        var segments: [KubeDecodeError.PathSegment] = []
        for d in 0..<depth where pathMarks[d] >= 0 {
            let isObject = containerKinds[d >> 6] & (1 << UInt64(d & 63)) != 0
            segments.append(isObject ? .member(keyText(at: pathMarks[d])) : .element(pathMarks[d]))
        }
        return segments
    }

    /// The member name whose opening quote is at `offset`, for an error message (escapes kept as written).
    private func keyText(at offset: Int) -> String {
        var end = offset + 1
        while end < count, base[end] != UInt8(ascii: "\"") { end += base[end] == UInt8(ascii: "\\") ? 2 : 1 }
        return String(
            decoding: UnsafeBufferPointer(start: base + offset + 1, count: min(end, count) - offset - 1), as: UTF8.self)
    }

    // MARK: - Bytes

    @inline(__always) private func byte(_ offset: Int) -> UInt8 {
        offset < count ? base[offset] : 0
    }

    /// Skips whitespace and returns the next byte without consuming it; throws at the end of the body.
    @inline(__always) private mutating func peek() throws(KubeDecodeError) -> UInt8 {
        while position < count {
            let b = base[position]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                position += 1
            } else {
                return b
            }
        }
        throw truncated()
    }

    /// After the top-level value only whitespace may follow.
    mutating func finish() throws(KubeDecodeError) {
        while position < count {
            let b = base[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else {
                throw error("unexpected \(describe(b)) after the end of the JSON document")
            }
            position += 1
        }
    }

    // MARK: - Containers

    private mutating func push(object: Bool) throws(KubeDecodeError) {
        guard depth < JSONReader.maximumDepth else {
            throw error("JSON nested deeper than \(JSONReader.maximumDepth) levels")
        }
        let word = depth >> 6
        let bit: UInt64 = 1 << UInt64(depth & 63)
        if object { containerKinds[word] |= bit } else { containerKinds[word] &= ~bit }
        pathMarks[depth] = -1
        depth += 1
        position += 1
        needsComma = false
    }

    private mutating func pop() {
        depth -= 1
        position += 1
        needsComma = true
    }

    private var topIsObject: Bool {
        containerKinds[(depth - 1) >> 6] & (1 << UInt64((depth - 1) & 63)) != 0
    }

    /// Consumes `{`; a value of another type is a shape error.
    mutating func enterObject() throws(KubeDecodeError) {
        guard try peek() == UInt8(ascii: "{") else { throw wrongType(expected: "an object") }
        try push(object: true)
    }

    /// Consumes `[`; a value of another type is a shape error.
    mutating func enterArray() throws(KubeDecodeError) {
        guard try peek() == UInt8(ascii: "[") else { throw wrongType(expected: "an array") }
        try push(object: false)
    }

    /// Moves to the next member of the current object and reads its key; false after `}`.
    mutating func nextKey() throws(KubeDecodeError) -> Bool {
        var b = try peek()
        if b == UInt8(ascii: "}") {
            pop()
            return false
        }
        if needsComma {
            guard b == UInt8(ascii: ",") else {
                throw error("expected ',' or '}' after a member, found \(describe(b))")
            }
            position += 1
            b = try peek()
        }
        guard b == UInt8(ascii: "\"") else { throw error("expected a member name in quotes, found \(describe(b))") }
        pathMarks[depth - 1] = position
        try readKey()
        guard try peek() == UInt8(ascii: ":") else {
            throw error("expected ':' after a member name, found \(describe(base[position]))")
        }
        position += 1
        needsComma = true
        _ = try peek()
        return true
    }

    /// Moves to the next element of the current array; false after `]`.
    mutating func nextElement() throws(KubeDecodeError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: "]") {
            pop()
            return false
        }
        if needsComma {
            guard b == UInt8(ascii: ",") else {
                throw error("expected ',' or ']' after an element, found \(describe(b))")
            }
            position += 1
            guard try peek() != UInt8(ascii: "]") else { throw error("expected a value after ',', found ']'") }
        }
        needsComma = true
        pathMarks[depth - 1] += 1
        return true
    }

    // MARK: - Scanning strings

    /// From `offset`, the offset of the first byte that ends a plain run of string content
    /// (a quote, a backslash or a control character, or `count`), and the OR of the bytes before it.
    /// Eight bytes at a time: most of a Kubernetes body is string content.
    @inline(__always) private func plainRun(from offset: Int) -> (end: Int, allBits: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var i = offset
        var allBits: UInt64 = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let quote = v ^ (ones &* 0x22)
            let backslash = v ^ (ones &* 0x5C)
            let special =
                ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (v &- ones &* 0x20) & ~v) & highBits
            if special != 0 { break }
            allBits |= v
            i += 8
        }
        while i < count {
            let b = base[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            allBits |= UInt64(b)
            i += 1
        }
        return (i, allBits)
    }

    // MARK: - Keys

    private mutating func readKey() throws(KubeDecodeError) {
        let start = position + 1
        let (end, _) = plainRun(from: start)
        if end < count && base[end] == UInt8(ascii: "\"") {
            keyStart = start
            keyCount = end - start
            keyWasEscaped = false
            position = end + 1
            return
        }
        position = start - 1
        escapedKey = try readStringBytes()
        keyWasEscaped = true
    }

    /// The current key equals `name` (ASCII), compared byte by byte.
    @inline(__always) func keyIs(_ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        if keyWasEscaped {
            return escapedKey.count == n
                && escapedKey.withUnsafeBufferPointer { key in
                    (0..<n).allSatisfy { key[$0] == name.utf8Start[$0] }
                }
        }
        guard keyCount == n else { return false }
        let key = base + keyStart
        let literal = name.utf8Start
        var i = 0
        while i < n {
            if key[i] != literal[i] { return false }
            i += 1
        }
        return true
    }

    /// The current key as a String, for maps such as labels.
    func keyString() throws(KubeDecodeError) -> String {
        if keyWasEscaped {
            guard let string = String(validating: escapedKey, as: UTF8.self) else {
                throw error("a member name is not valid UTF-8")
            }
            return string
        }
        let key = UnsafeBufferPointer(start: base + keyStart, count: keyCount)
        var allBits: UInt8 = 0
        for b in key { allBits |= b }
        return allBits < 0x80 ? shared(key) : try makeString(key, at: keyStart)
    }

    /// An ASCII string, shared with an earlier equal one when it is too long to be stored inline.
    @inline(__always) private func shared(_ content: UnsafeBufferPointer<UInt8>) -> String {
        // Up to 15 UTF-8 bytes a String holds its contents inline, without allocating.
        guard content.count > 15 else { return String(decoding: content, as: UTF8.self) }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in content { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let slot = Int(truncatingIfNeeded: hash) & (JSONReader.sharedSlots - 1)
        if sharedHashes[slot] == hash {
            var candidate = sharedStrings[slot]
            let equal = candidate.withUTF8 { stored in
                stored.count == content.count && memcmp(stored.baseAddress!, content.baseAddress!, content.count) == 0
            }
            if equal { return candidate }
        }
        let string = String(decoding: content, as: UTF8.self)
        sharedHashes[slot] = hash
        sharedStrings[slot] = string
        return string
    }

    /// Like `readString`, for values that repeat across objects (see `shared`).
    mutating func readSharedString() throws(KubeDecodeError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw wrongType(expected: "a string") }
        let contentStart = position + 1
        let (end, allBits) = plainRun(from: contentStart)
        guard end < count && base[end] == UInt8(ascii: "\""), allBits & 0x8080_8080_8080_8080 == 0 else {
            return try readString()
        }
        position = end + 1
        return shared(UnsafeBufferPointer(start: base + contentStart, count: end - contentStart))
    }

    // MARK: - Values

    /// Consumes `null` and returns true, or returns false for any other value.
    mutating func skipNull() throws(KubeDecodeError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The next value's first byte, without consuming anything.
    mutating func peekValue() throws(KubeDecodeError) -> UInt8 { try peek() }

    private mutating func literal(_ word: StaticString) throws(KubeDecodeError) {
        let n = word.utf8CodeUnitCount
        for i in 0..<n {
            let b = byte(position + i)
            if position + i >= count {
                position += i
                throw truncated()
            }
            guard b == word.utf8Start[i] else { throw error("invalid literal: expected '\(word)'", at: position + i) }
        }
        position += n
    }

    mutating func readBool() throws(KubeDecodeError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw wrongType(expected: "true or false")
        }
    }

    mutating func readString() throws(KubeDecodeError) -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw wrongType(expected: "a string") }
        let start = position
        let contentStart = position + 1
        let (end, allBits) = plainRun(from: contentStart)
        if end < count && base[end] == UInt8(ascii: "\"") {
            position = end + 1
            let content = UnsafeBufferPointer(start: base + contentStart, count: end - contentStart)
            // ASCII needs no validation; anything else must be well-formed UTF-8.
            return allBits & 0x8080_8080_8080_8080 == 0
                ? String(decoding: content, as: UTF8.self) : try makeString(content, at: contentStart)
        }
        let bytes = try readStringBytes()
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw error("a string is not valid UTF-8", at: start)
        }
        return string
    }

    /// Calls `body` with the raw bytes of the next string value (no escapes may occur in it,
    /// or they are decoded first), for parsing quantities and timestamps without a String.
    @inline(__always)
    mutating func withStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(KubeDecodeError) -> T)
        throws(KubeDecodeError) -> T
    {
        guard try peek() == UInt8(ascii: "\"") else { throw wrongType(expected: "a string") }
        let start = position
        let contentStart = position + 1
        let (end, _) = plainRun(from: contentStart)
        if end < count && base[end] == UInt8(ascii: "\"") {
            position = end + 1
            do throws(KubeDecodeError) {
                return try body(UnsafeBufferPointer(start: base + contentStart, count: end - contentStart), start)
            } catch { throw located(error) }
        }
        let decoded = try readStringBytes()
        do throws(KubeDecodeError) {
            return try decoded.withUnsafeBufferPointer { (buffer) throws(KubeDecodeError) -> T in
                try body(buffer, start)
            }
        } catch { throw located(error) }
    }

    /// Calls `body` with the bytes of the next number value, checked against the JSON grammar.
    @inline(__always)
    mutating func withNumberBytes<T>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(KubeDecodeError) -> T)
        throws(KubeDecodeError) -> T
    {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw wrongType(expected: "a string or a number")
        }
        let start = position
        position = try scanNumber().end
        do throws(KubeDecodeError) {
            return try body(UnsafeBufferPointer(start: base + start, count: position - start), start)
        } catch { throw located(error) }
    }

    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) throws(KubeDecodeError) -> String {
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw error("a string is not valid UTF-8", at: offset)
        }
        return string
    }

    /// Reads the string at `position` (on its opening quote) with every escape decoded.
    private mutating func readStringBytes() throws(KubeDecodeError) -> [UInt8] {
        position += 1
        var out: [UInt8] = []
        while true {
            guard position < count else { throw error("truncated JSON: the body ended inside a string") }
            let b = base[position]
            switch b {
            case UInt8(ascii: "\""):
                position += 1
                return out
            case UInt8(ascii: "\\"):
                try readEscape(into: &out)
            case 0..<0x20:
                throw error("a control character (0x\(String(b, radix: 16))) inside a string must be escaped")
            default:
                out.append(b)
                position += 1
            }
        }
    }

    private mutating func readEscape(into out: inout [UInt8]) throws(KubeDecodeError) {
        let escapeStart = position
        position += 1
        guard position < count else { throw error("truncated JSON: the body ended inside a string") }
        let e = base[position]
        position += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard byte(position) == UInt8(ascii: "\\"), byte(position + 1) == UInt8(ascii: "u") else {
                    if position >= count || position + 1 >= count {
                        throw error("truncated JSON: the body ended inside a string")
                    }
                    throw error(
                        "invalid \\u escape: a high surrogate is not followed by a low surrogate", at: escapeStart)
                }
                position += 2
                let low = try readHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        "invalid \\u escape: a high surrogate is not followed by a low surrogate", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("invalid \\u escape: a low surrogate without a high surrogate", at: escapeStart)
            }
            out.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            throw error("invalid escape '\\\(describe(e))' in a string", at: escapeStart)
        }
    }

    private mutating func readHex4() throws(KubeDecodeError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < count else { throw error("truncated JSON: the body ended inside a string") }
            let b = base[position]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape: expected 4 hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    // MARK: - Numbers

    /// Checks the JSON number grammar at `position` and returns where it ends and whether it is an integer.
    private func scanNumber() throws(KubeDecodeError) -> (end: Int, isInteger: Bool) {
        var i = position
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func need(_ i: Int) throws(KubeDecodeError) -> UInt8 {
            guard i < count else { throw error("truncated JSON: the body ended inside a number", at: i) }
            return base[i]
        }
        var isInteger = true
        if base[i] == UInt8(ascii: "-") { i += 1 }
        let first = try need(i)
        guard isDigit(first) else { throw error("invalid number: expected a digit, found \(describe(first))", at: i) }
        i += 1
        if first != UInt8(ascii: "0") { while isDigit(byte(i)) && i < count { i += 1 } }
        if byte(i) == UInt8(ascii: ".") && i < count {
            isInteger = false
            i += 1
            guard isDigit(try need(i)) else { throw error("invalid number: expected a digit after '.'", at: i) }
            while isDigit(byte(i)) && i < count { i += 1 }
        }
        if (byte(i) == UInt8(ascii: "e") || byte(i) == UInt8(ascii: "E")) && i < count {
            isInteger = false
            i += 1
            if try need(i) == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(try need(i)) else { throw error("invalid number: expected a digit in the exponent", at: i) }
            while isDigit(byte(i)) && i < count { i += 1 }
        }
        // A number at the very end of a body that should continue is a truncation, not a number.
        if i >= count && depth > 0 { throw truncated() }
        return (i, isInteger)
    }

    private func numberText(_ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + position, count: min(end - position, 40)), as: UTF8.self)
    }

    /// A JSON integer that fits in Int64; fractions, exponents and overflow are shape errors.
    mutating func readInt() throws(KubeDecodeError) -> Int64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw wrongType(expected: "an integer")
        }
        let (end, isInteger) = try scanNumber()
        guard isInteger else { throw shapeError("must be an integer, not \(numberText(end))") }
        let negative = b == UInt8(ascii: "-")
        var i = negative ? position + 1 : position
        var magnitude: UInt64 = 0
        var overflow = false
        while i < end {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(base[i] - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = s
            i += 1
        }
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard !overflow, magnitude <= limit else {
            throw shapeError("must fit in a 64-bit integer, not \(numberText(end))")
        }
        position = end
        return negative ? Int64(bitPattern: 0 &- magnitude) : Int64(magnitude)
    }

    /// A non-negative JSON integer that fits in UInt64 (byte and nanosecond counters).
    mutating func readUInt() throws(KubeDecodeError) -> UInt64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw wrongType(expected: "a non-negative integer")
        }
        let (end, isInteger) = try scanNumber()
        guard isInteger, b != UInt8(ascii: "-") || end - position == 2 && base[position + 1] == UInt8(ascii: "0") else {
            throw shapeError("must be a non-negative integer, not \(numberText(end))")
        }
        var i = b == UInt8(ascii: "-") ? end : position
        var value: UInt64 = 0
        while i < end {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(base[i] - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw shapeError("must fit in a 64-bit integer, not \(numberText(end))") }
            value = s
            i += 1
        }
        position = end
        return value
    }

    // MARK: - Skipping

    /// Skips one whole value of any type, checking its syntax, without recursion or allocation.
    mutating func skipValue() throws(KubeDecodeError) {
        let startDepth = depth
        while true {
            // Read one value; containers are entered and their contents walked by the loop below.
            let b = try peek()
            switch b {
            case UInt8(ascii: "{"):
                try push(object: true)
                if try nextKey() { continue }
            case UInt8(ascii: "["):
                try push(object: false)
                if try nextElement() { continue }
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                position = try scanNumber().end
            default:
                throw error("expected a value, found \(describe(b))")
            }
            // After a value: close finished containers until one has another member or element.
            while depth > startDepth {
                if topIsObject {
                    if try nextKey() { break }
                } else {
                    if try nextElement() { break }
                }
            }
            if depth == startDepth { return }
        }
    }

    private mutating func skipString() throws(KubeDecodeError) {
        position += 1
        while position < count {
            position = plainRun(from: position).end
            guard position < count else { break }
            let b = base[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if b == UInt8(ascii: "\\") {
                let escape = byte(position + 1)
                if escape == UInt8(ascii: "u") {
                    position += 2
                    _ = try readHex4()
                    continue
                }
                guard position + 1 < count else { break }
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                    continue
                default:
                    throw error("invalid escape '\\\(describe(escape))' in a string")
                }
            }
            if b < 0x20 {
                throw error("a control character (0x\(String(b, radix: 16))) inside a string must be escaped")
            }
            position += 1
        }
        position = count
        throw error("truncated JSON: the body ended inside a string")
    }
}
