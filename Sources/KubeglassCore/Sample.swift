/// Milliseconds since the Unix epoch, the resolution Prometheus uses.
public typealias Timestamp = Int64

/// One value of one series at one time.
public struct Sample: Hashable, Sendable {
    public var time: Timestamp
    public var value: Double
    public init(time: Timestamp, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A series: its labels and its samples, oldest first.
public struct Series: Hashable, Sendable {
    public var labels: Labels
    public var samples: [Sample]
    public init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

extension Sample {
    /// Prometheus' staleness marker: a NaN with a special bit pattern, written when a series
    /// stops being reported, so queries stop seeing its last value at once.
    public static let staleNaN = Double(bitPattern: 0x7ff0_0000_0000_0002)

    public static func staleMarker(at time: Timestamp) -> Sample { Sample(time: time, value: staleNaN) }

    public var isStaleMarker: Bool { value.bitPattern == Sample.staleNaN.bitPattern }
}
