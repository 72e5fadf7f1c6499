/// Cuts a watch's body, which arrives in chunks that need not end where events do, into its lines: one
/// JSON event per line. A line longer than `limit` is not kept; its length is counted up to its newline
/// so that the error can say how long it was.
struct WatchLines {
    let limit: Int
    private var pending: [UInt8] = []
    /// Bytes of a line over the limit seen so far; nil while no line is too long.
    private var oversized: Int?

    /// A line over the limit, with its length (the whole line's, or what came before the stream ended).
    struct TooLong: Error, Equatable {
        var bytes: Int
        var isWhole: Bool
    }

    init(limit: Int) { self.limit = max(1, limit) }

    /// Appends a chunk and hands every line it completed to `line`, in order; blank lines are skipped.
    /// Throws once a line over the limit has ended (after the lines before it were handed on).
    mutating func append(_ chunk: UnsafeRawBufferPointer, _ line: ([UInt8]) -> Void) throws(TooLong) {
        var start = 0
        while start < chunk.count {
            let newline = chunk[start...].firstIndex(of: 0x0A)
            let end = newline ?? chunk.count
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
            if let seen = oversized {
                oversized = seen + piece.count
            } else if pending.count + piece.count > limit {
                oversized = pending.count + piece.count
                pending = []
            } else {
                pending.append(contentsOf: piece)
            }
            guard newline != nil else { break }
            if let length = oversized { throw TooLong(bytes: length, isWhole: true) }
            if !Self.isBlank(pending) { line(pending) }
            pending.removeAll(keepingCapacity: true)
            start = end + 1
        }
    }

    /// The last line when the body did not end with a newline (the server stopped mid-line: a later decode
    /// says what is wrong with it).
    mutating func finish() throws(TooLong) -> [UInt8]? {
        if let length = oversized { throw TooLong(bytes: length, isWhole: false) }
        defer { pending = [] }
        return Self.isBlank(pending) ? nil : pending
    }

    private static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 || $0 == 0x0A }
    }
}
