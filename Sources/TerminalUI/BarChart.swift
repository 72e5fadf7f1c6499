import KubeglassCore

/// Grafana's bar chart: one upright bar per series (or label value) at its current value, its value above
/// it and its name below, from zero (or the lowest value, when one is below zero) to the highest.
///
/// - Bars grow in eighths of a cell (`▁▂▃▄▅▆▇█`); each bar takes the series' colour.
/// - Bars are up to 8 columns wide and one apart; those that do not fit are counted as `+N more`.
/// - Names are cut to the bar's width and gap; a value wider than its bar is left out.
public struct BarChart: Widget, Sendable {
    public struct Bar: Sendable, Hashable {
        public var name: String
        public var value: Double?
        public var color: Color
        public init(name: String, value: Double?, color: Color) {
            self.name = name
            self.value = value
            self.color = color
        }
    }

    public var bars: [Bar]
    public var min: Double?
    public var max: Double?
    public var unit: DisplayUnit
    public var decimals: Int?
    public var theme: Theme

    public init(
        bars: [Bar], min: Double? = nil, max: Double? = nil, unit: DisplayUnit = .short, decimals: Int? = nil,
        theme: Theme = .default
    ) {
        self.bars = bars
        self.min = min
        self.max = max
        self.unit = unit
        self.decimals = decimals
        self.theme = theme
    }

    private static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"]

    /// The width of each bar and how many fit: as wide as the room allows, up to 8 columns, one apart.
    static func layout(count: Int, width: Int) -> (barWidth: Int, fitting: Int) {
        guard count > 0, width > 0 else { return (0, 0) }
        let barWidth = Swift.max(1, Swift.min(8, (width + 1) / count - 1))
        let fitting = Swift.min(count, (width + 1) / (barWidth + 1))
        return (barWidth, fitting)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        guard !bars.isEmpty, area.height >= 3 else {
            let text = TextWidth.truncate(bars.isEmpty ? "no data" : "too small", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }
        var room = area
        var (barWidth, fitting) = BarChart.layout(count: bars.count, width: room.width)
        if fitting < bars.count {
            // The count of bars left out takes the right end.
            let reserve = TextWidth.of("+\(bars.count) more") + 1
            room = room.splitRight(Swift.min(room.width, reserve)).rest
            (barWidth, fitting) = BarChart.layout(count: bars.count, width: room.width)
            screen.put(
                "+\(bars.count - fitting) more", x: room.maxX + 1, y: area.maxY - 1, style: theme.dimText, clip: area)
        }
        let shown = Array(bars.prefix(fitting))
        let values = shown.compactMap(\.value).filter(\.isFinite)
        let low = min ?? Swift.min(0, values.min() ?? 0)
        var high = max ?? (values.max() ?? 1)
        if high <= low { high = low + 1 }
        // Rows: the value line on top, the bars, the names at the bottom.
        let barsTop = area.y + 1
        let barRows = area.height - 2
        for (i, bar) in shown.enumerated() {
            let x = room.x + i * (barWidth + 1)
            let column = Rect(x: x, y: area.y, width: barWidth + (i == shown.count - 1 ? 0 : 1), height: area.height)
            let style = theme.background.fg(bar.color)
            // Cut to the bar's width, so that a gap stays between names.
            let name = TextWidth.truncate(bar.name, to: barWidth)
            screen.put(name, x: x, y: area.maxY - 1, style: theme.text, clip: column)
            guard let v = bar.value, v.isFinite else { continue }
            let eighths = Scale.int(Scale.fraction(v, low: low, high: high) * Double(barRows * 8))
            let full = eighths / 8
            for r in 0..<full {
                for c in 0..<barWidth { screen.set("█", x: x + c, y: barsTop + barRows - 1 - r, style: style) }
            }
            if eighths % 8 > 0, full < barRows {
                for c in 0..<barWidth {
                    screen.set(
                        BarChart.levels[eighths % 8 - 1], x: x + c, y: barsTop + barRows - 1 - full, style: style)
                }
            }
            let text = unit.format(v, decimals: decimals)
            if TextWidth.of(text) <= barWidth + 1 {
                // On the row above the bar (the top row is kept for it).
                let y = Swift.max(area.y, barsTop + barRows - 1 - full - (eighths % 8 > 0 ? 1 : 0))
                screen.put(text, x: x, y: y, style: style.bold, clip: column)
            }
        }
    }
}
