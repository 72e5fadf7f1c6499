import KubeglassCore

/// A horizontal bar gauge, `██████████▍░░░░░ 62%`: the value's place between `min` and `max` in
/// eighths of a cell, coloured by `thresholds` (else `color`, else the theme's ok colour), with a label
/// on the right when there is room. Drawn on the middle row of the area.
public struct Gauge: Widget, Sendable {
    public enum Label: Sendable, Hashable {
        case none
        case percent
        case value
        case valueAndPercent
    }

    public var value: Double?
    public var min: Double
    public var max: Double
    public var unit: DisplayUnit
    public var thresholds: Thresholds?
    public var color: Color?
    public var label: Label
    public var theme: Theme

    public init(
        value: Double?, min: Double = 0, max: Double = 100, unit: DisplayUnit = .percent,
        thresholds: Thresholds? = nil, color: Color? = nil, label: Label = .percent, theme: Theme = .default
    ) {
        self.value = value
        self.min = min
        self.max = max
        self.unit = unit
        self.thresholds = thresholds
        self.color = color
        self.label = label
        self.theme = theme
    }

    static let minimumBarWidth = 3
    private static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The label text, e.g. `62%` or `1.2 GiB 62%`.
    public var labelText: String {
        var percent = "–"
        if let value, value.isFinite, max > min {
            percent = GrafanaNumber.toFixed(Scale.unclampedFraction(value, low: min, high: max) * 100, 0) + "%"
        }
        switch label {
        case .none: return ""
        case .percent: return percent
        case .value: return unit.format(value)
        case .valueAndPercent: return unit.format(value) + " " + percent
        }
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let row = Rect(x: area.x, y: area.y + (area.height - 1) / 2, width: area.width, height: 1)
        let fill = theme.background.fg(thresholds?.color(for: value) ?? color ?? theme.ok)

        var bar = row
        let text = labelText
        let textWidth = TextWidth.of(text)
        if textWidth > 0, row.width >= textWidth + 1 + Gauge.minimumBarWidth {
            let (rest, labelArea) = row.splitRight(textWidth)
            bar = rest.splitRight(1).rest
            screen.put(text, x: labelArea.x, y: row.y, style: theme.text, clip: labelArea)
        }

        let f = value.map { Scale.fraction($0, low: min, high: max) } ?? 0
        let eighths = Scale.int(f * Double(bar.width * 8))
        for i in 0..<bar.width {
            let cellEighths = eighths - i * 8
            if cellEighths >= 8 {
                screen.set("█", x: bar.x + i, y: row.y, style: fill)
            } else if cellEighths > 0 {
                screen.set(Gauge.partials[cellEighths - 1], x: bar.x + i, y: row.y, style: fill)
            } else {
                screen.set("░", x: bar.x + i, y: row.y, style: theme.dimText)
            }
        }
    }
}
