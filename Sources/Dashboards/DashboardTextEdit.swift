import Foundation
import Yams

/// A query that the editor changed: which panel, which of its queries, the text it had and the text it has.
public struct QueryChange: Sendable, Hashable {
    public enum Place: Sendable, Hashable {
        /// A target's query (in file order: the panel's own `expr` first, then `targets`).
        case targetExpr(Int)
        /// A target's legend (Grafana's legendFormat).
        case targetLegend(Int)
        /// A table column's query.
        case columnExpr(Int)
    }
    public var panel: Int
    public var place: Place
    public var old: String
    public var new: String
    public init(panel: Int, place: Place, old: String, new: String) {
        self.panel = panel
        self.place = place
        self.old = old
        self.new = new
    }
}

/// Writes the queries that changed into a dashboard file's own YAML text, so that its comments, order and layout
/// stay as they were: only the changed scalars are replaced, each where the file has it.
public enum DashboardTextEdit {
    /// What changed from `before` to `after`: the queries only. nil when anything else changed (a panel added,
    /// a legend set where there was none), which only a whole new file can hold.
    public static func changes(from before: Dashboard, to after: Dashboard) -> [QueryChange]? {
        guard before.panels.count == after.panels.count else { return nil }
        var out: [QueryChange] = []
        for (i, (p, q)) in zip(before.panels, after.panels).enumerated() {
            guard p.targets.count == q.targets.count, p.columns.count == q.columns.count else { return nil }
            var same = q
            for j in q.targets.indices {
                let (a, b) = (p.targets[j], q.targets[j])
                if a.expr != b.expr {
                    out.append(QueryChange(panel: i, place: .targetExpr(j), old: a.expr, new: b.expr))
                }
                if a.legend != b.legend {
                    guard let old = a.legend, let new = b.legend else { return nil }
                    out.append(QueryChange(panel: i, place: .targetLegend(j), old: old, new: new))
                }
                same.targets[j].expr = a.expr
                same.targets[j].legend = a.legend
            }
            for j in q.columns.indices where p.columns[j].expr != q.columns[j].expr {
                guard let old = p.columns[j].expr, let new = q.columns[j].expr else { return nil }
                out.append(QueryChange(panel: i, place: .columnExpr(j), old: old, new: new))
                same.columns[j].expr = old
            }
            guard same == p else { return nil }
        }
        return out
    }

    /// `text` with each change written where the file holds the old query; nil when the file does not hold it
    /// as a one-line scalar (a `|` block, text that differs), so the caller writes the file whole instead.
    public static func apply(_ changes: [QueryChange], to text: String) -> String? {
        guard !changes.isEmpty else { return text }
        guard let root = try? Yams.compose(yaml: text), let panels = root["panels"], case .sequence(let list) = panels
        else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            Array(String($0).unicodeScalars)
        }
        var edits: [(line: Int, start: Int, end: Int, text: String)] = []
        for change in changes {
            guard change.panel < list.count, let node = scalarNode(of: change, in: list[change.panel]),
                node.string == change.old, let mark = node.mark, mark.line - 1 < lines.count,
                let end = scalarEnd(lines[mark.line - 1], from: mark.column - 1, value: change.old)
            else { return nil }
            edits.append((mark.line - 1, mark.column - 1, end, YAMLText.scalar(change.new, flow: true)))
        }
        // From the end backwards, so that an edit does not move the ones before it.
        for e in edits.sorted(by: { ($0.line, $0.start) > ($1.line, $1.start) }) {
            lines[e.line].replaceSubrange(e.start..<e.end, with: Array(e.text.unicodeScalars))
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    /// The scalar a change is about: the panel's own `expr` is its first target, then `targets` in order.
    private static func scalarNode(of change: QueryChange, in panel: Node) -> Node? {
        let ownExpr = panel["expr"] != nil
        func target(_ j: Int) -> Node? {
            if ownExpr && j == 0 { return panel }
            let k = ownExpr ? j - 1 : j
            guard case .sequence(let targets)? = panel["targets"], k < targets.count else { return nil }
            return targets[k]
        }
        switch change.place {
        case .targetExpr(let j): return target(j)?["expr"]
        case .targetLegend(let j): return target(j)?["legend"]
        case .columnExpr(let j):
            guard case .sequence(let columns)? = panel["columns"], j < columns.count else { return nil }
            return columns[j]["expr"]
        }
    }

    /// Where a one-line scalar that starts at `start` ends: after its closing quote, or after `value` when plain.
    static func scalarEnd(_ line: [Unicode.Scalar], from start: Int, value: String) -> Int? {
        guard start < line.count else { return nil }
        switch line[start] {
        case "'":
            var i = start + 1
            while i < line.count {
                if line[i] == "'" {
                    if i + 1 < line.count, line[i + 1] == "'" {
                        i += 2
                        continue
                    }
                    return i + 1
                }
                i += 1
            }
            return nil
        case "\"":
            var i = start + 1
            while i < line.count {
                if line[i] == "\\" {
                    i += 2
                    continue
                }
                if line[i] == "\"" { return i + 1 }
                i += 1
            }
            return nil
        case "|", ">": return nil
        default:
            let v = Array(value.unicodeScalars)
            guard start + v.count <= line.count, Array(line[start..<(start + v.count)]) == v else { return nil }
            return start + v.count
        }
    }
}
