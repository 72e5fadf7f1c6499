/// How a chart's legend looks: a list under the plot, a table with a column per value, or nothing.
public struct ChartLegend: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable { case list, table, hidden }

    /// A number that sums a series up over the window (Grafana's legend "calcs").
    public enum Value: String, Sendable, Hashable, CaseIterable {
        case last, min, max, avg, total

        /// The value of `values` (the series' finite values in time order); nil when there are none.
        public func of(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            switch self {
            case .last: return values.last
            case .min: return values.min()
            case .max: return values.max()
            case .avg: return values.reduce(0, +) / Double(values.count)
            case .total: return values.reduce(0, +)
            }
        }

        /// The column title in a table legend: `Last`, `Avg`.
        public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public var mode: Mode
    /// The values shown per series: the list shows them all, labelled, when each series has its own
    /// line; the flowing list (several series to a line) shows only the first; the table a column each.
    public var values: [Value]

    public init(mode: Mode = .list, values: [Value] = [.last, .max]) {
        self.mode = mode
        self.values = values
    }
}
