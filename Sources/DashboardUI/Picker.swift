import Dashboards
import KubeglassCore
import TerminalUI

/// A list to choose from, over the dashboard: time ranges, refresh intervals, a variable's values,
/// dashboards, themes. Typing filters it; multi-value lists toggle with space.
public struct Picker: Equatable {
    public enum Purpose: Equatable {
        case timeRange, refresh, dashboards
        /// The colour themes (`T`): built-in and the user's own.
        case themes
        /// The list of variables; Enter opens one.
        case variables
        /// One variable's values.
        case variable(name: String, multi: Bool)
    }

    public var purpose: Purpose
    public var title: String
    public var items: [String]
    /// The first item when the list was opened, shown checked.
    public var checked: Set<String>
    public var selected = 0
    public var filter = ""
    /// The time range picker's custom entry: typed text like `90m` or `2d`.
    public var typing: Bool = false

    public init(purpose: Purpose, title: String, items: [String], checked: Set<String> = [], selected: Int = 0) {
        self.purpose = purpose
        self.title = title
        self.items = items
        self.checked = checked
        self.selected = max(0, min(selected, items.count - 1))
    }

    public var visible: [String] {
        filter.isEmpty ? items : items.filter { $0.localizedCaseInsensitiveContains(filter) }
    }

    public enum Outcome: Equatable {
        case none, redraw, cancel
        /// Chosen: one item, or the checked ones of a multi-value list.
        case chosen([String])
    }

    public mutating func handle(_ key: Key) -> Outcome {
        let list = visible
        switch key {
        case .escape:
            if !filter.isEmpty {
                filter = ""
                selected = 0
                return .redraw
            }
            return .cancel
        case .up:
            selected = max(0, selected - 1)
        case .character("k") where filter.isEmpty && !typing: // k and j only when not typing a filter
            selected = max(0, selected - 1)
        case .down:
            selected = min(max(0, list.count - 1), selected + 1)
        case .character("j") where filter.isEmpty && !typing:
            selected = min(max(0, list.count - 1), selected + 1)
        case .home: selected = 0
        case .end: selected = max(0, list.count - 1)
        case .character(" ") where isMulti:
            guard list.indices.contains(selected) else { return .none }
            let item = list[selected]
            if item == "All" {
                checked = checked.contains("All") ? [] : ["All"]
            } else {
                checked.remove("All")
                if checked.contains(item) { checked.remove(item) } else { checked.insert(item) }
            }
        case .enter:
            if isMulti, !checked.isEmpty { return .chosen(items.filter(checked.contains)) }
            if purpose == .timeRange, list.isEmpty, Picker.typedRange(filter).problem != nil { return .none }
            if typing || (purpose == .timeRange && list.isEmpty && !filter.isEmpty) { return .chosen([filter]) }
            guard list.indices.contains(selected) else { return .none }
            return .chosen([list[selected]])
        case .backspace:
            guard !filter.isEmpty else { return .none }
            filter.removeLast()
            selected = 0
        case .character(let c) where !c.isNewline:
            filter.append(c)
            selected = 0
        default:
            return .none
        }
        return .redraw
    }

    var isMulti: Bool {
        if case .variable(_, true) = purpose { return true }
        return false
    }

    /// The time ranges offered, and the refresh intervals.
    public static let timeRanges: [(label: String, ms: Int64)] = [
        ("Last 5 minutes", 5 * Milliseconds.minute), ("Last 15 minutes", 15 * Milliseconds.minute),
        ("Last 30 minutes", 30 * Milliseconds.minute), ("Last 1 hour", Milliseconds.hour),
        ("Last 3 hours", 3 * Milliseconds.hour), ("Last 6 hours", 6 * Milliseconds.hour),
        ("Last 12 hours", 12 * Milliseconds.hour), ("Last 24 hours", Milliseconds.day),
        ("Last 2 days", 2 * Milliseconds.day), ("Last 7 days", Milliseconds.week),
    ]
    public static let refreshIntervals: [(label: String, ms: Int64)] = [
        ("1s", 1000), ("2s", 2000), ("5s", 5000), ("10s", 10_000), ("30s", 30_000), ("1m", Milliseconds.minute),
        ("5m", 5 * Milliseconds.minute),
    ]
}

/// The picker drawn as a centred box: title, the filter being typed, the items with the selection marked.
struct PickerOverlay: Widget {
    let picker: Picker
    let theme: Theme

    func render(in area: Rect, on screen: inout Screen) {
        let area = area.intersection(screen.bounds)
        guard area.width >= 10, area.height >= 5 else { return }
        let list = picker.visible
        let hint: String
        switch picker.purpose {
        case .timeRange: hint = "Enter choose · type a range like 90m or 2d · Esc close"
        case .variable(_, true): hint = "Space toggle · Enter apply · type to filter · Esc close"
        default: hint = "Enter choose · type to filter · Esc close"
        }
        let widest = max(
            list.map { TextWidth.of($0) + 4 }.max() ?? 0, TextWidth.of(picker.title) + 4, TextWidth.of(hint), 24)
        let width = min(area.width, widest + 4)
        let height = min(area.height, max(list.count, 1) + 4)
        let box = Rect(
            x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        screen.fill(box, with: Cell(" ", style: theme.background))
        screen.box(box, style: theme.focusedBorder, title: picker.title, titleStyle: theme.focusedTitle)
        let inside = box.inset(top: 1, left: 2, bottom: 1, right: 2)
        guard !inside.isEmpty else { return }
        let filterLine = picker.filter.isEmpty ? hint : "› " + picker.filter
        screen.put(
            TextWidth.truncate(filterLine, to: inside.width), x: inside.x, y: inside.y,
            style: picker.filter.isEmpty ? theme.dimText : theme.text, clip: inside)
        let rows = inside.height - 1
        guard rows > 0 else { return }
        let top = max(0, min(picker.selected - rows + 1, list.count - rows))
        for (row, item) in list.dropFirst(top).prefix(rows).enumerated() {
            let i = top + row
            let mark =
                picker.isMulti
                ? (picker.checked.contains(item) ? "[x] " : "[ ] ") : (picker.checked.contains(item) ? "● " : "  ")
            // The cursor shows without colour too (a monochrome terminal, a screen capture).
            let cursor = i == picker.selected ? "›" : " "
            let style = i == picker.selected ? theme.focusedTitle : theme.text
            screen.put(
                TextWidth.truncate(cursor + mark + item, to: inside.width), x: inside.x - 1, y: inside.y + 1 + row,
                style: style,
                clip: Rect(x: inside.x - 1, y: inside.y, width: inside.width + 1, height: inside.height))
        }
        if list.isEmpty {
            let typed = Picker.typedRange(picker.filter)
            let text =
                picker.purpose == .timeRange ? typed.problem ?? "Enter: last \(picker.filter)" : "no match"
            screen.put(
                TextWidth.truncate(text, to: inside.width), x: inside.x, y: inside.y + 1, style: theme.dimText,
                clip: inside)
        }
    }
}

/// Draws a picker where tests can see it.
public enum PickerOverlayProbe {
    public static func render(_ picker: Picker, theme: Theme = .default, on screen: inout Screen) {
        PickerOverlay(picker: picker, theme: theme).render(in: screen.bounds, on: &screen)
    }
}
