/// The best `capacity` elements offered so far, by `beats` (whether the first is better than the second):
/// a heap with the worst kept at its root, so that 150,000 values keep their top 20 in O(n log k) steps,
/// not a sort of them all. `topk` and a table's window both use it.
public struct BoundedHeap<Element> {
    public let capacity: Int
    @usableFromInline let beats: (Element, Element) -> Bool
    /// In heap order: the worst of them first.
    @usableFromInline var elements: [Element] = []

    @inlinable public init(capacity: Int, by beats: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.beats = beats
    }

    /// The worst kept (once full, what a newcomer must beat).
    @inlinable public var worst: Element? { elements.first }

    @inlinable public mutating func removeAll() { elements.removeAll(keepingCapacity: true) }

    /// Keeps `e` if there is room, or if it beats the worst kept (which then goes).
    @inlinable public mutating func offer(_ e: Element) {
        if elements.count < capacity {
            elements.append(e)
            var i = elements.count - 1
            while i > 0, beats(elements[(i - 1) / 2], elements[i]) {
                elements.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        } else if let worst = elements.first, beats(e, worst) {
            elements[0] = e
            var i = 0
            while true {
                let (l, r) = (2 * i + 1, 2 * i + 2)
                var w = i
                if l < elements.count, beats(elements[w], elements[l]) { w = l }
                if r < elements.count, beats(elements[w], elements[r]) { w = r }
                if w == i { break }
                elements.swapAt(i, w)
                i = w
            }
        }
    }

    /// The kept elements, best first.
    @inlinable public func sorted() -> [Element] { elements.sorted(by: beats) }
}
