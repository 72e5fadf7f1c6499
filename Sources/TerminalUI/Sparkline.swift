/// One value per column as a bar of eighth blocks (▁▂▃▄▅▆▇█), the newest value at the right edge,
/// showing the last `area.width` values. Taller areas stack bars over several rows.
///
/// The scale runs from `min` to `max`. By default `max` is the highest shown value and `min` is 0,
/// or the lowest shown value when one is negative (bars of usage read from zero, as in Grafana).
/// A present value always shows at least ▁ so it reads differently from a gap; nil, NaN and ±inf
/// are gaps (blank). An empty scale (a constant series at its own minimum) draws ▁.
public struct Sparkline: Widget, Sendable {
    public var values: [Double?]
    public var style: Style
    public var min: Double?
    public var max: Double?

    public init(values: [Double?], style: Style = .plain, min: Double? = nil, max: Double? = nil) {
        self.values = values
        self.style = style
        self.min = min
        self.max = max
    }

    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: style))
        let shown = Array(values.suffix(area.width))
        let finite = shown.finiteValues
        let low = min ?? Swift.min(0, finite.min() ?? 0)
        let high = max ?? (finite.max() ?? low)
        let eighthsPerColumn = area.height * 8
        let firstX = area.maxX - shown.count
        for (i, value) in shown.enumerated() {
            guard let value, value.isFinite else { continue }
            let f = Scale.fraction(value, low: low, high: high)
            let eighths = 1 + Scale.int(f * Double(eighthsPerColumn - 1))
            for row in 0..<area.height {
                let fill = eighths - row * 8
                if fill <= 0 { break }
                screen.set(Sparkline.bars[Swift.min(fill, 8) - 1], x: firstX + i, y: area.maxY - 1 - row, style: style)
            }
        }
    }
}

extension Sparkline {
    /// The lowest finite value: trends in stats and tables scale from it, so that a busy but
    /// steady series shows its shape instead of a row of full bars (Grafana does the same).
    public static func lowest(_ values: [Double?]) -> Double? {
        values.compactMap { $0 }.filter(\.isFinite).min()
    }
}
