import Collectors
import Dashboards
import KubeglassCore
import Store

/// The source, store, poller and query backends of one run. The command line builds it from its flags;
/// tests build it from a demo cluster and servers of their own.
public struct SourceSetup {
    public let store: SeriesStore
    public let poller: Poller
    public let source: any MetricSource
    /// The poll interval, in milliseconds.
    public let refresh: Milliseconds
    /// How much history the store keeps, in milliseconds (a simulated source fills it at start).
    public let retention: Milliseconds
    /// Answers panels: the local engine over the store (and the TSDBs given on the command line).
    public let evaluator: PanelEvaluator
    /// True when kubeglass shows only a TSDB (no cluster, no demo).
    public let tsdbOnly: Bool
    /// The dashboard that opens when none is named.
    public let defaultDashboard: String
    /// Where history is kept between runs; nil keeps none.
    public var savedHistory: SavedHistory?
    /// The most memory the store may take (`--memory-budget`); nil: no limit.
    public var memoryBudget: Int?

    public init(
        store: SeriesStore, poller: Poller, source: any MetricSource, refresh: Int64, retention: Int64,
        evaluator: PanelEvaluator, tsdbOnly: Bool = false, defaultDashboard: String = "cluster",
        savedHistory: SavedHistory? = nil, memoryBudget: Int? = nil
    ) {
        self.store = store
        self.poller = poller
        self.source = source
        self.refresh = refresh
        self.retention = retention
        self.evaluator = evaluator
        self.tsdbOnly = tsdbOnly
        self.defaultDashboard = defaultDashboard
        self.savedHistory = savedHistory
        self.memoryBudget = memoryBudget
    }
}
