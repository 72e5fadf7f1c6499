import KubeAPI

/// An object's place in its resource: namespace (empty for nodes) and name, as the API server keys it.
struct ObjectKey: Hashable, Sendable {
    var namespace: String
    var name: String
}

/// Objects that a watch keeps up to date: nodes, pods, events.
protocol WatchedObject: Sendable {
    var key: ObjectKey { get }
}

extension NodeObject: WatchedObject {
    var key: ObjectKey { ObjectKey(namespace: "", name: name) }
}

extension PodObject: WatchedObject {
    var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }
}

extension EventObject: WatchedObject {
    var key: ObjectKey { ObjectKey(namespace: namespace, name: name) }
}

/// A resource's objects by key, held in pages: a poll takes the pages as they are (no copy of 150,000
/// pods), and a change while a poll still holds them copies only the page it touches, not them all.
/// The pages are what `ClusterSeries.batch` reads, and a list's own pages are kept as they came.
struct ObjectPages<Object: WatchedObject>: Sendable {
    private(set) var pages: [[Object]] = []
    private var places: [ObjectKey: Place] = [:]
    /// New objects go on the last page until it holds this many.
    let pageSize: Int

    private struct Place: Sendable {
        var page: Int32
        var index: Int32
    }

    init(pageSize: Int = 4096) { self.pageSize = max(1, pageSize) }

    /// A list's pages, each object once (the later of two with one key wins).
    init(listed: [[Object]], pageSize: Int = 4096) {
        self.init(pageSize: pageSize)
        pages = listed.filter { !$0.isEmpty }
        places.reserveCapacity(pages.reduce(0) { $0 + $1.count })
        var repeated = false
        for (p, page) in pages.enumerated() {
            for (i, object) in page.enumerated() {
                if places.updateValue(Place(page: Int32(p), index: Int32(i)), forKey: object.key) != nil {
                    repeated = true
                }
            }
        }
        // A list holds each object once; should a server repeat one, the pages are rebuilt without it.
        if repeated {
            let all = Array(pages.joined())
            self = ObjectPages(pageSize: pageSize)
            for object in all { set(object) }
        }
    }

    var count: Int { places.count }

    subscript(key: ObjectKey) -> Object? {
        places[key].map { pages[Int($0.page)][Int($0.index)] }
    }

    /// Adds `object`, or replaces the object with its key.
    mutating func set(_ object: Object) {
        let key = object.key
        if let place = places[key] {
            pages[Int(place.page)][Int(place.index)] = object
            return
        }
        if pages.isEmpty || pages[pages.count - 1].count >= pageSize {
            pages.append([])
            pages[pages.count - 1].reserveCapacity(min(pageSize, 64))
        }
        let page = pages.count - 1
        places[key] = Place(page: Int32(page), index: Int32(pages[page].count))
        pages[page].append(object)
    }

    /// Removes the object with `key`; false when there is none. The last object takes its place, so
    /// pages stay dense.
    @discardableResult
    mutating func remove(_ key: ObjectKey) -> Bool {
        guard let place = places.removeValue(forKey: key) else { return false }
        let lastPage = pages.count - 1
        let last = pages[lastPage].removeLast()
        if Int(place.page) != lastPage || Int(place.index) != pages[lastPage].count {
            pages[Int(place.page)][Int(place.index)] = last
            places[last.key] = place
        }
        if pages[lastPage].isEmpty { pages.removeLast() }
        return true
    }

    /// Every object, in page order.
    var all: FlattenSequence<[[Object]]> { pages.joined() }
}
