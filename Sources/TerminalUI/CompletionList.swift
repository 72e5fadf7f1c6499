/// One suggestion: what is inserted, and a short note shown beside it (a type, a help line).
public struct CompletionItem: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case metric, label, labelValue, function, keyword, variable }

    public var text: String
    public var detail: String
    public var kind: Kind

    public init(text: String, detail: String = "", kind: Kind = .metric) {
        self.text = text
        self.detail = detail
        self.kind = kind
    }
}

/// A borderless popup of completion items with one selected; scrolls to keep the selection visible.
public struct CompletionList: Widget, Sendable {
    public var items: [CompletionItem]
    public private(set) var selected: Int
    /// The first visible item; adjusted by the selection moves so the selection stays in view.
    public private(set) var top = 0
    public var maxHeight: Int
    public var maxWidth: Int
    public var theme: Theme

    public init(
        items: [CompletionItem], selected: Int = 0, maxHeight: Int = 8, maxWidth: Int = 60, theme: Theme = .default
    ) {
        self.items = items
        self.selected = items.isEmpty ? 0 : min(max(0, selected), items.count - 1)
        self.maxHeight = maxHeight
        self.maxWidth = maxWidth
        self.theme = theme
        top = visibleTop(rows: maxHeight)
    }

    public var selectedItem: CompletionItem? { items.indices.contains(selected) ? items[selected] : nil }

    public mutating func select(_ index: Int) {
        guard !items.isEmpty else { return }
        selected = min(max(0, index), items.count - 1)
        top = visibleTop(rows: maxHeight)
    }

    /// Moves the selection down one, wrapping to the first item.
    public mutating func selectNext() { select(items.isEmpty ? 0 : (selected + 1) % items.count) }

    /// Moves the selection up one, wrapping to the last item.
    public mutating func selectPrevious() { select(items.isEmpty ? 0 : (selected - 1 + items.count) % items.count) }

    public mutating func pageDown() { select(selected + max(1, maxHeight)) }
    public mutating func pageUp() { select(selected - max(1, maxHeight)) }

    /// The popup's size for its items: the widest row (text, two spaces, detail, a space each side) and one row per item, both capped.
    public var size: (width: Int, height: Int) {
        guard !items.isEmpty else { return (0, 0) }
        let widest =
            items.lazy.map { TextWidth.of($0.text) + ($0.detail.isEmpty ? 0 : 2 + TextWidth.of($0.detail)) }.max() ?? 0
        return (min(max(1, maxWidth), widest + 2), min(max(0, maxHeight), items.count))
    }

    /// Where the popup goes for a caret at (x, y) in `area`: below the caret when it fits, else above
    /// when there is more room there; starting at `x`, pushed left to stay inside the area; cut to the area.
    public func frame(anchorX x: Int, anchorY y: Int, in area: Rect) -> Rect {
        let (width, height) = size
        guard width > 0, height > 0, !area.isEmpty else { return .zero }
        let below = area.maxY - (y + 1)
        let above = y - area.y
        let rows: Int
        let top: Int
        if below >= height || below >= above {
            rows = min(height, max(0, below))
            top = y + 1
        } else {
            rows = min(height, above)
            top = y - rows
        }
        let w = min(width, area.width)
        let left = max(area.x, min(x, area.maxX - w))
        return Rect(x: left, y: top, width: w, height: rows).intersection(area)
    }

    /// The first visible item when `rows` rows show: `top` moved as little as needed to show the selection.
    public func visibleTop(rows: Int) -> Int {
        guard rows > 0, !items.isEmpty else { return 0 }
        var t = min(top, selected)
        if selected >= t + rows { t = selected - rows + 1 }
        return max(0, min(t, items.count - rows))
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty, !items.isEmpty else { return }
        let rows = min(area.height, items.count)
        let first = visibleTop(rows: rows)
        let normal = theme.statusBar
        for row in 0..<rows {
            let index = first + row
            let item = items[index]
            let style = index == selected ? theme.selectedRow : normal
            let y = area.y + row
            screen.fill(Rect(x: area.x, y: y, width: area.width, height: 1), with: Cell(" ", style: style))
            let room = area.width - 2
            guard room > 0 else { continue }
            let textWidth = TextWidth.of(item.text)
            screen.put(TextWidth.truncate(item.text, to: room), x: area.x + 1, y: y, style: style, clip: area)
            let detailWidth = TextWidth.of(item.detail)
            if !item.detail.isEmpty, textWidth + 2 + detailWidth <= room {
                let detailStyle = index == selected ? style : theme.statusBar.fg(theme.dimText.foreground)
                screen.put(item.detail, x: area.x + 1 + room - detailWidth, y: y, style: detailStyle, clip: area)
            }
        }
    }
}

extension CompletionList {
    /// Candidates matching `prefix`, case-insensitively (ASCII): those starting with it first, then those
    /// containing it, then those containing its characters in order; each group keeps the candidates' order.
    public static func filter(_ candidates: [CompletionItem], prefix: String, limit: Int) -> [CompletionItem] {
        guard limit > 0 else { return [] }
        let needle = Array(prefix.utf8).map(foldASCII)
        guard !needle.isEmpty else { return Array(candidates.prefix(limit)) }
        var prefixed: [CompletionItem] = []
        var containing: [CompletionItem] = []
        var scattered: [CompletionItem] = []
        for candidate in candidates {
            let match =
                candidate.text.utf8.withContiguousStorageIfAvailable { classify($0, needle) }
                ?? classify(Array(candidate.text.utf8), needle)
            switch match {
            case .prefix:
                prefixed.append(candidate)
                if prefixed.count == limit { return prefixed }
            case .substring where containing.count < limit: containing.append(candidate)
            case .subsequence where scattered.count < limit: scattered.append(candidate)
            default: break
            }
        }
        return Array((prefixed + containing + scattered).prefix(limit))
    }

    private enum Match { case prefix, substring, subsequence, none }

    private static func foldASCII(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    private static func classify<C: RandomAccessCollection>(_ hay: C, _ needle: [UInt8]) -> Match
    where C.Element == UInt8, C.Index == Int {
        let n = needle.count
        let count = hay.count
        guard count >= n else { return .none }
        let base = hay.startIndex
        var starts = true
        for k in 0..<n where foldASCII(hay[base + k]) != needle[k] {
            starts = false
            break
        }
        if starts { return .prefix }
        let first = needle[0]
        var i = 1
        while i + n <= count {
            if foldASCII(hay[base + i]) == first {
                var k = 1
                while k < n, foldASCII(hay[base + i + k]) == needle[k] { k += 1 }
                if k == n { return .substring }
            }
            i += 1
        }
        var k = 0
        for j in 0..<count where k < n && foldASCII(hay[base + j]) == needle[k] { k += 1 }
        return k == n ? .subsequence : .none
    }
}
