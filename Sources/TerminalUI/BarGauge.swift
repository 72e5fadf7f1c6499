import KubeglassCore

/// Grafana's bar gauge: one horizontal bar per series, `web-1 ████████▍░░░░ 1.25`, each bar's value
/// between `min` and `max` in eighths of a cell, coloured by `thresholds` (else `color`).
///
/// - Without `max`, the scale runs to the highest value (so the largest bar is full); without `min`, from 0
///   (or the lowest value when one is negative).
/// - Names take at most a third of the width; values are right-aligned in a column as wide as the widest.
/// - With more rows than bars, bars are spread out one blank row apart when there is room; with fewer,
///   the last row says `+N more`.
public struct BarGauge: Widget, Sendable {
    public struct Bar: Sendable, Hashable {
        public var name: String
        public var value: Double?
        public init(name: String, value: Double?) {
            self.name = name
            self.value = value
        }
    }

    public var bars: [Bar]
    public var min: Double?
    public var max: Double?
    public var unit: DisplayUnit
    public var decimals: Int?
    public var thresholds: Thresholds?
    public var color: Color?
    public var theme: Theme

    public init(
        bars: [Bar], min: Double? = nil, max: Double? = nil, unit: DisplayUnit = .short, decimals: Int? = nil,
        thresholds: Thresholds? = nil, color: Color? = nil, theme: Theme = .default
    ) {
        self.bars = bars
        self.min = min
        self.max = max
        self.unit = unit
        self.decimals = decimals
        self.thresholds = thresholds
        self.color = color
        self.theme = theme
    }

    static let minimumBarWidth = 3
    private static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The scale's ends: the given ones, else from the values.
    public var range: (low: Double, high: Double) {
        let values = bars.compactMap(\.value).filter(\.isFinite)
        let low = min ?? Swift.min(0, values.min() ?? 0)
        var high = max ?? (values.max() ?? 1)
        if high <= low { high = low + 1 }
        return (low, high)
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        guard !bars.isEmpty else {
            let text = TextWidth.truncate("no data", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }
        let overflow = bars.count > area.height
        let shown = overflow ? Array(bars.prefix(Swift.max(0, area.height - 1))) : bars
        // Spread the bars out a little when the area is tall: a blank row between them reads better.
        let pitch = !overflow && area.height >= bars.count * 2 ? 2 : 1
        let top = area.y + (area.height - (shown.count * pitch - (pitch - 1))) / 2

        let texts = shown.map { unit.format($0.value, decimals: decimals) }
        let valueWidth = texts.map { TextWidth.of($0) }.max() ?? 0
        let nameWidth = Swift.min(shown.map { TextWidth.of($0.name) }.max() ?? 0, area.width / 3)
        let (low, high) = range
        for (i, bar) in shown.enumerated() {
            let y = overflow ? area.y + i : top + i * pitch
            var row = Rect(x: area.x, y: y, width: area.width, height: 1)
            if nameWidth > 0, row.width >= nameWidth + 1 + BarGauge.minimumBarWidth {
                screen.put(TextWidth.pad(bar.name, to: nameWidth), x: row.x, y: y, style: theme.text, clip: row)
                row = row.splitLeft(nameWidth + 1).rest
            }
            let fillStyle = theme.background.fg(thresholds?.color(for: bar.value) ?? color ?? theme.seriesColor(0))
            if row.width >= valueWidth + 1 + BarGauge.minimumBarWidth {
                let (rest, valueArea) = row.splitRight(valueWidth)
                screen.put(
                    TextWidth.pad(texts[i], to: valueWidth, alignRight: true), x: valueArea.x, y: y,
                    style: fillStyle.bold, clip: valueArea)
                row = rest.splitRight(1).rest
            }
            let f = bar.value.map { Scale.fraction($0, low: low, high: high) } ?? 0
            let eighths = Scale.int(f * Double(row.width * 8))
            for c in 0..<row.width {
                let cellEighths = eighths - c * 8
                if cellEighths >= 8 {
                    screen.set("█", x: row.x + c, y: y, style: fillStyle)
                } else if cellEighths > 0 {
                    screen.set(BarGauge.partials[cellEighths - 1], x: row.x + c, y: y, style: fillStyle)
                } else {
                    screen.set("░", x: row.x + c, y: y, style: theme.dimText)
                }
            }
        }
        if overflow {
            let more = TextWidth.truncate("+\(bars.count - shown.count) more", to: area.width)
            screen.put(more, x: area.x, y: area.maxY - 1, style: theme.dimText, clip: area)
        }
    }
}
