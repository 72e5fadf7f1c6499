/// Something that yields samples: the Kubernetes metrics API, the kubelet summary, the demo cluster, …
/// A source never draws. It answers one poll with every series it has now; the poller stores them.
public protocol MetricSource: Sendable {
    /// Short id, as on the command line: `demo`, `metrics`, `summary`.
    var id: String { get }
    /// What a person reads in the header: `demo cluster (12 nodes, 300 pods)`.
    var displayName: String { get }
    /// True when the data is simulated (the UI shows a DEMO badge).
    var isSimulated: Bool { get }
    /// A warning the header keeps showing while this source is used (`TLS NOT VERIFIED`).
    var headerWarning: String? { get }
    /// What a long poll has done so far (lists page by page), when the source reports it.
    var progress: PollProgress? { get }

    /// Every series this source reports at `time`.
    func poll(at time: Timestamp) async throws -> SampleBatch

    /// History for `[from, to)` at `step`, when the source can give it (the demo can; a live API cannot).
    func history(from: Timestamp, to: Timestamp, step: Int64) async throws -> [SampleBatch]

    /// The newest Warning events the source knows of, newest first (empty when it has none).
    func events() async -> [ClusterEvent]
}

extension MetricSource {
    public var isSimulated: Bool { false }
    public var headerWarning: String? { nil }
    public var progress: PollProgress? { nil }
    public func history(from: Timestamp, to: Timestamp, step: Int64) async throws -> [SampleBatch] { [] }
    public func events() async -> [ClusterEvent] { [] }
}

/// One poll's samples, all taken at one time.
public struct SampleBatch: Sendable {
    public var time: Timestamp
    /// Each label set at most once.
    public var series: [(labels: Labels, value: Double)]
    /// What went partly wrong while the rest of the poll worked ("metrics API not available …").
    public var warnings: [String] = []
    /// Series whose exposition carried its own sample time (a scrape honours it, as Prometheus does);
    /// they get no staleness marker when they disappear.
    public var explicitTimes: [Labels: Timestamp] = [:]
    /// Metric names this poll could not bring, because a request for them failed while the rest of the
    /// poll worked: their series keep their last values (no staleness marker), and the panels that read
    /// them show stale.
    public var missing: Set<String> = []

    public init(time: Timestamp, series: [(labels: Labels, value: Double)] = []) {
        self.time = time
        self.series = series
    }

    public mutating func add(_ name: String, _ labels: [String: String], _ value: Double) {
        series.append((Labels(name: name, labels), value))
    }
}
