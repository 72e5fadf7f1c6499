import Dashboards
import Foundation
import KubeglassCore
import Query
import TerminalUI

/// The whole frame: header, panels (or one panel full screen), status bar, help.
public struct DashboardView: Widget {
    public struct Context {
        public var dashboard: Dashboard
        public var data: [Int: PanelData]
        public var state: ViewState
        public var theme: Theme
        public var sourceName: String
        public var simulated: Bool
        public var health: SourceHealth
        public var refresh: Int64
        public var now: Timestamp
        public var timeZone: TimeZone
        /// A query being edited: its panel previews above the editor.
        public var editing: QueryEditing?
        /// Shown as a badge in the header while it holds (`TLS NOT VERIFIED`).
        public var headerWarning: String?
        /// The dashboard's variables and what is chosen (shown in the header).
        public var variables = ResolvedVariables()
        /// A one-off line for the status bar ("saved to …"), in place of the key hints.
        public var notice: String?
        /// The header names the cluster (the source name's first part) before the variables: on a wall
        /// screen, which cluster it is matters most.
        public var clusterFirst = false
        /// Where the local store's history starts (nil: unknown, or the dashboard reads a remote datasource):
        /// a window reaching further back says so in the header.
        public var historyStart: Timestamp?
        /// What the first poll has listed so far (`listing pods: 35,000 so far…`), while it runs.
        public var progress: String?

        public init(
            dashboard: Dashboard, data: [Int: PanelData], state: ViewState, theme: Theme, sourceName: String,
            simulated: Bool, health: SourceHealth, refresh: Int64, now: Timestamp, timeZone: TimeZone = .current,
            editing: QueryEditing? = nil
        ) {
            self.editing = editing
            self.dashboard = dashboard
            self.data = data
            self.state = state
            self.theme = theme
            self.sourceName = sourceName
            self.simulated = simulated
            self.health = health
            self.refresh = refresh
            self.now = now
            self.timeZone = timeZone
        }
    }

    public static let minimumWidth = 40
    public static let minimumHeight = 12

    let context: Context
    public init(_ context: Context) { self.context = context }

    /// Rows left for panels once the header and status bar are drawn.
    public static func bodyHeight(screenHeight: Int) -> Int { max(0, screenHeight - 2) }

    /// How many x positions a panel of this width can show (two braille dots per cell, less the axis).
    public static func points(forPanelWidth width: Int) -> Int { max(2, (width - 10) * 2) }

    public func render(in area: Rect, on screen: inout Screen) {
        let theme = context.theme
        screen.fill(area, with: Cell(" ", style: theme.background))
        if area.width < DashboardView.minimumWidth || area.height < DashboardView.minimumHeight {
            MessageView(
                text: "terminal too small (need \(DashboardView.minimumWidth)×\(DashboardView.minimumHeight))",
                style: theme.text
            )
            .render(in: area, on: &screen)
            return
        }
        let (_, rest) = area.splitTop(1)
        let (body, _) = rest.splitBottom(1)
        renderChrome(in: area, on: &screen)

        let panels = context.dashboard.panels
        if let editing = context.editing, panels.indices.contains(editing.panel) {
            let lines = editing.editor.buffer.lineCount
            let (top, bottom) = body.splitBottom(min(body.height / 2, max(7, lines + 5)))
            PanelView(panel: panels[editing.panel], index: editing.panel, context: context, focused: false).render(
                in: top, on: &screen)
            let frame = PanelFrame(title: "Edit query · \(panels[editing.panel].title)", focused: true, theme: theme)
            frame.render(in: bottom, on: &screen)
            var editor = editing.editor
            editor.prompt = editing.prompt
            editor.render(in: frame.inner(bottom), on: &screen)
        } else if context.state.fullscreen, panels.indices.contains(context.state.focus) {
            PanelView(panel: panels[context.state.focus], index: context.state.focus, context: context, focused: true)
                .render(in: body, on: &screen)
        } else {
            let layout = DashboardLayout(
                dashboard: context.dashboard, state: context.state, width: body.width, height: body.height)
            var content = Screen(
                width: body.width, height: max(layout.contentHeight, body.height),
                fill: Cell(" ", style: theme.background))
            for p in layout.placements {
                PanelView(
                    panel: panels[p.panel], index: p.panel, context: context, focused: p.panel == context.state.focus
                )
                .render(in: p.rect, on: &content)
            }
            let scroll = max(0, min(context.state.scroll, content.height - body.height))
            for row in 0..<body.height {
                for col in 0..<body.width {
                    screen[body.x + col, body.y + row] = content[col, row + scroll]
                }
            }
        }
        if let picker = context.state.picker {
            PickerOverlay(picker: picker, theme: theme).render(in: body, on: &screen)
        }
        // Overlays cover the panels only: the header and status bar stay readable.
        if context.state.showHelp {
            HelpOverlay(
                title: "kubeglass keys (Esc closes)", bindings: ViewState.keyHelp, theme: theme,
                scroll: context.state.helpScroll
            )
            .render(in: body, on: &screen)
        } else if context.state.showErrors {
            TextBox(title: "Errors (Esc closes)", paragraphs: errorParagraphs(), theme: theme).render(
                in: body, on: &screen)
        }
    }

    /// What `!` shows: the source's last error and warnings, and each panel's error, in full.
    func errorParagraphs() -> [String] {
        let h = context.health
        var out: [String] = []
        if let error = h.lastError {
            out.append(h.state == .failing ? "✖ " + error : "Before the source recovered: " + error)
        }
        out += h.warnings.map { "▲ " + $0 }
        for (i, panel) in context.dashboard.panels.enumerated() {
            if let error = context.data[i]?.error { out.append("\(panel.title): \(error)") }
        }
        return out.isEmpty ? ["No errors: the last poll worked and every panel has its data."] : out
    }

    /// Only the header and the status bar (the clock and the poll's age), over a frame drawn
    /// earlier: between polls nothing else changes, so the panels are not drawn again.
    /// Returns false when the panels must be redrawn too (a stale badge ages every second).
    @discardableResult
    public func renderChrome(in area: Rect, on screen: inout Screen) -> Bool {
        guard area.width >= DashboardView.minimumWidth, area.height >= DashboardView.minimumHeight else {
            return false
        }
        let (header, rest) = area.splitTop(1)
        let (_, status) = rest.splitBottom(1)
        renderHeader(in: header, on: &screen)
        renderStatus(in: status, scrollHint: scrollHint(width: area.width, bodyHeight: rest.height - 1), on: &screen)
        return context.health.staleAge(now: context.now, interval: context.refresh) == nil
            && context.health.missing.isEmpty
    }

    private func renderHeader(in area: Rect, on screen: inout Screen) {
        let theme = context.theme
        screen.fill(area, with: Cell(" ", style: theme.header))
        var x = area.x + 1
        x += screen.put("kubeglass", x: x, y: area.y, style: theme.header, clip: area)
        x += screen.put("  ▸ " + context.dashboard.title + "  ", x: x, y: area.y, style: theme.header, clip: area)
        if context.simulated {
            x += screen.put(" DEMO ", x: x, y: area.y, style: theme.headerBadge, clip: area)
            x += 2
        }
        if let warning = context.headerWarning {
            x += screen.put(" ⚠ \(warning) ", x: x, y: area.y, style: theme.header.fg(theme.critical).bold, clip: area)
            x += 2
        }
        let clock = DashboardView.clockText(context.now, timeZone: context.timeZone)
        let right = "\(DashboardView.windowText(context))  \(clock) "
        let rightX = area.maxX - TextWidth.of(right)
        var room = rightX - x - 2
        if context.clusterFirst, room > 4 {
            let name = String(context.sourceName.components(separatedBy: " · ")[0])
            x +=
                screen.put(TextWidth.truncate(name, to: room), x: x, y: area.y, style: theme.header.bold, clip: area)
                + 2
            room = rightX - x - 2
        }
        let chosen = context.variables.entries.filter { !$0.variable.hidden }.map {
            "\($0.variable.name)=\($0.selectionText)"
        }
        if !chosen.isEmpty, room > 8 {
            let text = TextWidth.truncate(chosen.joined(separator: " "), to: room - 2)
            x += screen.put(text, x: x, y: area.y, style: theme.header.bold, clip: area) + 2
            room = rightX - x - 2
        }
        if room > 4, !context.clusterFirst {
            screen.put(
                TextWidth.truncate(context.sourceName, to: room), x: x, y: area.y, style: theme.header.with([]),
                clip: area)
        }
        if rightX > x { screen.put(right, x: rightX, y: area.y, style: theme.header, clip: area) }
    }

    /// `▼ PgDn` when the dashboard goes on below the screen (`▲ PgUp` above): said on the status bar,
    /// because a marker drawn over the panels hid a value.
    func scrollHint(width: Int, bodyHeight: Int) -> String? {
        guard context.editing == nil, !context.state.fullscreen, !context.state.showHelp, !context.state.showErrors,
            bodyHeight > 0
        else { return nil }
        let layout = DashboardLayout(
            dashboard: context.dashboard, state: context.state, width: width, height: bodyHeight)
        guard layout.contentHeight > bodyHeight else { return nil }
        let scroll = max(0, min(context.state.scroll, layout.contentHeight - bodyHeight))
        let above = scroll > 0
        let below = scroll + bodyHeight < layout.contentHeight
        return above && below ? "▲▼ PgUp PgDn" : above ? "▲ PgUp" : below ? "▼ PgDn" : nil
    }

    private func renderStatus(in area: Rect, scrollHint: String?, on screen: inout Screen) {
        let theme = context.theme
        let h = context.health
        let healthText: StatusSegment
        switch h.state {
        case .starting:
            healthText = StatusSegment(text: "◌ " + (context.progress ?? "connecting…"), style: theme.statusBar)
        case .ok where h.staleAge(now: context.now, interval: context.refresh) != nil:
            // The last poll worked, but long ago: the one now out is slow. Not "ok" while every panel is stale.
            let age = max(0, context.now - (h.lastSuccess ?? context.now)) / 1000
            let took = h.lastPollDuration.map { ", the last poll took \(max(1, $0 / 1000))s" } ?? ""
            healthText = StatusSegment(
                text:
                    "◷ \(context.sourceName.split(separator: " ").first ?? "source") slow: last data \(age)s ago\(took)",
                style: theme.style(.warning, on: theme.statusBar))
        case .ok where !h.warnings.isEmpty:
            let more = h.warnings.count > 1 ? " (+\(h.warnings.count - 1) more)" : ""
            healthText = StatusSegment(
                text: "▲ \(h.warnings[0])\(more)", style: theme.style(.warning, on: theme.statusBar))
        case .ok:
            let age = max(0, context.now - (h.lastSuccess ?? context.now)) / 1000
            healthText = StatusSegment(
                text: "● \(context.sourceName.split(separator: " ").first ?? "source") ok · \(age)s ago",
                style: theme.style(.ok, on: theme.statusBar))
        case .failing:
            let retry = h.nextPoll.map { max(0, ($0 - context.now) / 1000) }.map { " · retry in \($0)s" } ?? ""
            healthText = StatusSegment(
                text: "✖ \(h.lastError ?? "poll failed")\(retry)",
                style: theme.style(.critical, on: theme.statusBar).bold)
        }
        var hints =
            context.editing != nil
            ? "Enter apply  Esc cancel  Tab complete  S-Tab legend  ↑ Ctrl-R history"
            : context.state.fullscreen
                ? "Esc back  e edit  ? help  q quit"
                : "? help  q quit  Tab focus  Enter zoom  e edit  r refresh"
        let problem = h.state == .failing || !h.warnings.isEmpty
        if problem, context.editing == nil { hints = "! details  " + hints }
        if context.state.showHelp { hints = "j/k PgUp PgDn scroll  Esc close" }
        if context.state.showErrors { hints = "Esc close" }
        // The panel search's prompt takes the hints' place while it is typed or kept.
        let find = context.state.panelFind.flatMap { _ in
            context.state.findPrompt(
                in: context.dashboard,
                layout: DashboardLayout(
                    dashboard: context.dashboard, state: context.state, width: area.width,
                    height: DashboardView.bodyHeight(screenHeight: area.height)))
        }
        let notice = find ?? context.notice
        if let notice { hints = notice }
        // An error matters more than the key hints: shorten the hints, then the error, never drop it.
        var health = healthText
        let scrollWidth = scrollHint.map { TextWidth.of($0) + 2 } ?? 0
        if TextWidth.of(health.text) + TextWidth.of(hints) + 1 + scrollWidth > area.width {
            if let notice {
                // A notice is said once: cut it short rather than lose it.
                hints = TextWidth.truncate(notice, to: max(16, area.width - TextWidth.of(health.text) - 1))
            } else {
                hints =
                    context.editing != nil
                    ? "Enter apply  Esc cancel" : problem ? "! details  ? help  q quit" : "? help  q quit"
            }
        }
        var left = [StatusSegment(text: hints, style: theme.statusBar)]
        // The scroll hint is short and comes first: without it a person cannot tell there is more below.
        if let scrollHint {
            left.insert(StatusSegment(text: scrollHint + " ", style: theme.statusBar.bold), at: 0)
        }
        let leftWidth = left.reduce(0) { $0 + TextWidth.of($1.text) } + left.count - 1
        let room = area.width - leftWidth - 1
        if TextWidth.of(health.text) > room { health.text = TextWidth.truncate(health.text, to: max(1, room)) }
        StatusBar(left: left, right: [health], theme: theme).render(in: area, on: &screen)
    }

    /// `last 1h · every 5s` when live; `10:00–11:00 · paused` when panned back in time.
    static func windowText(_ context: Context) -> String {
        let range = context.state.range(context.dashboard)
        let every = DurationText.text(milliseconds: context.state.refresh ?? context.refresh)
        guard context.state.timeShift > 0 else {
            return "last \(DurationText.text(milliseconds: range))\(historyText(context, from: context.now - range))"
                + " · every \(every)"
        }
        let end = context.state.end(now: context.now)
        let from = clockText(end - range, timeZone: context.timeZone).prefix(5)
        let to = clockText(end, timeZone: context.timeZone).prefix(5)
        return "\(from)–\(to) (\(DurationText.text(milliseconds: range)))\(historyText(context, from: end - range))"
            + " · paused, 0 for live"
    }

    /// ` · history from 23:10` when the window starts more than a step before the history held, so that a
    /// chart empty on its left says why (the store keeps less than the range, or kubeglass started since).
    static func historyText(_ context: Context, from start: Timestamp) -> String {
        guard let held = context.historyStart, context.dashboard.datasource ?? .local == .local,
            held - start > max(context.refresh, Milliseconds.minute)
        else { return "" }
        return " · history from \(clockText(held, timeZone: context.timeZone).prefix(5))"
    }

    public static func clockText(_ now: Timestamp, timeZone: TimeZone) -> String {
        TimeTicks.clock(now, timeZone: timeZone)
    }
}

extension DashboardView {
    /// The whole dashboard as plain text, as tall as it needs (for `kubeglass once`): a title
    /// line, then every panel on the grid at `width` columns, trailing spaces trimmed. Tables show
    /// their first `maxRows` rows (0: all), and say so in their title when they hold more.
    public static func plainText(_ context: Context, width: Int, maxRows: Int = 0) -> [String] {
        let width = max(DashboardView.minimumWidth, width)
        var panels = context.dashboard.panels
        // Tables grow to show their rows; panels below them move down by as much.
        for (i, panel) in panels.enumerated() where panel.kind == .table {
            let count = context.data[i]?.table?.rows.count ?? 0
            // A table as tall as its grid place shows more than `maxRows` when there is room.
            let shown = maxRows > 0 ? min(count, max(maxRows, panel.gridPos.h - 3)) : count
            if shown < count { panels[i].title += " (first \(shown) of \(count) rows)" }
            let need = shown + 3
            let grow = need - panel.gridPos.h
            guard grow > 0 else { continue }
            let bottom = panel.gridPos.y + panel.gridPos.h
            for j in panels.indices where panels[j].gridPos.y >= bottom { panels[j].gridPos.y += grow }
            panels[i].gridPos.h = need
        }
        var context = context
        context.dashboard.panels = panels
        let layout = DashboardLayout(panels: panels, width: width, height: 0)
        var content = Screen(width: width, height: layout.contentHeight)
        for p in layout.placements {
            PanelView(panel: panels[p.panel], index: p.panel, context: context, focused: false).render(
                in: p.rect, on: &content)
        }
        let time = DashboardView.clockText(context.now, timeZone: context.timeZone)
        let title =
            "\(context.dashboard.title) · \(context.sourceName)\(context.simulated ? " (DEMO)" : "")"
            + " · last \(DurationText.text(milliseconds: context.dashboard.timeRange)) · \(time)"
        return [title] + content.trimmedLines
    }
}
