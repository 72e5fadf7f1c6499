import KubeglassCore

/// A column of a `Table`: its header, alignment, width rule and what its cells hold.
public struct TableColumn: Sendable {
    public enum Alignment: Sendable, Hashable { case left, right }

    public enum Width: Sendable, Hashable {
        /// Exactly this many columns (less only when the table is too narrow).
        case fixed(Int)
        /// At least `min` columns, plus an equal share of what the fixed columns leave.
        case flexible(min: Int)
    }

    public enum Kind: Sendable, Hashable {
        case text
        /// Numbers formatted with this unit.
        case number(DisplayUnit)
        /// Series drawn as a sparkline.
        case sparkline
    }

    public var title: String
    public var alignment: Alignment
    public var width: Width
    public var kind: Kind

    public init(title: String, alignment: Alignment = .left, width: Width = .flexible(min: 4), kind: Kind = .text) {
        self.title = title
        self.alignment = alignment
        self.width = width
        self.kind = kind
    }
}

/// One cell of a table row.
public enum TableValue: Sendable {
    /// Text, in its own style (the theme's text style when nil).
    case text(String, Style? = nil)
    /// A number, in its own style (a threshold's colour; the row's style when nil).
    case number(Double?, Style? = nil)
    case series([Double?])
}

public struct TableRow: Sendable {
    /// What the row is about (a pod, a node), to keep the selection when rows move.
    public var id: String
    public var cells: [TableValue]

    public init(id: String, cells: [TableValue]) {
        self.id = id
        self.cells = cells
    }
}

/// Rows under a header, scrolled to `scrollOffset`, with `selectedRow` highlighted.
///
/// The table draws rows in the order given: sort them with `Table.sorted(rows:by:descending:)`;
/// `sortColumn` and `sortDescending` only set the ▼/▲ marker in the header. `selectedRow` and
/// `scrollOffset` index the rows as given; the offset is clamped so the last page stays full.
/// Columns are one space apart; columns that do not fit on the right are left out. Text too long
/// for its column is cut in the middle (`report-b…29000014-c56gz`).
public struct Table: Widget, Sendable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    public var sortColumn: Int?
    public var sortDescending: Bool
    public var selectedRow: Int?
    public var scrollOffset: Int
    public var theme: Theme

    public init(
        columns: [TableColumn], rows: [TableRow], sortColumn: Int? = nil, sortDescending: Bool = false,
        selectedRow: Int? = nil, scrollOffset: Int = 0, theme: Theme = .default
    ) {
        self.columns = columns
        self.rows = rows
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
        self.selectedRow = selectedRow
        self.scrollOffset = scrollOffset
        self.theme = theme
    }

    /// Rows a table of `height` shows below its header.
    public static func visibleRowCount(height: Int) -> Int { max(0, height - 1) }

    /// The scroll offset closest to `current` that shows row `selected` (and no empty tail).
    public static func scrollOffset(showing selected: Int?, from current: Int, visibleRows: Int, rowCount: Int) -> Int {
        let last = max(0, rowCount - max(0, visibleRows))
        var offset = min(max(0, current), last)
        if let selected, visibleRows > 0 {
            if selected < offset {
                offset = selected
            } else if selected >= offset + visibleRows {
                offset = selected - visibleRows + 1
            }
        }
        return min(max(0, offset), last)
    }

    /// The width of each column in a table `width` wide (0 for columns left out).
    ///
    /// Without `content`, flexible columns share what is spare equally. With `content` (the widest
    /// cell of each column), flexible text columns first grow until their text fits, left to right, and what is
    /// left then goes to flexible sparklines (more history), or to the text columns when there are none.
    public static func columnWidths(_ columns: [TableColumn], width: Int, content: [Int]? = nil) -> [Int] {
        var wanted = columns.map { column -> Int in
            switch column.width {
            case .fixed(let n): return max(0, n)
            case .flexible(let minimum): return max(0, minimum)
            }
        }
        // A number cut short reads as another number: number columns grow to their widest value. A text
        // column whose text is narrower than its minimum gives the rest away (a status of `Ready`).
        if let content {
            for i in columns.indices where i < content.count {
                switch (columns[i].kind, columns[i].width) {
                case (.number, _): wanted[i] = max(wanted[i], content[i])
                case (.text, .flexible): wanted[i] = min(wanted[i], content[i])
                default: break
                }
            }
        }
        let flexible = columns.indices.filter { if case .flexible = columns[$0].width { true } else { false } }
        // Columns of no width take no gap (see below).
        var spare = width - wanted.reduce(0, +) - max(0, wanted.filter { $0 > 0 }.count - 1)
        func share(_ spare: Int, among picked: [Int]) {
            guard spare > 0, !picked.isEmpty else { return }
            for (n, i) in picked.enumerated() {
                wanted[i] += spare / picked.count + (n < spare % picked.count ? 1 : 0)
            }
        }
        if let content {
            let text = flexible.filter { columns[$0].kind != .sparkline }
            // In column order, so the name (the first column, as a rule) fits before a status grows.
            for i in text where i < content.count && spare > 0 {
                let gap = wanted[i] == 0 ? 1 : 0
                let grow = min(spare - gap, max(0, content[i] - wanted[i]))
                guard grow > 0 else { continue }
                wanted[i] += grow
                spare -= grow + gap
            }
            let sparklines = flexible.filter { columns[$0].kind == .sparkline }
            share(spare, among: sparklines.isEmpty ? text : sparklines)
        } else {
            share(spare, among: flexible)
        }
        var x = 0
        return wanted.map { w in
            let fitted = max(0, min(w, width - x))
            // A column with no width (a flexible one of minimum 0 that got nothing) takes no gap either.
            if fitted > 0 { x += fitted + 1 }
            return fitted
        }
    }

    public func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard !area.isEmpty else { return }
        screen.fill(area, with: Cell(" ", style: theme.background))
        let widths = Table.columnWidths(columns, width: area.width, content: contentWidths())

        let (header, body) = area.splitTop(1)
        screen.fill(header, with: Cell(" ", style: theme.tableHeader))
        var x = area.x
        for (i, column) in columns.enumerated() where widths[i] > 0 {
            var title = column.title
            if i == sortColumn {
                let marker = sortDescending ? "▼" : "▲"
                title = widths[i] < 2 ? marker : TextWidth.truncate(title, to: widths[i] - 2) + " " + marker
            }
            screen.put(
                TextWidth.pad(title, to: widths[i], alignRight: column.alignment == .right), x: x, y: header.y,
                style: theme.tableHeader, clip: header)
            x += widths[i] + 1
        }

        let offset = Table.scrollOffset(
            showing: nil, from: scrollOffset, visibleRows: body.height, rowCount: rows.count)
        for (line, index) in (offset..<min(rows.count, offset + body.height)).enumerated() {
            let selected = index == selectedRow
            let rowArea = Rect(x: area.x, y: body.y + line, width: area.width, height: 1)
            if selected { screen.fill(rowArea, with: Cell(" ", style: theme.selectedRow)) }
            var x = area.x
            for (i, column) in columns.enumerated() where widths[i] > 0 {
                let cell = Rect(x: x, y: rowArea.y, width: widths[i], height: 1)
                if i < rows[index].cells.count {
                    draw(rows[index].cells[i], of: column, in: cell, selected: selected, on: &screen)
                }
                x += widths[i] + 1
            }
        }
    }

    /// The widest cell of each column among the rows: text (or its title), or a number as formatted (0 for
    /// sparklines).
    private func contentWidths() -> [Int] {
        columns.enumerated().map { i, column in
            rows.reduce(column.kind == .text ? TextWidth.of(column.title) + (i == sortColumn ? 2 : 0) : 0) {
                widest, row in
                guard i < row.cells.count else { return widest }
                switch row.cells[i] {
                case .text(let s, _): return max(widest, TextWidth.of(s))
                case .number(let v, _):
                    let unit: DisplayUnit = if case .number(let u) = column.kind { u } else { .none }
                    return max(widest, TextWidth.of(unit.format(v)))
                case .series: return widest
                }
            }
        }
    }

    private func draw(
        _ value: TableValue, of column: TableColumn, in cell: Rect, selected: Bool, on screen: inout Screen
    ) {
        let rowStyle = selected ? theme.selectedRow : theme.text
        let text: String
        let style: Style
        switch value {
        case .text(let s, let own):
            // Names that share a prefix (pods of one deployment) differ at the end: cut the middle.
            (text, style) = (TextWidth.truncateMiddle(s, to: cell.width), selected ? rowStyle : own ?? rowStyle)
        case .number(let v, let own):
            let unit: DisplayUnit = if case .number(let u) = column.kind { u } else { .none }
            // The selected row keeps its highlight; a threshold's colour shows in the text of the others.
            (text, style) = (unit.format(v), selected ? rowStyle : own ?? rowStyle)
        case .series(let values):
            let style = selected ? rowStyle : rowStyle.fg(theme.seriesColor(0))
            Sparkline(values: values, style: style, min: Sparkline.lowest(values)).render(in: cell, on: &screen)
            return
        }
        screen.put(
            TextWidth.pad(text, to: cell.width, alignRight: column.alignment == .right), x: cell.x, y: cell.y,
            style: style, clip: cell)
    }
}
