import KubeglassCore

/// Grafana's pie chart, as a terminal draws it well: one labelled bar per slice, longest first, each as
/// long as its share of the whole, `web   ████████▌        42.1%  1.25`.
///
/// - Slices without a value, or below zero, are left out (a pie has no negative slices).
/// - Names take at most a third of the width; the percentage and the value follow the bar.
/// - With more slices than rows, the last row sums the rest as `others`.
public struct ShareBars: Widget, Sendable {
    /// A slice: a name, its value and its colour, as a bar chart's bar.
    public typealias Slice = BarChart.Bar

    public var slices: [Slice]
    public var unit: DisplayUnit
    public var decimals: Int?
    public var theme: Theme

    public init(slices: [Slice], unit: DisplayUnit = .short, decimals: Int? = nil, theme: Theme = .default) {
        self.slices = slices
        self.unit = unit
        self.decimals = decimals
        self.theme = theme
    }

    private static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The slices drawn, largest first, the smallest summed into `others` when there are more than `rows`.
    func shown(rows: Int) -> [Slice] {
        var kept = slices.filter { ($0.value ?? -1) >= 0 && $0.value!.isFinite }
        kept.sort { $0.value! > $1.value! }
        guard rows > 0, kept.count > rows else { return kept }
        let rest = kept[(rows - 1)...].reduce(0) { $0 + $1.value! }
        return Array(kept.prefix(rows - 1)) + [Slice(name: "others", value: rest, color: theme.dimText.foreground)]
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let shown = shown(rows: area.height)
        let total = shown.reduce(0) { $0 + $1.value! }
        guard !shown.isEmpty, total > 0 else {
            let text = TextWidth.truncate(shown.isEmpty ? "no data" : "all zero", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }
        let percents = shown.map { PercentText.of($0.value! / total) }
        let values = shown.map { unit.format($0.value, decimals: decimals) }
        let percentWidth = percents.map { TextWidth.of($0) }.max() ?? 0
        let valueWidth = values.map { TextWidth.of($0) }.max() ?? 0
        let nameWidth = min(shown.map { TextWidth.of($0.name) }.max() ?? 0, area.width / 3)
        let pitch = area.height >= shown.count * 2 ? 2 : 1
        let top = area.y + (area.height - (shown.count * pitch - (pitch - 1))) / 2
        for (i, slice) in shown.enumerated() {
            let y = top + i * pitch
            var row = Rect(x: area.x, y: y, width: area.width, height: 1)
            if nameWidth > 0, row.width >= nameWidth + 4 {
                screen.put(
                    TextWidth.pad(TextWidth.truncate(slice.name, to: nameWidth), to: nameWidth), x: row.x, y: y,
                    style: theme.text, clip: row)
                row = row.splitLeft(nameWidth + 1).rest
            }
            let style = theme.background.fg(slice.color)
            if row.width >= percentWidth + valueWidth + 6 {
                let (rest, right) = row.splitRight(percentWidth + valueWidth + 2)
                screen.put(
                    TextWidth.pad(percents[i], to: percentWidth, alignRight: true) + "  "
                        + TextWidth.pad(values[i], to: valueWidth, alignRight: true), x: right.x, y: y,
                    style: style.bold, clip: right)
                row = rest.splitRight(1).rest
            } else if row.width >= percentWidth + 2 {
                let (rest, right) = row.splitRight(percentWidth)
                screen.put(
                    TextWidth.pad(percents[i], to: percentWidth, alignRight: true), x: right.x, y: y, style: style.bold,
                    clip: right)
                row = rest.splitRight(1).rest
            }
            let eighths = Scale.int(slice.value! / total * Double(row.width * 8))
            for c in 0..<row.width {
                let cellEighths = eighths - c * 8
                if cellEighths >= 8 {
                    screen.set("█", x: row.x + c, y: y, style: style)
                } else if cellEighths > 0 {
                    screen.set(ShareBars.partials[cellEighths - 1], x: row.x + c, y: y, style: style)
                }
            }
        }
    }
}

/// A share as a percentage with one decimal (`42.1%`), `<0.1%` for a sliver that is not nothing.
enum PercentText {
    static func of(_ share: Double) -> String {
        let p = share * 100
        if p > 0 && p < 0.05 { return "<0.1%" }
        return String(format: "%.1f%%", p)
    }
}
