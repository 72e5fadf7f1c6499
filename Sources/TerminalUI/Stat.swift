import KubeglassCore

/// One big value, as Grafana's stat panel. With room (height ≥ 5 and the width for it) the number
/// is drawn in 3-row block digits, a `%` too, other unit suffixes in normal size beside them;
/// otherwise one bold line. A sparkline, when given, fills the bottom row once height ≥ 3.
/// Colour the value with `Thresholds.color(for:)`.
public struct Stat: Widget, Sendable {
    public var value: Double?
    public var unit: DisplayUnit
    public var color: Color
    public var sparkline: [Double?]?
    public var decimals: Int?
    public var theme: Theme

    public init(
        value: Double?, unit: DisplayUnit = .short, color: Color = .default, sparkline: [Double?]? = nil,
        decimals: Int? = nil, theme: Theme = .default
    ) {
        self.value = value
        self.unit = unit
        self.color = color
        self.sparkline = sparkline
        self.decimals = decimals
        self.theme = theme
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let style = theme.background.fg(color)

        var content = area
        if let sparkline, area.height >= 3 {
            let (rest, bottom) = area.splitBottom(1)
            content = rest
            Sparkline(values: sparkline, style: style, min: Sparkline.lowest(sparkline)).render(in: bottom, on: &screen)
        }

        let (number, suffix) = unit.parts(value, decimals: decimals)
        let bigSuffix = suffix == "%"
        let big = bigSuffix ? number + suffix : number
        let small = bigSuffix ? "" : suffix
        let bigWidth = TextWidth.of(BigText.rows(big)[0]) + TextWidth.of(small)
        if area.height >= 5, content.height >= BigText.height, BigText.canDraw(big), bigWidth <= content.width {
            let x = content.x + (content.width - bigWidth) / 2
            let y = content.y + (content.height - BigText.height) / 2
            var end = x
            for (row, line) in BigText.rows(big).enumerated() {
                end = x + screen.put(line, x: x, y: y + row, style: style, clip: content)
            }
            screen.put(small, x: end, y: y + BigText.height - 1, style: style.bold, clip: content)
        } else {
            let text = TextWidth.truncate(number + suffix, to: content.width)
            let x = content.x + (content.width - TextWidth.of(text)) / 2
            screen.put(text, x: x, y: content.y + (content.height - 1) / 2, style: style.bold, clip: content)
        }
    }
}
