/// The kiosk's warning that the screen shows old data: a full-width band with the data's age in large type,
/// readable across a room, and the whole last error wrapped below it (never cut while the area has room).
public struct StaleBanner: Widget, Sendable {
    /// How old the newest data is, in milliseconds; nil when there has been none since the start.
    public var age: Int64?
    /// When the newest data came (`14:02:11`), for the title.
    public var lastData: String?
    public var error: String?
    public var theme: Theme

    public init(age: Int64?, lastData: String? = nil, error: String? = nil, theme: Theme = .default) {
        self.age = age
        self.lastData = lastData
        self.error = error
        self.theme = theme
    }

    /// `2:05` (minutes and seconds) under an hour, `26:00:05` (hours, minutes, seconds) from then on.
    public static func ageText(_ milliseconds: Int64) -> String {
        let s = max(0, milliseconds) / 1000
        let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60)
        let two = { (n: Int64) in n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(sec))" : "\(m):\(two(sec))"
    }

    private var title: String {
        guard let age else { return "NO DATA YET" }
        let since = lastData.map { " since \($0)" } ?? ""
        return "STALE DATA · nothing new\(since) · \(StaleBanner.ageText(age)) old"
    }

    private func errorLines(width: Int) -> [String] {
        guard let error, !error.isEmpty else { return [] }
        return MessageView.wrap("last error: \(error)", width: max(1, width - 2))
    }

    /// The big age and its caption, when the age is known and fits `width`.
    private func bigAge(width: Int) -> (rows: [String], caption: String)? {
        guard let age else { return nil }
        let text = StaleBanner.ageText(age)
        let rows = BigText.rows(text)
        let caption = age >= 3_600_000 ? "h:min:s old" : "min:s old"
        guard BigText.canDraw(text), TextWidth.of(rows[0]) + 2 + TextWidth.of(caption) + 2 <= width else {
            return nil
        }
        return (rows, caption)
    }

    /// The rows the banner takes at `width` with room for all of it: the title, the big age, the wrapped
    /// error and a blank row below.
    public func height(width: Int) -> Int {
        let big = bigAge(width: width) == nil ? 0 : BigText.height + 1
        let error = errorLines(width: width).count
        return 1 + big + error + (error > 0 ? 1 : 0)
    }

    /// Draws at the top of `area`, as tall as it needs; the big age gives way first when rows are short.
    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        let band = Style.plain.fg(theme.critical).reversed
        let errors = errorLines(width: area.width)
        let errorRows = errors.count + (errors.isEmpty ? 0 : 1)
        // The error is the part to read whole; the big age is the part to see from afar.
        let big = 1 + BigText.height + 1 + errorRows <= area.height ? bigAge(width: area.width) : nil
        let needed = 1 + (big == nil ? 0 : BigText.height + 1) + errorRows
        let (box, _) = area.splitTop(min(area.height, needed))
        screen.fill(box, with: Cell(" ", style: band))
        var y = box.y
        let titleText = TextWidth.truncate(" ⚠ " + title, to: box.width)
        screen.put(titleText, x: box.x, y: y, style: band.bold, clip: box)
        y += 1
        if let big {
            for row in big.rows {
                screen.put(row, x: box.x + 2, y: y, style: band.bold, clip: box)
                y += 1
            }
            screen.put(big.caption, x: box.x + 4 + TextWidth.of(big.rows[0]), y: y - 1, style: band, clip: box)
            y += 1
        }
        for line in errors where y < box.maxY {
            screen.put(line, x: box.x + 1, y: y, style: band, clip: box)
            y += 1
        }
    }
}
