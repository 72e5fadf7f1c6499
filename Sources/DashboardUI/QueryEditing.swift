import Dashboards
import KubeglassCore
import Query
import TerminalUI

/// Editing a panel's queries in place: the focused panel's targets (or a table's column
/// queries) in a working copy, one at a time in the editor, checked as you type, previewed
/// live, applied with Enter or dropped with Esc.
public struct QueryEditing {
    public let panel: Int
    public private(set) var target: Int
    /// The working copy of every query of the panel.
    public private(set) var texts: [String]
    let originals: [String]
    /// The working copy of each target's legend format (Grafana's `{{label}}` template); empty for a table.
    public private(set) var legends: [String]
    let originalLegends: [String]
    /// Which of the target's fields the editor holds: Shift-Tab goes from the query to its legend and back.
    public private(set) var field = Field.expression
    let names: [String]
    public var editor: QueryEditor
    /// Where applied queries are kept (`$XDG_STATE_HOME/kubeglass/history`); nil keeps none.
    let historyFile: String?

    public enum Field: Equatable, Sendable { case expression, legend }

    public enum Outcome: Equatable {
        case none, redraw
        /// The working copy changed: evaluate the panel again for the preview.
        case preview
        case apply, cancel
    }

    /// What the query is checked against while typing: variables replaced by their values (set by the app).
    public var expandVariables: @Sendable (String) -> String = { $0 }
    /// The queries go to a Prometheus-compatible server, which knows functions kubeglass' parser does not
    /// (VictoriaMetrics' MetricsQL, a newer Prometheus'): an unknown function is left for it to judge, and
    /// its answer (or error) shows in the preview.
    let serverFunctions: Bool

    /// Nil when the panel has no query to edit (a text panel).
    public init?(
        dashboard: Dashboard, panel index: Int, theme: Theme, language: QueryLanguage = .promql,
        historyFile: String? = nil, serverFunctions: Bool = false,
        expandVariables: @escaping @Sendable (String) -> String = { $0 }
    ) {
        self.expandVariables = expandVariables
        self.serverFunctions = serverFunctions
        guard dashboard.panels.indices.contains(index) else { return nil }
        let p = dashboard.panels[index]
        let queries = QueryEditing.queries(of: p)
        guard !queries.isEmpty else { return nil }
        panel = index
        target = 0
        texts = queries.map(\.text)
        originals = texts
        legends = p.kind == .table ? [] : p.targets.map { $0.legend ?? "" }
        originalLegends = legends
        names = queries.map(\.name)
        editor = QueryEditor(buffer: EditBuffer(texts[0]), language: language, theme: theme)
        editor.buffer.cursorOffset = texts[0].count
        self.historyFile = historyFile
        if let historyFile { editor.history = HistoryWalk(history: QueryHistory.load(path: historyFile)) }
        check()
    }

    static func queries(of panel: Panel) -> [(name: String, text: String)] {
        if panel.kind == .table {
            return panel.columns.compactMap { c in c.expr.map { (c.title, $0) } }
        }
        return panel.targets.enumerated().map { i, t in (t.legend ?? "query \(i + 1)", t.expr) }
    }

    public var prompt: String {
        if field == .legend {
            return "Legend of query \(target + 1): {{label}} names each series by a label (Shift-Tab: the query)"
        }
        let which = texts.count > 1 ? " · \(target + 1)/\(texts.count) \(names[target]) (PgUp PgDn: other queries)" : ""
        return "\(editor.language == .promql ? "PromQL" : "InfluxQL")\(which)"
    }

    public var hasError: Bool { editor.error != nil }

    /// Applies a key; `candidates` gives completion items when Tab asks for them.
    public mutating func handle(_ key: Key, candidates: () -> [CompletionItem]) -> Outcome {
        let wasCompleting = editor.isCompleting
        if key == .backTab && !wasCompleting && editor.history.search == nil {
            return switchField(to: field == .expression ? .legend : .expression)
        }
        if field == .legend { return handleLegend(key) }
        // ↑ ↓ at the edges walk the history; PgUp and PgDn go to the panel's other queries.
        if !wasCompleting && editor.history.search == nil && (key == .pageUp || key == .pageDown) {
            return switchTarget(to: target + (key == .pageUp ? -1 : 1))
        }
        switch editor.handle(key) {
        case .edited:
            if wasCompleting && editor.isCompleting { editor.complete(from: candidates()) }
            return edited()
        case .moved:
            return .redraw
        case .submit:
            texts[target] = editor.buffer.text
            check()
            if editor.buffer.text.allSatisfy(\.isWhitespace) {
                editor.error = (line: 1, column: 1, message: "type a query first (Esc leaves)")
                return .redraw
            }
            if !hasError { recordHistory() }
            return hasError ? .redraw : .apply
        case .cancel:
            texts = originals
            legends = originalLegends
            return .cancel
        case .complete:
            let before = editor.buffer.text
            editor.complete(from: candidates())
            return editor.buffer.text == before ? .redraw : edited()
        case .historyPrevious, .historyNext, .ignored:
            return .none
        }
    }

    private mutating func edited() -> Outcome {
        texts[target] = editor.buffer.text
        check()
        return hasError ? .redraw : .preview
    }

    /// Keeps every query of the panel that was changed, for Up/Down and Ctrl-R next time.
    private mutating func recordHistory() {
        guard let historyFile else { return }
        for (k, (text, original)) in zip(texts, originals).enumerated() where text != original || k == target {
            // A history that cannot be written is not worth stopping the edit for.
            if let saved = try? QueryHistory.append(text, path: historyFile) { editor.history.history = saved }
        }
    }

    /// A key in the legend field: plain text, no completion or history; Enter applies, Esc cancels.
    private mutating func handleLegend(_ key: Key) -> Outcome {
        if [.up, .down, .tab, .control("r"), .pageUp, .pageDown].contains(key) { return .none }
        switch editor.handle(key) {
        case .edited:
            legends[target] = editor.buffer.text
            return .preview
        case .moved: return .redraw
        case .submit:
            legends[target] = editor.buffer.text
            // The query is checked again: Enter applies only a query that parses.
            check(texts[target])
            return hasError ? .redraw : .apply
        case .cancel:
            texts = originals
            legends = originalLegends
            return .cancel
        default: return .none
        }
    }

    /// Puts the other field of the target in the editor (tables' column queries have no legend).
    private mutating func switchField(to next: Field) -> Outcome {
        guard legends.indices.contains(target), next != field else { return .none }
        if field == .expression { texts[target] = editor.buffer.text } else { legends[target] = editor.buffer.text }
        field = next
        let text = next == .expression ? texts[target] : legends[target]
        editor.buffer = EditBuffer(text)
        editor.buffer.cursorOffset = text.count
        editor.completion = nil
        editor.error = nil
        if next == .expression { check() }
        return .redraw
    }

    private mutating func switchTarget(to i: Int) -> Outcome {
        guard texts.indices.contains(i) else { return .none }
        texts[target] = editor.buffer.text
        target = i
        editor.buffer = EditBuffer(texts[i])
        editor.buffer.cursorOffset = texts[i].count
        editor.completion = nil
        editor.history = HistoryWalk(history: editor.history.history)
        check()
        return .redraw
    }

    /// Parses the query being edited (or `text`) and puts any error under the caret's line.
    mutating func check(_ text: String? = nil) {
        let text = text ?? editor.buffer.text
        // InfluxQL is checked by the server: its error shows in the panel's preview.
        // Nothing typed yet is not an error to show: the editor waits (Enter on it says what to do).
        guard editor.language == .promql, !text.allSatisfy(\.isWhitespace) else {
            editor.error = nil
            return
        }
        do {
            _ = try PromQL.parse(expandVariables(text))
            editor.error = nil
        } catch {
            let message = error.message.replacingOccurrences(of: "parse error: ", with: "")
            if serverFunctions,
                message.hasPrefix("unknown function with name")
                    || message.hasSuffix("is not supported by the local query engine")
            {
                editor.error = nil
                return
            }
            editor.error = (line: error.line ?? 1, column: error.column ?? 1, message: message)
        }
    }

    /// The dashboard with this panel's queries replaced by the working copy.
    public func applied(to dashboard: Dashboard) -> Dashboard {
        var d = dashboard
        var p = d.panels[panel]
        if p.kind == .table {
            var i = 0
            for c in p.columns.indices where p.columns[c].expr != nil {
                p.columns[c].expr = texts[i]
                i += 1
            }
        } else {
            for i in p.targets.indices {
                p.targets[i].expr = texts[i]
                if legends.indices.contains(i) { p.targets[i].legend = legends[i].isEmpty ? nil : legends[i] }
            }
        }
        d.panels[panel] = p
        return d
    }

    /// What Tab offers in local PromQL: the datasource's metric and label names, functions, keywords.
    public static func candidates(words: CompletionWords) -> [CompletionItem] {
        QueryCompletion.items(words, language: .promql)
    }
}
