import KubeglassCore

/// One sample of an instant vector: a series' labels and its value at the evaluation time.
public struct VectorSample: Hashable, Sendable {
    public var labels: Labels
    public var time: Timestamp
    public var value: Double
    public init(labels: Labels, time: Timestamp, value: Double) {
        self.labels = labels
        self.time = time
        self.value = value
    }
}

/// The result of a query, in Prometheus' four result types.
public enum QueryValue: Sendable {
    case scalar(Timestamp, Double)
    case string(Timestamp, String)
    case vector([VectorSample])
    case matrix([Series])

    /// Prometheus' `resultType` name.
    public var resultType: String {
        switch self {
        case .scalar: return "scalar"
        case .string: return "string"
        case .vector: return "vector"
        case .matrix: return "matrix"
        }
    }
}
