/// Colours by value, as Grafana's thresholds: `base` below every step, then each step's
/// colour from its value upward (a value equal to a step takes that step's colour).
public struct Thresholds: Sendable {
    public var base: Color
    /// Sorted by value.
    public private(set) var steps: [(value: Double, color: Color)]

    public init(base: Color, steps: [(value: Double, color: Color)] = []) {
        self.base = base
        self.steps = steps.filter { !$0.value.isNaN }.sorted { $0.value < $1.value }
    }

    /// The colour for `value`; `base` for nil and NaN.
    public func color(for value: Double?) -> Color {
        guard let value, !value.isNaN else { return base }
        return steps.last { $0.value <= value }?.color ?? base
    }

    /// Green, then the theme's warning and critical colours from `warning` and `critical` up.
    public static func standard(warning: Double, critical: Double, theme: Theme = .default) -> Thresholds {
        Thresholds(base: theme.ok, steps: [(warning, theme.warning), (critical, theme.critical)])
    }
}
