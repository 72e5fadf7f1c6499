import KubeglassCore

/// Kubernetes events under a header, as `kubectl get events` lists them: AGE, TYPE, OBJECT, REASON
/// (with `×N` when it repeated), MESSAGE. Warnings are drawn in the theme's warning colour.
///
/// Events are drawn in the order given (newest first, from `PanelData.events(from:matching:)`).
/// `selectedRow` is highlighted and kept in view; `scrollOffset` is where the list starts otherwise.
/// Messages are cut with `…`, or with `wrap` (full screen) continue on the lines below. When the
/// area is narrow, TYPE and then OBJECT are left out so the message keeps some room.
public struct EventList: Widget, Sendable {
    public var events: [ClusterEvent]
    public var now: Timestamp
    public var selectedRow: Int?
    public var scrollOffset: Int
    public var wrap: Bool
    public var theme: Theme

    public init(
        events: [ClusterEvent], now: Timestamp, selectedRow: Int? = nil, scrollOffset: Int = 0, wrap: Bool = false,
        theme: Theme = .default
    ) {
        self.events = events
        self.now = now
        self.selectedRow = selectedRow
        self.scrollOffset = scrollOffset
        self.wrap = wrap
        self.theme = theme
    }

    /// Below this many columns for the message, narrower columns are dropped.
    static let minimumMessageWidth = 16

    /// kubectl's short age: `42s`, `5m`, `3h`, `2d` (the largest whole unit).
    public static func age(_ milliseconds: Milliseconds) -> String {
        let s = Swift.max(0, milliseconds / 1000)
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        if s < 172_800 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }

    private func reasonText(_ e: ClusterEvent) -> String { e.count > 1 ? "\(e.reason) ×\(e.count)" : e.reason }

    /// Column widths for AGE, TYPE, OBJECT, REASON (0 when left out); MESSAGE takes the rest.
    private func widths(_ width: Int) -> [Int] {
        let age = 4
        let type = 7
        let object = Swift.min(events.map { TextWidth.of($0.object) }.max() ?? 6, Swift.max(6, width / 3))
        let reason = Swift.min(events.map { TextWidth.of(reasonText($0)) }.max() ?? 6, 24)
        var w = [age, type, Swift.max(6, object), Swift.max(6, reason)]
        func message() -> Int { width - w.reduce(0) { $0 + ($1 > 0 ? $1 + 1 : 0) } }
        if message() < EventList.minimumMessageWidth { w[1] = 0 }
        if message() < EventList.minimumMessageWidth { w[2] = 0 }
        return w
    }

    /// The lines event `e` takes (its message wrapped to `width` when wrapping).
    private func messageLines(_ e: ClusterEvent, width: Int) -> [String] {
        guard wrap, width > 0 else { return [e.message] }
        let lines = MessageView.wrap(e.message, width: width)
        return lines.isEmpty ? [""] : lines
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        guard !events.isEmpty else {
            let text = TextWidth.truncate("no warning events", to: area.width)
            screen.put(
                text, x: area.x + (area.width - TextWidth.of(text)) / 2, y: area.y + (area.height - 1) / 2,
                style: theme.dimText, clip: area)
            return
        }
        let w = widths(area.width)
        let titles = ["AGE", "TYPE", "OBJECT", "REASON"]
        let messageX = area.x + w.reduce(0) { $0 + ($1 > 0 ? $1 + 1 : 0) }
        let messageWidth = Swift.max(0, area.maxX - messageX)

        let (header, body) = area.splitTop(1)
        screen.fill(header, with: Cell(" ", style: theme.tableHeader))
        var x = area.x
        for (i, title) in titles.enumerated() where w[i] > 0 {
            screen.put(TextWidth.pad(title, to: w[i]), x: x, y: header.y, style: theme.tableHeader, clip: header)
            x += w[i] + 1
        }
        if messageWidth > 0 { screen.put("MESSAGE", x: messageX, y: header.y, style: theme.tableHeader, clip: header) }
        guard !body.isEmpty else { return }

        let heights = events.map { messageLines($0, width: messageWidth).count }
        let first = firstShown(heights: heights, rows: body.height)
        var y = body.y
        for index in first..<events.count {
            guard y < body.maxY else { break }
            let e = events[index]
            let selected = index == selectedRow
            let lines = messageLines(e, width: messageWidth)
            let rowStyle = selected ? theme.selectedRow : theme.text
            let typeStyle = selected ? rowStyle : e.isWarning ? theme.text.fg(theme.warning) : theme.dimText
            let rows = Rect(x: area.x, y: y, width: area.width, height: Swift.min(lines.count, body.maxY - y))
            if selected { screen.fill(rows, with: Cell(" ", style: theme.selectedRow)) }
            let cells = [EventList.age(now - e.time), e.type, e.object, reasonText(e)]
            let styles = [selected ? rowStyle : theme.dimText, typeStyle, rowStyle, typeStyle]
            var x = area.x
            for i in cells.indices where w[i] > 0 {
                screen.put(
                    TextWidth.pad(cells[i], to: w[i]), x: x, y: y, style: styles[i],
                    clip: Rect(x: x, y: y, width: w[i], height: 1).intersection(area))
                x += w[i] + 1
            }
            for (n, line) in lines.enumerated() where y + n < body.maxY && messageWidth > 0 {
                screen.put(
                    TextWidth.truncate(line, to: messageWidth), x: messageX, y: y + n, style: rowStyle, clip: rows)
            }
            y += lines.count
        }
    }

    /// The first event drawn: from `scrollOffset`, moved so the selected event fits, without an empty tail.
    private func firstShown(heights: [Int], rows: Int) -> Int {
        var first = Swift.max(0, Swift.min(scrollOffset, events.count - 1))
        if let selected = selectedRow, events.indices.contains(selected) {
            if selected < first { first = selected }
            // Move down until the selected event's lines are all in view (or it is the first shown).
            while first < selected && heights[first...selected].reduce(0, +) > rows { first += 1 }
        }
        // No empty tail: step back while the events from `first` leave rows unused.
        var tail = heights[first...].reduce(0, +)
        while first > 0 && tail + heights[first - 1] <= rows {
            first -= 1
            tail += heights[first]
        }
        return first
    }
}
