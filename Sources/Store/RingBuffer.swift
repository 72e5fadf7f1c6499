/// A fixed-capacity buffer that keeps the newest `capacity` elements.
/// Appending to a full buffer overwrites the oldest element; memory never grows.
public struct RingBuffer<Element>: Sequence {
    public let capacity: Int
    private var storage: [Element] = []
    private var head = 0  // index of the oldest element once full

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs room for at least one element")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    public mutating func append(_ element: Element) {
        if storage.count < capacity {
            storage.append(element)
        } else {
            storage[head] = element
            head = (head + 1) % capacity
        }
    }

    /// Element `i`, counting from the oldest (0) to the newest (count - 1).
    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < storage.count, "ring buffer index out of range")
            return storage[(head + i) % storage.count]
        }
        set {
            precondition(i >= 0 && i < storage.count, "ring buffer index out of range")
            storage[(head + i) % storage.count] = newValue
        }
    }

    public var first: Element? { isEmpty ? nil : self[0] }
    public var last: Element? { isEmpty ? nil : self[storage.count - 1] }

    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }

    public func makeIterator() -> AnyIterator<Element> {
        var i = 0
        let snapshot = self
        return AnyIterator {
            guard i < snapshot.count else { return nil }
            defer { i += 1 }
            return snapshot[i]
        }
    }

    /// The elements oldest first, as an array.
    public var elements: [Element] {
        if storage.count < capacity || head == 0 { return storage }
        return Array(storage[head...]) + storage[..<head]
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
