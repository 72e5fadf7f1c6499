import Foundation
import KubeglassCore
import Query

/// Grafana tables → ours: rows keyed by the labels the queries group by, a column per key label and per query.
extension GrafanaConversion {
    mutating func table(_ p: JSONValue, into panel: inout Panel) {
        let title = panel.title
        let targets = panel.targets
        panel.kind = .table
        panel.targets = []
        let transformations = p["transformations"]?.array ?? []
        var rename: [String: String] = [:]
        var excluded = Set<String>()
        var key: [String] = []
        for t in transformations {
            let options = t["options"]
            switch t["id"]?.string {
            case "organize":
                for (k, v) in options?["renameByName"]?.object ?? [:] {
                    if let s = v.string, !s.isEmpty { rename[k] = s }
                }
                for (k, v) in options?["excludeByName"]?.object ?? [:] where v.bool == true { excluded.insert(k) }
            case "joinByField", "seriesToColumns":
                if let field = options?["byField"]?.string, !key.contains(field) { key.append(field) }
            case "groupBy":
                for (k, v) in (options?["fields"]?.object ?? [:]).sorted(by: { $0.key < $1.key })
                where v["operation"]?.string == "groupby" && !key.contains(k) {
                    key.append(k)
                }
            case "merge", "filterFieldsByName", "sortBy", "reduce": break
            case let other?:
                let what = options?["alias"]?.string.map { " (\($0))" } ?? ""
                note("panel \"\(title)\": the \(other) transformation\(what) is not applied")
            case nil: break
            }
        }
        if key.isEmpty { key = GrafanaConversion.groupingLabels(targets.map(\.expr)) }
        if key.isEmpty, let legend = targets.first?.legend { key = GrafanaConversion.placeholders(legend) }
        guard !key.isEmpty, targets.allSatisfy({ !$0.expr.isEmpty }) else {
            panel.kind = .unsupported
            panel.text =
                targets.contains { $0.expr.isEmpty }
                ? "kubeglass tables need PromQL queries (this one uses InfluxDB's query builder)"
                : "kubeglass cannot tell which labels make this table's rows (its queries have no `by (…)`)"
            panel.targets = targets
            return
        }
        let overrides = p["fieldConfig"]?["overrides"]?.array ?? []
        let styles = p["styles"]?.array ?? []
        // Grafana colours a table's cells by the panel's thresholds only in a colouring cell mode.
        let custom = p["fieldConfig"]?["defaults"]?["custom"]
        let cellMode = custom?["cellOptions"]?["type"]?.string ?? custom?["displayMode"]?.string ?? "auto"
        let colorsCells = cellMode.hasPrefix("color-") || cellMode.hasSuffix("-gauge")
        var columns: [Column] = []
        func add(_ column: Column) {
            var c = column
            var n = 2
            while columns.contains(where: { $0.title == c.title }) {
                c.title = "\(column.title) \(n)"
                n += 1
            }
            columns.append(c)
        }
        for label in key where !excluded.contains(label) && !GrafanaConversion.hiddenByStyle(label, styles) {
            add(
                Column(
                    title: rename[label] ?? GrafanaConversion.styleAlias(label, styles) ?? label, kind: .label,
                    label: label))
        }
        let refIds = (p["targets"]?.array ?? []).filter { $0["hide"]?.bool != true }.enumerated().map { i, t in
            t["refId"]?.string ?? String(UnicodeScalar(UInt8(65 + i % 26)))
        }
        for (i, target) in targets.enumerated() {
            let field = targets.count == 1 ? "Value" : "Value #\(i < refIds.count ? refIds[i] : "?")"
            if excluded.contains(field) || GrafanaConversion.hiddenByStyle(field, styles) { continue }
            // A groupBy transformation names the field after its reducer: "Value #A (lastNotNull)".
            let reduced = rename.keys.sorted().first { $0.hasPrefix(field + " (") && $0.hasSuffix(")") }.flatMap {
                rename[$0]
            }
            let columnTitle =
                rename[field] ?? reduced ?? GrafanaConversion.overrideText(field, "displayName", overrides)
                ?? GrafanaConversion.styleAlias(field, styles) ?? field
            let unitID =
                GrafanaConversion.overrideText(columnTitle, "unit", overrides) ?? GrafanaConversion.overrideText(
                    field, "unit", overrides)
                ?? GrafanaConversion.styleUnit(field, styles)
            let steps =
                GrafanaConversion.overrideValue(columnTitle, "thresholds", overrides)
                ?? GrafanaConversion.overrideValue(field, "thresholds", overrides)
            add(
                Column(
                    title: columnTitle, kind: .value, expr: target.expr,
                    unit: unitID.map { unit($0, panel: title) } ?? panel.unit,
                    thresholds: steps.map(GrafanaConversion.cellThresholds)
                        ?? (colorsCells ? panel.thresholds : GrafanaConversion.styleThresholds(field, styles))))
        }
        panel.rowKey = key
        panel.columns = columns
        if let sort = p["options"]?["sortBy"]?.array?.first, let name = sort["displayName"]?.string {
            panel.sortColumn = columns.firstIndex { $0.title == name }
            panel.sortDescending = sort["desc"]?.bool ?? true
        } else if let col = p["sort"]?["col"]?.int, col >= 0, col < columns.count {
            panel.sortColumn = col
            panel.sortDescending = p["sort"]?["desc"]?.bool ?? true
        }
    }

    /// The labels of the outermost `by (…)` in each query, in the order the first query names them.
    static func groupingLabels(_ exprs: [String]) -> [String] {
        var result: [String]?
        for expr in exprs {
            guard let labels = outermostBy(expr) else { continue }
            result = result.map { r in r.filter(labels.contains) } ?? labels
        }
        return result ?? []
    }

    private static func outermostBy(_ expr: String) -> [String]? {
        let chars = Array(expr)
        var depth = 0
        var best: (depth: Int, labels: [String])?
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
            } else if c == "{" || c == "\"" {
                // Skip label matchers and strings: `by` inside them is not a keyword.
                let close: Character = c == "{" ? "}" : "\""
                i += 1
                while i < chars.count, chars[i] != close { i += chars[i] == "\\" ? 2 : 1 }
            } else if c == "b", i + 1 < chars.count, chars[i + 1] == "y",
                i == 0
                    || !(chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_" || chars[i - 1] == ":")
            {
                var j = i + 2
                while j < chars.count, chars[j].isWhitespace { j += 1 }
                if j < chars.count, chars[j] == "(", let end = chars[j...].firstIndex(of: ")") {
                    let labels = String(chars[(j + 1)..<end]).split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespacesAndNewlines)
                    }.filter { !$0.isEmpty }
                    if best == nil || depth <= best!.depth { best = (depth, labels) }
                    i = end + 1
                    continue
                }
            }
            i += 1
        }
        return best?.labels
    }

    /// `{{node}} on {{instance}}` → [node, instance].
    static func placeholders(_ legend: String) -> [String] {
        var out: [String] = []
        var rest = Substring(legend)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !out.contains(name) { out.append(name) }
            rest = rest[close.upperBound...]
        }
        return out
    }

    private static func overrideText(_ field: String, _ property: String, _ overrides: [JSONValue]) -> String? {
        overrideValue(field, property, overrides)?.string
    }

    /// A thresholds override's value (`{mode, steps: [{value, color}]}`) as our steps.
    static func cellThresholds(_ value: JSONValue) -> [ThresholdStep] {
        (value["steps"]?.array ?? []).map {
            ThresholdStep(value: $0["value"]?.number, color: GrafanaConversion.color($0["color"]?.string ?? ""))
        }
    }

    /// An old table's style colouring a column: `thresholds: ["70", "90"]` and three colours, low to high.
    private static func styleThresholds(_ field: String, _ styles: [JSONValue]) -> [ThresholdStep] {
        guard let s = style(field, styles), let mode = s["colorMode"]?.string, !mode.isEmpty else { return [] }
        let values = (s["thresholds"]?.array ?? []).compactMap { $0.number ?? $0.string.flatMap { Double($0) } }
        guard !values.isEmpty else { return [] }
        let colors = (s["colors"]?.array ?? []).compactMap(\.string).map(GrafanaConversion.color)
        let names = colors.count >= values.count + 1 ? colors : ["ok", "warning", "critical"]
        return [ThresholdStep(value: nil, color: names[0])]
            + values.prefix(names.count - 1).enumerated().map { ThresholdStep(value: $1, color: names[$0 + 1]) }
    }

    private static func overrideValue(_ field: String, _ property: String, _ overrides: [JSONValue]) -> JSONValue? {
        for o in overrides {
            let matcher = o["matcher"]
            let options = matcher?["options"]?.string ?? ""
            let matches: Bool
            switch matcher?["id"]?.string {
            case "byName": matches = options == field
            case "byRegexp":
                let pattern =
                    options.hasPrefix("/") && options.dropFirst().contains("/")
                    ? String(options.dropFirst().prefix { $0 != "/" }) : options
                matches = field.range(of: pattern, options: .regularExpression) != nil
            default: matches = false
            }
            guard matches else { continue }
            for prop in o["properties"]?.array ?? [] where prop["id"]?.string == property {
                if let v = prop["value"] { return v }
            }
        }
        return nil
    }

    private static func style(_ field: String, _ styles: [JSONValue]) -> JSONValue? {
        styles.first { s in
            guard let pattern = s["pattern"]?.string else { return false }
            return pattern == field
                || (pattern.hasPrefix("/")
                    && field.range(of: String(pattern.dropFirst().prefix { $0 != "/" }), options: .regularExpression)
                        != nil)
        }
    }

    private static func styleAlias(_ field: String, _ styles: [JSONValue]) -> String? {
        style(field, styles)?["alias"]?.string.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func styleUnit(_ field: String, _ styles: [JSONValue]) -> String? {
        style(field, styles)?["unit"]?.string
    }

    private static func hiddenByStyle(_ field: String, _ styles: [JSONValue]) -> Bool {
        style(field, styles)?["type"]?.string == "hidden"
    }
}
