import Foundation
import KubeglassCore

/// Grafana's heatmap: a row per bucket (or per series), time along x, each cell shaded by its value.
///
/// - A cell's shade and colour rise together in four steps (`░▒▓█`, dark blue to yellow), so the map still
///   reads without colour and, in ASCII, as `.:##`. Zero (when nothing is below it) and missing are blank.
/// - A column of cells takes the highest value among the points that fall in its slice of the window.
/// - Rows are given top first; with more rows than room, neighbours are summed (for histogram buckets, the
///   wider bucket), named after the first of them.
/// - The bottom row is the scale: the low and high values around the four shades, and the window's ends.
public struct Heatmap: Widget, Sendable {
    public struct Row: Sendable, Hashable {
        public var name: String
        public var values: [Double?]
        public var times: [Timestamp]
        public init(name: String, times: [Timestamp], values: [Double?]) {
            self.name = name
            self.times = times
            self.values = values
        }
    }

    public var rows: [Row]
    public var window: ClosedRange<Timestamp>
    /// The unit of the cells' values (the scale's ends).
    public var unit: DisplayUnit
    public var theme: Theme
    public var timeZone: TimeZone

    public init(
        rows: [Row], window: ClosedRange<Timestamp>, unit: DisplayUnit = .short, theme: Theme = .default,
        timeZone: TimeZone = .current
    ) {
        self.rows = rows
        self.window = window
        self.unit = unit
        self.theme = theme
        self.timeZone = timeZone
    }

    static let shades: [Character] = ["░", "▒", "▓", "█"]
    /// Dark blue, teal, green, yellow (viridis' steps): ordered by lightness, so they degrade in order too.
    static let colors: [Color] = [.rgb(59, 82, 139), .rgb(33, 145, 140), .rgb(94, 201, 98), .rgb(253, 231, 37)]

    /// The shade (0…3) of `value` between `low` and `high`; nil for a blank cell.
    static func level(_ value: Double?, low: Double, high: Double) -> Int? {
        guard let value, value.isFinite else { return nil }
        if value <= 0 && low >= 0 { return nil }
        return min(3, Int(Scale.fraction(value, low: low, high: high) * 4))
    }

    /// Rows merged so that at most `room` remain: neighbours summed, point by point.
    static func merged(_ rows: [Row], room: Int) -> [Row] {
        guard room > 0, rows.count > room else { return rows }
        let group = (rows.count + room - 1) / room
        return stride(from: 0, to: rows.count, by: group).map { start in
            let members = rows[start..<min(rows.count, start + group)]
            var out = members.first!
            for r in members.dropFirst() {
                for i in out.values.indices where i < r.values.count {
                    if let v = r.values[i] { out.values[i] = (out.values[i] ?? 0) + v }
                }
            }
            return out
        }
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        guard !rows.isEmpty else {
            let text = TextWidth.truncate("no data", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }
        let withScale = area.height >= 3
        let (body, scaleLine) = withScale ? area.splitBottom(1) : (area, Rect(x: 0, y: 0, width: 0, height: 0))
        let shown = Heatmap.merged(rows, room: body.height)
        let nameWidth = min(shown.map { TextWidth.of($0.name) }.max() ?? 0, area.width / 4)
        let cells = nameWidth > 0 ? body.splitLeft(nameWidth + 1).rest : body
        guard cells.width > 0 else { return }

        // Each column's value per row: the highest point in its slice of the window.
        // In doubles: a window from .min to .max does not fit an Int64's difference.
        let (from, span) = (Double(window.lowerBound), max(1, Double(window.upperBound) - Double(window.lowerBound)))
        var grid = [[Double?]](repeating: [Double?](repeating: nil, count: cells.width), count: shown.count)
        for (r, row) in shown.enumerated() {
            for (t, v) in zip(row.times, row.values) {
                guard let v, v.isFinite, window.contains(t) else { continue }
                let c = min(cells.width - 1, max(0, Scale.int((Double(t) - from) / span * Double(cells.width) - 0.5)))
                grid[r][c] = max(grid[r][c] ?? v, v)
            }
        }
        let values = grid.joined().compactMap { $0 }
        let low = min(0, values.min() ?? 0)
        let high = max(values.max() ?? 1, low + Double.ulpOfOne)
        // Rows fill the body from the bottom up, as a chart's y axis does.
        let top = body.y + (body.height - shown.count)
        for (r, row) in shown.enumerated() {
            let y = top + r
            if nameWidth > 0 {
                screen.put(
                    TextWidth.pad(TextWidth.truncate(row.name, to: nameWidth), to: nameWidth, alignRight: true),
                    x: body.x, y: y, style: theme.axis, clip: body)
            }
            for c in 0..<cells.width {
                guard let level = Heatmap.level(grid[r][c], low: low, high: high) else { continue }
                screen.set(
                    Heatmap.shades[level], x: cells.x + c, y: y, style: theme.background.fg(Heatmap.colors[level]))
            }
        }
        guard withScale else { return }
        renderScale(
            low: low, high: high, in: Rect(x: cells.x, y: scaleLine.y, width: cells.width, height: 1), on: &screen)
    }

    /// `23:10  0 ░▒▓█ 12  00:10`, as much of it as fits.
    private func renderScale(low: Double, high: Double, in line: Rect, on screen: inout Screen) {
        let lowText = unit.format(low)
        let highText = unit.format(high)
        let legendWidth = TextWidth.of(lowText) + TextWidth.of(highText) + 6
        guard line.width >= legendWidth else {
            if line.width >= 4 { drawShades(x: line.x, y: line.y, on: &screen) }
            return
        }
        let start = String(clockText(window.lowerBound))
        let end = String(clockText(window.upperBound))
        let withTimes = line.width >= legendWidth + TextWidth.of(start) + TextWidth.of(end) + 4
        var x = line.x
        if withTimes { screen.put(start, x: x, y: line.y, style: theme.axis, clip: line) }
        x = line.x + (line.width - legendWidth) / 2
        x += screen.put(lowText + " ", x: x, y: line.y, style: theme.axis, clip: line)
        drawShades(x: x, y: line.y, on: &screen)
        screen.put(" " + highText, x: x + 4, y: line.y, style: theme.axis, clip: line)
        if withTimes {
            screen.put(end, x: line.maxX - TextWidth.of(end), y: line.y, style: theme.axis, clip: line)
        }
    }

    private func drawShades(x: Int, y: Int, on screen: inout Screen) {
        for (i, shade) in Heatmap.shades.enumerated() {
            screen.set(shade, x: x + i, y: y, style: theme.background.fg(Heatmap.colors[i]))
        }
    }

    private func clockText(_ t: Timestamp) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(t) / 1000))
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }
}
