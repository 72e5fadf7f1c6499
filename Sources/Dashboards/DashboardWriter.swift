import Foundation
import KubeglassCore
import Query

/// A `Dashboard` as our YAML dashboard format, written the way a person would: flow style for grids,
/// targets and short lists, defaults left out, quotes only where YAML needs them.
public enum DashboardWriter {
    /// `comments` go first, one `# ` line each (e.g. where an imported dashboard came from).
    public static func yaml(_ d: Dashboard, comments: [String] = []) -> String {
        var out = YAMLText()
        for c in comments {
            for line in c.split(separator: "\n", omittingEmptySubsequences: false) {
                out.line(0, "# \(line)".trimmingCharacters(in: .whitespaces))
            }
        }
        out.field(0, "title", .text(d.title))
        if let r = d.refresh { out.field(0, "refresh", .raw(DurationText.text(milliseconds: r))) }
        out.field(0, "time", .raw(DurationText.text(milliseconds: d.timeRange)))
        if let ds = d.datasource { out.field(0, "datasource", .raw(ds.rawValue)) }
        if !d.variables.isEmpty {
            out.line(0, "variables:")
            for v in d.variables { variable(v, into: &out) }
        }
        out.line(0, "panels:\(d.panels.isEmpty ? " []" : "")")
        for p in d.panels { panel(p, indent: 2, into: &out) }
        return out.text
    }

    private static func flowTexts(_ items: [String]) -> YAMLValue {
        .raw(YAMLText.flowList(items.map { YAMLText.scalar($0, flow: true) }))
    }

    private static func variable(_ v: Variable, into out: inout YAMLText) {
        var fields: [(String, YAMLValue)] = [("name", .text(v.name))]
        if let label = v.label { fields.append(("label", .text(label))) }
        fields.append(("kind", .raw(v.kind.rawValue)))
        fields.append(("query", .text(v.query)))
        if let r = v.regex { fields.append(("regex", .text(r))) }
        if v.multi { fields.append(("multi", .raw("true"))) }
        if v.includeAll { fields.append(("includeAll", .raw("true"))) }
        if let a = v.allValue { fields.append(("allValue", .text(a))) }
        if !v.current.isEmpty { fields.append(("current", flowTexts(v.current))) }
        if v.hidden != (v.kind == .constant) { fields.append(("hidden", .raw(String(v.hidden)))) }
        if let ds = v.datasource { fields.append(("datasource", .raw(ds.rawValue))) }
        out.item(2, fields)
    }

    private static func panel(_ p: Panel, indent: Int, into out: inout YAMLText) {
        var f: [(String, YAMLValue)] = [("title", .text(p.title)), ("type", .raw(p.kind.rawValue))]
        let g = p.gridPos
        f.append(("grid", .raw("{x: \(g.x), y: \(g.y), w: \(g.w), h: \(g.h)}")))
        if let ds = p.datasource { f.append(("datasource", .raw(ds.rawValue))) }
        if p.unit != .short { f.append(("unit", .text(p.unit.rawValue))) }
        if let v = p.min { f.append(("min", .raw(YAMLText.number(v)))) }
        if let v = p.max { f.append(("max", .raw(YAMLText.number(v)))) }
        if let v = p.decimals { f.append(("decimals", .raw(String(v)))) }
        if p.stack { f.append(("stack", .raw("true"))) }
        if p.sparkline { f.append(("sparkline", .raw("true"))) }
        if p.thresholdLines { f.append(("thresholdLines", .raw("true"))) }
        if let m = p.maxSeries { f.append(("maxSeries", .raw(String(m)))) }
        if let n = p.needs { f.append(("needs", .text(n))) }
        if p.legend != LegendOptions() { f.append(("legendOptions", .raw(legend(p.legend)))) }
        if !p.rowKey.isEmpty { f.append(("key", flowTexts(p.rowKey))) }
        if p.sortColumn != nil || !p.sortDescending {
            var s: [String] = []
            if let c = p.sortColumn, c < p.columns.count {
                s.append("column: \(YAMLText.scalar(p.columns[c].title, flow: true))")
            }
            s.append("descending: \(p.sortDescending)")
            f.append(("sort", .raw("{\(s.joined(separator: ", "))}")))
        }
        if let d = p.drilldown, d.table.isEmpty {
            let vars = d.variables.sorted { $0.key < $1.key }.map {
                "\(YAMLText.scalar($0.key, flow: true)): \(YAMLText.scalar($0.value, flow: true))"
            }
            f.append(
                (
                    "drilldown",
                    .raw(
                        "{dashboard: \(YAMLText.scalar(d.dashboard, flow: true)), variables: {\(vars.joined(separator: ", "))}}"
                    )
                ))
        }
        if p.collapsed { f.append(("collapsed", .raw("true"))) }
        if let text = p.text { f.append(("text", .text(text))) }
        // One plain query reads best as `expr:` on the panel, like the built-in dashboards.
        if p.targets.count == 1, let t = p.targets.first, t.influxBuilder == nil {
            f.append(("expr", .text(t.expr)))
            if let l = t.legend { f.append(("legend", .text(l))) }
            if t.instant { f.append(("instant", .raw("true"))) }
        }
        out.item(indent, f)
        let inner = indent + 2

        if p.targets.count > 1 || p.targets.first?.influxBuilder != nil {
            out.line(inner, "targets:")
            for t in p.targets {
                var tf: [(String, YAMLValue)] = [("expr", .text(t.expr))]
                if let l = t.legend { tf.append(("legend", .text(l))) }
                if t.instant { tf.append(("instant", .raw("true"))) }
                if let b = t.influxBuilder { tf.append(("influxBuilder", .text(b))) }
                out.flowOrBlockItem(inner + 2, tf)
            }
        }
        if !p.thresholds.isEmpty {
            out.line(inner, "thresholds:")
            for s in p.thresholds { out.line(inner + 2, "- " + step(s)) }
        }
        if !p.columns.isEmpty {
            out.line(inner, "columns:")
            for c in p.columns {
                var cf: [(String, YAMLValue)] = [("title", .text(c.title))]
                if let l = c.label { cf.append(("label", .text(l))) }
                if let e = c.expr { cf.append(("expr", .text(e))) }
                if c.unit != .short { cf.append(("unit", .text(c.unit.rawValue))) }
                if c.kind == .sparkline { cf.append(("sparkline", .raw("true"))) }
                if let w = c.width { cf.append(("width", .raw(String(w)))) }
                if !c.thresholds.isEmpty { cf.append(("thresholds", .raw(YAMLText.flowList(c.thresholds.map(step))))) }
                out.flowOrBlockItem(inner + 2, cf)
            }
        }
        if let table = p.drilldown?.table.first {
            // The stat's table, as a panel item with its dash turned into indentation.
            var item = YAMLText()
            panel(table, indent: inner + 2, into: &item)
            out.line(inner, "drilldown:")
            let body = item.text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
            out.line(inner + 2, "table:")
            for (i, l) in body.enumerated() {
                let line = i == 0 ? String(repeating: " ", count: inner + 2) + "  " + l.dropFirst(inner + 4) : String(l)
                out.line(0, line)
            }
        }
        if !p.children.isEmpty {
            out.line(inner, "panels:")
            for c in p.children { panel(c, indent: inner + 2, into: &out) }
        }
    }

    /// `{value: 90, color: critical}`.
    private static func step(_ s: ThresholdStep) -> String {
        "{value: \(s.value.map(YAMLText.number) ?? "null"), color: \(YAMLText.scalar(s.color, flow: true))}"
    }

    private static func legend(_ l: LegendOptions) -> String {
        var parts: [String] = []
        if !l.show { parts.append("mode: hidden") } else if l.table { parts.append("mode: table") }
        if l.values != LegendOptions().values { parts.append("values: \(YAMLText.flowList(l.values.map(\.rawValue)))") }
        if let s = l.sortBy { parts.append("sortBy: \(s.rawValue)") }
        if !l.sortDescending { parts.append("descending: false") }
        return "{\(parts.joined(separator: ", "))}"
    }
}

/// A field's value: text to quote as YAML needs, or YAML already written (numbers, flow mappings).
enum YAMLValue {
    case text(String)
    case raw(String)
}

/// YAML text built line by line, with scalars quoted only when a plain one would read differently.
struct YAMLText {
    private(set) var text = ""

    mutating func line(_ indent: Int, _ s: String) {
        text += String(repeating: " ", count: indent) + s + "\n"
    }

    /// `key: value` (after `- ` when `dash`); a multi-line text written as a `|` block continues on indented lines.
    mutating func field(_ indent: Int, _ key: String, _ value: YAMLValue, dash: Bool = false) {
        let rendered: String
        switch value {
        case .raw(let r): rendered = r
        case .text(let t): rendered = YAMLText.scalar(t)
        }
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        line(indent, "\(dash ? "- " : "")\(key): \(lines[0])")
        let continuation = String(repeating: " ", count: indent + (dash ? 2 : 0) + 2)
        for l in lines.dropFirst() { text += (l.isEmpty ? "" : continuation + l) + "\n" }
    }

    /// A list item of block fields: `- a: 1` then `  b: 2` under it.
    mutating func item(_ indent: Int, _ fields: [(String, YAMLValue)]) {
        for (i, (k, v)) in fields.enumerated() { field(i == 0 ? indent : indent + 2, k, v, dash: i == 0) }
    }

    /// `- {a: 1, b: 2}` when it fits on a line and every text fits flow style, else a block item.
    mutating func flowOrBlockItem(_ indent: Int, _ fields: [(String, YAMLValue)]) {
        var parts: [String] = []
        for (k, v) in fields {
            switch v {
            case .raw(let r): parts.append("\(k): \(r)")
            case .text(let t): parts.append("\(k): \(YAMLText.scalar(t, flow: true))")
            }
        }
        let flow = "- {" + parts.joined(separator: ", ") + "}"
        if indent + flow.count <= 120
            && !fields.contains(where: { if case .text(let t) = $0.1 { return t.contains("\n") } else { return false } }
            )
        {
            line(indent, flow)
        } else {
            item(indent, fields)
        }
    }

    static func flowList(_ items: [String]) -> String { "[\(items.joined(separator: ", "))]" }

    static func number(_ v: Double) -> String {
        if v.isNaN { return ".nan" }
        if v.isInfinite { return v > 0 ? ".inf" : "-.inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = "\(v)"
        if s.contains("e"), !s.contains(".") { s = s.replacingOccurrences(of: "e", with: ".0e") }
        return s
    }

    /// Plain when YAML reads it back as the same text, else single quotes, else double quotes with escapes;
    /// multi-line text in block context as a literal block (`|`), which keeps it readable.
    static func scalar(_ s: String, flow: Bool = false) -> String {
        if isPlain(s, flow: flow) { return s }
        let breaks = s.unicodeScalars.contains { isSpecial($0) }
        if !breaks { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        if !flow, let block = literalBlock(s) { return block }
        return doubleQuoted(s)
    }

    private static func isSpecial(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) || u == "\u{2028}" || u == "\u{2029}"
            || u == "\u{FEFF}"
    }

    private static let reserved: Set<String> = [
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "=",
    ]

    static func isPlain(_ s: String, flow: Bool) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first == " " || last == " " || s.unicodeScalars.contains(where: isSpecial) { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        // A leading digit reads as a number, date or time unless spaces make it text (`100 * sum(x)`); dates are `2024-…`.
        if ("0"..."9").contains(first)
            && (!s.contains(" ") || s.range(of: #"^[0-9]{4}-"#, options: .regularExpression) != nil)
        {
            return false
        }
        if first == "+" || first == "." { return false }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return false }
        if flow && s.unicodeScalars.contains(where: { ",[]{}".unicodeScalars.contains($0) }) { return false }
        return !reserved.contains(s.lowercased())
    }

    /// `|`, `|-` or `|+` and the lines, when a literal block gives back exactly `s`.
    private static func literalBlock(_ s: String) -> String? {
        guard s.contains("\n"), !s.unicodeScalars.contains(where: { isSpecial($0) && $0 != "\n" }) else { return nil }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.isEmpty, first.first != " " else { return nil }
        // Trailing spaces and blank-looking lines are where block scalars get subtle: quote those instead.
        guard lines.allSatisfy({ !$0.hasSuffix(" ") }) else { return nil }
        var body = lines
        let chomp: String
        if s.hasSuffix("\n\n") {
            return nil
        } else if s.hasSuffix("\n") {
            chomp = "|"
            body.removeLast()
        } else {
            chomp = "|-"
        }
        return ([chomp] + body.map(String.init)).joined(separator: "\n")
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where isSpecial(u): out += String(format: "\\u%04X", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
